#!/usr/bin/env bash
# A three-node RabbitMQ cluster on 127.0.0.1 from the Debian package (rabbitmq-server), for scripts/cluster.sh --ha.
# Source it and call the functions, or run it: scripts/lib/rabbit-cluster.sh up|status|down|uri STATE_DIR [AMQP_PORT]
#
#   rabbit_cluster_up     STATE_DIR [AMQP_PORT [DIST_PORT [EPMD_PORT]]]  starts what is not running (in parallel), joins
#                         nodes 2 and 3 to node 1 (rabbitmqctl join_cluster, once), waits until all three run
#   rabbit_cluster_status STATE_DIR   one line per node: name, AMQP port, pid, running/stopped, clustered or not
#   rabbit_cluster_down   STATE_DIR [--purge]  rabbitmqctl stop per node, SIGKILL by pid to what is left, then epmd
#   rabbit_cluster_uri    STATE_DIR   the ConnectionStrings:RabbitMQ value: the three AMQP URIs, comma-separated
#
# Node i (1..3) is atrium_haI@localhost on AMQP_PORT+i-1 (default 5681..5683) and Erlang distribution DIST_PORT+i-1
# (default 25681..25683); the three share one private epmd (EPMD_PORT, default 4371: the nodes find each other
# through it) and one Erlang cookie. The ports are written to STATE_DIR/ports on the first `up` and read from there
# afterwards. Everything lives under STATE_DIR (node data, logs, pids, cookie); nothing under /etc/rabbitmq or
# /var/lib/rabbitmq is read or written. Run as root: the nodes run as the rabbitmq user (runuser), as in
# tests/Atrium.Testing/Servers/RabbitMqCluster.cs. Processes are stopped by the pids recorded here, never by name.

RABBIT_CLUSTER_BIN=${RABBIT_CLUSTER_BIN:-/usr/lib/rabbitmq/bin}

_rc_say() { printf 'rabbit-cluster: %s\n' "$*" >&2; }

