#!/usr/bin/env bash
# Test of the proxmox provider against a stand-in for the Proxmox VE API.
#
# No Proxmox VE node can run on the test machine, so proxmox/pve-api-stand-in.py
# plays one on 127.0.0.1: it checks every request against Proxmox's published
# API schema (WEFT_CORPUS_DIR/proxmox/apidata.js) and rejects invalid ones as
# PVE does. This is a mock at the HTTP boundary. It proves that the requests
# the collection sends are valid for PVE 9.1, and that the provider's logic
# (create, start, snapshot before change, roll back) sends them in the right
# order. It cannot prove that a container boots, so the provider's SSH wait
# (tag verify) is skipped.
#
# Usage: test/e2e/proxmox-provider.sh      (about a minute; no root needed)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ansible_dir="$repo/ansible"
corpus="${WEFT_CORPUS_DIR:-$repo/../shared/corpus}"
schema="$corpus/proxmox/apidata.js"
# A free loopback port unless one is given, so that the test servers of
# scripts/test-env/up.sh and other runs cannot collide with it.
port="${WEFT_PVE_STAND_IN_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
api="https://127.0.0.1:$port/api2/json"
token_id='ansible@pve!weft'
passed=0
failed=0

[ -s "$schema" ] || { echo "missing $schema; set WEFT_CORPUS_DIR to the corpus directory" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${WEFT_PVE_KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

check() {
  local name="$1"
  shift
  if "$@"; then
    echo "ok     $name"
    passed=$((passed + 1))
  else
    echo "FAILED $name"
    failed=$((failed + 1))
  fi
}

# A CA and a server certificate, as a PVE node has pve-root-ca.pem and pve-ssl.pem.
make_certificates() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=stand-in-pve-root-ca -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 \
    -keyout "$work/pve-ssl.key" -out "$work/pve-ssl.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$work/ext.cnf"
  openssl x509 -req -in "$work/pve-ssl.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
    -days 2 -extfile "$work/ext.cnf" -out "$work/pve-ssl.pem" 2>/dev/null
}

start_stand_in() {
  python3 "$repo/test/e2e/proxmox/pve-api-stand-in.py" --schema "$schema" --port "$port" --node pve1 \
    --cert "$work/pve-ssl.pem" --key "$work/pve-ssl.key" --token "$token_id=$PROXMOX_TOKEN_SECRET" \
    --request-log "$work/requests.jsonl" 2>"$work/stand-in.log" &
  server_pid=$!
  for _ in $(seq 1 50); do
    if curl -s -o /dev/null --cacert "$work/ca.pem" "$api/version"; then return 0; fi
    sleep 0.2
  done
  cat "$work/stand-in.log" >&2
  echo "the stand-in did not respond on 127.0.0.1:$port within 10 s; its log is above" >&2
  exit 1
}

# The office example inventory, pointed at the stand-in.
make_inventory() {
  cp -r "$ansible_dir/inventories/office" "$work/inventory"
  cat >>"$work/inventory/group_vars/all/main.yml" <<VARS
# Test overrides: the stand-in on loopback, trusted through its own CA.
provider_proxmox_api_host: 127.0.0.1
provider_proxmox_api_port: $port
provider_proxmox_api_ca_file: $work/ca.pem
VARS
}

# pve GET|POST|PUT PATH [curl args]: prints the body, then the HTTP status on its own line.
pve() {
  local method="$1" path="$2"
  shift 2
  curl -s --cacert "$work/ca.pem" -X "$method" -H "Authorization: PVEAPIToken=$token_id=$PROXMOX_TOKEN_SECRET" \
    -w '\n%{http_code}\n' "$@" "$api$path"
}

playbook() {
  local log="$1"
  shift
  (cd "$ansible_dir" && ansible-playbook -i "$work/inventory" "$@") >"$work/$log" 2>&1
}

recap_of() {
  grep -A8 'PLAY RECAP' "$work/$1" | grep -E "^$2 " | tr -s ' '
}

# --- checks of the provider through the playbooks ------------------------

first_run_creates_and_starts_guests() {
  playbook provision-1.log "$ansible_dir/playbooks/provision.yml" --skip-tags verify || { tail -40 "$work/provision-1.log"; return 1; }
  # Each guest is created and started; the first also gets the controller's
  # SSH key directory and key pair, which run once.
  [[ "$(recap_of provision-1.log office-broker)" == *"changed=4 unreachable=0 failed=0"* ]] || { recap_of provision-1.log office-broker; return 1; }
  for guest in office-db office-app office-edge; do
    [[ "$(recap_of provision-1.log "$guest")" == *"changed=2 unreachable=0 failed=0"* ]] || { recap_of provision-1.log "$guest"; return 1; }
  done
}

# count_requests METHOD SCHEMA_PATH [PARAM=VALUE ...]: accepted requests that match.
count_requests() {
  python3 - "$work/requests.jsonl" "$@" <<'PY'
import json, sys
method, path, wanted = sys.argv[2], sys.argv[3], dict(a.split("=", 1) for a in sys.argv[4:])
rows = [r for r in map(json.loads, open(sys.argv[1])) if r["method"] == method and r["path"] == path]
print(sum(1 for r in rows if all(r["params"].get(k) == v for k, v in wanted.items())))
PY
}

guests_are_unprivileged_from_the_template() {
  python3 - "$work/requests.jsonl" "$work/inventory/state/ssh/id_ed25519.pub" <<'PY'
import json, sys
creates = [r["params"] for r in map(json.loads, open(sys.argv[1])) if r["method"] == "POST" and r["path"] == "/nodes/{node}/lxc"]
assert sorted(int(c["vmid"]) for c in creates) == [3021, 3022, 3023, 3024], creates
broker = next(c for c in creates if c["vmid"] == "3021")
expected = {
    "node": "pve1", "hostname": "office-broker", "unprivileged": "1", "onboot": "1",
    "ostemplate": "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst",
    "rootfs": "local-lvm:16", "memory": "1024", "cores": "2", "swap": "0", "features": "nesting=1",
    "net0": "name=eth0,bridge=vmbr0,ip=192.0.2.21/24,gw=192.0.2.1",
}
for key, value in expected.items():
    assert broker.get(key) == value, (key, broker.get(key), value)
assert broker["ssh-public-keys"] == open(sys.argv[2]).read().strip(), "the controller's public key was not sent"
PY
}

node_reports_guests_running() {
  local body
  body="$(pve GET /cluster/resources -G --data-urlencode type=vm)"
  python3 -c 'import json, sys
body, status = sys.argv[1].rsplit("\n", 1)
assert status == "200", status
guests = {g["name"]: g["status"] for g in json.loads(body)["data"]}
assert guests == {"office-broker": "running", "office-db": "running", "office-app": "running", "office-edge": "running"}, guests' "$body"
}

second_run_snapshots_and_changes_nothing_else() {
  playbook provision-2.log "$ansible_dir/playbooks/provision.yml" --skip-tags verify || { tail -40 "$work/provision-2.log"; return 1; }
  for guest in office-broker office-db office-app office-edge; do
    # Only the snapshot before the change: the guest exists and runs.
    [[ "$(recap_of provision-2.log "$guest")" == *"changed=1 unreachable=0 failed=0"* ]] || { recap_of provision-2.log "$guest"; return 1; }
  done
  [ "$(count_requests POST '/nodes/{node}/lxc/{vmid}/snapshot')" = 4 ] &&
    [ "$(count_requests POST /nodes/{node}/lxc)" = 4 ]
}

snapshot_name() {
  pve GET /nodes/pve1/lxc/3022/snapshot | sed '$d' |
    python3 -c 'import json, sys; print([s["name"] for s in json.load(sys.stdin)["data"] if s["name"] != "current"][0])'
}

snapshot_listed_per_guest() {
  local vmid body
  for vmid in 3021 3022 3023 3024; do
    body="$(pve GET "/nodes/pve1/lxc/$vmid/snapshot")"
    python3 -c 'import json, re, sys
body, status = sys.argv[1].rsplit("\n", 1)
names = [s["name"] for s in json.loads(body)["data"]]
assert status == "200", status
assert len(names) == 2, names
assert re.fullmatch(r"weft\d{14}", names[0]), names
assert names[1] == "current", names' "$body" || return 1
  done
}

rollback_restores_the_snapshot() {
  local snapshot body
  snapshot="$(snapshot_name)"

  # A change after the snapshot, made the way an operator would: more memory.
  [ "$(pve PUT /nodes/pve1/lxc/3022/config --data-urlencode memory=4096 | tail -1)" = 200 ] || return 1

  playbook rollback.log "$ansible_dir/playbooks/rollback.yml" --limit office-db -e "rollback_snapshot=$snapshot" ||
    { tail -40 "$work/rollback.log"; return 1; }
  [[ "$(recap_of rollback.log office-db)" == *"changed=2 unreachable=0 failed=0"* ]] || { recap_of rollback.log office-db; return 1; }

  body="$(pve GET /nodes/pve1/lxc/3022/config)"
  python3 -c 'import json, sys
body, status = sys.argv[1].rsplit("\n", 1)
config = json.loads(body)["data"]
assert status == "200", status
assert config["memory"] == 2048, config' "$body" || return 1
  [ "$(count_requests POST '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback' node=pve1 vmid=3022 "snapname=$snapshot")" = 1 ]
}

rollback_rejects_a_foreign_snapshot_name() {
  ! playbook rollback-bad.log "$ansible_dir/playbooks/rollback.yml" --limit office-db -e rollback_snapshot=before-upgrade &&
    grep -q "rollback_snapshot is 'before-upgrade'" "$work/rollback-bad.log"
}

# --- checks that the stand-in rejects what PVE rejects -------------------

# expect_error METHOD PATH STATUS EXPECTED_JSON [curl args]: EXPECTED_JSON is
# the exact errors object (400) or message (other statuses) PVE sends.
expect_error() {
  local method="$1" path="$2" status="$3" expected="$4"
  shift 4
  local reply
  reply="$(pve "$method" "$path" "$@")"
  python3 -c 'import json, sys
body, status = sys.argv[1].rsplit("\n", 1)
data = json.loads(body)
got = data.get("errors") if "errors" in data else data.get("message")
assert status == sys.argv[2], (status, body)
assert got == json.loads(sys.argv[3]), (got, sys.argv[3])' "$reply" "$status" "$expected"
}

rejects_unknown_parameter() {
  expect_error POST /nodes/pve1/lxc 400 \
    '{"privileged": "property is not defined in schema and the schema does not allow additional properties"}' \
    -d vmid=3100 --data-urlencode ostemplate=local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst -d privileged=1
}

rejects_missing_parameter() {
  expect_error POST /nodes/pve1/lxc 400 '{"ostemplate": "property is missing and it is not optional"}' -d vmid=3100
}

rejects_vmid_below_100() {
  expect_error POST /nodes/pve1/lxc/99/snapshot 400 '{"vmid": "value must have a minimum value of 100"}' -d snapname=weft1
}

rejects_malformed_network_property() {
  expect_error POST /nodes/pve1/lxc 400 \
    '{"net0": "invalid format - ip: value does not look like a valid ipv4 network configuration"}' \
    -d vmid=3100 --data-urlencode ostemplate=local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst \
    --data-urlencode 'net0=name=eth0,bridge=vmbr0,ip=192.0.2.40'
}

rejects_bad_boolean() {
  expect_error POST /nodes/pve1/lxc 400 '{"unprivileged": "type check ('"'"'boolean'"'"') failed - got '"'"'sure'"'"'"}' \
    -d vmid=3100 --data-urlencode ostemplate=local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst -d unprivileged=sure
}

rejects_snapshot_name_pattern() {
  expect_error POST /nodes/pve1/lxc/3021/snapshot 400 '{"snapname": "invalid configuration ID '"'"'2026-before'"'"'"}' -d snapname=2026-before
}

rejects_missing_token() {
  local reply
  reply="$(curl -s --cacert "$work/ca.pem" -w '\n%{http_code}\n' "$api/nodes")"
  [ "$(tail -1 <<<"$reply")" = 401 ] && [[ "$reply" == *'"message": "No ticket\n"'* ]]
}

rejects_wrong_token_secret() {
  local reply
  reply="$(curl -s --cacert "$work/ca.pem" -H "Authorization: PVEAPIToken=$token_id=wrong" -w '\n%{http_code}\n' "$api/nodes")"
  [ "$(tail -1 <<<"$reply")" = 401 ] && [[ "$reply" == *'"message": "authentication failure\n"'* ]]
}

rejects_unknown_path() {
  expect_error GET /nodes/pve1/containers 501 '"Method '"'"'GET /nodes/pve1/containers'"'"' not implemented\n"'
}

rejects_existing_vmid() {
  expect_error POST /nodes/pve1/lxc 500 '"unable to create CT 3021 - CT 3021 already exists on node '"'"'pve1'"'"'\n"' \
    -d vmid=3021 --data-urlencode ostemplate=local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst
}

make_certificates
PROXMOX_TOKEN_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(18))')"
export PROXMOX_TOKEN_SECRET
start_stand_in
make_inventory
export ANSIBLE_CONFIG="$ansible_dir/ansible.cfg"

