#!/usr/bin/env bash
# Stops one running test server and starts it again on the same port with the
# same configuration and data, then waits until it responds. Tests use it to
# exercise reconnects. Usage: restart.sh mosquitto|influxdb
#
# Prints the new process id alone on standard output and stores it in env.sh
# and env.json (WEFT_TEST_MQTT_PID for Mosquitto); messages go to standard error.
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

usage() {
  printf 'Usage: %s mosquitto|influxdb\n' "$0" >&2
  exit 2
}

restart_mosquitto() {
  local port password pid

  port="$(url_port "$(read_env_value WEFT_TEST_MQTT_URL)")"
  password="$(read_env_value WEFT_TEST_MQTT_PASSWORD)"
  mqtt_stop
  mqtt_start
  pid="$(read_pid_file "$RUN_DIR/mosquitto.pid")"
  wait_until_ready Mosquitto "$pid" 30 "$MQTT_LOG" mqtt_is_ready "$port" "$password"
  update_state_value WEFT_TEST_MQTT_PID "$pid"
  printf '%s\n' "$pid"
}

restart_influxdb() {
  local port password pid

  port="$(url_port "$(read_env_value WEFT_TEST_INFLUX_URL)")"
  password="$(read_env_value WEFT_TEST_INFLUX_PASSWORD)"
  influx_stop
  influx_start
  pid="$(read_pid_file "$RUN_DIR/influxdb.pid")"
  wait_until_ready InfluxDB "$pid" 60 "$INFLUX_LOG" influx_is_ready "$port" "$password"
  printf '%s\n' "$pid"
}

main() {
  [ "$#" -eq 1 ] || usage
  [ -f "$ENV_SH" ] || fail "$ENV_SH not found; start the test servers with 'bash scripts/test-env/up.sh'"
  load_server_libraries

  case "$1" in
    mosquitto) restart_mosquitto ;;
    influxdb) restart_influxdb ;;
    *) usage ;;
  esac
}

main "$@"
