#!/usr/bin/env bash
# The project's test command: installs Node.js and the npm dependencies,
# starts the test servers (scripts/test-env/up.sh), then runs typecheck, lint,
# format check and Jest. Runs every step even after a failure and exits
# non-zero if any failed. The last line is "N passed, N failed" from Jest.
#
# Jest includes the `e2e` project (test/e2e): ansible-lint and yamllint of the
# collection, its argument-spec check, the Proxmox provider against the API
# stand-in, and the end-to-end deployment of the lab profile onto
# systemd-nspawn guests (scripts/e2e/run.sh). It needs root and adds about
# 19 minutes with warm caches, 30 to 45 on a new machine (docs/benchmarks.md).
# WEFT_E2E=0 leaves it out.
#
#   bash scripts/test.sh                         # everything
#   bash scripts/test.sh test/integration/x.spec.ts  # extra arguments go to Jest
#
# The servers stop on exit unless WEFT_KEEP_TEST_ENV=1.
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT" || exit 1

JEST_RESULTS="$REPO_ROOT/test/env/state/jest-results.json"
FAILED_STEPS=()

log() {
  printf '[test] %s\n' "$*" >&2
}

now_ms() {
  date +%s%3N
}

# Runs one named step, prints its duration and records it when it fails.
run_step() {
  local name="$1"
  shift
  local start_ms status elapsed_ms

  log "==> $name"
  start_ms="$(now_ms)"
  "$@"
  status=$?
  elapsed_ms=$(($(now_ms) - start_ms))

  if [ "$status" -eq 0 ]; then
    log "<== $name passed in $((elapsed_ms / 1000)).$(((elapsed_ms % 1000) / 100)) s"
  else
    log "<== $name FAILED (exit code $status) in $((elapsed_ms / 1000)).$(((elapsed_ms % 1000) / 100)) s"
    FAILED_STEPS+=("$name")
  fi
  return "$status"
}

install_dependencies() {
  # npm ci empties node_modules first; through a symlink that would empty the
  # folder it points to, which another checkout may be using.
  if [ -L node_modules ]; then
    log "node_modules is a symlink; using it as it is"
    return 0
  fi
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund
  else
    npm install --no-audit --no-fund
  fi
}

stop_test_env() {
  if [ "${WEFT_KEEP_TEST_ENV:-0}" = "1" ]; then
    log "WEFT_KEEP_TEST_ENV=1: leaving the test servers running; stop them with 'bash scripts/test-env/down.sh'"
    return 0
  fi
  bash scripts/test-env/down.sh || log "down.sh failed; check for leftover server processes"
}

run_jest() {
  rm -f "$JEST_RESULTS"
  # PGlite and node-opcua load ECMAScript modules, which Jest runs only with the VM modules flag.
  NODE_OPTIONS=--experimental-vm-modules npx jest --runInBand --json --outputFile="$JEST_RESULTS" "$@"
}

# Prints Jest's counts as "N passed, N failed" (", N skipped" when some were
# skipped). Suites that failed to run count as one failure each, because their
# tests never ran.
print_jest_summary() {
  if [ ! -s "$JEST_RESULTS" ]; then
    log "Jest wrote no results to $JEST_RESULTS"
    printf '0 passed, 1 failed\n'
    return 0
  fi

  jq -r '
    (.numPendingTests + .numTodoTests) as $skipped
    | "\(.numPassedTests) passed, \(.numFailedTests + .numRuntimeErrorTestSuites) failed"
      + (if $skipped > 0 then ", \($skipped) skipped" else "" end)
  ' "$JEST_RESULTS"
}

main() {
  local start_ms
  start_ms="$(now_ms)"

  run_step "Node.js" source scripts/ensure-node.sh || exit 1
  run_step "npm dependencies" install_dependencies || exit 1

  trap stop_test_env EXIT
  # Exiting on these signals runs the EXIT trap, which stops the servers.
  trap 'exit 130' INT
  trap 'exit 143' TERM
  run_step "test servers" bash scripts/test-env/up.sh || exit 1
  # shellcheck source=/dev/null
  . test/env/state/env.sh

  run_step "typecheck" npm run --silent typecheck
  run_step "lint" npm run --silent lint
  run_step "format check" npm run --silent format:check
  # The e2e project's Debian packages (Ansible, debootstrap, systemd-nspawn).
  # When this step fails, the e2e tests still run and fail, so they count.
  export WEFT_E2E="${WEFT_E2E:-1}"
  if [ "$WEFT_E2E" = 1 ]; then
    run_step "e2e prerequisites" bash scripts/e2e/install-prerequisites.sh
  fi
  run_step "jest" run_jest "$@"

  # Stopped here rather than only in the trap, so that the summary below is
  # the last line of the output.
  trap - EXIT
  run_step "stop test servers" stop_test_env

  local elapsed_ms=$(($(now_ms) - start_ms))
  if [ "${#FAILED_STEPS[@]}" -gt 0 ]; then
    log "failed steps: ${FAILED_STEPS[*]} (total $((elapsed_ms / 1000)) s)"
  else
    log "all steps passed (total $((elapsed_ms / 1000)) s)"
  fi

  print_jest_summary
  [ "${#FAILED_STEPS[@]}" -eq 0 ]
}

main "$@"
