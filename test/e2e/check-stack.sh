#!/usr/bin/env bash
# Checks of a lab deployment made by scripts/e2e/run.sh. Talks only to the
# guests on the private bridge, with the site CA for TLS.
#
# Usage: check-stack.sh [all|user-tab-survived|catalog-restored]
# WEFT_E2E_INVENTORY: the deployed inventory directory (with state/).
# "all" records the persistent identifiers of the harvested datasets in
# state/e2e-catalog.json. "catalog-restored" looks them up again after the
# PostgreSQL guest was destroyed and restored from its backup. Weft mints
# identifiers at random, so a fresh harvest cannot produce the same ones.
set -euo pipefail

inventory="${WEFT_E2E_INVENTORY:?set WEFT_E2E_INVENTORY to the deployed inventory directory}"
corpus="${WEFT_CORPUS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/../shared/corpus}"
mode="${1:-all}"
ca="$inventory/state/pki/site-ca.crt"
domain=lab.weft.test
broker=10.231.0.11
entry=10.231.0.13
passed=0
failed=0

secret() {
  ansible-vault view --vault-password-file "$inventory/state/vault-pass" "$inventory/state/vault.yml" |
    python3 -c 'import sys, yaml; v = yaml.safe_load(sys.stdin)["weft_secrets"]
for key in sys.argv[1:]: v = v[key]
print(v)' "$@"
}

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

# curl through Traefik with the site names resolved to the entry guest.
web() {
  local host="$1"
  shift
  curl --silent --show-error --max-time 20 --cacert "$ca" --resolve "$host.$domain:443:$entry" \
    --resolve "$host.$domain:80:$entry" "$@"
}

mqtt_pub() {
  mosquitto_pub -h "$broker" -p 8883 --cafile "$ca" --id "e2e-pub-$RANDOM" "$@"
}

mqtt_sub() {
  mosquitto_sub -h "$broker" -p 8883 --cafile "$ca" --id "e2e-sub-$RANDOM" "$@"
}

# The first Zigbee2MQTT device state in the corpus, published as is.
corpus_z2m() {
  python3 -c 'import json, sys
for line in open(sys.argv[1]):
    if line.startswith("#"): continue
    row = json.loads(line)
    if row["topic"].count("/") == 1 and row["payload"].startswith("{") and "\"temperature\":" in row["payload"]:
        print(row["topic"]); print(row["payload"]); break' "$corpus/mqtt/z2m_device_states.jsonl"
}

z2m_topic="$(corpus_z2m | sed -n 1p)"
z2m_payload="$(corpus_z2m | sed -n 2p)"
z2m_device="${z2m_topic#zigbee2mqtt/}"

# A Tasmota SENSOR message from the corpus, sent as tasmota-control0.
tasmota_payload="$(python3 -c 'import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if not l.startswith("#")]
print(next(r["payload"] for r in rows if r["topic"].endswith("/SENSOR")))' "$corpus/mqtt/tasmota_sensor.jsonl")"

normalized_message_arrives() {
  local out="$WORK/normalized.txt"
  mqtt_sub -u weft-harvester -P "$(secret mqtt weft-harvester)" -t "weft/normalized/zigbee2mqtt/$z2m_device" \
    -C 1 -W 20 >"$out" &
  local sub=$!
  sleep 2
  mqtt_pub -u z2m-bridge -P "$(secret mqtt z2m-bridge)" -t "$z2m_topic" -m "$z2m_payload" -q 1
  wait "$sub" || return 1
  python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
assert m["vendor"] == "zigbee2mqtt" and m["device"] == sys.argv[2], m
assert "temperature" in m["fields"], m' "$out" "$z2m_device"
}

influxdb_has_the_point() {
  local body
  body="$(curl --silent --max-time 20 --cacert "$ca" --resolve "lab-broker.$domain:8086:$broker" \
    -u "weft:$(secret influxdb weft)" --get "https://lab-broker.$domain:8086/query" \
    --data-urlencode db=telemetry \
    --data-urlencode "q=SELECT temperature FROM device_state WHERE device = '$z2m_device' ORDER BY time DESC LIMIT 1")"
  echo "$body" | python3 -c 'import json, sys
