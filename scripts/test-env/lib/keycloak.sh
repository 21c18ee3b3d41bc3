# shellcheck shell=bash disable=SC2034 # Some variables are read by the scripts that source this file.
# Throwaway Keycloak server: realm weft imported from ontologies/keycloak/,
# test users created through the admin REST API.

KEYCLOAK_DIR="$SERVERS_DIR/keycloak"
KEYCLOAK_HOME="$KEYCLOAK_DIR/home"
KEYCLOAK_LOG="$LOG_DIR/keycloak.log"
KEYCLOAK_REALM_FILE="$REPO_ROOT/ontologies/keycloak/weft-realm.json"
KEYCLOAK_REALM="weft"
KEYCLOAK_BOOTSTRAP_ADMIN="weft-bootstrap-admin"

# The machine has 2 cores and runs the other servers and Jest beside Keycloak,
# so the heap is capped instead of Keycloak's default of 70 % of memory.
KEYCLOAK_HEAP_OPTIONS="-Xms64m -Xmx512m"

# On Java 24 and later, Keycloak 26.5.6's executor threads die with an
# IllegalAccessError ("to use the thread-local-reset capability on Java 24 or
# later, use ... --add-opens java.base/java.lang=ALL-UNNAMED") unless
# java.lang is opened. Older JDKs accept the option too.
KEYCLOAK_EXTRA_JAVA_OPTIONS="--add-opens=java.base/java.lang=ALL-UNNAMED"

# Keycloak booted in about 15 s on an idle 2-core machine and in up to 130 s
# while other jobs loaded it. The limit leaves room for slower machines.
KEYCLOAK_BOOT_TIMEOUT_S=600

# Test users: username, realm role ("" for none), first name, last name.
KEYCLOAK_TEST_USERS=(
  "alice-researcher:researcher:Alice:Researcher"
  "sam-steward:steward:Sam:Steward"
  "ada-admin:admin:Ada:Admin"
  "nora-norole::Nora:Norole"
)

# Gives the server a Keycloak home of its own: the cached, built distribution
# hard-linked (copied across file systems), with new directories the server
# account owns. The linked files stay root-owned and read-only to the server.
keycloak_prepare_home() {
  rm -rf "$KEYCLOAK_DIR"
  mkdir -p "$KEYCLOAK_DIR"

  cp -al "$KEYCLOAK_HOME_CACHE" "$KEYCLOAK_HOME" 2>/dev/null || {
    rm -rf "$KEYCLOAK_HOME"
    cp -a "$KEYCLOAK_HOME_CACHE" "$KEYCLOAK_HOME"
  }

  make_server_dir "$KEYCLOAK_DIR"
  make_server_dir "$KEYCLOAK_HOME/data"
  make_server_dir "$KEYCLOAK_HOME/data/import"
  if is_root; then
    find "$KEYCLOAK_HOME" -type d -exec chown "$SERVER_USER:$SERVER_USER" {} +
  fi

  cp "$KEYCLOAK_REALM_FILE" "$KEYCLOAK_HOME/data/import/weft-realm.json"
  give_to_server_user "$KEYCLOAK_HOME/data/import/weft-realm.json"
}

# Starts Keycloak in production mode from the optimized build. The local cache
# keeps Infinispan from forming a cluster, which would listen on every network
# interface. The bootstrap admin's password reaches Keycloak through the environment.
keycloak_start() {
  local port="$1" admin_password="$2"

  JAVA_HOME="$KEYCLOAK_JAVA_HOME" \
    JAVA_OPTS_KC_HEAP="$KEYCLOAK_HEAP_OPTIONS" \
    JAVA_OPTS_APPEND="$KEYCLOAK_EXTRA_JAVA_OPTIONS" \
    KC_BOOTSTRAP_ADMIN_USERNAME="$KEYCLOAK_BOOTSTRAP_ADMIN" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$admin_password" \
    start_server_process keycloak "$KEYCLOAK_LOG" "$KEYCLOAK_HOME/bin/kc.sh" start --optimized \
    --cache=local --http-enabled=true --http-host=127.0.0.1 --http-port="$port" \
    --hostname="http://127.0.0.1:$port" --import-realm
}

keycloak_stop() {
  local pid
  pid="$(read_pid_file "$RUN_DIR/keycloak.pid")"

  if [ -n "$pid" ]; then
    stop_process_group keycloak "$pid" 30 "$KEYCLOAK_HOME/bin/kc.sh"
  fi
  rm -f "$RUN_DIR/keycloak.pid"
}

