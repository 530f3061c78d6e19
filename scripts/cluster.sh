#!/usr/bin/env bash
# A local Atrium cluster from the Debian packages, everything on 127.0.0.1, state under .cluster/:
#
#   PostgreSQL primary + one streaming replica, Redis, RabbitMQ (private node and epmd),
#   N Atrium servers (Release build) and Atrium.Gateway (YARP) in front of them.
# With --ha, no single point of failure (DESIGN.md §4): PostgreSQL under Patroni + etcd (a primary and a standby,
# synchronous or asynchronous, --replication sync|async, default sync), a Redis Cluster (3 masters, 1 replica each)
# and three clustered RabbitMQ nodes; the servers get multi-host connection strings (scripts/lib/pg-ha.sh,
# redis-cluster.sh, rabbit-cluster.sh).
#
# Usage: scripts/cluster.sh up [--nodes N] [--ha [--replication sync|async]] [--no-build] | status | down [--purge]
#   up       starts what is not running yet (idempotent), waits until each part is healthy, prints a table
#   status   prints the table: what runs where, its pid, its log, and whether it answers now
#   down     stops everything by the pids recorded in .cluster/pids (never by name); --purge deletes .cluster/
#
# Run as root (PostgreSQL and RabbitMQ are switched to their own users with runuser, as tests/Atrium.Testing does).
# Ports (override by environment): GATEWAY_PORT 5100, first server 5101.., PG_PORT 54321 (replica +1),
# REDIS_PORT 6380, RABBIT_PORT 5673 (Erlang distribution 25673, epmd 4370). With --ha: PG_PORT and PG_PORT+2 (each
# node's Patroni REST API on its port + 1), etcd ETCD_PORT 23790 (+1), Redis Cluster REDIS_CLUSTER_PORT 7101..7106,
# RabbitMQ 5681..5683 (distribution 25681.., epmd 4371). No system service is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.cluster
PIDS=$STATE/pids
LOGS=$STATE/logs

GATEWAY_PORT=${GATEWAY_PORT:-5100}
SERVER_PORT=${SERVER_PORT:-5101}
PG_PORT=${PG_PORT:-54321}
PG_REPLICA_PORT=$((PG_PORT + 1))
REDIS_PORT=${REDIS_PORT:-6380}
RABBIT_PORT=${RABBIT_PORT:-5673}
RABBIT_DIST_PORT=${RABBIT_DIST_PORT:-25673}
EPMD_PORT=${EPMD_PORT:-4370}
RABBIT_NODE=atrium_cluster@localhost
PG_BIN=/usr/lib/postgresql/15/bin
RABBIT_BIN=/usr/lib/rabbitmq/bin

# What the servers are given: the same four settings on every node (see README, "The cluster").
PG_CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=atrium"
PG_REPLICAS_CS="Host=127.0.0.1;Port=$PG_REPLICA_PORT;Username=postgres;Database=atrium"
REDIS_CS="127.0.0.1:$REDIS_PORT"
RABBIT_CS="amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"

ETCD_PORT=${ETCD_PORT:-23790}
REDIS_CLUSTER_PORT=${REDIS_CLUSTER_PORT:-7101}
source scripts/lib/pg-ha.sh
source scripts/lib/rabbit-cluster.sh
source scripts/lib/redis-cluster.sh

# --ha is recorded in .cluster/ha ("sync" or "async") by `up`; status and down read it.
ha_mode() { cat "$STATE/ha" 2>/dev/null || true; }
use_ha_settings() {
  local p2=$((PG_PORT + 2))
  PG_CS="Host=127.0.0.1:$PG_PORT,127.0.0.1:$p2;Username=postgres;Database=atrium;Target Session Attributes=read-write"
  PG_REPLICAS_CS="Host=127.0.0.1:$PG_PORT,127.0.0.1:$p2;Username=postgres;Database=atrium;Target Session Attributes=prefer-standby"
  REDIS_CS=$(redis_cluster_connection_string "$REDIS_CLUSTER_PORT")
  RABBIT_CS=$(rabbit_cluster_uri "$STATE/rabbitmq-ha")
}

