#!/usr/bin/env bash
# HA PostgreSQL for scripts/cluster.sh --ha: one etcd member and two Patroni-managed PostgreSQL 15 nodes (a primary
# and a streaming standby) on 127.0.0.1, everything under one state directory. Patroni holds the leader key in etcd
# (TTL 10 s) and promotes the standby when the primary's postgres or its Patroni dies (primary_start_timeout 0: a
# crashed primary is not restarted in place while a standby can take over). The old primary rejoins as a standby
# (pg_rewind). Packages: patroni, etcd-server (scripts/install-deps.sh).
#
# Source it, then:
#   pg_ha_up STATE_DIR MODE ETCD_PORT PG_PORT_1 PG_PORT_2
#       MODE: sync (synchronous standby, synchronous_commit=on: an acknowledged commit is on both nodes) or
#       async (streaming replication, a failover may lose the last commits). Ports: etcd client ETCD_PORT, its peer
#       port ETCD_PORT+1; node i's PostgreSQL on PG_PORT_i, its Patroni REST API on PG_PORT_i+1. Returns once a
#       primary accepts writes and the standby streams; prints the Npgsql connection strings.
#   pg_ha_status STATE_DIR    prints each node's role (primary / standby / down) and the primary's port
#   pg_ha_primary STATE_DIR   prints the primary's PostgreSQL port (exit 1 when there is none)
#   pg_ha_down STATE_DIR      stops Patroni (which stops its postgres), then etcd, by pid
# As root, everything runs as the postgres user (initdb and postgres refuse root); STATE_DIR is chowned to it.

PG_HA_BIN=${PG_HA_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

_pg_ha_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_pg_ha_load() {
  local dir=$1
  [ -f "$dir/topology.env" ] || { echo "pg-ha: no topology in $dir" >&2; return 1; }
  # shellcheck disable=SC1091
  . "$dir/topology.env"
}

# Patroni's configuration for one node. The timeouts are short for a single machine's loopback: the leader key lives
# 10 s (ttl), Patroni loops every second (loop_wait) and gives etcd/PostgreSQL 4 s per call (retry_timeout), so a dead
# primary's key expires and the standby takes over within ~10-15 s; a crashed postmaster is failed over at once
# (primary_start_timeout 0) instead of being restarted in place.
_pg_ha_config() {
  local dir=$1 name=$2 port=$3 rest=$4 etcd=$5 mode=$6 sync=false
  [ "$mode" = sync ] && sync=true
  cat <<YAML
scope: atrium
namespace: /atrium/
name: $name
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:$rest
  connect_address: 127.0.0.1:$rest
etcd3:
  hosts: 127.0.0.1:$etcd
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    primary_start_timeout: 0
    maximum_lag_on_failover: 1073741824
    synchronous_mode: $sync
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
  listen: 127.0.0.1:$port
  connect_address: 127.0.0.1:$port
  data_dir: $dir/$name/data
  bin_dir: $PG_HA_BIN
  pgpass: $dir/$name/pgpass
  authentication:
    superuser:
      username: postgres
    replication:
      username: postgres
    rewind:
      username: postgres
  parameters:
    unix_socket_directories: '$dir/$name'
  basebackup:
    - checkpoint: fast
    - no-sync
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
YAML
}

# The role Patroni's REST API reports for one node: primary, standby or down.
_pg_ha_role() {
  local rest=$1 body
  body=$(curl -s --max-time 2 "http://127.0.0.1:$rest/patroni" 2>/dev/null) || { echo down; return; }
  case "$body" in
    *'"role": "master"'*|*'"role":"master"'*|*'"role": "primary"'*|*'"role":"primary"'*)
      case "$body" in *'"state": "running"'*|*'"state":"running"'*) echo primary ;; *) echo starting ;; esac ;;
    *'"role": "replica"'*|*'"role":"replica"'*)
      case "$body" in *'"state": "running"'*|*'"state":"running"'*) echo standby ;; *) echo starting ;; esac ;;
    *) echo down ;;
  esac
}

pg_ha_up() {
  local dir=$1 mode=$2 etcd=$3 p1=$4 p2=$5
  case "$mode" in sync|async) ;; *) echo "pg-ha: MODE is sync or async, not '$mode'" >&2; return 2 ;; esac
  mkdir -p "$dir/etcd" "$dir/pg1" "$dir/pg2"
  cat > "$dir/topology.env" <<ENV