s = json.load(sys.stdin)["results"][0]["series"][0]
assert s["columns"][1] == "temperature" and len(s["values"]) == 1, s'
}

other_devices_topic_is_denied() {
  local out="$WORK/denied.txt"
  mqtt_sub -u weft-harvester -P "$(secret mqtt weft-harvester)" -t "tele/tasmota-control0/SENSOR" -C 1 -W 6 >"$out" 2>/dev/null &
  local sub=$!
  sleep 2
  # MQTT 5: the broker acknowledges the QoS 1 publish with reason 0x87 (Not authorized).
  mqtt_pub -V mqttv5 -u z2m-bridge -P "$(secret mqtt z2m-bridge)" -t tele/tasmota-control0/SENSOR -m '{"spoofed":1}' -q 1 \
    >/dev/null 2>&1 || true
  wait "$sub" || true
  [ ! -s "$out" ]
}

anonymous_mqtt_is_rejected() {
  ! mqtt_pub -t zigbee2mqtt/anonymous -m x -q 1 >/dev/null 2>&1
}

wrong_password_is_rejected() {
  ! mqtt_pub -u z2m-bridge -P wrong-password -t zigbee2mqtt/x -m x -q 1 >/dev/null 2>&1
}

plain_mqtt_is_closed() {
  ! timeout 5 bash -c "echo > /dev/tcp/$broker/1883" 2>/dev/null
}

