namespace Atrium.Platform.Data;

/// <summary>
/// Database settings. <see cref="DataDirectory"/> and <see cref="CommandTimeoutSeconds"/> are read from
/// <c>Atrium:*</c>; the distributed shape's settings from <c>Atrium:Database:*</c>. Which database runs is
/// chosen by <c>ConnectionStrings:Postgres</c> (set: PostgreSQL, plus replicas from the comma-separated
/// <c>ConnectionStrings:PostgresReplicas</c>, where a multi-host entry keeps its Host list: <see cref="PostgresConnectionStrings"/>;
/// unset: the embedded SQLite file).
/// </summary>
/// <remarks>
/// Pool sizes (PostgreSQL). Every node keeps one Npgsql pool for the primary and one per replica. Npgsql's
/// default is <c>Maximum Pool Size=100</c>, which is as many as PostgreSQL's default <c>max_connections=100</c>
/// (3 of them reserved for superusers): two nodes at full load would exhaust the server. Atrium sets
/// <see cref="PrimaryMaxPoolSize"/> = 30 and <see cref="ReplicaMaxPoolSize"/> = 30 per node, so three nodes use
/// at most 90 connections on the primary and 90 on each replica; a request holds a connection only for its
/// queries, so 30 busy connections serve thousands of requests a second. Size them as
/// <c>nodes × pool ≤ max_connections − reserved</c> (or put PgBouncer in between). A connection string that
/// already says <c>Maximum Pool Size</c> keeps its own value. <c>Minimum Pool Size</c> stays at Npgsql's 0
/// (idle connections are closed after 300 s, Npgsql's <c>Connection Idle Lifetime</c>).
/// </remarks>
public sealed class DatabaseOptions
{
    public string DataDirectory { get; set; } = "data";

    /// <summary>Seconds a command waits for a busy database (SQLite's busy timeout) before failing.</summary>
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>Maximum Npgsql pool size towards the primary, per node (<c>Atrium:Database:PrimaryMaxPoolSize</c>).</summary>
    public int PrimaryMaxPoolSize { get; set; } = 30;

    /// <summary>Maximum Npgsql pool size towards each replica, per node (<c>Atrium:Database:ReplicaMaxPoolSize</c>).</summary>
    public int ReplicaMaxPoolSize { get; set; } = 30;

    /// <summary>
    /// Read-your-writes (<c>Atrium:Database:ReadYourWritesWindow</c>; zero turns pins off): a write that commits within
    /// this long of opening its primary connection is seen by its author's reads afterwards, on every node. Its pin
    /// lasts <see cref="PinDuration"/>.
    /// </summary>
    public TimeSpan ReadYourWritesWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a user's reads stay on the primary after that user opened a primary connection:
    /// <see cref="ReadYourWritesWindow"/> (for the write to commit) + <see cref="MaxReplicaLag"/> + two
    /// <see cref="ReplicaCheckInterval"/>s. By then every replica still in rotation has replayed the write:
    /// <see cref="ReplicaLagMonitor"/> records the primary's WAL position at most one interval after the commit and
    /// isolates, at the latest one probe after that position turned <see cref="MaxReplicaLag"/> old, a replica that has
    /// not replayed it. 19 s with the defaults. Zero when <see cref="ReadYourWritesWindow"/> is zero.
    /// </summary>
    public TimeSpan PinDuration => ReadYourWritesWindow <= TimeSpan.Zero
        ? TimeSpan.Zero
        : ReadYourWritesWindow + MaxReplicaLag + (2 * ReplicaCheckInterval);

    /// <summary>
    /// How long a replica's circuit stays open once it failed to open connections (its reads go to the primary
    /// meanwhile), before one trial read is let through (<c>Atrium:Database:ReplicaRetryAfter</c>; docs/resilience.md).
    /// 10 s: a restarting replica needs seconds to accept connections, and the primary can carry the reads that long.
    /// </summary>
    public TimeSpan ReplicaRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most a replica may lag behind the primary and still serve reads (<c>Atrium:Database:MaxReplicaLag</c>):
    /// past it, <see cref="ReplicaLagMonitor"/> isolates it and its reads go to the primary, so no read is staler than
    /// this plus one <see cref="ReplicaCheckInterval"/>. 10 s: streaming lag is milliseconds when healthy; 10 s
    /// means the replica is stuck or far behind, and another user's post missing for longer than that is noticed.
    /// </summary>
    public TimeSpan MaxReplicaLag { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often each replica's lag and liveness are probed (<c>Atrium:Database:ReplicaCheckInterval</c>). 2 s: one
    /// tiny query per replica per node every 2 s costs nothing, and a stopped replica is taken out within ~3 s.
    /// </summary>
    public TimeSpan ReplicaCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
