# shellcheck shell=bash
# Installs the server software that the test environment needs: Debian packages,
# the weft-test account and a built Keycloak distribution under .cache/.

# Keycloak 26.5 supports OpenJDK 17, 21 and 25 (Keycloak's "Supported
# Configurations" guide), which install_keycloak checks before the build.
KEYCLOAK_VERSION="26.5.6"
KEYCLOAK_ARTIFACT="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:tar.gz"
MAVEN_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
KEYCLOAK_HOME_CACHE="$CACHE_DIR/keycloak/keycloak-$KEYCLOAK_VERSION"

# Build-time options baked into the cached distribution by `kc.sh build`. The
# dev-file database is an H2 file inside the Keycloak home directory.
KEYCLOAK_BUILD_OPTIONS=(--db=dev-file --health-enabled=false --metrics-enabled=false)

# Each entry maps a command to the Debian package that provides it.
REQUIRED_COMMANDS=(
  "curl:curl"
  "jq:jq"
  "openssl:openssl"
  "setsid:util-linux"
  "setpriv:util-linux"
  "mosquitto:mosquitto"
  "mosquitto_passwd:mosquitto"
  "mosquitto_sub:mosquitto-clients"
  "mosquitto_pub:mosquitto-clients"
  "influxd:influxdb"
  "psql:postgresql-client"
  "pg_isready:postgresql-client"
  "mvn:maven"
)

# Prints the directory holding initdb and pg_ctl of the newest installed
# PostgreSQL server, or nothing when no server package is installed.
postgres_bin_dir() {
  local dir

  dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    printf '%s' "$dir"
  fi
}

# Prints the Debian packages whose commands are missing, one per line.
missing_packages() {
  local entry command package

  for entry in "${REQUIRED_COMMANDS[@]}"; do
    command="${entry%%:*}"
    package="${entry#*:}"
    if ! command -v "$command" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$command" ]; then
      printf '%s\n' "$package"
    fi
  done

  if [ -z "$(postgres_bin_dir)" ]; then
    printf '%s\n' "postgresql"
  fi
}

