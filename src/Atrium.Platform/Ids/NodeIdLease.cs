using Atrium.Platform.Data;
using Atrium.Platform.Hosting;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Atrium.Platform.Ids;

/// <summary>
/// Leases this process a node id (0–1023) from the database for the Snowflake generator. A lease lasts
/// <see cref="Ttl"/> and is renewed every third of it; another process can take a node id only after
/// its lease expired, so two live processes never hold the same one. If a renewal finds the lease
/// lost (the process was paused past its TTL), a fresh node id is leased before more ids are issued.
/// A node id is never handed on with the clock behind its last id (a successor would repeat Snowflake ids): a process
/// issues ids only before its lease's expiry minus a third of the TTL, and a successor takes a node id only once its
/// own clock is past the lease's expiry; a stopping process does not free its id at once but sets the expiry to the
/// time of its last id (or now, if later), so a successor whose clock is behind that takes another id.
/// </summary>
public sealed partial class NodeIdLease(IDatabase database, TimeProvider time, ServiceSupervisor supervisor, ILogger<NodeIdLease> logger)
    : BackgroundService, IHostedLifecycleService
{
    public const string ServiceName = "platform.node-id-lease";
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private volatile int _nodeId = -1;
    private long _validUntilMs;
    private long _lastIssuedMs;

    /// <summary>
    /// The node id held now; start-up acquires it before any request is served. It is refused once the
    /// lease may have expired (a third of the TTL before its expiry, as margin for clock skew between
    /// processes): a process that was paused past its lease issues no id until it holds one again.
    /// </summary>
    public int NodeId
    {
        get
        {
            var node = _nodeId;
            if (node < 0)
            {
                throw new InvalidOperationException("No node id leased yet.");
            }

            if (time.GetUtcNow().ToUnixTimeMilliseconds() >= Volatile.Read(ref _validUntilMs))
            {
                throw new InvalidOperationException($"The lease of node id {node} is not confirmed; no ids until it is renewed.");
            }

            return node;
        }
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        _nodeId = await AcquireAsync(cancellationToken);
        LogAcquired(_nodeId, _holder);
    }

    /// <summary>Records the time (unix ms) of an id just issued under this lease: a successor's clock must be past it.</summary>
    public void Issued(long unixMs)
    {
        if (unixMs > Volatile.Read(ref _lastIssuedMs))
        {
            Volatile.Write(ref _lastIssuedMs, unixMs); // one writer: SnowflakeIds, under its lock
        }
    }

    private void Confirmed(long expiresAtMs) =>
        Volatile.Write(ref _validUntilMs, expiresAtMs - (long)(Ttl / 3).TotalMilliseconds);

    // A failed renewal is retried after the supervisor's backoff (at most a sixth of the TTL), not a whole tick later.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        supervisor.RunAsync(ServiceName, RenewContinuouslyAsync, stoppingToken, new Backoff(TimeSpan.FromMilliseconds(500), Ttl / 6));

    private async Task RenewContinuouslyAsync(SupervisedRun run, CancellationToken stoppingToken)
    {
        if (run.Failures > 0)
        {
            await RenewOrReacquireAsync(stoppingToken);
            run.Healthy();
        }

        using var timer = new PeriodicTimer(Ttl / 3, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RenewOrReacquireAsync(stoppingToken);
            run.Healthy();
        }
    }

    private async Task RenewOrReacquireAsync(CancellationToken cancellationToken)
    {
        if (!await RenewAsync(cancellationToken))
        {
            LogLost(_nodeId);
            _nodeId = await AcquireAsync(cancellationToken);
            LogAcquired(_nodeId, _holder);
        }
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_nodeId < 0)
        {
            return;
        }

        // No more ids from here on; then the lease is shortened to the last id's time, not deleted: a successor takes
        // the node id only once its clock is past every id issued under it. A courtesy (the lease expires by itself):
        // a node stopping while the database is down must still stop cleanly.
        Volatile.Write(ref _validUntilMs, long.MinValue);
        var releasedAt = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), Volatile.Read(ref _lastIssuedMs));
        try
        {
            await using var connection = await database.OpenPrimaryAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE platform_nodes SET expires_at = @releasedAt WHERE node_id = @node AND holder = @holder AND expires_at > @releasedAt",
                new { node = _nodeId, holder = _holder, releasedAt }, cancellationToken: cancellationToken));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or OperationCanceledException)
        {
            LogReleaseFailed(ex, _nodeId);
        }
    }

    private async Task<int> AcquireAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        for (var node = 0; node <= SnowflakeIds.MaxNode; node++)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var expires = now + (long)Ttl.TotalMilliseconds;
            // Take the id if nobody holds it, or if its holder's lease ran out.
            var taken = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO platform_nodes (node_id, holder, expires_at) VALUES (@node, @holder, @expires)
                ON CONFLICT (node_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE platform_nodes.expires_at < @now
                """,
                new { node, holder = _holder, expires, now },
                cancellationToken: cancellationToken));
            if (taken == 1)
            {
                Confirmed(expires);
                return node;
            }
        }

        throw new InvalidOperationException($"All {SnowflakeIds.MaxNode + 1} node ids are leased by live processes.");
    }

    private async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenPrimaryAsync(cancellationToken);
        var expires = time.GetUtcNow().Add(Ttl).ToUnixTimeMilliseconds();
        var renewed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE platform_nodes SET expires_at = @expires WHERE node_id = @node AND holder = @holder",
            new { node = _nodeId, holder = _holder, expires },
            cancellationToken: cancellationToken)) == 1;
        if (renewed)
        {
            Confirmed(expires);
        }

        return renewed;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Leased node id {NodeId} as {Holder}")]
    private partial void LogAcquired(int nodeId, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease of node id {NodeId} was lost; leasing a new one")]
    private partial void LogLost(int nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release node id {NodeId} on shutdown; its lease expires by itself")]
    private partial void LogReleaseFailed(Exception exception, int nodeId);
}
