# shellcheck shell=bash disable=SC2034 # The variables are used by the scripts that source this file.
# Paths, logging and process helpers shared by the test-environment scripts.
# Sourced by up.sh, down.sh and restart.sh; defines functions and variables only.

TEST_ENV_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$TEST_ENV_LIB_DIR/../../.." && pwd)"
STATE_DIR="$REPO_ROOT/test/env/state"
CACHE_DIR="$REPO_ROOT/.cache"
ENV_SH="$STATE_DIR/env.sh"
ENV_JSON="$STATE_DIR/env.json"
RUN_DIR="$STATE_DIR/run"
LOG_DIR="$STATE_DIR/logs"

# Server data lives in SERVERS_DIR: normally test/env/state/servers, or, when
# the server account cannot reach the repository (a clone under /root, say),
# a directory under /var/tmp that test/env/state/servers links to.
SERVERS_DIR="$STATE_DIR/servers"
if [ -L "$SERVERS_DIR" ]; then
  SERVERS_DIR="$(readlink -f "$SERVERS_DIR")"
fi

# Servers refuse to run as root (PostgreSQL) or drop to users of their own
# (Mosquitto), so a root caller runs all of them as this unprivileged account.
SERVER_USER="weft-test"

# Ports are drawn below the kernel's default ephemeral range (32768-60999),
# so the kernel does not hand a chosen port to an outgoing connection before
# the server binds it. NOTE: another program may still bind it in that window;
# the server then fails to start and up.sh names its log file.
PORT_RANGE_START=20000
PORT_RANGE_SIZE=12000

log() {
  printf '[test-env] %s\n' "$*" >&2
}

fail() {
  printf '[test-env] ERROR: %s\n' "$*" >&2
  exit 1
}

now_ms() {
  date +%s%3N
}

# Prints the seconds elapsed since a now_ms value, with one decimal.
seconds_since() {
  local start_ms="$1"
  local elapsed_ms=$(($(now_ms) - start_ms))
  printf '%d.%d' $((elapsed_ms / 1000)) $(((elapsed_ms % 1000) / 100))
}

is_root() {
  [ "$(id -u)" -eq 0 ]
}

# Runs a command as the server account, keeping the environment.
run_as_server_user() {
  if is_root; then
    HOME="$SERVERS_DIR/home" setpriv --reuid="$SERVER_USER" --regid="$SERVER_USER" --init-groups -- "$@"
  else
    HOME="$SERVERS_DIR/home" "$@"
  fi
}

# Makes a directory owned by the server account with mode 0700.
make_server_dir() {
  local dir="$1"

  mkdir -p "$dir"
  chmod 0700 "$dir"
  if is_root; then
    chown "$SERVER_USER:$SERVER_USER" "$dir"
  fi
}

# Gives a file to the server account, readable by it alone.
give_to_server_user() {
  local file="$1"

  chmod 0600 "$file"
  if is_root; then
    chown "$SERVER_USER:$SERVER_USER" "$file"
  fi
}

random_password() {
  openssl rand -hex 24
}

is_port_in_use() {
  local port="$1"

  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Stores in the variable named by $1 a loopback port that nothing listens on
# and that this run has not handed out yet. It sets a variable instead of
# printing, because CLAIMED_PORTS must survive the call, which a command
# substitution's subshell would discard.
CLAIMED_PORTS=" "
pick_free_port() {
  local variable_name="$1"
  local port

  for _ in $(seq 1 200); do
    port=$((PORT_RANGE_START + RANDOM % PORT_RANGE_SIZE))
    case "$CLAIMED_PORTS" in
      *" $port "*) continue ;;
    esac
    if ! is_port_in_use "$port"; then
      CLAIMED_PORTS="$CLAIMED_PORTS$port "
      printf -v "$variable_name" '%s' "$port"
      return 0
    fi
  done

  fail "no free loopback port found in $PORT_RANGE_START-$((PORT_RANGE_START + PORT_RANGE_SIZE - 1)) after 200 attempts"
}

is_pid_alive() {
  local pid="$1"

  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

read_pid_file() {
  local file="$1"

  if [ -s "$file" ]; then
    tr -d '[:space:]' <"$file"
  fi
}

# Starts a server in the background, in a session of its own, as the server
# account, and records its process id. Because the script runs without job
# control, the background child is no process group leader, so setsid(1) calls
# setsid() without forking and the recorded id is the server's. The server then
# leads its own process group, which stop_process_group ends as a whole. The
# environment is kept, so a password can reach the server without argv.
start_server_process() {
  local name="$1" log_file="$2"
  shift 2

  if is_root; then
    HOME="$SERVERS_DIR/home" setsid setpriv --reuid="$SERVER_USER" --regid="$SERVER_USER" --init-groups -- "$@" \
      </dev/null >>"$log_file" 2>&1 &
  else
    HOME="$SERVERS_DIR/home" setsid "$@" </dev/null >>"$log_file" 2>&1 &
  fi
  printf '%s\n' "$!" >"$RUN_DIR/$name.pid"
}

# Succeeds when the process runs and its command line contains the text, so
# that a recycled process id never gets a signal meant for a test server.
process_matches() {
  local pid="$1" text="$2"

  is_pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$text"
}

# Waits up to the timeout in seconds until no process of the group is left.
wait_for_group_exit() {
  local pgid="$1" timeout_s="$2"
  local waited=0

  while kill -0 -- "-$pgid" 2>/dev/null; do
    if [ "$waited" -ge $((timeout_s * 10)) ]; then
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Stops the process group led by the recorded process id when that process
# still runs the server: SIGTERM, then SIGKILL after the timeout in seconds.
# Returns once no process of the group is left.
stop_process_group() {
  local name="$1" pgid="$2" timeout_s="$3" command_text="$4"

  if ! process_matches "$pgid" "$command_text"; then
    return 0
  fi

  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  if wait_for_group_exit "$pgid" "$timeout_s"; then
    return 0
  fi

  log "$name (process group $pgid) did not stop within ${timeout_s} s; sending SIGKILL"
  kill -KILL -- "-$pgid" 2>/dev/null || true
  wait_for_group_exit "$pgid" 5 || fail "$name (process group $pgid) still runs after SIGKILL"
}

# Retries a readiness check until it succeeds, the server process exits or the
# timeout in seconds passes. Fails naming the server and its log file.
wait_until_ready() {
  local name="$1" pid="$2" timeout_s="$3" log_file="$4"
  shift 4
  local start_ms
  start_ms="$(now_ms)"

  while true; do
    if "$@" >/dev/null 2>&1; then
      log "$name responds ($(seconds_since "$start_ms") s)"
      return 0
    fi
    if [ -n "$pid" ] && ! is_pid_alive "$pid"; then
      tail -n 30 "$log_file" >&2 2>/dev/null || true
      fail "$name exited before it responded; see its log file $log_file"
    fi
    if [ $(($(now_ms) - start_ms)) -ge $((timeout_s * 1000)) ]; then
      tail -n 30 "$log_file" >&2 2>/dev/null || true
      fail "$name did not respond within ${timeout_s} s; see its log file $log_file"
    fi
    sleep 0.5
  done
}

# Quotes a value for POSIX shells: single quotes, with each embedded single
# quote closed, escaped and reopened.
shell_quote() {
  local value="$1"
  printf "'%s'" "${value//\'/\'\\\'\'}"
}

# Prints one variable's value from env.sh without sourcing it into the caller.
read_env_value() {
  local name="$1"

  (
    set +u
    # shellcheck disable=SC1090
    . "$ENV_SH"
    printf '%s' "${!name}"
  )
}
