using System.Diagnostics;

namespace Atrium.ChatBench;

/// <summary>
/// One scenario against one server: connect every client, let presence settle, send at the offered rate (warm-up,
/// then the measured window), drain, disconnect. Sends are spread over the clients in a fixed shuffled order.
/// </summary>
internal static class LoadRun
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(15);

    public static async Task<RunResult> RunAsync(ITarget target, Scenario scenario, int round, BenchOptions options, CancellationToken ct)
    {
        var measurement = new Measurement();
        var clients = new BenchClient[options.Clients];
        Console.WriteLine($"chat-bench: round {round}, {target.Name} / {scenario.Name}: connecting {options.Clients} clients");
        await Parallel.ForAsync(0, options.Clients, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (i, token) =>
            clients[i] = await BenchClient.ConnectAsync(i, target, scenario, measurement, token));
        await Task.Delay(Settle, ct);

        using var stopAcks = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var acking = AckLoopAsync(clients, stopAcks.Token);
        var order = clients.OrderBy(c => (c.Index * 2_654_435_761L) % 1_000_003).ToArray();
        var begin = Stopwatch.GetTimestamp();
        var start = begin + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var end = start + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        measurement.Open(start, end);
        Console.WriteLine($"chat-bench: round {round}, {target.Name} / {scenario.Name}: sending {scenario.Rate}/s for {options.Warmup.TotalSeconds:0} s warm-up + {options.Duration.TotalSeconds:0} s");

        // Open loop: send k is due at begin + k / rate and carries that intended time, so a send the generator makes
        // late (because an earlier one blocked) is measured from when it should have gone (no coordinated omission).
        var total = options.Warmup + options.Duration;
        long sent = 0, sentInWindow = 0;
        var last = (long)(total.TotalSeconds * scenario.Rate);
        while (sent < last)
        {
            // Send k is due once k / rate has passed: k = 0 at once, so the count due is one more than the whole intervals.
            var due = (long)(Stopwatch.GetElapsedTime(begin).TotalSeconds * scenario.Rate) + 1;
            while (sent < Math.Min(due, last))
            {
                var client = order[sent % order.Length];
                var intended = begin + (long)(sent * (double)Stopwatch.Frequency / scenario.Rate);
                // The client message id must differ from every earlier round's: Atrium answers a repeated one with the
                // message it already stored (idempotent send) and delivers nothing new.
                var id = ((long)round << 40) | sent;
                await client.SendAsync(target.Send(scenario, client.Index, id, $"{client.Index}:{sent}:{intended}"), ct);
                if (intended >= start && intended < end)
                {
                    sentInWindow++;
                }

                sent++;
            }

            await Task.Delay(1, ct);
        }

        var expected = sentInWindow * (scenario.RoomSize - 1);
        var draining = Stopwatch.StartNew();
        while (measurement.Delivered < expected && draining.Elapsed < Drain)
        {
            await Task.Delay(100, ct);
        }

        await stopAcks.CancelAsync();
        await acking;
        var delivered = measurement.Delivered;
        Console.WriteLine($"chat-bench: round {round}, {target.Name} / {scenario.Name}: {delivered}/{expected} deliveries, {measurement.Duplicates} duplicates, p50 {measurement.PercentileMs(50):0.0} ms, p99 {measurement.PercentileMs(99):0.0} ms, max {measurement.MaxMs:0.0} ms");
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (client, _) => await client.DisposeAsync());
        return new RunResult(
            round, target.Name, scenario.Name, options.Clients, scenario.RoomSize, scenario.Rate, sentInWindow, delivered,
            delivered / options.Duration.TotalSeconds, measurement.PercentileMs(50), measurement.PercentileMs(99), measurement.MaxMs,
            expected, expected - delivered, measurement.Duplicates);
    }

    private static async Task AckLoopAsync(BenchClient[] clients, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var client in clients)
                {
                    await client.AckAsync(ct);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }
}
