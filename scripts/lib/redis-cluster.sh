# A Redis Cluster from the Debian package (source it): 3 masters with 1 replica each, on 127.0.0.1 ports
# FIRST_PORT .. FIRST_PORT+5 (each node's cluster bus on port + 10,000, so FIRST_PORT+5 must be <= 55535 and those
# ports free too), one directory per node under STATE/redis-cluster/PORT (nodes.conf, log, pid file). No persistence
# (a cache): a node restarted after `down` comes back empty, and the cluster re-forms from the nodes.conf files.
#
#   redis_cluster_up STATE FIRST_PORT       starts what is not running, forms the cluster once (redis-cli --cluster
#                                           create ... --cluster-replicas 1), waits until every node says cluster_state:ok and
#                                           every master has its replica
#   redis_cluster_status STATE FIRST_PORT   one line per node: port, pid, role (master / replica of PORT, or down), slots
#   redis_cluster_down STATE FIRST_PORT     stops the nodes by the pids in their pid files (never by name)
#   redis_cluster_connection_string FIRST_PORT
#                                           prints 127.0.0.1:P1,...,127.0.0.1:P6 for ConnectionStrings:Redis
#
# A master silent for REDIS_CLUSTER_NODE_TIMEOUT ms (default 5000) is failed over to its replica; slots of a down
# master with no replica left do not stop the others (cluster-require-full-coverage no).

REDIS_CLUSTER_NODES=6

_rdc_ports() { local first=$1 i; for ((i = 0; i < REDIS_CLUSTER_NODES; i++)); do echo $((first + i)); done; }
_rdc_cli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }
_rdc_pid() { local file=$1/redis-cluster/$2/redis.pid; [ -s "$file" ] && cat "$file" || true; }
# A killed daemon may linger as a zombie until pid 1 reaps it: that is not alive.
_rdc_alive() { local p s; p=$(_rdc_pid "$1" "$2"); [ -n "$p" ] && s=$(ps -o stat= -p "$p" 2>/dev/null) && [ "${s#Z}" = "$s" ]; }

redis_cluster_connection_string() {
  local first=${1:?first port} out="" port
  for port in $(_rdc_ports "$first"); do out+="${out:+,}127.0.0.1:$port"; done
  echo "$out"
}

redis_cluster_up() {
  local state=${1:?state directory} first=${2:?first port} port dir i ok
  [ $((first + REDIS_CLUSTER_NODES - 1)) -le 55535 ] || { echo "redis-cluster: ports must be <= 55535 (the bus is port + 10000)" >&2; return 1; }
  for port in $(_rdc_ports "$first"); do
    dir=$state/redis-cluster/$port
    mkdir -p "$dir"
    _rdc_alive "$state" "$port" && continue
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
      --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout "${REDIS_CLUSTER_NODE_TIMEOUT:-5000}" --cluster-require-full-coverage no
  done
  for port in $(_rdc_ports "$first"); do
    for ((i = 0; i < 40; i++)); do _rdc_cli "$port" ping >/dev/null 2>&1 && break; sleep 0.25; done
  done
  # Formed once: a restarted cluster finds its slots again in nodes.conf.
  if ! _rdc_cli "$first" cluster info 2>/dev/null | grep -q '^cluster_slots_assigned:16384'; then
    # shellcheck disable=SC2046
    redis-cli --cluster create $(redis_cluster_connection_string "$first" | tr ',' ' ') --cluster-replicas 1 --cluster-yes >"$state/redis-cluster/create.log" 2>&1 ||
      { echo "redis-cluster: redis-cli --cluster create failed; see $state/redis-cluster/create.log" >&2; return 1; }
  fi
  for ((i = 0; i < 120; i++)); do
    ok=1
    for port in $(_rdc_ports "$first"); do
      _rdc_cli "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || { ok=0; break; }
    done
    # ... and every master has its replica (right after create, the replicas are still being attached).
    [ "$ok" = 1 ] && [ "$(_rdc_cli "$first" cluster nodes 2>/dev/null | grep -c ' slave ')" -ge $((REDIS_CLUSTER_NODES / 2)) ] && return 0
    sleep 0.5
  done
  echo "redis-cluster: not ok after 60 s; logs in $state/redis-cluster/*/redis.log" >&2
  return 1
}

redis_cluster_status() {
  local state=${1:?state directory} first=${2:?first port} port ask="" nodes line flags role master slots
  for port in $(_rdc_ports "$first"); do _rdc_alive "$state" "$port" && { ask=$port; break; }; done
  [ -n "$ask" ] && nodes=$(_rdc_cli "$ask" cluster nodes 2>/dev/null) || nodes=""
  printf '%-7s %-8s %-22s %s\n' PORT PID ROLE SLOTS
  for port in $(_rdc_ports "$first"); do
    line=$(grep " 127.0.0.1:$port@" <<<"$nodes" || true)
    role=unknown slots=""
    if [ -n "$line" ]; then
      read -r _ _ flags master _ _ _ _ slots <<<"$line"
      case ",$flags," in
        *,fail,* | *,fail\?,*) role=down ;;
        *,master,*) role=master ;;
        *,slave,*) role="replica of $(grep "^$master " <<<"$nodes" | awk '{split($2, a, "@"); n = split(a[1], b, ":"); print b[n]}')" ;;
      esac
    fi
    _rdc_alive "$state" "$port" || role="stopped ($role)"
    printf '%-7s %-8s %-22s %s\n' "$port" "$(_rdc_pid "$state" "$port")" "$role" "$slots"
  done
}

redis_cluster_down() {
  local state=${1:?state directory} first=${2:?first port} port p i
  for port in $(_rdc_ports "$first"); do
    _rdc_alive "$state" "$port" || continue
    p=$(_rdc_pid "$state" "$port")
    kill "$p" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$p" 2>/dev/null || true
    rm -f "$state/redis-cluster/$port/redis.pid"
  done
}
