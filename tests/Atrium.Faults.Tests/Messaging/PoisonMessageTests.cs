using System.Globalization;
using System.Net;
using Atrium.Faults.Tests.Ledger;
using Atrium.Platform.Messaging;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>
/// Scenario 6: a handler that always throws [the message reaches the dead-letter queue within the delivery limit,
/// the others keep flowing, and replay works after the fix].
/// </summary>
[Collection(MessagingScenarios.Name)]
public sealed class PoisonMessageTests(MessagingCluster cluster)
{
    private const string Invariant =
        "dead-lettered within the delivery limit, other consumers flowing, replay after the fix applies every acknowledged click exactly once";

    private const int MaxAttempts = 4;

    [Fact]
    public async Task A_handler_that_always_throws_dead_letters_its_events_and_their_replay_after_the_fix_applies_them_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var progress = new Progress();
        var ledger = new OperationLedger("06-poison-message");
        var slice = await cluster.CreateSliceAsync(ledger.Scenario, ct);
        await using var database = new ScenarioDatabase(slice.Postgres);
        var clicks = RunLength.Pick(150, 2_000);
        var posts = RunLength.Pick(20, 200);
        var settings = new Dictionary<string, string> { ["Atrium:Messaging:MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture) };
        var broken = FailPoints.ConsumerThrowPrefix + ScenarioDatabase.ClickConsumer;

        await using var node = await AtriumNode.StartAsync("a", slice, ct, broken, settings);
        var client = node.CreateClient();
        var clickWorkload = await ClickWorkload.CreateAsync(ledger, client, 10, ct);
        using var author = node.CreateClient().As(await TestUsers.SignUpAsync(client, ct));
        var postWorkload = new PostWorkload(ledger);
        ledger.Fault($"node a runs with fail point {broken}: every delivery to the click aggregator throws");
        progress.Step("node started");

        using (var stop = new CancellationTokenSource())
        {
            var running = Task.WhenAll(clickWorkload.RunAsync(client, 2, stop.Token, ct), postWorkload.RunAsync(author, stop.Token, ct));
            await Eventually.HoldsAsync(
                () => clickWorkload.Acknowledged >= clicks && postWorkload.Acknowledged >= posts, "the workload", TimeSpan.FromSeconds(90));
            await stop.CancelAsync();
            await running;
        }

        // Every click event ends in the dead letters; the feed's consumer meanwhile applies every post.
        await Eventually.HoldsAsync(
            async () => (await DeadLetterAdmin.ListAsync(client, ct)).Sum(DeadLetterAdmin.ClicksIn) == clickWorkload.Acknowledged
                && await database.InboxAsync(PostWorkload.PlannerConsumer, ct) >= postWorkload.Acknowledged,
            "every click dead-lettered and every post planned", TimeSpan.FromSeconds(120));
        progress.Step("dead-lettered");
        var letters = await DeadLetterAdmin.ListAsync(client, ct);
        var fired = await NodeMetrics.FailPointsFiredAsync(client, broken, ct);
        var postsPlanned = await database.InboxAsync(PostWorkload.PlannerConsumer, ct);
        var appliedWhileBroken = (await database.ClicksAsync(ct)).Values.Sum();
        var attempts = letters.Select(l => l.GetProperty("attempts").GetInt32()).Distinct().Order().ToList();

        Assert.All(letters, letter => Assert.Equal(ScenarioDatabase.ClickConsumer, letter.GetProperty("consumer").GetString()));
        Assert.Equal([MaxAttempts], attempts); // each dead letter after exactly MaxAttempts attempts...
        Assert.Equal((long)MaxAttempts * letters.Count, fired); // ...and the handler really ran that often, no more
        Assert.Equal(0L, appliedWhileBroken); // nothing of a failed attempt committed
        Assert.Equal(postWorkload.Acknowledged, postsPlanned); // the other consumers kept flowing

        // The fix: the node is restarted without the fail point; an operator replays every dead letter.
        client.Dispose();
        await node.RestartAsync(ct, failPoints: "");
        ledger.Fault("the fix: node a restarted without the fail point");
        client = node.CreateClient();
        foreach (var letter in letters)
        {
            var id = letter.GetProperty("id").GetInt64();
            var replay = ledger.Invoke("dead-letter.replay", id.ToString(CultureInfo.InvariantCulture));
            var status = await DeadLetterAdmin.ReplayAsync(client, id, ct);
            if (status == HttpStatusCode.Accepted)
            {
                ledger.Ok(replay);
            }
            else
            {
                ledger.Fail(replay, $"HTTP {(int)status}");
            }
        }

        var again = await DeadLetterAdmin.ReplayAsync(client, letters[0].GetProperty("id").GetInt64(), ct);
        progress.Step("replayed");
        var tally = await Convergence.SettleAsync(cluster, slice, database, ledger, ct);
        var left = (await DeadLetterAdmin.ListAsync(client, ct)).Count;
        client.Dispose();

        await ScenarioResult.ReportAsync(ledger, tally, Invariant, new Dictionary<string, string>
        {
            ["max attempts (delivery limit plus one)"] = MaxAttempts.ToString(CultureInfo.InvariantCulture),
            ["events dead-lettered"] = letters.Count.ToString(CultureInfo.InvariantCulture),
            ["attempts per dead letter"] = string.Join(",", attempts),
            ["handler failures injected (fail point fired)"] = fired.ToString(CultureInfo.InvariantCulture),
            ["posts planned while the click consumer failed"] = $"{postsPlanned} of {postWorkload.Acknowledged}",
            ["dead letters left after replay"] = left.ToString(CultureInfo.InvariantCulture),
        }, ct);
        Assert.Equal(letters.Count, ledger.Acknowledged("dead-letter.replay").Count);
        Assert.Equal(HttpStatusCode.NotFound, again); // a replayed letter is gone: it cannot be replayed twice
        Assert.Equal(0, left);
    }
}
