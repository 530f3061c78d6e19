using System.Diagnostics;
using Atrium.Testing.Servers;
using Xunit;

namespace Atrium.Testing.Tests;

/// <summary>Disposing a server leaves none of its processes running (zombies awaiting pid 1's reaper count as gone).</summary>
public sealed class CleanupTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Postgres_primary_and_replica_leave_no_process_or_directory()
    {
        var watch = Stopwatch.StartNew();
        var primary = await PostgresServer.StartNewAsync(Cancellation);
        var primaryStarted = watch.Elapsed;
        var replica = await primary.StartReplicaAsync(Cancellation);
        Log($"PostgreSQL: primary (initdb + start) {primaryStarted.TotalSeconds:0.00} s, replica (pg_basebackup + start) {(watch.Elapsed - primaryStarted).TotalSeconds:0.00} s");
        IReadOnlyList<int> pids = [.. primary.ProcessIds(), .. replica.ProcessIds()];
        var directories = new[] { primary.DataDirectory, replica.DataDirectory };
        Assert.True(pids.Count > 4, $"Expected a postmaster and its workers, found {pids.Count} processes.");

        await primary.DisposeAsync();

        AssertAllDead(pids);
        Assert.All(directories, directory => Assert.False(Directory.Exists(directory), directory));
    }

    [Fact]
    public async Task Redis_leaves_no_process()
    {
        var watch = Stopwatch.StartNew();
        var server = await RedisServer.StartNewAsync(Cancellation);
        Log($"Redis: {watch.Elapsed.TotalSeconds:0.00} s");
        var pids = server.ProcessIds();

        await server.DisposeAsync();

        AssertAllDead(pids);
        Assert.False(await IsListeningAsync(server.Port));
    }

    [Fact]
    public async Task RabbitMq_node_and_its_epmd_leave_no_process()
    {
        var watch = Stopwatch.StartNew();
        var server = await RabbitMqServer.StartNewAsync(Cancellation);
        Log($"RabbitMQ: {watch.Elapsed.TotalSeconds:0.00} s");
        var pids = server.ProcessIds();
        Assert.True(pids.Count > 3, $"Expected epmd, the wrappers and the Erlang VM, found {pids.Count} processes.");

        watch.Restart();
        await server.DisposeAsync();
        Log($"RabbitMQ: stopped in {watch.Elapsed.TotalSeconds:0.00} s");

        AssertAllDead(pids);
        Assert.False(await IsListeningAsync(server.Port));
        Assert.False(await IsListeningAsync(server.EpmdPort));
    }

    [Fact]
    public void A_missing_binary_names_the_Debian_package()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => ServerBinaries.Find("atrium-no-such-server", "some-package"));

        Assert.Contains("'some-package'", missing.Message, StringComparison.Ordinal);
    }

    private static void AssertAllDead(IReadOnlyList<int> pids) =>
        Assert.All(pids, pid => Assert.False(ProcessTree.IsAlive(pid), $"Process {pid} is still running."));

    private static Task<bool> IsListeningAsync(int port) => Poll.IsListeningAsync(port, Cancellation);

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
