#!/usr/bin/env bash
# Starts the throwaway servers the tests need (PostgreSQL, Mosquitto, InfluxDB,
# Keycloak) on free loopback ports and writes test/env/state/env.sh and
# env.json. Installs missing software first. When a previous run's servers
# still respond, reuses them and changes nothing.
set -euo pipefail

LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/lib" && pwd)"
# shellcheck source=lib/common.sh
. "$LIB_DIR/common.sh"
# shellcheck source=lib/state.sh
. "$LIB_DIR/state.sh"
# shellcheck source=lib/install.sh
. "$LIB_DIR/install.sh"
# shellcheck source=lib/servers.sh
. "$LIB_DIR/servers.sh"

# Sets the shell variables that write_state_files stores, from the ports and
# passwords this run chose.
# shellcheck disable=SC2034,SC2153 # write_state_files reads them by name; pick_free_port sets the ports.
set_state_variables() {
  WEFT_TEST_PG_URL="postgres://weft:$PG_WEFT_PASSWORD@127.0.0.1:$PG_PORT/weft"
  WEFT_TEST_PG_ADMIN_URL="postgres://$PG_SUPERUSER:$PG_SUPERUSER_PASSWORD@127.0.0.1:$PG_PORT/postgres"
  WEFT_TEST_FABRIC_PG_URL="postgres://weft_reader:$PG_READER_PASSWORD@127.0.0.1:$PG_PORT/weft_fabric"

  WEFT_TEST_MQTT_URL="mqtt://127.0.0.1:$MQTT_PORT"
  WEFT_TEST_MQTTS_URL="mqtts://127.0.0.1:$MQTTS_PORT"
  WEFT_TEST_MQTT_CA_FILE="$MQTT_CA_FILE"
  WEFT_TEST_MQTT_USERNAME="$MQTT_PUBLISHER_USERNAME"
  WEFT_TEST_MQTT_PASSWORD="$MQTT_PUBLISHER_PASSWORD"
  WEFT_TEST_MQTT_READER_USERNAME="$MQTT_READER_USERNAME"
  WEFT_TEST_MQTT_READER_PASSWORD="$MQTT_READER_PASSWORD"
  WEFT_TEST_MQTT_PID="$(read_pid_file "$RUN_DIR/mosquitto.pid")"
  WEFT_TEST_MQTT_CONF="$MQTT_CONF"

  WEFT_TEST_INFLUX_URL="http://127.0.0.1:$INFLUX_PORT"
  WEFT_TEST_INFLUX_ADMIN_USERNAME="$INFLUX_ADMIN_USERNAME"
  WEFT_TEST_INFLUX_ADMIN_PASSWORD="$INFLUX_ADMIN_PASSWORD"
  WEFT_TEST_INFLUX_USERNAME="$INFLUX_READER_USERNAME"
  WEFT_TEST_INFLUX_PASSWORD="$INFLUX_READER_PASSWORD"

  WEFT_TEST_KEYCLOAK_URL="$KEYCLOAK_URL"
  WEFT_TEST_KEYCLOAK_ISSUER="$KEYCLOAK_URL/realms/$KEYCLOAK_REALM"
  WEFT_TEST_KEYCLOAK_CLIENT_ID="weft-cli"
  WEFT_TEST_KEYCLOAK_AUDIENCE="weft-api"
  WEFT_TEST_USER_RESEARCHER="alice-researcher"
  WEFT_TEST_USER_RESEARCHER_PASSWORD="$KEYCLOAK_PASSWORD_researcher"
  WEFT_TEST_USER_STEWARD="sam-steward"
  WEFT_TEST_USER_STEWARD_PASSWORD="$KEYCLOAK_PASSWORD_steward"
  WEFT_TEST_USER_ADMIN="ada-admin"
  WEFT_TEST_USER_ADMIN_PASSWORD="$KEYCLOAK_PASSWORD_admin"
  WEFT_TEST_USER_NOROLE="nora-norole"
  WEFT_TEST_USER_NOROLE_PASSWORD="$KEYCLOAK_PASSWORD_norole"
}

generate_passwords() {
  PG_SUPERUSER_PASSWORD="$(random_password)"
  PG_WEFT_PASSWORD="$(random_password)"
  PG_READER_PASSWORD="$(random_password)"
  MQTT_PUBLISHER_PASSWORD="$(random_password)"
  MQTT_READER_PASSWORD="$(random_password)"
  INFLUX_ADMIN_PASSWORD="$(random_password)"
  INFLUX_READER_PASSWORD="$(random_password)"
  KEYCLOAK_ADMIN_PASSWORD="$(random_password)"
  KEYCLOAK_PASSWORD_researcher="$(random_password)"
  KEYCLOAK_PASSWORD_steward="$(random_password)"
  KEYCLOAK_PASSWORD_admin="$(random_password)"
  KEYCLOAK_PASSWORD_norole="$(random_password)"
}

choose_ports() {
  pick_free_port PG_PORT
  pick_free_port MQTT_PORT
  pick_free_port MQTTS_PORT
  pick_free_port INFLUX_PORT
  pick_free_port INFLUX_RPC_PORT
  pick_free_port KEYCLOAK_PORT
  KEYCLOAK_URL="http://127.0.0.1:$KEYCLOAK_PORT"
}

