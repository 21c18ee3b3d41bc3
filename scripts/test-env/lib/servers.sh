# shellcheck shell=bash
# Operations on all four servers at once: loading their libraries, checking
# that a running environment responds, and stopping it.

# Sources the per-server libraries. Their paths derive from SERVERS_DIR, so
# up.sh calls this only after it has chosen that directory.
load_server_libraries() {
  # shellcheck source=postgres.sh
  . "$TEST_ENV_LIB_DIR/postgres.sh"
  # shellcheck source=mosquitto.sh
  . "$TEST_ENV_LIB_DIR/mosquitto.sh"
  # shellcheck source=influxdb.sh
  . "$TEST_ENV_LIB_DIR/influxdb.sh"
  # shellcheck source=keycloak.sh
  . "$TEST_ENV_LIB_DIR/keycloak.sh"
}

# Prints the port of a URL such as postgres://user:password@127.0.0.1:5432/db.
url_port() {
  local url="$1"

  [[ "$url" =~ ^[a-z]+://[^/]*:([0-9]+)(/.*)?$ ]] || fail "no port in a URL stored in $ENV_SH; run down.sh and up.sh again"
  printf '%s' "${BASH_REMATCH[1]}"
}

# Prints the password of a URL such as postgres://user:password@host:port/db.
url_password() {
  local url="$1"
  local credentials="${url#*://}"

  credentials="${credentials%%@*}"
  printf '%s' "${credentials#*:}"
}

# Succeeds when every server named in env.sh runs and accepts the credentials
# stored there. Logs the first server that does not respond.
environment_responds() {
  (
    set +u
    # shellcheck disable=SC1090
    . "$ENV_SH"

    local pg_port influx_port
    pg_port="$(url_port "$WEFT_TEST_PG_URL")"
    influx_port="$(url_port "$WEFT_TEST_INFLUX_URL")"

    if ! pg_can_log_in "$pg_port" weft "$(url_password "$WEFT_TEST_PG_URL")" weft; then
      log "PostgreSQL on port $pg_port does not respond"
      return 1
    fi
    if ! is_pid_alive "$(read_pid_file "$RUN_DIR/mosquitto.pid")" ||
      ! mqtt_is_ready "$(url_port "$WEFT_TEST_MQTT_URL")" "$WEFT_TEST_MQTT_PASSWORD" >/dev/null 2>&1; then
      log "Mosquitto on $WEFT_TEST_MQTT_URL does not respond"
      return 1
    fi
    if ! influx_is_ready "$influx_port" "$WEFT_TEST_INFLUX_PASSWORD" >/dev/null 2>&1; then
      log "InfluxDB on $WEFT_TEST_INFLUX_URL does not respond"
      return 1
    fi
    if ! keycloak_is_ready "$WEFT_TEST_KEYCLOAK_URL" 2>/dev/null; then
      log "Keycloak on $WEFT_TEST_KEYCLOAK_URL does not respond"
      return 1
    fi
  )
}

stop_all_servers() {
  keycloak_stop
  influx_stop
  mqtt_stop
  pg_stop
}
