using System.Globalization;
using System.Net.WebSockets;

namespace Atrium.ChatBench;

/// <summary>
/// The memory benchmark: <see cref="BenchOptions.Idle"/> sockets connected to one server (Atrium: signed-up users, each
/// socket signed in by its hello and welcomed; the baseline: one room each), held idle for <see cref="BenchOptions.Hold"/>,
/// with the server's resident memory (VmRSS of <see cref="BenchOptions.ServerPid"/>) read before connecting and at the
/// end of the hold. The last line is what scripts/bench.sh parses.
/// </summary>
internal static class IdleRun
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchOptions options, CancellationToken ct)
    {
        ITarget target;
        var scenario = new Scenario("idle", 1, 0);
        if (options.IdleTarget == "baseline")
        {
            target = new BaselineTarget(options.Baseline);
        }
        else
        {
            Console.WriteLine($"idle: signing up {options.Idle} users on {options.Atrium}");
            var setup = new AtriumSetup(options.Atrium);
            await setup.UsersAsync(options.Idle, ct);
            target = new AtriumTarget(options.Atrium, setup);
        }

        await Task.Delay(Settle, ct);
        var before = RssKiB(options.ServerPid);
        Console.WriteLine($"idle: {target.Name}: server RSS {before} KiB; connecting {options.Idle} sockets");
        var measurement = new Measurement();
        var clients = new BenchClient?[options.Idle];
        var failed = 0;
        await Parallel.ForAsync(0, options.Idle, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct }, async (i, token) =>
        {
            try
            {
                clients[i] = await BenchClient.ConnectAsync(i, target, scenario, measurement, token);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException)
            {
                if (Interlocked.Increment(ref failed) <= 3)
                {
                    Console.WriteLine($"idle: client {i} could not connect: {ex.Message}");
                }
            }
        });
        var connected = clients.Count(c => c is not null);
        Console.WriteLine($"idle: {connected} connected ({failed} failed), server RSS {RssKiB(options.ServerPid)} KiB; holding {options.Hold.TotalSeconds:0} s");
        await Task.Delay(options.Hold, ct);
        var open = clients.Count(c => c is { IsOpen: true });
        var after = RssKiB(options.ServerPid);
        var perSocket = connected == 0 ? 0 : (after - before) / (double)connected;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"idle: {target.Name}: after {options.Hold.TotalSeconds:0} s, {open} of {connected} still open; server RSS {before} → {after} KiB, {perSocket:0.0} KiB per socket"));
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (client, _) =>
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        });

        // "idle: sockets_requested connected open_at_end rss_before_kib rss_after_kib kib_per_socket"
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle-result: {options.Idle} {connected} {open} {before} {after} {perSocket:0.0}"));
    }

    private static long RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"No VmRSS for process {pid}.");
    }
}
