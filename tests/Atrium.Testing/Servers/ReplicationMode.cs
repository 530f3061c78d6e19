namespace Atrium.Testing.Servers;

/// <summary>How a <see cref="PatroniCluster"/>'s primary replicates to its standby: the one setting of the topology.</summary>
public enum ReplicationMode
{
    /// <summary>
    /// Patroni's <c>synchronous_mode</c> with <c>synchronous_commit = on</c>: a commit is acknowledged once the standby
    /// has flushed it, and only that synchronous standby may be promoted, so a failover loses no acknowledged commit.
    /// </summary>
    Synchronous,

    /// <summary>Streaming replication without waiting: faster commits, and a failover may lose the last ones.</summary>
    Asynchronous,
}