PG_HA_MODE=$mode
PG_HA_ETCD=$etcd
PG_HA_PORTS="$p1 $p2"
ENV
  _pg_ha_config "$dir" pg1 "$p1" $((p1 + 1)) "$etcd" "$mode" > "$dir/pg1/patroni.yml"
  _pg_ha_config "$dir" pg2 "$p2" $((p2 + 1)) "$etcd" "$mode" > "$dir/pg2/patroni.yml"
  chmod 700 "$dir/pg1" "$dir/pg2"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"

  # setsid + nohup: they outlive this shell (cluster.sh returns). Each writes its own pid (not runuser's) before exec,
  # so pg_ha_down signals the server itself.
  _pg_ha_as_postgres setsid nohup sh -c 'echo $$ > "$0"; exec "$@"' "$dir/etcd/pid" etcd --name atrium-pg --data-dir "$dir/etcd/data" \
    --listen-client-urls "http://127.0.0.1:$etcd" --advertise-client-urls "http://127.0.0.1:$etcd" \
    --listen-peer-urls "http://127.0.0.1:$((etcd + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((etcd + 1))" \
    --initial-cluster "atrium-pg=http://127.0.0.1:$((etcd + 1))" --log-level warn \
    > "$dir/etcd/etcd.log" 2>&1 < /dev/null &
  local i
  for i in $(seq 1 100); do
    curl -s --max-time 1 "http://127.0.0.1:$etcd/health" | grep -q '"health":"true"' && break
    sleep 0.1
  done

  # pg1 first, so it bootstraps the cluster (initdb) and pg2 clones it.
  local n
  for n in pg1 pg2; do
    _pg_ha_as_postgres setsid nohup sh -c 'echo $$ > "$0"; exec "$@"' "$dir/$n/pid" patroni "$dir/$n/patroni.yml" \
      > "$dir/$n/patroni.log" 2>&1 < /dev/null &
    if [ $n = pg1 ]; then
      for i in $(seq 1 600); do
        [ "$(_pg_ha_role $((p1 + 1)))" = primary ] && break
        sleep 0.1
      done
    fi
  done
  for i in $(seq 1 600); do
    [ "$(_pg_ha_role $((p2 + 1)))" = standby ] && break
    sleep 0.1
  done
  # sync: the primary has named its synchronous standby (until then commits do not wait for it).
  if [ "$mode" = sync ]; then
    for i in $(seq 1 300); do
      curl -s --max-time 1 "http://127.0.0.1:$((p1 + 1))/cluster" | grep -q '"sync_standby"' && break
      sleep 0.1
    done
  fi
  pg_ha_status "$dir"
  echo "pg-ha: primary   Host=127.0.0.1:$p1,127.0.0.1:$p2;Username=postgres;Target Session Attributes=read-write"
  echo "pg-ha: replicas  Host=127.0.0.1:$p1,127.0.0.1:$p2;Username=postgres;Target Session Attributes=prefer-standby"
}

pg_ha_status() {
  local dir=$1 port primary=""
  _pg_ha_load "$dir" || return 1
  echo "pg-ha: mode $PG_HA_MODE, etcd 127.0.0.1:$PG_HA_ETCD"
  for port in $PG_HA_PORTS; do
    local role
    role=$(_pg_ha_role $((port + 1)))
    [ "$role" = primary ] && primary=$port
    echo "pg-ha: 127.0.0.1:$port $role"
  done
  [ -n "$primary" ] && echo "pg-ha: primary is 127.0.0.1:$primary" || echo "pg-ha: no primary"
}

pg_ha_primary() {
  local dir=$1 port
  _pg_ha_load "$dir" || return 1
  for port in $PG_HA_PORTS; do
    if [ "$(_pg_ha_role $((port + 1)))" = primary ]; then echo "$port"; return 0; fi
  done
  return 1
}

pg_ha_down() {
  local dir=$1 n pid i
  for n in pg1 pg2 etcd; do
    [ -f "$dir/$n/pid" ] || continue
    pid=$(cat "$dir/$n/pid")
    # Patroni stops its postgres on SIGTERM (a fast shutdown), then exits.
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/$n/pid"
  done
  # A postmaster left behind (Patroni killed before it stopped it): by the pid in its own pid file.
  for n in pg1 pg2; do
    if [ -f "$dir/$n/data/postmaster.pid" ]; then
      pid=$(head -1 "$dir/$n/data/postmaster.pid")
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
  done
  echo "pg-ha: stopped ($dir)"
}