# Succeeds when realm weft publishes its OpenID Connect discovery document with
# the expected issuer.
keycloak_is_ready() {
  local url="$1"
  local issuer

  issuer="$(curl --silent --fail --max-time 5 "$url/realms/$KEYCLOAK_REALM/.well-known/openid-configuration" | jq -r '.issuer')"
  [ "$issuer" = "$url/realms/$KEYCLOAK_REALM" ]
}

# Prints an access token of the bootstrap admin from realm master.
keycloak_admin_token() {
  local url="$1" admin_password="$2"

  curl --silent --show-error --fail --max-time 30 --config - <<EOF | jq -r '.access_token'
url = "$url/realms/master/protocol/openid-connect/token"
data-urlencode = "grant_type=password"
data-urlencode = "client_id=admin-cli"
data-urlencode = "username=$KEYCLOAK_BOOTSTRAP_ADMIN"
data-urlencode = "password=$admin_password"
EOF
}

# Calls the admin REST API. The bearer token goes to curl in a config file on
# standard input; the request body, if any, comes from the file named by $4.
keycloak_admin_request() {
  local method="$1" url="$2" token="$3" body_file="${4:-}"
  local body_lines=""

  if [ -n "$body_file" ]; then
    body_lines="header = \"Content-Type: application/json\"
data-binary = \"@$body_file\""
  fi

  curl --silent --show-error --fail --max-time 30 --config - <<EOF
request = "$method"
url = "$url"
header = "Authorization: Bearer $token"
$body_lines
EOF
}

# Creates one enabled user with a complete profile, so that the password grant
# does not stop at a required "update profile" action, and grants its role.
keycloak_create_user() {
  local url="$1" token="$2" username="$3" role="$4" first_name="$5" last_name="$6" password="$7"
  local admin_url="$url/admin/realms/$KEYCLOAK_REALM"
  local body_file="$RUN_DIR/keycloak-request.json"
  local user_id role_json

  (
    umask 077
    USER_PASSWORD="$password" jq -n \
      --arg username "$username" --arg first "$first_name" --arg last "$last_name" \
      '{username: $username, enabled: true, emailVerified: true,
        email: ($username + "@weft.test"), firstName: $first, lastName: $last,
        credentials: [{type: "password", value: $ENV.USER_PASSWORD, temporary: false}]}' >"$body_file"
  )
  keycloak_admin_request POST "$admin_url/users" "$token" "$body_file" >/dev/null ||
    fail "creating Keycloak user $username failed; see $KEYCLOAK_LOG"
  rm -f "$body_file"

  if [ -z "$role" ]; then
    return 0
  fi

  user_id="$(keycloak_admin_request GET "$admin_url/users?username=$username&exact=true" "$token" | jq -r '.[0].id')" ||
    fail "looking up Keycloak user $username failed; see $KEYCLOAK_LOG"
  if [ -z "$user_id" ] || [ "$user_id" = "null" ]; then
    fail "Keycloak user $username was created but not found by username"
  fi

  role_json="$(keycloak_admin_request GET "$admin_url/roles/$role" "$token")" ||
    fail "realm role $role not found in realm $KEYCLOAK_REALM; check $KEYCLOAK_REALM_FILE"
  printf '[%s]' "$role_json" >"$body_file"
  keycloak_admin_request POST "$admin_url/users/$user_id/role-mappings/realm" "$token" "$body_file" >/dev/null ||
    fail "granting realm role $role to $username failed; see $KEYCLOAK_LOG"
  rm -f "$body_file"
}

# Creates the test users. Each password is read from the variable named
# KEYCLOAK_PASSWORD_<role or norole>, which up.sh sets before this call.
keycloak_provision() {
  local url="$1" admin_password="$2"
  local token entry username role first_name last_name password_variable

  token="$(keycloak_admin_token "$url" "$admin_password")" ||
    fail "the Keycloak bootstrap admin could not get a token; see $KEYCLOAK_LOG"
  if [ -z "$token" ] || [ "$token" = "null" ]; then
    fail "the Keycloak bootstrap admin could not get a token; see $KEYCLOAK_LOG"
  fi

  for entry in "${KEYCLOAK_TEST_USERS[@]}"; do
    IFS=: read -r username role first_name last_name <<<"$entry"
    password_variable="KEYCLOAK_PASSWORD_${role:-norole}"
    keycloak_create_user "$url" "$token" "$username" "$role" "$first_name" "$last_name" "${!password_variable}"
  done
}
