#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks use. Idempotent: does nothing when they
# are all present. Installing starts nothing (no systemd here): the tests start their own
# instances on free ports.
set -euo pipefail

# patroni + etcd-server: HA PostgreSQL (automatic failover) for tests/Atrium.Testing/Servers/PatroniCluster and scripts/lib/pg-ha.sh.
PACKAGES=(postgresql redis-server rabbitmq-server chromium wrk patroni etcd-server)
LOCK_WAIT_SECONDS=${ATRIUM_APT_LOCK_WAIT:-600}

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo" >&2; exit 1; }
  SUDO=(sudo)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all present (${PACKAGES[*]})"
  exit 0
fi
echo "install-deps: missing ${missing[*]}"

# apt and dpkg hold fcntl locks on these files while they run (another apt may be busy in the
# background). /proc/locks lists held locks by device:inode, so no extra tool is needed.
lock_files=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)
apt_busy() {
  local f inode
  for f in "${lock_files[@]}"; do
    [ -e "$f" ] || continue
    inode=$(stat -c %i "$f")
    grep -qE ":${inode} " /proc/locks && return 0
  done
  return 1
}
wait_for_apt() {
  local waited=0
  while apt_busy; do
    if [ "$waited" -ge "$LOCK_WAIT_SECONDS" ]; then
      echo "install-deps: apt/dpkg still busy after ${waited}s, giving up" >&2
      exit 1
    fi
    [ "$waited" -eq 0 ] && echo "install-deps: apt/dpkg is busy, waiting (up to ${LOCK_WAIT_SECONDS}s)"
    sleep 5
    waited=$((waited + 5))
  done
}

# Retries cover the short window between our check and apt taking the lock itself.
apt_run() {
  local attempt
  for attempt in 1 2 3; do
    wait_for_apt
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q \
      -o DPkg::Lock::Timeout="$LOCK_WAIT_SECONDS" "$@" && return 0
    echo "install-deps: apt-get $1 failed (attempt $attempt), retrying" >&2
    sleep 5
  done
  echo "install-deps: apt-get $1 failed" >&2
  exit 1
}

echo "install-deps: apt-get update"
apt_run update
echo "install-deps: apt-get install ${missing[*]}"
apt_run install -y --no-install-recommends "${missing[@]}"
echo "install-deps: done"
