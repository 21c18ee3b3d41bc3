#!/usr/bin/env bash
# Stops the test servers that up.sh started, using the process ids it
# recorded, and checks that none of their processes is left. Keeps the state
# directory, with its logs, for reading; the next up.sh replaces it.
set -euo pipefail

LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/lib" && pwd)"
# shellcheck source=lib/common.sh
. "$LIB_DIR/common.sh"
# shellcheck source=lib/install.sh
. "$LIB_DIR/install.sh"
# shellcheck source=lib/servers.sh
. "$LIB_DIR/servers.sh"

main() {
  if [ ! -d "$RUN_DIR" ]; then
    log "no test servers recorded in $RUN_DIR; nothing to stop"
    return 0
  fi

  load_server_libraries
  stop_all_servers

  # The password file of the readiness check is worthless once the broker is
  # gone, but it is still a password: remove it with the servers.
  rm -rf "$MQTT_CLIENT_CONFIG_DIR"

  if [ -f "$PG_DATA_DIR/postmaster.pid" ]; then
    fail "PostgreSQL still runs: $PG_DATA_DIR/postmaster.pid remains; see $PG_LOG"
  fi
  log "test servers stopped"
}

main "$@"