say() { printf 'cluster: %s\n' "$*"; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

# --- pid bookkeeping -------------------------------------------------------------------------------------------
pid_of() { [ -s "$PIDS/$1" ] && cat "$PIDS/$1" || true; }
# A killed child of an exited shell may linger as a zombie until it is reaped: that is not alive.
alive() { local p s; p=$(pid_of "$1"); [ -n "$p" ] && s=$(ps -o stat= -p "$p" 2>/dev/null) && [ "${s#Z}" = "$s" ]; }
# wait_for NAME SECONDS CMD...: runs CMD every 0.5 s until it succeeds; fails with the log's tail.
wait_for() {
  local name=$1 seconds=$2 i; shift 2
  for ((i = 0; i < seconds * 2; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  say "$name did not become healthy in ${seconds}s; last lines of $LOGS/$name.log:" >&2
  tail -n 30 "$LOGS/$name.log" >&2 || true
  exit 1
}
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }

# --- PostgreSQL ------------------------------------------------------------------------------------------------
pg() { runuser -u postgres -- "$PG_BIN/$1" "${@:2}"; }
pg_pid() { [ -s "$STATE/$1/postmaster.pid" ] && head -n1 "$STATE/$1/postmaster.pid" > "$PIDS/$1" || rm -f "$PIDS/$1"; }

start_pg_primary() {
  if alive pg-primary; then return; fi
  if [ ! -d "$STATE/pg-primary" ]; then
    say "initdb (primary)"
    install -d -o postgres -g postgres "$STATE/pg-primary" "$STATE/pg-socket"
    pg initdb -D "$STATE/pg-primary" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$LOGS/pg-initdb.log"
    printf "\n# scripts/cluster.sh\nlisten_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nwal_level = replica\nmax_wal_senders = 10\nmax_connections = 300\n" \
      "$PG_PORT" "$STATE/pg-socket" >>"$STATE/pg-primary/postgresql.conf"
  fi
  touch "$LOGS/pg-primary.log" && chown postgres "$LOGS/pg-primary.log"
  pg pg_ctl -D "$STATE/pg-primary" -l "$LOGS/pg-primary.log" -w start >/dev/null
  pg_pid pg-primary
  pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'atrium'" | grep -q 1 ||
    pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE atrium"
}

start_pg_replica() {
  if alive pg-replica; then return; fi
  if [ ! -d "$STATE/pg-replica" ]; then
    say "pg_basebackup (replica of the primary)"
    install -d -o postgres -g postgres -m 700 "$STATE/pg-replica"
    pg pg_basebackup -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$STATE/pg-replica" -R -X stream -c fast >"$LOGS/pg-basebackup.log" 2>&1
    printf "port = %s\n" "$PG_REPLICA_PORT" >>"$STATE/pg-replica/postgresql.conf"
  fi
  touch "$LOGS/pg-replica.log" && chown postgres "$LOGS/pg-replica.log"
  pg pg_ctl -D "$STATE/pg-replica" -l "$LOGS/pg-replica.log" -w start >/dev/null
  pg_pid pg-replica
}

# --- Redis -----------------------------------------------------------------------------------------------------
start_redis() {
  if alive redis; then return; fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$PIDS/redis" --logfile "$LOGS/redis.log" --dir "$STATE"
  wait_for redis 10 redis-cli -p "$REDIS_PORT" ping
}

# --- RabbitMQ (private node: its own epmd, cookie, dirs; as the rabbitmq user) ---------------------------------
rabbit_env() {
  local r=$STATE/rabbitmq
  echo HOME="$r" ERL_EPMD_PORT="$EPMD_PORT" RABBITMQ_NODENAME="$RABBIT_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$RABBIT_PORT" RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" RABBITMQ_MNESIA_BASE="$r/mnesia" \
    RABBITMQ_LOG_BASE="$r/log" RABBITMQ_PID_FILE="$r/rabbitmq.pid" RABBITMQ_ENABLED_PLUGINS_FILE="$r/enabled_plugins" \
    RABBITMQ_CONFIG_FILE="$r/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$r/advanced.config" \
    RABBITMQ_CONF_ENV_FILE="$r/rabbitmq-env.conf"
}
# shellcheck disable=SC2046  # rabbit_env's words are NAME=value pairs without spaces
rabbit() { runuser -u rabbitmq -- env $(rabbit_env) RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" "$RABBIT_BIN/$1" "${@:2}"; }
rabbitctl() { rabbit rabbitmqctl -n "$RABBIT_NODE" -q "$@"; }

start_rabbitmq() {
  local r=$STATE/rabbitmq
  if [ ! -d "$r" ]; then
    mkdir -p "$r/mnesia" "$r/log"
    : >"$r/enabled_plugins"; : >"$r/rabbitmq.conf"; : >"$r/rabbitmq-env.conf"
    head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F >"$r/.erlang.cookie" # before first start: no race
    chmod 400 "$r/.erlang.cookie"
    chown -R rabbitmq:rabbitmq "$r"
  fi
  if ! alive epmd; then
    epmd -port "$EPMD_PORT" -address 127.0.0.1 >"$LOGS/epmd.log" 2>&1 &
    echo $! >"$PIDS/epmd"
  fi
  if alive rabbitmq; then return; fi
  rabbit rabbitmq-server >"$LOGS/rabbitmq.log" 2>&1 &
  echo $! >"$PIDS/rabbitmq" # runuser, which waits for the node; the node's own pid is in rabbitmq/rabbitmq.pid
  wait_for rabbitmq 90 bash -c "exec 3<>/dev/tcp/127.0.0.1/$RABBIT_PORT"
  rabbitctl await_startup >/dev/null
}

# --- the --ha topology (each part's script under scripts/lib) ---------------------------------------------------
start_pg_ha() {
  local mode=$1 port
  if pg_ha_primary "$STATE/pg-ha" >/dev/null 2>&1; then return; fi
  if [ -f "$STATE/pg-ha/topology.env" ]; then pg_ha_down "$STATE/pg-ha" >/dev/null; fi # a half-up topology: start over
  say "starting PostgreSQL under Patroni + etcd ($mode replication)"
  pg_ha_up "$STATE/pg-ha" "$mode" "$ETCD_PORT" "$PG_PORT" $((PG_PORT + 2)) >"$LOGS/pg-ha.log" 2>&1
  port=$(pg_ha_primary "$STATE/pg-ha") || { cat "$LOGS/pg-ha.log" >&2; die "no PostgreSQL primary came up"; }
  pg psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'atrium'" | grep -q 1 ||
    pg psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE atrium"
}

start_redis_cluster() {
  say "starting the Redis Cluster (3 masters, 1 replica each)"
  redis_cluster_up "$STATE" "$REDIS_CLUSTER_PORT" >"$LOGS/redis-cluster.log" 2>&1 ||
    { cat "$LOGS/redis-cluster.log" >&2; die "the Redis Cluster did not come up"; }
}

start_rabbitmq_cluster() {
  say "starting three clustered RabbitMQ nodes"
  rabbit_cluster_up "$STATE/rabbitmq-ha" >"$LOGS/rabbitmq-ha.log" 2>&1 ||
    { cat "$LOGS/rabbitmq-ha.log" >&2; die "the RabbitMQ cluster did not come up"; }
}

# --- Atrium servers and the gateway ----------------------------------------------------------------------------
start_server() {
  local n=$1 port=$((SERVER_PORT + $1 - 1)) name=server$1
  if alive "$name"; then return; fi
  mkdir -p "$STATE/$name"
  env Atrium__DataDirectory="$STATE/$name/data" Logging__LogLevel__Default=Warning \
    ConnectionStrings__Postgres="$PG_CS" ConnectionStrings__PostgresReplicas="$PG_REPLICAS_CS" \
    ConnectionStrings__Redis="$REDIS_CS" ConnectionStrings__RabbitMQ="$RABBIT_CS" \
    nohup dotnet src/Atrium.Server/bin/Release/net10.0/Atrium.Server.dll --urls "http://127.0.0.1:$port" \
    >"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name"
  : "$n"
}

start_gateway() {
  local nodes=$1 i args=()
  if alive gateway; then return; fi
  for ((i = 0; i < nodes; i++)); do args+=("Gateway__Destinations__$i=http://127.0.0.1:$((SERVER_PORT + i))"); done
  env "${args[@]}" Logging__LogLevel__Default=Warning \
    nohup dotnet src/Atrium.Gateway/bin/Release/net10.0/Atrium.Gateway.dll --urls "http://127.0.0.1:$GATEWAY_PORT" \
    >"$LOGS/gateway.log" 2>&1 &
  echo $! >"$PIDS/gateway"
}

# --- the table -------------------------------------------------------------------------------------------------
row() { # NAME WHERE CHECK...
  local name=$1 where=$2 state; shift 2
  if ! alive "$name"; then state=stopped; elif "$@" >/dev/null 2>&1; then state=healthy; else state=starting; fi
  printf '%-11s %-50s %-8s %-9s %s\n' "$name" "$where" "$(pid_of "$name")" "$state" "${LOGS#"$ROOT"/}/$name.log"
}
table() {
  local nodes i
  nodes=$(cat "$STATE/nodes" 2>/dev/null || echo 0)
  printf '%-11s %-50s %-8s %-9s %s\n' PART WHERE PID STATE LOG
  if [ -n "$(ha_mode)" ]; then
    ha_table "$nodes"
    return
  fi
  row pg-primary "postgres://127.0.0.1:$PG_PORT/atrium (primary)" pg "pg_isready" -h 127.0.0.1 -p "$PG_PORT"
  row pg-replica "postgres://127.0.0.1:$PG_REPLICA_PORT/atrium (replica)" pg "pg_isready" -h 127.0.0.1 -p "$PG_REPLICA_PORT"
  row redis "redis://127.0.0.1:$REDIS_PORT" redis-cli -p "$REDIS_PORT" ping
  row epmd "epmd 127.0.0.1:$EPMD_PORT" true
  row rabbitmq "amqp://127.0.0.1:$RABBIT_PORT ($RABBIT_NODE)" bash -c "exec 3<>/dev/tcp/127.0.0.1/$RABBIT_PORT"
  for ((i = 1; i <= nodes; i++)); do
    row "server$i" "http://127.0.0.1:$((SERVER_PORT + i - 1))" http_ok "http://127.0.0.1:$((SERVER_PORT + i - 1))/health"
  done
  row gateway "http://127.0.0.1:$GATEWAY_PORT  (the entry point)" http_ok "http://127.0.0.1:$GATEWAY_PORT/gateway/health"
}

# The --ha topology: each part's own status (who is primary, each node's role), then the servers and the gateway.
ha_table() {
  local nodes=$1 i
  pg_ha_status "$STATE/pg-ha" | sed 's/^pg-ha: /postgres    /'
  redis_cluster_status "$STATE" "$REDIS_CLUSTER_PORT" | sed 's/^/redis       /'
  rabbit_cluster_status "$STATE/rabbitmq-ha" | sed 's/^/rabbitmq    /'
  for ((i = 1; i <= nodes; i++)); do
    row "server$i" "http://127.0.0.1:$((SERVER_PORT + i - 1))" http_ok "http://127.0.0.1:$((SERVER_PORT + i - 1))/health"
  done
  row gateway "http://127.0.0.1:$GATEWAY_PORT  (the entry point)" http_ok "http://127.0.0.1:$GATEWAY_PORT/gateway/health"
}

# --- commands --------------------------------------------------------------------------------------------------
up() {
  local nodes=3 build=1 ha=0 replication=sync i
  while [ $# -gt 0 ]; do
    case $1 in
      --nodes) nodes=${2:?--nodes needs a number}; shift 2 ;;
      --no-build) build=0; shift ;;
      --ha) ha=1; shift ;;
      --replication) replication=${2:?--replication needs sync or async}; shift 2 ;;
      *) die "unknown option $1 (up [--nodes N] [--ha [--replication sync|async]] [--no-build])" ;;
    esac
  done
  case $replication in sync|async) ;; *) die "--replication is sync or async, not '$replication'" ;; esac
  local running_ha=0 ran=0
  [ -n "$(ha_mode)" ] && running_ha=1
  [ -d "$PIDS" ] && [ -n "$(ls -A "$PIDS")" ] && ran=1
  if [ "$ran" = 1 ] && [ "$running_ha" != "$ha" ]; then die "a cluster of the other topology runs here; 'down' first"; fi
  [ "$(id -u)" = 0 ] || die "run as root (PostgreSQL and RabbitMQ run as their own users through runuser)"
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 is missing: apt-get install -y postgresql"
  command -v redis-server >/dev/null || die "Redis is missing: apt-get install -y redis-server"
  [ -x "$RABBIT_BIN/rabbitmq-server" ] || die "RabbitMQ is missing: apt-get install -y rabbitmq-server"
  if [ -s "$STATE/nodes" ] && [ "$(cat "$STATE/nodes")" != "$nodes" ] && alive gateway; then
    die "the cluster runs with $(cat "$STATE/nodes") nodes; 'down' first to change it"
  fi
  mkdir -p "$PIDS" "$LOGS"
  chmod 755 "$STATE" "$LOGS"
  echo "$nodes" >"$STATE/nodes"
  if [ "$build" = 1 ]; then
    say "building Atrium.Server and Atrium.Gateway (Release)"
    dotnet build src/Atrium.Server -c Release -nologo -v:quiet >/dev/null
    dotnet build src/Atrium.Gateway -c Release -nologo -v:quiet >/dev/null
  fi
  if [ "$ha" = 1 ]; then
    command -v patroni >/dev/null && command -v etcd >/dev/null || die "Patroni or etcd is missing: bash scripts/install-deps.sh"
    if [ -n "$(ha_mode)" ] && [ "$(ha_mode)" != "$replication" ] && pg_ha_primary "$STATE/pg-ha" >/dev/null 2>&1; then
      die "the cluster runs with $(ha_mode) replication; 'down --purge' first to change it"
    fi
    echo "$replication" >"$STATE/ha"
    start_pg_ha "$replication"
    start_redis_cluster
    start_rabbitmq_cluster
    use_ha_settings
  else
    rm -f "$STATE/ha"
    say "starting PostgreSQL primary + replica, Redis, RabbitMQ"
    start_pg_primary
    start_pg_replica
    start_redis
    start_rabbitmq
  fi
  say "starting $nodes Atrium servers and the gateway"
  for ((i = 1; i <= nodes; i++)); do start_server "$i"; done
  for ((i = 1; i <= nodes; i++)); do wait_for "server$i" 90 http_ok "http://127.0.0.1:$((SERVER_PORT + i - 1))/health"; done
  start_gateway "$nodes"
  wait_for gateway 30 http_ok "http://127.0.0.1:$GATEWAY_PORT/gateway/health"
  table
}