# Installs missing Debian packages without letting their maintainer scripts
# start the system services: the test servers are separate processes.
install_packages() {
  local packages=()
  local package added_policy=0

  while IFS= read -r package; do
    packages+=("$package")
  done < <(missing_packages | sort -u)

  if [ "${#packages[@]}" -eq 0 ]; then
    return 0
  fi

  is_root || fail "missing packages: ${packages[*]}; install them with 'sudo apt-get install ${packages[*]}' or run this script as root"

  log "installing Debian packages: ${packages[*]}"

  # A policy-rc.d that exits with code 101 makes invoke-rc.d skip starting services.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    added_policy=1
  fi

  local status=0
  DEBIAN_FRONTEND=noninteractive apt-get update -q >"$LOG_DIR/apt-get.log" 2>&1 || status=$?
  if [ "$status" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" \
      >>"$LOG_DIR/apt-get.log" 2>&1 || status=$?
  fi

  if [ "$added_policy" -eq 1 ]; then
    rm -f /usr/sbin/policy-rc.d
  fi

  if [ "$status" -ne 0 ]; then
    tail -n 20 "$LOG_DIR/apt-get.log" >&2
    fail "apt-get failed with exit code $status installing ${packages[*]}; see $LOG_DIR/apt-get.log"
  fi
}

ensure_server_user() {
  if ! is_root || id -u "$SERVER_USER" >/dev/null 2>&1; then
    return 0
  fi

  log "creating system user $SERVER_USER"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$SERVER_USER"
}

# Prints the major version of a java binary, for example 17 or 25.
java_major_version() {
  local java_bin="$1"
  local version

  version="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  printf '%s' "${version%%.*}"
}

# Prints the JAVA_HOME to run Keycloak with: the newest supported LTS JDK
# found, 25 before 21 before 17, as Keycloak recommends the latest one.
find_java_home() {
  local major_version candidate
  local candidates=()

  if [ -n "${JAVA_HOME:-}" ]; then
    candidates+=("$JAVA_HOME")
  fi
  for candidate in /usr/lib/jvm/*; do
    if [ -d "$candidate" ] && [ ! -L "$candidate" ]; then
      candidates+=("$candidate")
    fi
  done

  for major_version in 25 21 17; do
    for candidate in "${candidates[@]}"; do
      if [ -x "$candidate/bin/java" ] && [ "$(java_major_version "$candidate/bin/java")" = "$major_version" ]; then
        printf '%s' "$candidate"
        return 0
      fi
    done
  done
}

ensure_java_home() {
  KEYCLOAK_JAVA_HOME="$(find_java_home)"
  if [ -n "$KEYCLOAK_JAVA_HOME" ]; then
    return 0
  fi

  is_root || fail "no JDK 17, 21 or 25 found in JAVA_HOME or /usr/lib/jvm; install one, for example 'sudo apt-get install openjdk-17-jre-headless'"
  log "installing openjdk-17-jre-headless because no JDK 17, 21 or 25 was found"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openjdk-17-jre-headless \
    >>"$LOG_DIR/apt-get.log" 2>&1 || fail "apt-get install openjdk-17-jre-headless failed; see $LOG_DIR/apt-get.log"

  KEYCLOAK_JAVA_HOME="$(find_java_home)"
  [ -n "$KEYCLOAK_JAVA_HOME" ] || fail "openjdk-17-jre-headless is installed but no java 17 was found under /usr/lib/jvm"
}

# Fetches the Keycloak distribution from Maven Central through Maven into
# .cache/m2, unpacks it and runs `kc.sh build` once per set of build options.
install_keycloak() {
  local archive="$CACHE_DIR/m2/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz"
  local marker="$KEYCLOAK_HOME_CACHE/.weft-build-options"
  local expected_options="${KEYCLOAK_BUILD_OPTIONS[*]} java=$KEYCLOAK_JAVA_HOME"

  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$expected_options" ]; then
    return 0
  fi

  if [ ! -s "$archive" ]; then
    log "fetching $KEYCLOAK_ARTIFACT with Maven"
    mvn -B -q -Dmaven.repo.local="$CACHE_DIR/m2" "$MAVEN_DEPENDENCY_PLUGIN:get" \
      -Dartifact="$KEYCLOAK_ARTIFACT" -Dtransitive=false >"$LOG_DIR/maven.log" 2>&1 ||
      fail "Maven could not fetch $KEYCLOAK_ARTIFACT; see $LOG_DIR/maven.log"
  fi

  log "unpacking and building Keycloak $KEYCLOAK_VERSION in $KEYCLOAK_HOME_CACHE"
  rm -rf "$KEYCLOAK_HOME_CACHE"
  mkdir -p "$CACHE_DIR/keycloak"
  tar -xzf "$archive" -C "$CACHE_DIR/keycloak"
  [ -x "$KEYCLOAK_HOME_CACHE/bin/kc.sh" ] || fail "$archive did not unpack to $KEYCLOAK_HOME_CACHE/bin/kc.sh; delete the archive and run up.sh again"

  JAVA_HOME="$KEYCLOAK_JAVA_HOME" "$KEYCLOAK_HOME_CACHE/bin/kc.sh" build "${KEYCLOAK_BUILD_OPTIONS[@]}" \
    >"$LOG_DIR/keycloak-build.log" 2>&1 ||
    fail "kc.sh build failed; see $LOG_DIR/keycloak-build.log"

  # The build leaves its own temporary files; each run starts from a clean data directory.
  rm -rf "$KEYCLOAK_HOME_CACHE/data"
  printf '%s' "$expected_options" >"$marker"
}

install_all() {
  install_packages
  ensure_server_user
  ensure_java_home
  install_keycloak
}
