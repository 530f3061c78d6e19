using Atrium.Faults.Tests.Ledger;
using Atrium.Testing;
using Xunit;

namespace Atrium.Faults.Tests.Messaging;

/// <summary>Waits for a scenario's messaging to come to rest before its invariant is checked.</summary>
public static class Convergence
{
    public const string ClickQueue = "atrium." + ScenarioDatabase.ClickConsumer;

    /// <summary>
    /// Waits until every acknowledged click is stored, the outbox is empty and the click queue holds nothing, so no
    /// late delivery can change the count after the check; then returns the tally. A hang (something was lost) ends
    /// at the deadline with the tally as it stands, and the invariant reports what is missing.
    /// </summary>
    public static async Task<ClickTally> SettleAsync(
        MessagingCluster cluster, ClusterSlice slice, ScenarioDatabase database, OperationLedger ledger, CancellationToken cancellationToken)
    {
        try
        {
            await Eventually.HoldsAsync(
                async () => (await database.TallyAsync(ledger, cancellationToken)).Lost == 0 && await database.OutboxAsync(cancellationToken) == 0,
                "every acknowledged click stored and the outbox empty",
                TimeSpan.FromSeconds(120));
            await Eventually.HoldsAsync(
                async () => (await cluster.QueueAsync(slice, ClickQueue, cancellationToken)).IsDrained,
                "the click queue drained",
                TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            // Reported by the invariant below (lost > 0); what was stuck where goes to the test output.
            await DescribeAsync(cluster, slice, database, "Not settled", cancellationToken);
        }

        return await database.TallyAsync(ledger, cancellationToken);
    }

    /// <summary>Writes where things stand to the test output: database sessions, the broker's queues, consumers and channels.</summary>
    public static async Task DescribeAsync(
        MessagingCluster cluster, ClusterSlice slice, ScenarioDatabase database, string headline, CancellationToken cancellationToken)
    {
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{headline}. Sessions of the scenario database:\n" + await database.SessionsAsync(cancellationToken));
        output?.WriteLine("Queues:\n" + string.Join('\n', (await cluster.QueuesAsync(slice, cancellationToken)).Select(q => q.ToString())));
        output?.WriteLine("Consumers:\n" + await cluster.CtlAsync(
            ["list_consumers", "-p", slice.VirtualHost, "queue_name", "channel_pid", "prefetch_count", "active"], cancellationToken));
        output?.WriteLine("Channels:\n" + await cluster.CtlAsync(
            ["list_channels", "pid", "connection", "consumer_count", "messages_unacknowledged"], cancellationToken));
    }
}