stop_pid() { # NAME: SIGTERM, up to 15 s, then SIGKILL
  local p i
  p=$(pid_of "$1")
  if alive "$1"; then
    kill "$p" 2>/dev/null || true
    for ((i = 0; i < 30; i++)); do alive "$1" || break; sleep 0.5; done
    alive "$1" && kill -9 "$p" 2>/dev/null || true
    say "stopped $1 (pid $p)"
  fi
  rm -f "$PIDS/$1"
}

down() {
  local purge=0 name
  [ "${1:-}" = --purge ] && purge=1
  [ -d "$PIDS" ] || { say "nothing runs (no $STATE/pids)"; [ "$purge" = 1 ] && rm -rf "$STATE"; return 0; }
  stop_pid gateway
  for name in "$PIDS"/server*; do [ -e "$name" ] && stop_pid "$(basename "$name")"; done
  if [ -n "$(ha_mode)" ]; then
    rabbit_cluster_down "$STATE/rabbitmq-ha" >/dev/null 2>&1 && say "stopped the RabbitMQ cluster"
    redis_cluster_down "$STATE" "$REDIS_CLUSTER_PORT" >/dev/null 2>&1 && say "stopped the Redis Cluster"
    [ -f "$STATE/pg-ha/topology.env" ] && pg_ha_down "$STATE/pg-ha" >/dev/null && say "stopped Patroni, PostgreSQL and etcd"
    if [ "$purge" = 1 ]; then rm -rf "$STATE"; say "purged $STATE"; else say "data kept in $STATE (down --purge deletes it)"; fi
    return 0
  fi
  if alive rabbitmq; then
    rabbitctl stop "$STATE/rabbitmq/rabbitmq.pid" >/dev/null 2>&1 || true # waits for the VM to exit
    [ -s "$STATE/rabbitmq/rabbitmq.pid" ] && kill -9 "$(cat "$STATE/rabbitmq/rabbitmq.pid")" 2>/dev/null || true
  fi
  stop_pid rabbitmq
  stop_pid epmd
  stop_pid redis
  for name in pg-replica pg-primary; do
    alive "$name" && pg pg_ctl -D "$STATE/$name" -m fast -w stop >/dev/null && say "stopped $name"
    rm -f "$PIDS/$name"
  done
  if [ "$purge" = 1 ]; then rm -rf "$STATE"; say "purged $STATE"; else say "data kept in $STATE (down --purge deletes it)"; fi
}

case ${1:-} in
  up) shift; up "$@" ;;
  status) [ -d "$PIDS" ] || die "no cluster here (scripts/cluster.sh up)"; table ;;
  down) shift; down "$@" ;;
  *) die "usage: scripts/cluster.sh up [--nodes N] [--ha [--replication sync|async]] [--no-build] | status | down [--purge]" ;;
esac