echo "Proxmox VE API stand-in (no real Proxmox host can run here), schema $schema"
check "first run creates and starts the guests" first_run_creates_and_starts_guests
check "guests are unprivileged LXC from the template" guests_are_unprivileged_from_the_template
check "node reports the guests running" node_reports_guests_running
check "second run snapshots, changes nothing else" second_run_snapshots_and_changes_nothing_else
check "one snapshot listed per guest" snapshot_listed_per_guest
check "rollback playbook restores the snapshot" rollback_restores_the_snapshot
check "rollback rejects a foreign snapshot name" rollback_rejects_a_foreign_snapshot_name
check "stand-in rejects an unknown parameter" rejects_unknown_parameter
check "stand-in rejects a missing parameter" rejects_missing_parameter
check "stand-in rejects a vmid below 100" rejects_vmid_below_100
check "stand-in rejects a malformed net0" rejects_malformed_network_property
check "stand-in rejects a bad boolean" rejects_bad_boolean
check "stand-in rejects a bad snapshot name" rejects_snapshot_name_pattern
check "stand-in rejects a missing token" rejects_missing_token
check "stand-in rejects a wrong token secret" rejects_wrong_token_secret
check "stand-in rejects an unknown path" rejects_unknown_path
check "stand-in rejects an existing vmid" rejects_existing_vmid

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