# _rc_ports STATE: sets _rc_amqp, _rc_dist, _rc_epmd from STATE/ports.
_rc_ports() { read -r _rc_amqp _rc_dist _rc_epmd <"$1/ports"; }
_rc_node() { echo "atrium_ha$1@localhost"; }
_rc_alive() { local s; [ -n "${1:-}" ] && s=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${s#Z}" = "$s" ]; }
_rc_pid() { [ -s "$1" ] && cat "$1" || true; }

# _rc_run STATE I PROGRAM ARGS...: a RabbitMQ script with node I's environment, as the rabbitmq user.
_rc_run() {
  local state=$1 i=$2 program=$3 n; shift 3
  _rc_ports "$state"
  n=$state/node$i
  ${_rc_exec:-} runuser -u rabbitmq -- env HOME="$state" ERL_EPMD_PORT="$_rc_epmd" RABBITMQ_NODENAME="$(_rc_node "$i")" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$((_rc_amqp + i - 1)) RABBITMQ_DIST_PORT=$((_rc_dist + i - 1)) \
    RABBITMQ_MNESIA_BASE="$n/mnesia" RABBITMQ_LOG_BASE="$n/log" RABBITMQ_PID_FILE="$n/rabbitmq.pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$n/enabled_plugins" RABBITMQ_CONFIG_FILE="$n/rabbitmq.conf" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$n/advanced.config" RABBITMQ_CONF_ENV_FILE="$n/rabbitmq-env.conf" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    "$RABBIT_CLUSTER_BIN/$program" "$@"
}
_rc_ctl() { local state=$1 i=$2; shift 2; _rc_run "$state" "$i" rabbitmqctl -n "$(_rc_node "$i")" -q "$@"; }

_rc_start_node() {
  local state=$1 i=$2 n=$1/node$2 k
  _rc_alive "$(_rc_pid "$n/runuser.pid")" && return 0
  _rc_exec=exec _rc_run "$state" "$i" rabbitmq-server >"$n/console.log" 2>&1 &
  echo $! >"$n/runuser.pid" # runuser (exec'd), which waits for the node; the Erlang VM's own pid is in rabbitmq.pid
  for ((k = 0; k < 180; k++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$((_rc_amqp + i - 1))") 2>/dev/null && break
    _rc_alive "$(_rc_pid "$n/runuser.pid")" || { _rc_say "node $i exited; see $n/console.log"; tail -n 20 "$n/console.log" >&2; return 1; }
    sleep 0.5
  done
  _rc_ctl "$state" "$i" await_startup >/dev/null
}

rabbit_cluster_up() {
  local state=${1:?state directory} amqp=${2:-5681} dist=${3:-25681} epmd=${4:-4371} i
  [ -x "$RABBIT_CLUSTER_BIN/rabbitmq-server" ] || { _rc_say "RabbitMQ is missing: apt-get install -y rabbitmq-server"; return 1; }
  mkdir -p "$state"
  [ -s "$state/ports" ] || echo "$amqp $dist $epmd" >"$state/ports"
  _rc_ports "$state"
  if [ ! -s "$state/.erlang.cookie" ]; then
    head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F >"$state/.erlang.cookie" # before any start: no race
    chmod 400 "$state/.erlang.cookie"
  fi
  for i in 1 2 3; do
    if [ ! -d "$state/node$i" ]; then
      mkdir -p "$state/node$i/mnesia" "$state/node$i/log"
      : >"$state/node$i/enabled_plugins"; : >"$state/node$i/rabbitmq.conf"; : >"$state/node$i/rabbitmq-env.conf"
    fi
  done
  chmod 755 "$state"
  chown -R rabbitmq:rabbitmq "$state"
  if ! _rc_alive "$(_rc_pid "$state/epmd.pid")"; then
    epmd -port "$_rc_epmd" -address 127.0.0.1 >"$state/epmd.log" 2>&1 &
    echo $! >"$state/epmd.pid"
    for ((i = 0; i < 20; i++)); do (exec 3<>"/dev/tcp/127.0.0.1/$_rc_epmd") 2>/dev/null && break; sleep 0.25; done
  fi
  # In parallel: each boot takes 5-10 s. A restarted member rejoins its cluster by itself.
  local pids=()
  for i in 1 2 3; do _rc_start_node "$state" "$i" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i" || return 1; done
  for i in 2 3; do
    [ -e "$state/node$i/joined" ] && continue # a member restarts into its cluster by itself
    _rc_ctl "$state" "$i" stop_app >/dev/null
    _rc_ctl "$state" "$i" join_cluster "$(_rc_node 1)" >/dev/null
    _rc_ctl "$state" "$i" start_app >/dev/null
    : >"$state/node$i/joined"
  done
  _rc_say "up: $(rabbit_cluster_uri "$state")"
}

rabbit_cluster_status() {
  local state=${1:?state directory} i pid running members
  _rc_ports "$state"
  printf '%-22s %-24s %-8s %-8s %s\n' NODE AMQP PID STATE CLUSTER
  for i in 1 2 3; do
    pid=$(_rc_pid "$state/node$i/rabbitmq.pid")
    if _rc_alive "$(_rc_pid "$state/node$i/runuser.pid")" && _rc_alive "$pid"; then running=running; else running=stopped; fi
    members=-
    if [ "$running" = running ]; then
      # The running members this node sees: "clustered (3/3 running)" when all three are together.
      members=$(_rc_ctl "$state" "$i" eval 'length(rabbit_nodes:all_running()).' 2>/dev/null || echo "?")
      members="clustered ($members/3 running)"
      [ "${members#clustered (1/}" != "$members" ] && members="alone (1/3 running)"
    fi
    printf '%-22s %-24s %-8s %-8s %s\n' "$(_rc_node "$i")" "amqp://127.0.0.1:$((_rc_amqp + i - 1))" "${pid:--}" "$running" "$members"
  done
}

rabbit_cluster_down() {
  local state=${1:?state directory} purge=${2:-} i pid
  if [ -s "$state/ports" ]; then
    for i in 1 2 3; do
      pid=$(_rc_pid "$state/node$i/rabbitmq.pid")
      if _rc_alive "$pid"; then
        _rc_ctl "$state" "$i" stop "$state/node$i/rabbitmq.pid" >/dev/null 2>&1 || true # waits for the VM to exit
        _rc_alive "$pid" && kill -9 "$pid" 2>/dev/null || true
        _rc_say "stopped $(_rc_node "$i") (pid $pid)"
      fi
      pid=$(_rc_pid "$state/node$i/runuser.pid")
      _rc_alive "$pid" && kill -9 "$pid" 2>/dev/null || true
      rm -f "$state/node$i/runuser.pid"
    done
    pid=$(_rc_pid "$state/epmd.pid")
    _rc_alive "$pid" && kill "$pid" 2>/dev/null || true
    rm -f "$state/epmd.pid"
  fi
  [ "$purge" = --purge ] && rm -rf "$state" && _rc_say "purged $state"
  return 0
}

rabbit_cluster_uri() {
  local state=${1:?state directory}
  _rc_ports "$state"
  echo "amqp://guest:guest@127.0.0.1:$_rc_amqp/,amqp://guest:guest@127.0.0.1:$((_rc_amqp + 1))/,amqp://guest:guest@127.0.0.1:$((_rc_amqp + 2))/"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  command=${1:-}
  shift || true
  case $command in
    up) rabbit_cluster_up "$@" ;;
    status) rabbit_cluster_status "$@" ;;
    down) rabbit_cluster_down "$@" ;;
    uri) rabbit_cluster_uri "$@" ;;
    *) echo "usage: $0 up|status|down|uri STATE_DIR [AMQP_PORT [DIST_PORT [EPMD_PORT]]] (down: [--purge])" >&2; exit 2 ;;
  esac
fi
