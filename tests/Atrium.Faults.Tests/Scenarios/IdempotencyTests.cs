using System.Globalization;
using System.Net;
using Atrium.Faults.Tests.Harness;
using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Scenarios;

/// <summary>
/// Scenario 2: retries under injected timeouts. Every key's first attempt goes through a <see cref="FaultProxy"/> that
/// holds bytes longer than the client waits (the request arrives, the client times out); the retries go through one that
/// forwards every request but resets the client's connection instead of forwarding the answer, half of the time: the
/// write happened, the client cannot know. The client retries each POST with the same key (an <c>Idempotency-Key</c> for links, the
/// <c>clientMessageId</c> for chat messages) until it gets an answer, then once more. One effect per key (counted in the
/// database) and the same response body every time.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class IdempotencyTests(FaultCluster cluster)
{
    private const string Scenario = "02-idempotency";
    private const double DropProbability = 0.5;
    private const int MaxAttempts = 50;
    private static readonly TimeSpan SlowLatency = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan SlowTimeout = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Retried_posts_take_effect_once_and_answer_the_same_every_time()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ledger = new OperationLedger(Scenario);
        var node = cluster.Nodes[1];
        await using var proxy = new FaultProxy(new IPEndPoint(IPAddress.Loopback, node.BaseAddress.Port));
        await using var slowProxy = new FaultProxy(new IPEndPoint(IPAddress.Loopback, node.BaseAddress.Port));
        try
        {
            using var setup = node.CreateClient();
            var user = await AtriumApi.SignUpAsync(setup, cancellationToken);
            var friend = await AtriumApi.SignUpAsync(setup, cancellationToken);
            var conversation = await AtriumApi.CreateConversationAsync(setup, user, [friend.Username], null, cancellationToken);

            proxy.DropResponses(DropProbability);
            ledger.Fault($"drop {DropProbability:P0} of {node.Name}'s answers (connection reset after the request was forwarded)");
            slowProxy.Delay(SlowLatency);
            ledger.Fault($"first attempt of every key: {SlowLatency.TotalMilliseconds:0} ms of latency each way, client timeout {SlowTimeout.TotalMilliseconds:0} ms (the request arrives, the client gives up first)");
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = proxy.HttpAddress, Timeout = TimeSpan.FromSeconds(10) };
            using var slowClient = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = slowProxy.HttpAddress, Timeout = SlowTimeout };
            var keys = RunLength.Pick(15, 100);
            var attempts = new List<int>();
            long differentBodies = 0, unanswered = 0;
            for (var i = 0; i < keys; i++)
            {
                var linkKey = $"{Scenario}-link-{i}";
                var idempotencyKey = Guid.NewGuid().ToString("N");
                var link = await UntilAnsweredAsync(attempt => AtriumApi.CreateLinkAsync(ledger, attempt == 1 ? slowClient : client, user, linkKey, idempotencyKey, cancellationToken));
                var messageKey = $"{Scenario}-msg-{i}";
                var message = await UntilAnsweredAsync(attempt => AtriumApi.SendMessageAsync(ledger, attempt == 1 ? slowClient : client, user, conversation, messageKey, cancellationToken));
                foreach (var (bodies, tries) in new[] { link, message })
                {
                    attempts.Add(tries);
                    unanswered += bodies.Count == 0 ? 1 : 0;
                    differentBodies += bodies.Distinct(StringComparer.Ordinal).Count() - Math.Min(1, bodies.Count);
                }
            }

            proxy.Pass();
            var links = await Effects.LinksAsync(cluster.Database, AtriumApi.TargetOf(Scenario), cancellationToken);
            var messages = await Effects.MessagesAsync(cluster.Database, Scenario, cancellationToken);
            var lost = ledger.Acknowledged(AtriumApi.LinkCreate).Select(o => o.Key).Distinct().Count(k => !links.ContainsKey(AtriumApi.TargetOf(k)))
                + ledger.Acknowledged(AtriumApi.ChatSend).Select(o => o.Key).Distinct().Count(k => !messages.ContainsKey(k));
            var duplicated = Effects.Duplicates(links) + Effects.Duplicates(messages);
            var summary = ledger.Summarize(lost, duplicated + differentBodies, "one effect per key (rows counted in the database) and the same response body for every answer to a key", new Dictionary<string, string>
            {
                ["keys (links + messages)"] = (2 * keys).ToString(CultureInfo.InvariantCulture),
                ["answers dropped by the proxy"] = proxy.DroppedAnswers.ToString(CultureInfo.InvariantCulture),
                ["attempts per key"] = string.Create(CultureInfo.InvariantCulture, $"mean {attempts.Average():0.00}, max {attempts.Max()}"),
                ["keys never answered"] = unanswered.ToString(CultureInfo.InvariantCulture),
                ["answers with a different body than the first"] = differentBodies.ToString(CultureInfo.InvariantCulture),
            });
            await summary.WriteAsync(cancellationToken);

            Assert.True(proxy.DroppedAnswers > 0, "The proxy dropped no answer: nothing was retried.");
            Assert.Equal(0, unanswered);
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicated);
            Assert.Equal(0, differentBodies);
        }
        finally
        {
            proxy.Pass();
            await cluster.HealAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Sends until an answer comes (a dropped answer is unknown: send again, same key), then once more, also until
    /// answered: returns the bodies of every answer and the number of attempts.
    /// </summary>
    private static async Task<(List<string> Bodies, int Attempts)> UntilAnsweredAsync(Func<int, Task<Answer>> send)
    {
        var bodies = new List<string>();
        var attempts = 0;
        while (bodies.Count < 2 && attempts < MaxAttempts)
        {
            attempts++;
            var answer = await send(attempts);
            if (answer.Outcome == Outcome.Ok)
            {
                bodies.Add(answer.Body);
            }
            else if (answer.Outcome == Outcome.Failed)
            {
                throw new InvalidOperationException($"A definite failure where a retry was expected: {answer.Status} {answer.Body}");
            }
        }

        return (bodies, attempts);
    }
}
