#!/usr/bin/env bash
# Stops the test servers that up.sh started, using the process ids it
# recorded, and checks that none of their processes is left. Deletes env.sh
# and env.json, whose credentials are useless now, but keeps the logs for
# reading; the next up.sh replaces the whole state directory.
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

  # Tests that load a stale env.json would fail with connection errors.
  # Without the file, loadTestEnv throws an error that asks for up.sh.
  rm -f "$ENV_SH" "$ENV_JSON"

  if [ -f "$PG_DATA_DIR/postmaster.pid" ]; then
    fail "PostgreSQL still runs: $PG_DATA_DIR/postmaster.pid remains; see $PG_LOG"
  fi
  log "test servers stopped"
}

main "$@"
