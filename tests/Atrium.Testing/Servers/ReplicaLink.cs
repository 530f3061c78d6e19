namespace Atrium.Testing.Servers;

/// <summary>
/// Cuts a streaming replica off from its primary and reconnects it, the replica itself staying up: its
/// <c>primary_conninfo</c> is pointed at a port where nothing listens and the configuration reloaded (the WAL
/// receiver restarts with it and cannot connect), then set back. The primary keeps running and taking writes.
/// </summary>
public static class ReplicaLink
{
    /// <summary>Disconnects <paramref name="replica"/> from its primary; returns the conninfo to give back to <see cref="ReconnectAsync"/>.</summary>
    public static async Task<string> DisconnectAsync(this PostgresServer replica, CancellationToken cancellationToken = default)
    {
        EnsureReplica(replica);
        var conninfo = await replica.QueryAsync("SHOW primary_conninfo", cancellationToken: cancellationToken);
        await SetAsync(replica, $"host=127.0.0.1 port={LoopbackPort.Next()} user=postgres connect_timeout=2", cancellationToken);
        await Poll.UntilAsync(
            async token => await replica.QueryAsync("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'", cancellationToken: token) == "0",
            TimeSpan.FromSeconds(30),
            () => $"the replica on port {replica.Port} still streams from its primary.",
            cancellationToken);
        return conninfo;
    }

    /// <summary>Points <paramref name="replica"/> at its primary again (<paramref name="conninfo"/> from <see cref="DisconnectAsync"/>).</summary>
    public static async Task ReconnectAsync(this PostgresServer replica, string conninfo, CancellationToken cancellationToken = default)
    {
        EnsureReplica(replica);
        await SetAsync(replica, conninfo, cancellationToken);
    }

    private static async Task SetAsync(PostgresServer replica, string conninfo, CancellationToken cancellationToken)
    {
        await replica.QueryAsync($"ALTER SYSTEM SET primary_conninfo = '{conninfo.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken: cancellationToken);
        await replica.QueryAsync("SELECT pg_reload_conf()", cancellationToken: cancellationToken);
    }

    private static void EnsureReplica(PostgresServer server)
    {
        if (!server.IsReplica)
        {
            throw new InvalidOperationException($"PostgreSQL on port {server.Port} is a primary, not a replica.");
        }
    }
}
