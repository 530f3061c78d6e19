using System.Globalization;
using System.Text.RegularExpressions;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Faults.Tests.Failover;

/// <summary>
/// Scenario 14: kill -9 the PostgreSQL primary's postmaster (Patroni + etcd, a primary and one standby) while links,
/// posts and chat messages are written through two Atrium nodes that know the database only by its multi-host
/// connection strings. Patroni promotes the standby, the nodes find it by themselves and writes resume; once the old
/// primary has rejoined as a standby, every acknowledged write is looked up in SQL on the new primary. Synchronous
/// replication: none is missing. Asynchronous: the missing ones are the price of the mode, counted and reported.
/// Failed and timed-out writes of the failover are failed / unknown, not lost; none answers 500 (until the promotion no
/// host takes writes, and a write says so with 503). The failover time is measured per kind
/// (the last write acknowledged before the kill to the first one sent after it and acknowledged), never asserted.
/// </summary>
[Collection(PatroniScenarios.Name)]
public sealed partial class PrimaryFailoverTests(PatroniTopologies topologies)
{
    private const string Scenario = "14-primary-failover";
    private static readonly string[] Kinds = [AtriumApi.LinkCreate, AtriumApi.PostCreate, AtriumApi.ChatSend];
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public Task With_a_synchronous_standby_no_acknowledged_write_is_lost_when_the_primary_is_killed() =>
        RunAsync(ReplicationMode.Synchronous);

    [Fact]
    public Task With_an_asynchronous_standby_the_writes_lost_when_the_primary_is_killed_are_counted() =>
        RunAsync(ReplicationMode.Asynchronous);

    private async Task RunAsync(ReplicationMode mode)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var synchronous = mode == ReplicationMode.Synchronous;
        var ledger = new OperationLedger($"{Scenario}-{(synchronous ? "sync" : "async")}");
        var postgres = topologies.For(mode);
        await using var atrium = await PatroniAtrium.StartAsync(postgres, topologies.RabbitMq, cancellationToken);