# Removes everything a previous run left in the state directory, including a
# server directory under /var/tmp that test/env/state/servers links to.
wipe_state() {
  if [ -L "$STATE_DIR/servers" ]; then
    rm -rf "$(readlink -f "$STATE_DIR/servers")"
  fi
  rm -rf "$STATE_DIR"
  mkdir -p "$STATE_DIR" "$LOG_DIR" "$RUN_DIR"
  chmod 0711 "$STATE_DIR" "$RUN_DIR"
  chmod 0700 "$LOG_DIR"
}

# Creates the server directory where the server account can reach it; see
# SERVERS_DIR in lib/common.sh.
prepare_servers_dir() {
  local fallback

  make_server_dir "$STATE_DIR/servers"
  if run_as_server_user test -w "$STATE_DIR/servers" 2>/dev/null; then
    SERVERS_DIR="$STATE_DIR/servers"
  else
    fallback="/var/tmp/weft-test-env-$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)"
    log "$SERVER_USER cannot reach $STATE_DIR; keeping server data in $fallback"
    rm -rf "$STATE_DIR/servers" "$fallback"
    make_server_dir "$fallback"
    ln -s "$fallback" "$STATE_DIR/servers"
    SERVERS_DIR="$fallback"
  fi

  make_server_dir "$SERVERS_DIR/home"
}

# Stops whatever this run started when up.sh fails, so no half-started
# environment is left behind. The logs stay for reading.
on_exit() {
  local status=$?

  if [ "$status" -ne 0 ] && [ "${UP_STARTED_SERVERS:-0}" -eq 1 ]; then
    log "stopping the servers started so far; their logs are in $LOG_DIR"
    stop_all_servers
  fi
}

start_all_servers() {
  UP_STARTED_SERVERS=1

  # Keycloak boots slowest, so it starts first and the others come up meanwhile.
  keycloak_prepare_home
  keycloak_start "$KEYCLOAK_PORT" "$KEYCLOAK_ADMIN_PASSWORD"

  pg_init_cluster "$PG_PORT" "$PG_SUPERUSER_PASSWORD"
  pg_start
  wait_until_ready PostgreSQL "" 60 "$PG_LOG" pg_is_ready "$PG_PORT"
  pg_provision "$PG_PORT" "$PG_SUPERUSER_PASSWORD" "$PG_WEFT_PASSWORD" "$PG_READER_PASSWORD"

  mqtt_make_certificates
  mqtt_write_password_file "$MQTT_PUBLISHER_PASSWORD" "$MQTT_READER_PASSWORD"
  mqtt_write_config "$MQTT_PORT" "$MQTTS_PORT"
  mqtt_start
  wait_until_ready Mosquitto "$(read_pid_file "$RUN_DIR/mosquitto.pid")" 30 "$MQTT_LOG" mqtt_is_ready "$MQTT_PORT" "$MQTT_PUBLISHER_PASSWORD"

  influx_write_config "$INFLUX_PORT" "$INFLUX_RPC_PORT"
  influx_start
  wait_until_ready "InfluxDB /ping" "$(read_pid_file "$RUN_DIR/influxdb.pid")" 60 "$INFLUX_LOG" influx_ping "$INFLUX_PORT"
  influx_provision "$INFLUX_PORT" "$INFLUX_ADMIN_PASSWORD" "$INFLUX_READER_PASSWORD"
  wait_until_ready InfluxDB "$(read_pid_file "$RUN_DIR/influxdb.pid")" 30 "$INFLUX_LOG" \
    influx_is_ready "$INFLUX_PORT" "$INFLUX_READER_PASSWORD"

  wait_until_ready Keycloak "$(read_pid_file "$RUN_DIR/keycloak.pid")" "$KEYCLOAK_BOOT_TIMEOUT_S" "$KEYCLOAK_LOG" keycloak_is_ready "$KEYCLOAK_URL"
  keycloak_provision "$KEYCLOAK_URL" "$KEYCLOAK_ADMIN_PASSWORD"
}

main() {
  local start_ms
  start_ms="$(now_ms)"
  load_server_libraries

  if [ -f "$ENV_SH" ]; then
    if environment_responds; then
      log "reusing the running test servers; $ENV_SH is unchanged"
      return 0
    fi
    log "the previous test servers do not all respond; stopping them and starting new ones"
  fi
  # Also stops servers of a run that failed before it wrote env.sh.
  if [ -d "$RUN_DIR" ]; then
    stop_all_servers
  fi

  wipe_state

  local install_ms
  install_ms="$(now_ms)"
  install_all
  log "software ready ($(seconds_since "$install_ms") s)"

  prepare_servers_dir
  # The server libraries derive their paths from SERVERS_DIR.
  load_server_libraries

  trap on_exit EXIT
  # Exiting on these signals runs the EXIT trap, which stops the servers.
  trap 'exit 130' INT
  trap 'exit 143' TERM
  generate_passwords
  choose_ports
  start_all_servers
  set_state_variables
  write_state_files

  log "PostgreSQL 127.0.0.1:$PG_PORT, Mosquitto 127.0.0.1:$MQTT_PORT (TLS $MQTTS_PORT), InfluxDB 127.0.0.1:$INFLUX_PORT, Keycloak 127.0.0.1:$KEYCLOAK_PORT"
  log "test servers ready in $(seconds_since "$start_ms") s; variables in $ENV_SH"
}

main "$@"
