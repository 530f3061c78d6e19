using System.Globalization;

namespace Atrium.Testing.Servers;

/// <summary>
/// A Patroni node's YAML (the same settings as scripts/lib/pg-ha.sh). The timeouts are short for one machine's loopback:
/// the leader key lives 10 s (<c>ttl</c>), Patroni loops every second (<c>loop_wait</c>) and gives etcd and PostgreSQL
/// 4 s per call (<c>retry_timeout</c>); a crashed primary is failed over at once (<c>primary_start_timeout: 0</c>).
/// <c>maximum_lag_on_failover</c> 1 GiB: an asynchronous standby is promoted even when behind (what it lacks is the
/// price of the mode, and is counted); a synchronous standby is never behind on acknowledged commits.
/// </summary>
internal static class PatroniConfig
{
    public static string For(PatroniNode node, int etcdPort, ReplicationMode mode, string binDirectory)
    {
        var synchronous = mode == ReplicationMode.Synchronous ? "true" : "false";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            scope: atrium
            namespace: /atrium/
            name: {{node.Name}}
            log:
              level: INFO
            restapi:
              listen: 127.0.0.1:{{node.RestPort}}
              connect_address: 127.0.0.1:{{node.RestPort}}
            etcd3:
              hosts: 127.0.0.1:{{etcdPort}}
            bootstrap:
              dcs:
                ttl: 10
                loop_wait: 1
                retry_timeout: 4
                primary_start_timeout: 0
                maximum_lag_on_failover: 1073741824
                synchronous_mode: {{synchronous}}
                synchronous_mode_strict: false
                postgresql:
                  use_pg_rewind: true
                  use_slots: true
                  parameters:
                    wal_level: replica
                    wal_log_hints: 'on'
                    hot_standby: 'on'
                    max_connections: 500
                    max_wal_senders: 10
                    max_replication_slots: 10
                    wal_keep_size: 256MB
                    synchronous_commit: 'on'
              initdb:
                - encoding: UTF8
                - locale: C
                - auth: trust
                - no-sync
              pg_hba:
                - local all all trust
                - host all all 127.0.0.1/32 trust
                - host replication all 127.0.0.1/32 trust
            postgresql:
              listen: 127.0.0.1:{{node.Port}}
              connect_address: 127.0.0.1:{{node.Port}}
              data_dir: {{node.DataDirectory}}
              bin_dir: {{binDirectory}}
              pgpass: {{Path.Combine(node.Directory, "pgpass")}}
              authentication:
                superuser:
                  username: postgres
                replication:
                  username: postgres
                rewind:
                  username: postgres
              parameters:
                unix_socket_directories: '{{node.Directory}}'
              basebackup:
                - checkpoint: fast
                - no-sync
            """);
    }
}