        using var setup = atrium.Nodes[0].CreateClient();
        var users = await Task.WhenAll(Enumerable.Range(0, RunLength.Pick(4, 8)).Select(_ => AtriumApi.SignUpAsync(setup, cancellationToken)));
        var conversation = await AtriumApi.CreateConversationAsync(setup, users[0], users.Skip(1).Select(u => u.Username), "failover", cancellationToken);
        var clients = atrium.Nodes.Select(n => n.CreateClient(TimeSpan.FromSeconds(10))).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writers = users.Select((user, index) => WriteAsync(ledger, clients[index % clients.Count], user, index, conversation, stop.Token)).ToArray();
        PatroniNode old;
        PatroniNode promoted;
        TimeSpan killedAt;
        TimeSpan promotedAfter;
        try
        {
            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30)), cancellationToken);
            await Eventually.HoldsAsync(
                () => Kinds.All(kind => ledger.Acknowledged(kind).Count >= 3), "acknowledged links, posts and messages before the kill", Deadline);

            old = await postgres.KillPrimaryAsync(cancellationToken);
            killedAt = ledger.Elapsed; // the postmaster is dead: nothing sent from now on can reach it
            ledger.Fault($"kill -9 the PostgreSQL primary's postmaster ({old.Name}, {(synchronous ? "synchronous" : "asynchronous")} standby) during writes");
            promoted = await postgres.WaitForNewPrimaryAsync(old, Deadline, cancellationToken);
            promotedAfter = ledger.Elapsed - killedAt;
            await Eventually.HoldsAsync(
                () => Kinds.All(kind => ledger.Acknowledged(kind).Any(o => o.InvokedAt >= killedAt)),
                "links, posts and messages acknowledged again after the failover",
                Deadline);
            await Task.Delay(RunLength.Pick(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)), cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            clients.ForEach(c => c.Dispose());
        }

        // The old primary comes back as a standby of the new one (pg_rewind drops what it alone had); then the check.
        await postgres.WaitUntilHealthyAsync(Deadline, cancellationToken);
        var rejoinedAfter = ledger.Elapsed - killedAt;
        ledger.Fault($"{old.Name} rejoined as a standby of {promoted.Name}");
        await using var database = atrium.DatabaseOn(promoted);
        var stored = await StoredWrites.ReadAsync(database, $"{Scenario}-", cancellationToken);
        var lost = Kinds.ToDictionary(kind => kind, kind => (long)ledger.Acknowledged(kind).Count(o => !stored.Holds(o)));
        var failed = ledger.Operations.Where(o => o.Outcome == Outcome.Failed).ToList();
        var unknown = ledger.Operations.Where(o => o.Outcome == Outcome.Unknown).ToList();
        var pending = ledger.Operations.Count(o => o.Outcome == Outcome.Invoked);
        var summary = ledger.Summarize(
            lost.Values.Sum(),
            stored.Duplicated,
            synchronous
                ? "synchronous standby: after kill -9 of the primary and its rejoin as a standby, every acknowledged link, post and message is on the new primary exactly as acknowledged; nothing stored twice; no write answers 500 (503 while no host takes writes)"
                : "asynchronous standby: acknowledged links, posts and messages missing from the new primary after kill -9 of the old one are counted as lost (the price of the mode, reported, not asserted); nothing stored twice; no write answers 500 (503 while no host takes writes)",
            new Dictionary<string, string>
            {
                ["replication"] = synchronous ? "synchronous (Patroni synchronous_mode, synchronous_commit = on)" : "asynchronous",
                ["writers"] = string.Create(CultureInfo.InvariantCulture, $"{users.Length} (links, posts, messages in turn) through {atrium.Nodes.Count} nodes"),
                ["failover time, any write"] = Gap(ledger, Kinds, killedAt),
                ["failover time, links / posts / messages"] = string.Join(" / ", Kinds.Select(kind => Gap(ledger, [kind], killedAt))),
                ["standby promoted (Patroni) after the kill"] = Seconds(promotedAfter),
                ["old primary rejoined as a standby after the kill"] = Seconds(rejoinedAfter),
                ["acknowledged links / posts / messages"] = string.Join(" / ", Kinds.Select(kind => ledger.Acknowledged(kind).Count)),
                ["lost links / posts / messages"] = string.Join(" / ", Kinds.Select(kind => lost[kind])),
                // A 503 of a write whose commit was in flight at the kill may still have been carried out: counted, not judged.
                ["failed / unknown writes that were applied"] = $"{failed.Count(stored.Holds)} of {failed.Count} / {unknown.Count(stored.Holds)} of {unknown.Count}",
                ["answers of the failed and unknown writes"] = Answers(ledger.Operations.Where(o => o.Outcome is Outcome.Failed or Outcome.Unknown)),
            });
        await summary.WriteAsync(cancellationToken);

        Assert.Equal(0, pending);

        // Between the kill and the promotion no host takes writes: nothing is carried out, and the answer says so (503).
        var errors = ledger.Operations.Where(o => o.Error?.StartsWith("500 ", StringComparison.Ordinal) == true).ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} writes answered 500 during the failover: {errors.FirstOrDefault()?.Error}");
        Assert.Equal(0, stored.Duplicated);
        if (synchronous)
        {
            Assert.Equal(0, lost.Values.Sum());
        }
    }

    /// <summary>One user's writes, in turn a link, a post and a message, until stopped; keys are "scenario-user-n".</summary>
    private static async Task WriteAsync(OperationLedger ledger, HttpClient client, TestUser user, int index, string conversation, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = $"{Scenario}-{index}-{n}";
            var answer = (n % 3) switch
            {
                0 => await AtriumApi.CreateLinkAsync(ledger, client, user, key, null, CancellationToken.None),
                1 => await AtriumApi.CreatePostAsync(ledger, client, user, key, CancellationToken.None),
                _ => await AtriumApi.SendMessageAsync(ledger, client, user, conversation, key, CancellationToken.None),
            };
            if (!answer.IsOk)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// From the last write of <paramref name="kinds"/> acknowledged before the kill to the first one sent after it and
    /// acknowledged (both by their acknowledgement).
    /// </summary>
    private static string Gap(OperationLedger ledger, IReadOnlyCollection<string> kinds, TimeSpan killedAt)
    {
        var acknowledged = kinds.SelectMany(ledger.Acknowledged).ToList();
        var before = acknowledged.Where(o => o.CompletedAt <= killedAt).Max(o => o.CompletedAt);
        var after = acknowledged.Where(o => o.InvokedAt >= killedAt).Min(o => o.CompletedAt);
        return before is { } b && after is { } a ? Seconds(a - b) : "n/a";
    }

    /// <summary>How the writes that were not acknowledged were answered: each status (or error) with its count and its first title.</summary>
    private static string Answers(IEnumerable<Operation> operations)
    {
        var answers = operations
            .Select(o => o.Error ?? "")
            .GroupBy(error => error.Split(' ', 2)[0] is var head && int.TryParse(head, CultureInfo.InvariantCulture, out _) ? head : error)
            .OrderByDescending(g => g.Count())
            .Select(g => Title().Match(g.First()) is { Success: true } title ? $"{g.Key} × {g.Count()} ({title.Groups[1].Value})" : $"{g.Key} × {g.Count()}")
            .ToList();
        return answers.Count == 0 ? "none" : string.Join(", ", answers);
    }

    [GeneratedRegex("\"title\"\\s*:\\s*\"([^\"]*)\"")]
    private static partial Regex Title();

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.0} s");
}
