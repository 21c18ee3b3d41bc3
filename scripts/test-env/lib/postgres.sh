# shellcheck shell=bash
# Throwaway PostgreSQL cluster: initdb, pg_ctl start/stop and the roles and
# databases the tests use.

PG_SUPERUSER="postgres"
PG_DATA_DIR="$SERVERS_DIR/postgres/data"
PG_SOCKET_DIR="$SERVERS_DIR/postgres/socket"
PG_LOG="$LOG_DIR/postgres.log"

# Runs psql as the superuser over TCP. PGPASSWORD keeps the password out of
# argv; the SQL comes on standard input.
pg_superuser_psql() {
  local port="$1" password="$2" database="$3"

  PGPASSWORD="$password" PGCONNECT_TIMEOUT=5 psql -X -q -v ON_ERROR_STOP=1 \
    "host=127.0.0.1 port=$port user=$PG_SUPERUSER dbname=$database"
}

pg_is_ready() {
  local port="$1"

  pg_isready -q -h 127.0.0.1 -p "$port" -t 2
}

# Succeeds when the role can log in to the database and run a query.
pg_can_log_in() {
  local port="$1" user="$2" password="$3" database="$4"

  PGPASSWORD="$password" PGCONNECT_TIMEOUT=5 psql -X -q -t -A \
    "host=127.0.0.1 port=$port user=$user dbname=$database" -c 'SELECT 1' >/dev/null 2>&1
}

pg_init_cluster() {
  local port="$1" superuser_password="$2"
  local bin_dir password_file
  bin_dir="$(postgres_bin_dir)"

  make_server_dir "$SERVERS_DIR/postgres"
  make_server_dir "$PG_SOCKET_DIR"

  # initdb reads the superuser password from a file; it is deleted right after.
  password_file="$SERVERS_DIR/postgres/initdb-password"
  (umask 077 && printf '%s\n' "$superuser_password" >"$password_file")
  give_to_server_user "$password_file"

  run_as_server_user "$bin_dir/initdb" --pgdata="$PG_DATA_DIR" --username="$PG_SUPERUSER" \
    --pwfile="$password_file" --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
    --encoding=UTF8 --no-locale --no-instructions >"$LOG_DIR/initdb.log" 2>&1 ||
    fail "initdb failed for $PG_DATA_DIR; see $LOG_DIR/initdb.log"
  rm -f "$password_file"

  # Durability settings are off because the cluster is thrown away after the run.
  cat >>"$PG_DATA_DIR/postgresql.conf" <<EOF

# Added by scripts/test-env/up.sh for a throwaway test cluster.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PG_SOCKET_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
}

pg_start() {
  local bin_dir
  bin_dir="$(postgres_bin_dir)"

  # Without --log, the postmaster writes to pg_ctl's standard output, which this
  # shell opens, so the server account needs no access to the log directory.
  run_as_server_user "$bin_dir/pg_ctl" --pgdata="$PG_DATA_DIR" --wait --timeout=60 start \
    >>"$PG_LOG" 2>&1 </dev/null ||
    fail "PostgreSQL did not start; see its log file $PG_LOG"
}

pg_stop() {
  local bin_dir
  bin_dir="$(postgres_bin_dir)"

  if [ -z "$bin_dir" ] || [ ! -f "$PG_DATA_DIR/postmaster.pid" ]; then
    return 0
  fi

  run_as_server_user "$bin_dir/pg_ctl" --pgdata="$PG_DATA_DIR" --mode=fast --wait --timeout=30 stop \
    >/dev/null 2>&1 || pg_kill_postmaster
}

# Fallback when pg_ctl cannot stop the server, for example after its binaries
# were removed: the postmaster's process id is the first line of postmaster.pid.
pg_kill_postmaster() {
  local pid
  pid="$(head -n 1 "$PG_DATA_DIR/postmaster.pid" 2>/dev/null || true)"

  if is_pid_alive "$pid"; then
    log "pg_ctl stop failed; sending SIGQUIT to the postmaster ($pid)"
    kill -QUIT "$pid" 2>/dev/null || true
  fi
}

# Creates role weft owning database weft, and database weft_fabric (also owned
# by weft) that role weft_reader may only read.
pg_provision() {
  local port="$1" superuser_password="$2" weft_password="$3" reader_password="$4"

  pg_superuser_psql "$port" "$superuser_password" postgres >>"$LOG_DIR/postgres-provision.log" 2>&1 <<EOF ||
-- A failing statement would otherwise be echoed with its password, by the
-- server into its log and by psql into the provisioning log.
SET log_min_error_statement = panic;
\\set VERBOSITY terse
\\set weft_password '$weft_password'
\\set reader_password '$reader_password'
CREATE ROLE weft LOGIN PASSWORD :'weft_password';
CREATE DATABASE weft OWNER weft;
CREATE ROLE weft_reader LOGIN PASSWORD :'reader_password';
ALTER ROLE weft_reader SET default_transaction_read_only = on;
CREATE DATABASE weft_fabric OWNER weft;
REVOKE ALL ON DATABASE weft FROM PUBLIC;
REVOKE ALL ON DATABASE weft_fabric FROM PUBLIC;
GRANT CONNECT ON DATABASE weft_fabric TO weft_reader;
\\connect weft_fabric
SET log_min_error_statement = panic;
GRANT USAGE ON SCHEMA public TO weft_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE weft IN SCHEMA public GRANT SELECT ON TABLES TO weft_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE weft IN SCHEMA public GRANT SELECT ON SEQUENCES TO weft_reader;
EOF
    fail "creating the PostgreSQL roles and databases failed; see $LOG_DIR/postgres-provision.log"
}
