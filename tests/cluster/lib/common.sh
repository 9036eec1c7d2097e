# Shared settings and helpers of the local test cluster harness (sourced, not run).
# Everything it starts is recorded in $STATE/run/<name>.pid and stopped from there only.

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${DEVSPACES_CLUSTER_STATE:-/var/lib/devspaces/cluster}"
CACHE="${DEVSPACES_CACHE:-/var/cache/devspaces}"
RUN="$STATE/run"
LOGS="$STATE/logs"
PKI="$STATE/pki"
KUBECONFIG_PATH="$STATE/kubeconfig"
NODE_NAME="devspaces-node"
SERVICE_CIDR="10.96.0.0/12"
KUBERNETES_SERVICE_IP="10.96.0.1"
API_PORT=6443
ETCD_CLIENT_PORT=23790
ETCD_PEER_PORT=23800
LOCAL_IMAGE_PREFIX="devspaces.local"
PAUSE_IMAGE="$LOCAL_IMAGE_PREFIX/pause:3.2"
RUNTIME_NAME="devspaces-runc"
FIREWALL_TAG="devspaces-cluster"

say() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [[ $EUID -eq 0 ]] || die "the local cluster needs root (it runs dockerd, kubelet and iptables); run it with sudo"
}

# A PID file holds "<pid> <start time>": a PID reused by an unrelated process after a reboot or
# a crash must not count as ours.
start_time_of() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null || true; }

pid_of() {
  local pid start
  [[ -f "$RUN/$1.pid" ]] || return 0
  read -r pid start < "$RUN/$1.pid" || true
  [[ -n "$pid" && -n "$start" && "$(start_time_of "$pid")" == "$start" ]] && echo "$pid"
  return 0
}

is_running() {
  local pid; pid="$(pid_of "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# start_process NAME CMD... : starts CMD in its own session, logs to $LOGS/NAME.log.
start_process() {
  local name="$1"; shift
  mkdir -p "$RUN" "$LOGS"
  # The daemons outlive this script: they must not inherit its open files, which may hold a caller's lock (an flock
  # held by a test run would otherwise stay held by the API server for as long as it runs).
  local fd fds=()
  for fd in /proc/$BASHPID/fd/*; do
    fd="${fd##*/}"
    (( fd > 2 )) && fds+=("$fd")
  done
  (
    for fd in "${fds[@]}"; do eval "exec $fd>&-" 2>/dev/null || true; done
    exec setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null
  ) &
  echo "$! $(start_time_of $!)" > "$RUN/$name.pid"
  say "started $name (pid $!)"
}

# stop_process NAME : TERM, up to 20 s grace, then KILL; only the recorded pid.
stop_process() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    # Each process leads its own session (setsid), so its group holds its children too.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name did not stop within 20 s; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped $name"
  fi
  rm -f "$RUN/$name.pid"
}

# wait_until TIMEOUT_SECONDS REASON CMD... : polls CMD until it succeeds or fails with REASON.
wait_until() {
  local timeout="$1" reason="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      say "timed out after ${timeout}s waiting for: $reason"
      return 1
    fi
    sleep 0.5
  done
}

# The Debian mirror this machine's apt is configured with (one-line or deb822 sources, any host
# name), read through apt itself: the repository serving SUITE's main component, or the suite this
# machine runs. Works before the first `apt-get update`.
debian_mirror() {
  local suite="${1:-$(. /etc/os-release && echo "$VERSION_CODENAME")}" uri
  uri="$(apt_main_entry "$suite" '$(REPO_URI)')"
  [[ -n "$uri" ]] || return 1
  echo "${uri%/}"
}

# apt_main_entry SUITE FORMAT : FORMAT (an `apt-get indextargets` format) of SUITE's main binaries.
apt_main_entry() {
  apt-get indextargets --no-release-info --format "$2" \
    "Created-By: Packages" "Release: $1" "Component: main" 2>/dev/null | head -n 1
}

# write_deb_src_entry SUITE DIR : writes devspaces-src.sources or .list into DIR, a deb-src entry
# made from the one apt takes SUITE's binary packages from (same mirror, same options: apt refuses
# two entries of one mirror and suite whose Signed-By differ), and prints its path.
write_deb_src_entry() {
  local suite="$1" dir="$2" entry file index
  entry="$(apt_main_entry "$suite" '$(SOURCESENTRY)')"
  [[ -n "$entry" ]] || return 1
  file="${entry%:*}" index="${entry##*:}"
  if [[ "$file" == *.sources ]]; then
    # deb822: apt numbers the stanzas; field names are case-insensitive.
    awk -v want="$index" -v suite="$suite" '
      /^[[:space:]]*$/ { if (body) n++; body = 0; next }
      /^#/ { next }
      { body = 1 }
      n + 1 != want { next }
      tolower($0) ~ /^types:/ { print "Types: deb-src"; next }
      tolower($0) ~ /^suites:/ { print "Suites: " suite; next }
      { print }
    ' "$file" > "$dir/devspaces-src.sources"
    echo "$dir/devspaces-src.sources"
  else
    # One-line format: apt numbers the lines.
    sed -n "${index}s/^[[:space:]]*deb[[:space:]]/deb-src /p" "$file" > "$dir/devspaces-src.list"
    echo "$dir/devspaces-src.list"
  fi
}

docker0_address() {
  ip -4 -o addr show dev docker0 2>/dev/null | awk '{print $4}' | cut -d/ -f1
}

kubectl_admin() { kubectl --kubeconfig "$KUBECONFIG_PATH" --request-timeout=20s "$@"; }