ui_serves_tls() {
  local host="$1" path="$2" expected="$3"
  [ "$(web "$host" -o /dev/null -w '%{http_code}' "https://$host.$domain$path")" = "$expected" ]
}

# The certificate Traefik presents chains to the site CA and names the host.
traefik_certificate_from_site_ca() {
  local host="$1"
  openssl s_client -connect "$entry:443" -servername "$host.$domain" -CAfile "$ca" -verify_hostname "$host.$domain" \
    -verify_return_error </dev/null >"$WORK/s_client.txt" 2>&1 || return 1
  grep -q 'Verify return code: 0 (ok)' "$WORK/s_client.txt"
}

http_redirects_to_https() {
  local reply
  reply="$(web weft -o /dev/null -w '%{http_code} %{redirect_url}' "http://weft.$domain/graphql")"
  [ "$reply" = "301 https://weft.$domain/graphql" ]
}

node_red_needs_basic_auth() {
  [ "$(web nodered -o /dev/null -w '%{http_code}' "https://nodered.$domain/")" = 401 ] &&
    [ "$(web nodered -o /dev/null -w '%{http_code}' -u admin:wrong-password "https://nodered.$domain/")" = 401 ]
}

node_red_opens_with_basic_auth() {
  [ "$(web nodered -o /dev/null -w '%{http_code}' -u "admin:$(secret traefik basic-auth)" "https://nodered.$domain/")" = 200 ]
}

# Telegraf on every guest writes to the telemetry database; its interval
# is 30 s, so the first points may take that long.
telegraf_reports_every_guest() {
  local body
  for _ in $(seq 1 20); do
    body="$(curl --silent --max-time 20 --cacert "$ca" --resolve "lab-broker.$domain:8086:$broker" \
      -u "weft:$(secret influxdb weft)" --get "https://lab-broker.$domain:8086/query" --data-urlencode db=telemetry \
      --data-urlencode 'q=SHOW TAG VALUES FROM "cpu" WITH KEY = "host"')"
    if echo "$body" | python3 -c 'import json, sys
series = json.load(sys.stdin)["results"][0].get("series") or [{"values": []}]
hosts = sorted(value for _, value in series[0]["values"])
assert hosts == ["lab-app", "lab-broker", "lab-db", "lab-home"], hosts' 2>/dev/null; then
      return 0
    fi
    sleep 5
  done
  echo "$body" >&2
  return 1
}

node_red_admin_api_needs_token() {
  [ "$(curl --silent -o /dev/null -w '%{http_code}' --max-time 10 "http://$broker:1880/flows")" = 401 ]
}

# access_token USERNAME: a token for a realm user, from the deployed Keycloak.
access_token() {
  local user="$1"
  web auth --fail -X POST "https://auth.$domain/realms/weft/protocol/openid-connect/token" \
    --data-urlencode client_id=weft-cli --data-urlencode grant_type=password \
    --data-urlencode "username=$user" --data-urlencode "password=$(secret keycloak_users "$user")" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# graphql TOKEN [CURL_OPTION ...] QUERY: POST a query through Traefik; an
# empty TOKEN sends none.
graphql() {
  local token="$1"
  shift
  local query="${*: -1}"
  local options=("${@:1:$#-1}")
  local auth=()
  if [ -n "$token" ]; then auth=(-H "Authorization: Bearer $token"); fi
  web weft "${options[@]}" -X POST "https://weft.$domain/graphql" -H 'Content-Type: application/json' "${auth[@]}" \
    --data "$(python3 -c 'import json, sys; print(json.dumps({"query": sys.argv[1]}))' "$query")"
}

sources_need_sign_in() {
  graphql "" '{ sources { id } }' | python3 -c 'import json, sys
r = json.load(sys.stdin)
assert r["errors"] and (r.get("data") or {}).get("sources") is None, r'
}

researcher_cannot_start_harvests() {
  graphql "$(access_token alice-researcher)" 'mutation { harvestSource(input: {source: "site-influxdb"}) { id } }' |
    python3 -c 'import json, sys
r = json.load(sys.stdin)
assert r["errors"] and (r.get("data") or {}).get("harvestSource") is None, r'
}

# harvest SOURCE OUT_FILE: an on-demand harvest run as the site admin. Weft
# replies when the run ends, and the broker harvest observes for 20 s.
harvest() {
  graphql "$(access_token ada-admin)" --max-time 90 \
    "mutation { harvestSource(input: {source: \"$1\"}) { status trigger requestedBy datasetsCreated datasetsUpdated datasetsUnchanged } }" >"$2"
}

# A harvest run that found at least one dataset and failed on nothing.
run_succeeded() {
  python3 -c 'import json, sys
run = json.load(open(sys.argv[1]))["data"]["harvestSource"]
assert run["status"] == "succeeded", run
assert run["trigger"] == "demand", run
assert run["requestedBy"] == "ada-admin", run
assert run["datasetsCreated"] + run["datasetsUpdated"] + run["datasetsUnchanged"] >= 1, run' "$1"
}

influxdb_harvest_succeeds() {
  harvest site-influxdb "$WORK/harvest-influxdb.json" && run_succeeded "$WORK/harvest-influxdb.json"
}

# The broker harvest observes live traffic for a while, so the devices
# publish while it runs.
broker_harvest_observes_devices() {
  harvest site-broker "$WORK/harvest-broker.json" &
  local run=$!
  sleep 4
  mqtt_pub -u z2m-bridge -P "$(secret mqtt z2m-bridge)" -t "$z2m_topic" -m "$z2m_payload" -q 1
  mqtt_pub -u tasmota-control0 -P "$(secret mqtt tasmota-control0)" -t tele/tasmota-control0/SENSOR -m "$tasmota_payload" -q 1
  wait "$run" && run_succeeded "$WORK/harvest-broker.json"
}

# The datasets a researcher finds through Traefik, with the exact natural
# keys the harvests give them; their identifiers go to state/e2e-catalog.json.
researcher_finds_harvested_datasets() {
  graphql "$(access_token alice-researcher)" '{ searchDatasets(first: 100) { totalCount nodes { id kind naturalKey title } } }' \
    >"$WORK/datasets.json" || return 1
  python3 - "$WORK/datasets.json" "$z2m_device" "$inventory/state/e2e-catalog.json" <<'PY'
import json, sys
reply = json.load(open(sys.argv[1]))
nodes = reply["data"]["searchDatasets"]["nodes"]
by_key = {(n["kind"], n["naturalKey"]): n for n in nodes}
device = sys.argv[2]
expected = [
    ("influx-measurement", "telemetry/device_state"),
    ("influx-measurement", "telemetry/cpu"),
    ("mqtt-topic", f"zigbee2mqtt/{device}"),
    ("mqtt-topic", f"weft/normalized/zigbee2mqtt/{device}"),
    ("mqtt-topic", "tele/tasmota-control0/SENSOR"),
]
missing = [key for key in expected if key not in by_key]
assert not missing, (missing, sorted(by_key))
catalog = {f"{kind} {key}": by_key[(kind, key)]["id"] for kind, key in expected}
json.dump(catalog, open(sys.argv[3], "w"), indent=2, sort_keys=True)
PY
}

anonymous_search_hides_site_datasets() {
  graphql "" '{ searchDatasets(first: 100) { totalCount } }' | python3 -c 'import json, sys
r = json.load(sys.stdin)
assert r["data"]["searchDatasets"]["totalCount"] == 0, r'
}

catalog_restored() {
  local token
  token="$(access_token alice-researcher)"
  python3 - "$inventory/state/e2e-catalog.json" <<'PY' >"$WORK/lookups.txt"
import json, sys
for name, pid in sorted(json.load(open(sys.argv[1])).items()):
    print(name.split(" ", 1)[1] + "\t" + pid)
PY
  [ "$(wc -l <"$WORK/lookups.txt")" = 5 ] || return 1
  while IFS=$'\t' read -r key pid; do
    graphql "$token" "{ dataset(id: \"$pid\") { id naturalKey } }" | python3 -c 'import json, sys
r = json.load(sys.stdin)
d = r["data"]["dataset"]
assert d == {"id": sys.argv[1], "naturalKey": sys.argv[2]}, r' "$pid" "$key" || return 1
  done <"$WORK/lookups.txt"
}

node_red_token() {
  curl --silent --fail --max-time 10 -X POST "http://$broker:1880/auth/token" -H 'Content-Type: application/json' \
    --data "$(python3 -c 'import json, sys; print(json.dumps({"client_id": "node-red-admin", "grant_type": "password", "scope": "*", "username": "admin", "password": sys.argv[1]}))' "$(secret node_red admin)")" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# Node-RED assigns the new tab's id; it is kept in the inventory's state
# directory for the check after the redeploy. Node ids must be unique in
# the whole flow, so each run adds a tab with a new one.
add_user_tab() {
  local token
  token="$(node_red_token)"
  curl --silent --fail --max-time 10 -X POST "http://$broker:1880/flow" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    --data "{\"label\":\"user tab from the e2e test\",\"nodes\":[{\"id\":\"$(openssl rand -hex 8)\",\"type\":\"comment\",\"name\":\"kept across redeploys\",\"x\":200,\"y\":80,\"wires\":[]}]}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' >"$inventory/state/e2e-user-tab-id"
}

user_tab_present() {
  local token
  token="$(node_red_token)"
  curl --silent --fail --max-time 10 "http://$broker:1880/flow/$(cat "$inventory/state/e2e-user-tab-id")" -H "Authorization: Bearer $token" |
    python3 -c 'import json, sys; f = json.load(sys.stdin); assert f["label"] == "user tab from the e2e test" and f["nodes"][0]["name"] == "kept across redeploys", f'
}

# Home Assistant's own sign-in (its login flow), through Traefik.
ha_client="https://ha.$domain/"

ha_token() {
  local flow code
  flow="$(web ha --fail -X POST "https://ha.$domain/auth/login_flow" -H 'Content-Type: application/json' \
    --data "{\"client_id\": \"$ha_client\", \"handler\": [\"homeassistant\", null], \"redirect_uri\": \"$ha_client?auth_callback=1\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["flow_id"])')" || return 1
  code="$(web ha --fail -X POST "https://ha.$domain/auth/login_flow/$flow" -H 'Content-Type: application/json' \
    --data "$(python3 -c 'import json, sys; print(json.dumps({"client_id": sys.argv[1], "username": "admin", "password": sys.argv[2]}))' \
      "$ha_client" "$(secret home_assistant owner)")" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["result"])')" || return 1
  web ha --fail -X POST "https://ha.$domain/auth/token" --data-urlencode grant_type=authorization_code \
    --data-urlencode "code=$code" --data-urlencode "client_id=$ha_client" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# The deployment claimed the installation, so a second owner is rejected.
home_assistant_onboarding_closed() {
  local status
  status="$(web ha -o /dev/null -w '%{http_code}' -X POST "https://ha.$domain/api/onboarding/users" \
    -H 'Content-Type: application/json' \
    --data "{\"client_id\": \"$ha_client\", \"name\": \"Intruder\", \"username\": \"intruder\", \"password\": \"not-the-owner-1\", \"language\": \"en\"}")"
  [ "$status" = 403 ] || { echo "onboarding answered $status, expected 403" >&2; return 1; }
}

home_assistant_api_needs_sign_in() {
  [ "$(web ha -o /dev/null -w '%{http_code}' "https://ha.$domain/api/states")" = 401 ]
}

# Zigbee2MQTT-style discovery: the bridge announces a sensor for the corpus
# device, then publishes the device's state. Home Assistant, connected to the
# broker over TLS with its own account, must show the corpus temperature.
home_assistant_discovers_device() {
  local expected token state="" password
  expected="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["temperature"])' "$z2m_payload")"
  password="$(secret mqtt z2m-bridge)"
  # A discovery node id may hold only letters, digits, _ and -, so it is not the device name.
  mqtt_pub -u z2m-bridge -P "$password" -r -t "homeassistant/sensor/e2e_thermometer/temperature/config" \
    -m "{\"name\": \"e2e thermometer\", \"unique_id\": \"e2e_thermometer_temperature\", \"state_topic\": \"$z2m_topic\", \"value_template\": \"{{ value_json.temperature }}\", \"unit_of_measurement\": \"°C\", \"device_class\": \"temperature\"}" || return 1
  token="$(ha_token)" || { echo "owner sign-in to Home Assistant failed" >&2; return 1; }
  for _ in $(seq 1 30); do
    mqtt_pub -u z2m-bridge -P "$password" -t "$z2m_topic" -m "$z2m_payload" || return 1
    state="$(web ha -H "Authorization: Bearer $token" "https://ha.$domain/api/states/sensor.e2e_thermometer" |
      python3 -c 'import json, sys; print(json.load(sys.stdin).get("state", ""))' 2>/dev/null || true)"
    if [ "$state" = "$expected" ]; then
      return 0
    fi
    sleep 2
  done
  echo "sensor.e2e_thermometer is '$state', expected '$expected'" >&2
  return 1
}

# n8n: the editor sits behind Traefik's basic auth, and n8n signs its owner
# in with its own account on top. Webhooks skip Traefik's basic auth, and
# the alert webhook checks a basic-auth credential of its own.
n8n_owner_email="admin@$domain"

n8n_curl() {
  web n8n -u "admin:$(secret traefik basic-auth)" "$@"
}

n8n_editor_needs_basic_auth() {
  [ "$(web n8n -o /dev/null -w '%{http_code}' "https://n8n.$domain/")" = 401 ] &&
    [ "$(web n8n -o /dev/null -w '%{http_code}' "https://n8n.$domain/rest/settings")" = 401 ]
}

# The deployment created the owner, so nobody else can claim n8n.
n8n_setup_closed_to_strangers() {
  local reply
  reply="$(n8n_curl -w ' %{http_code}' -X POST "https://n8n.$domain/rest/owner/setup" -H 'Content-Type: application/json' \
    --data '{"email": "intruder@example.org", "firstName": "I", "lastName": "N", "password": "Intruder-Pass1"}')"
  case "$reply" in
    *"Instance owner already setup"*" 400") return 0 ;;
    *) echo "unexpected response to a second owner setup: $reply" >&2; return 1 ;;
  esac
}

# Signs the owner in and stores the session cookie in $WORK/n8n-cookies.
# n8n ties the session to the browser-id header of the sign-in.
n8n_sign_in() {
  n8n_curl --fail -c "$WORK/n8n-cookies" -H 'browser-id: weft-e2e' -H 'Content-Type: application/json' \
    -X POST "https://n8n.$domain/rest/login" \
    --data "$(python3 -c 'import json, sys; print(json.dumps({"emailOrLdapLoginId": sys.argv[1], "password": sys.argv[2]}))' \
      "$n8n_owner_email" "$(secret n8n owner)")" |
    python3 -c 'import json, sys; user = json.load(sys.stdin)["data"]; assert user["email"] == sys.argv[1] and user["role"] == "global:owner", user' \
      "$n8n_owner_email"
}

# POSTs an alert to the webhook, past Traefik's basic auth, with the given
# curl options. Prints the response body and the status code.
n8n_post_alert() {
  web n8n -w ' %{http_code}' -X POST "https://n8n.$domain/webhook/weft-alert" -H 'Content-Type: application/json' \
    --data '{"status": "firing", "alerts": [{"labels": {"alertname": "e2e"}}]}' "$@"
}

n8n_webhook_rejects_strangers() {
  local status
  status="$(n8n_post_alert -o /dev/null | tr -d ' ')"
  [ "$status" = 401 ] || { echo "anonymous alert: status $status, expected 401" >&2; return 1; }
  status="$(n8n_post_alert -o /dev/null -u "alerts:$(secret traefik basic-auth)" | tr -d ' ')"
  [ "$status" = 401 ] || { echo "alert with the wrong password: status $status, expected 401" >&2; return 1; }
  # Traefik rejects a body over 1 MiB before n8n reads it.
  head -c 1100000 /dev/zero | tr '\0' 'a' >"$WORK/large-body"
  status="$(web n8n -o /dev/null -w '%{http_code}' -X POST "https://n8n.$domain/webhook/weft-alert" \
    -H 'Content-Type: application/json' --data-binary "@$WORK/large-body")"
  [ "$status" = 413 ] || { echo "anonymous 1.1 MB alert: status $status, expected 413" >&2; return 1; }
}

# An alert with the webhook's own credentials runs the workflow the role
# published; the owner then finds the run among the executions.
n8n_alert_webhook_runs() {
  local reply
  reply="$(n8n_post_alert -u "alerts:$(secret n8n alert-webhook)")"
  [ "$reply" = '{"message":"Workflow was started"} 200' ] || { echo "unexpected response to the alert: $reply" >&2; return 1; }
  n8n_sign_in || { echo "owner sign-in to n8n failed" >&2; return 1; }
  for _ in $(seq 1 10); do
    if n8n_alert_execution_recorded 2>/dev/null; then
      return 0
    fi
    sleep 2
  done
  n8n_alert_execution_recorded
}

# Needs a signed-in owner (n8n_sign_in).
n8n_alert_execution_recorded() {
  n8n_curl --fail -b "$WORK/n8n-cookies" -H 'browser-id: weft-e2e' "https://n8n.$domain/rest/executions" |
    python3 -c 'import json, sys
runs = json.load(sys.stdin)["data"]["results"]
assert any(r["workflowId"] == "weftAlertWebhook1" and r["mode"] == "webhook" and r["status"] == "success" for r in runs), \
    "no successful webhook execution of weftAlertWebhook1 in %s" % runs'
}

# The owner and the alert's execution from before the backup are back; n8n
# on the empty database of the re-created guest had neither.
n8n_restored() {
  n8n_sign_in || { echo "owner sign-in to n8n failed" >&2; return 1; }
  n8n_alert_execution_recorded
}

# n8n's port takes connections only from the Traefik guest. From the
# controller, on the site network too, the firewall drops them, so curl
# times out (exit code 28) instead of being refused (7) or getting a
# response (0).
n8n_port_closed_to_the_site() {
  local status=0
  curl --silent --max-time 5 -o /dev/null "http://$entry:5678/rest/settings" || status=$?
  [ "$status" = 28 ] || { echo "curl to port 5678 exited with $status, expected 28 (timed out)" >&2; return 1; }
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

case "$mode" in
  all)
    check "device message normalized by Node-RED" normalized_message_arrives
    check "normalized point stored in InfluxDB" influxdb_has_the_point
    check "device cannot publish under another device's topics" other_devices_topic_is_denied
    check "anonymous MQTT rejected" anonymous_mqtt_is_rejected
    check "wrong MQTT password rejected" wrong_password_is_rejected
    check "plain MQTT port closed" plain_mqtt_is_closed
    check "Telegraf reports every guest" telegraf_reports_every_guest
    check "Weft certificate from the site CA" traefik_certificate_from_site_ca weft
    check "Keycloak certificate from the site CA" traefik_certificate_from_site_ca auth
    check "Node-RED certificate from the site CA" traefik_certificate_from_site_ca nodered
    check "Weft served over TLS by Traefik" ui_serves_tls weft /graphql 400
    check "Keycloak served over TLS by Traefik" ui_serves_tls auth /realms/weft/.well-known/openid-configuration 200
    check "plain HTTP redirected to HTTPS" http_redirects_to_https
    check "Node-RED UI needs basic auth" node_red_needs_basic_auth
    check "Node-RED UI opens with basic auth" node_red_opens_with_basic_auth
    check "Node-RED admin API needs a token" node_red_admin_api_needs_token
    check "Weft sources need sign-in" sources_need_sign_in
    check "researcher cannot start harvests" researcher_cannot_start_harvests
    check "InfluxDB harvest by the admin succeeds" influxdb_harvest_succeeds
    check "broker harvest observes the devices" broker_harvest_observes_devices
    check "researcher finds the harvested datasets" researcher_finds_harvested_datasets
    check "anonymous search hides site datasets" anonymous_search_hides_site_datasets
    check "Home Assistant certificate from the site CA" traefik_certificate_from_site_ca ha
    check "Home Assistant served over TLS by Traefik" ui_serves_tls ha /auth/providers 200
    check "Home Assistant onboarding closed to strangers" home_assistant_onboarding_closed
    check "Home Assistant API needs sign-in" home_assistant_api_needs_sign_in
    check "Home Assistant discovers a device over MQTT" home_assistant_discovers_device
    check "n8n certificate from the site CA" traefik_certificate_from_site_ca n8n
    check "n8n editor needs basic auth" n8n_editor_needs_basic_auth
    check "n8n owner set up by the deployment" n8n_sign_in
    check "n8n setup closed to strangers" n8n_setup_closed_to_strangers
    check "n8n port closed to the site network" n8n_port_closed_to_the_site
    check "n8n webhook rejects strangers" n8n_webhook_rejects_strangers
    check "n8n alert webhook runs its workflow" n8n_alert_webhook_runs
    check "user Node-RED tab added" add_user_tab
    ;;
  user-tab-survived)
    check "user Node-RED tab survived the redeploy" user_tab_present
    ;;
  catalog-restored)
    check "Weft catalog restored with its identifiers" catalog_restored
    check "n8n restored with its executions" n8n_restored
    ;;
  *)
    echo "unknown mode '$mode'; use all, user-tab-survived or catalog-restored" >&2
    exit 2
    ;;
esac

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
