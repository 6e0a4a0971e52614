#!/usr/bin/env bash
# Local services for xinfang without Docker: PostgreSQL, Redis, Elasticsearch.
#
#   deploy/services.sh start  [postgres|redis|elasticsearch ...]
#   deploy/services.sh stop   [postgres|redis|elasticsearch ...]
#   deploy/services.sh status [postgres|redis|elasticsearch ...]
#   deploy/services.sh restart [...]
#
# Installs what is missing (Debian packages, Elasticsearch from Maven Central), runs private
# instances whose data, logs and pid files all live under <repo>/.data/ (git-ignored), and never
# touches the system's own PostgreSQL cluster or Redis. Must run as root (it switches to the
# postgres / redis / elasticsearch OS users itself). Idempotent: `start` on running services only
# verifies them. Ports: XINFANG_PG_PORT (5432), XINFANG_REDIS_PORT (6379), XINFANG_ES_PORT (9200).
# XINFANG_PG_REPLICA=1 adds a streaming replica of PostgreSQL (synchronous, hot standby) on
# XINFANG_PG_REPLICA_PORT (XINFANG_PG_PORT+1). XINFANG_ES_NODES=3 runs Elasticsearch as a 3-node cluster (HTTP on XINFANG_ES_PORT..+2, transport
# on XINFANG_ES_TRANSPORT_PORT..+2, XINFANG_ES_HEAP each).
# XINFANG_PG_FIRST_LOAD=1 starts PostgreSQL for a first bulk load (the national import of every
# office) before any replica exists: wal_level=minimal, no WAL senders, so the tables and indexes
# a transaction creates are written without WAL and synced once at its commit (PostgreSQL's own
# advice for populating a database). Restart without it afterwards; then add the replica.
# XINFANG_DATA_DIR (<repo>/.data) holds one set of services' state: with other ports and another
# data directory a second, private set runs beside the first (the fault suite: `make faults`).
# Downloads and the unpacked Elasticsearch stay in <repo>/.data, shared by both.
set -euo pipefail

# Services started here outlive whoever started them: in a session of their own, a job control
# or CI kill of the caller's process group (a test that restarts Elasticsearch, a shell job that
# ends) never takes them down with it.
if [[ ${1:-} =~ ^(start|restart)$ && -z ${XINFANG_SERVICES_SESSION:-} ]]; then
  XINFANG_SERVICES_SESSION=1 exec setsid --wait "$0" "$@"
fi

# ---- pinned versions: the one place to change them ---------------------------------------------
ES_VERSION=8.19.21                    # org.elasticsearch.distribution.integ-test-zip:elasticsearch
PG_MAJOR=15                           # Debian 12 `postgresql` package
MVN_DEPENDENCY_PLUGIN=3.8.1           # org.apache.maven.plugins:maven-dependency-plugin
ES_HEAP=${XINFANG_ES_HEAP:-512m}    # per node
# Java candidates for Elasticsearch, first one ES's own version check accepts wins.
ES_JAVA_CANDIDATES=(
  "${ES_JAVA_HOME:-}"
  /usr/lib/jvm/java-17-openjdk-amd64
  /usr/lib/jvm/temurin-25-jdk-amd64
)
# -------------------------------------------------------------------------------------------------

SCRIPT_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
DATA=${XINFANG_DATA_DIR:-$ROOT/.data}   # this set of services' data, logs, sockets, pid files
INSTALL="$ROOT/.data"                   # what is downloaded and unpacked once
RUN="$DATA/run"            # unix sockets
LOGS="$DATA/logs"
DOWNLOADS="$INSTALL/downloads"

HOST=127.0.0.1
PG_PORT=${XINFANG_PG_PORT:-5432}
REDIS_PORT=${XINFANG_REDIS_PORT:-6379}
ES_PORT=${XINFANG_ES_PORT:-9200}
ES_TRANSPORT_PORT=${XINFANG_ES_TRANSPORT_PORT:-9300}
ES_NODES=${XINFANG_ES_NODES:-1}

PG_DATA="$DATA/postgres"
PG_LOG="$LOGS/postgres.log"
# XINFANG_PG_REPLICA=1: a streaming replica of the cluster (hot standby, read-only) beside it
PG_REPLICA=${XINFANG_PG_REPLICA:-0}
PG_REPLICA_PORT=${XINFANG_PG_REPLICA_PORT:-$((PG_PORT + 1))}
PG_REPLICA_DATA="$DATA/postgres-replica"
PG_REPLICA_LOG="$LOGS/postgres-replica.log"
PG_REPLICA_NAME=xinfang_replica   # its application_name and replication slot on the primary
PG_USER=xinfang PG_PASSWORD=xinfang PG_DB=xinfang
PG_FIRST_LOAD=${XINFANG_PG_FIRST_LOAD:-0}
PG_WAL_LEVEL=replica PG_WAL_SENDERS=10
if [[ $PG_FIRST_LOAD == 1 ]]; then PG_WAL_LEVEL=minimal PG_WAL_SENDERS=0; fi

REDIS_DIR="$DATA/redis"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

ES_HOME="$INSTALL/elasticsearch-$ES_VERSION"
ES_CLUSTER_NAME=xinfang-cluster      # with XINFANG_ES_NODES > 1
ES_USER=elasticsearch
ES_WAIT=${XINFANG_ES_WAIT:-120}
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"

ALL_SERVICES=(postgres redis elasticsearch)

say()  { printf '==> %s\n' "$*"; }
warn() { printf '!!  %s\n' "$*" >&2; }
die()  { warn "$*"; exit 1; }
show_log() {  # show_log FILE [LINES]
  local f=$1 n=${2:-40}
  if [[ -f $f ]]; then
    warn "last $n lines of $f:"
    tail -n "$n" "$f" | sed 's/^/    /' >&2
  else
    warn "(no log at $f)"
  fi
}
# proc_running PID [COMM]: a live process (named COMM), not a zombie waiting for an init that
# may not reap it. Not kill -0: `status` also runs unprivileged.
proc_running() {
  local p=$1 st
  [[ $p =~ ^[0-9]+$ && -r /proc/$p/stat ]] || return 1
  st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n $st && $st != Z && $st != X ]] || return 1
  [[ -z ${2:-} || $(cat "/proc/$p/comm" 2>/dev/null) == "$2" ]]
}
# pid_alive PIDFILE [COMM]: a stale pid file whose pid was reused by another program is not alive
pid_alive() { [[ -f $1 ]] && proc_running "$(head -n1 "$1" 2>/dev/null)" "${2:-}"; }
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
# run a command as another OS user from a directory it can read (it cannot enter /root)
# (fd 9 is our lock: daemons must not inherit it, or they would hold it forever)
as_user() { local u=$1; shift; (cd / && exec 9>&- && runuser -u "$u" -- "$@"); }

ensure_system_user() {  # ensure_system_user NAME HOME
  id -u "$1" >/dev/null 2>&1 && return 0
  say "creating system user $1"
  useradd --system --user-group --home-dir "$2" --no-create-home --shell /usr/sbin/nologin "$1"
}

APT_UPDATED=0
apt_install() {  # apt_install PKG...  (never lets the package start its own system service)
  [[ $(id -u) -eq 0 ]] || die "need root to apt-get install $*"
  say "installing Debian packages: $*"
  local made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local rc=0 log="$LOGS/apt.log"
  mkdir -p "$LOGS"
  {
    if [[ $APT_UPDATED -eq 0 ]]; then apt-get update -qq && APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
  } >"$log" 2>&1 || rc=$?
  [[ $made_policy -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
  [[ $rc -eq 0 ]] || { show_log "$log" 20; die "apt-get install $* failed (rc=$rc)"; }
}

prepare_dirs() {
  mkdir -p "$INSTALL" "$DATA" "$RUN" "$LOGS" "$DOWNLOADS"
  chmod 755 "$INSTALL" "$DATA" "$LOGS" "$DOWNLOADS"
  chmod 1777 "$RUN"   # every service user puts its socket here
}

# =================================================================================================
# PostgreSQL
# =================================================================================================
pg_bindir() {
  local d
  if [[ -x /usr/lib/postgresql/$PG_MAJOR/bin/initdb ]]; then echo "/usr/lib/postgresql/$PG_MAJOR/bin"; return; fi
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [[ -n $d && -x $d/initdb ]] && echo "$d"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1; }
pg_ours_running() { pid_alive "$PG_DATA/postmaster.pid" postgres; }

pg_write_conf() {
  # Rewritten at every start, so port and tuning follow this script.
  cat >"$PG_DATA/xinfang.conf" <<EOF
# written by deploy/services.sh at every start: edit the script, not this file
listen_addresses = '$HOST'
port = $PG_PORT
unix_socket_directories = '$RUN'
max_connections = 200
shared_buffers = 256MB
# many office schemas: dropping / migrating lots of tables in one transaction takes many locks
max_locks_per_transaction = 512
# replica: what a streaming replica and pg_basebackup need; minimal only for a first load
wal_level = $PG_WAL_LEVEL
max_wal_senders = $PG_WAL_SENDERS
# Durable: fsync, full_page_writes and synchronous_commit keep PostgreSQL's defaults (on), so a
# machine crash loses no committed transaction and never corrupts the cluster. The one cluster
# serves make run and the tests: only the test databases trade durability for speed, each with
# its own ALTER DATABASE ... SET synchronous_commit = off (tests/conftest.py), so a crash may lose
# a test database's last commits but never corrupts anything.
fsync = on
full_page_writes = on
synchronous_commit = on
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
timezone = 'UTC'
EOF
  chown postgres:postgres "$PG_DATA/xinfang.conf"
  grep -q "^include_if_exists = 'xinfang.conf'" "$PG_DATA/postgresql.conf" ||
    echo "include_if_exists = 'xinfang.conf'" >>"$PG_DATA/postgresql.conf"
}

pg_init() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  say "postgres: initdb $PG_DATA"
  mkdir -p "$PG_DATA"
  chown postgres:postgres "$PG_DATA"
  chmod 700 "$PG_DATA"
  local pwfile; pwfile=$(mktemp)
  echo postgres >"$pwfile"; chown postgres "$pwfile"
  if ! as_user postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" \
        -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 \
        >"$LOGS/postgres-initdb.log" 2>&1; then
    rm -f "$pwfile"; show_log "$LOGS/postgres-initdb.log"; die "postgres: initdb failed"
  fi
  rm -f "$pwfile"
  # local socket (inside .data) trusted; TCP needs a password, from 127.0.0.1 only
  cat >"$PG_DATA/pg_hba.conf" <<EOF
# written by deploy/services.sh
local all all                trust
host  all all 127.0.0.1/32   scram-sha-256
host  all all ::1/128        scram-sha-256
host  replication all 127.0.0.1/32 scram-sha-256
EOF
  chown postgres:postgres "$PG_DATA/pg_hba.conf"
}

pg_bootstrap_roles() {
  as_user postgres "$PG_BIN/psql" -h "$RUN" -p "$PG_PORT" -U postgres -d postgres -qAt \
      -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN;
  END IF;
END \$\$;
ALTER ROLE $PG_USER WITH LOGIN SUPERUSER CREATEDB PASSWORD '$PG_PASSWORD';
SELECT 'CREATE DATABASE $PG_DB OWNER $PG_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')
\gexec
SQL
}

start_postgres() {
  PG_BIN=$(pg_bindir || true)
  if [[ -z $PG_BIN ]]; then apt_install postgresql; PG_BIN=$(pg_bindir || true); fi
  [[ -n $PG_BIN ]] || die "postgres: no initdb under /usr/lib/postgresql/*/bin after install"
  ensure_system_user postgres /var/lib/postgresql
  local i
  if [[ $PG_FIRST_LOAD == 1 && $PG_REPLICA == 1 ]]; then
    die "postgres: XINFANG_PG_FIRST_LOAD=1 is for a load before any replica exists (not with XINFANG_PG_REPLICA=1)"
  fi

  if pg_ours_running; then
    # ours is up (or still starting / recovering): give it a moment, then say what is wrong
    for ((i = 0; i < 30; i++)); do pg_ready && break; sleep 1; done
    if pg_ready; then
      if [[ $PG_REPLICA == 1 && -f $PG_REPLICA_DATA/PG_VERSION ]]; then start_postgres_replica; fi
      pg_bootstrap_roles || die "postgres: could not create role/database $PG_USER"
      pg_require_wal_level
      say "postgres: already running on $HOST:$PG_PORT (pid $(head -n1 "$PG_DATA/postmaster.pid"))"
      if [[ $PG_REPLICA == 1 ]]; then start_postgres_replica; pg_require_replica; fi
      return 0
    fi
    show_log "$PG_LOG" 20
    die "postgres: our cluster (pid $(head -n1 "$PG_DATA/postmaster.pid")) runs but does not answer on $HOST:$PG_PORT (port changed? run: $0 stop postgres)"
  fi
  if port_open "$PG_PORT"; then
    die "postgres: port $PG_PORT is taken by another process (system cluster? try: pg_lsclusters; or set XINFANG_PG_PORT)"
  fi
  pg_init
  pg_write_conf
  touch "$PG_LOG"; chown postgres:postgres "$PG_LOG"
  if ! as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null; then
    show_log "$PG_LOG"; die "postgres: pg_ctl start failed"
  fi
  for ((i = 0; i < 60; i++)); do pg_ready && break; sleep 1; done
  if ! pg_ready; then show_log "$PG_LOG"; die "postgres: not answering pg_isready on $HOST:$PG_PORT"; fi
  # an existing replica first: with synchronous replication on, the primary's commits wait for it
  if [[ $PG_REPLICA == 1 && -f $PG_REPLICA_DATA/PG_VERSION ]]; then start_postgres_replica; fi
  pg_bootstrap_roles || { show_log "$PG_LOG"; die "postgres: could not create role/database $PG_USER"; }
  say "postgres: started on $HOST:$PG_PORT (postgresql://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT/$PG_DB)"
  if [[ $PG_REPLICA == 1 ]]; then start_postgres_replica; pg_require_replica; fi
}

# A running cluster keeps the wal_level it started with: say so rather than run in the wrong mode.
pg_require_wal_level() {
  local running
  running=$(pg_psql -c "SHOW wal_level")
  [[ $running == "$PG_WAL_LEVEL" ]] && return 0
  if [[ $running == minimal ]]; then
    die "postgres: running for a first load (wal_level=minimal); to end it: $0 restart postgres"
  fi
  die "postgres: running with wal_level=$running; for a first load: XINFANG_PG_FIRST_LOAD=1 $0 restart postgres"
}

pg_psql() { as_user postgres "$PG_BIN/psql" -h "$RUN" -p "$PG_PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 "$@"; }
pg_replica_ready() { "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_REPLICA_PORT" -t 2 >/dev/null 2>&1; }

# A hot standby of the primary, streaming through a replication slot (the primary keeps the WAL
# it has not received). Built once with pg_basebackup; its own port and data directory.
start_postgres_replica() {
  local i
  if pid_alive "$PG_REPLICA_DATA/postmaster.pid" postgres && pg_replica_ready; then
    say "postgres: replica already running on $HOST:$PG_REPLICA_PORT"; return 0
  fi
  if [[ ! -f $PG_REPLICA_DATA/PG_VERSION ]]; then
    port_open "$PG_REPLICA_PORT" && die "postgres: replica port $PG_REPLICA_PORT is taken (set XINFANG_PG_REPLICA_PORT)"
    pg_psql -c "SELECT pg_create_physical_replication_slot('$PG_REPLICA_NAME') WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = '$PG_REPLICA_NAME')" >/dev/null
    mkdir -p "$PG_REPLICA_DATA"; chown postgres:postgres "$PG_REPLICA_DATA"; chmod 700 "$PG_REPLICA_DATA"
    say "postgres: building the replica in $PG_REPLICA_DATA (pg_basebackup)"
    as_user postgres env PGPASSWORD="$PG_PASSWORD" "$PG_BIN/pg_basebackup" -h "$HOST" -p "$PG_PORT" \
        -U "$PG_USER" -D "$PG_REPLICA_DATA" -X stream -S "$PG_REPLICA_NAME" >"$LOGS/pg_basebackup.log" 2>&1 ||
      { show_log "$LOGS/pg_basebackup.log"; die "postgres: pg_basebackup failed"; }
    as_user postgres touch "$PG_REPLICA_DATA/standby.signal"
  fi
  # the primary's xinfang.conf came with the base backup: this one is the replica's
  cat >"$PG_REPLICA_DATA/xinfang.conf" <<EOF
# written by deploy/services.sh at every start: the streaming replica of $HOST:$PG_PORT
listen_addresses = '$HOST'
port = $PG_REPLICA_PORT
unix_socket_directories = '$RUN'
max_connections = 200
shared_buffers = 128MB
max_locks_per_transaction = 512
hot_standby = on
hot_standby_feedback = on
primary_conninfo = 'host=$HOST port=$PG_PORT user=$PG_USER password=$PG_PASSWORD application_name=$PG_REPLICA_NAME'
primary_slot_name = '$PG_REPLICA_NAME'
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
timezone = 'UTC'
EOF
  chown postgres:postgres "$PG_REPLICA_DATA/xinfang.conf"
  touch "$PG_REPLICA_LOG"; chown postgres:postgres "$PG_REPLICA_LOG"
  as_user postgres "$PG_BIN/pg_ctl" -D "$PG_REPLICA_DATA" -l "$PG_REPLICA_LOG" -w -t 120 start >/dev/null ||
    { show_log "$PG_REPLICA_LOG"; die "postgres: the replica did not start"; }
  for ((i = 0; i < 60; i++)); do pg_replica_ready && break; sleep 1; done
  pg_replica_ready || { show_log "$PG_REPLICA_LOG"; die "postgres: the replica does not answer on $HOST:$PG_REPLICA_PORT"; }
  say "postgres: replica started on $HOST:$PG_REPLICA_PORT (read-only, streaming from $PG_PORT)"
}

# Synchronous replication: a commit returns once the replica has its WAL on disk, so promoting
# the replica after the primary died loses no committed transaction (README: the promotion drill).
pg_require_replica() {
  pg_psql -c "ALTER SYSTEM SET synchronous_standby_names = '$PG_REPLICA_NAME'" -c "SELECT pg_reload_conf()" >/dev/null
}

stop_postgres_replica() {
  pid_alive "$PG_REPLICA_DATA/postmaster.pid" postgres || return 0
  as_user postgres "$PG_BIN/pg_ctl" -D "$PG_REPLICA_DATA" -m fast -w -t 60 stop >/dev/null ||
    { show_log "$PG_REPLICA_LOG"; die "postgres: pg_ctl stop of the replica failed"; }
  say "postgres: replica stopped"
}

stop_postgres() {
  PG_BIN=$(pg_bindir || true)
  [[ -n $PG_BIN ]] && stop_postgres_replica
  if [[ -z $PG_BIN ]] || ! pg_ours_running; then say "postgres: not running"; return 0; fi
  as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null ||
    { show_log "$PG_LOG"; die "postgres: pg_ctl stop failed"; }
  say "postgres: stopped"
}

status_postgres() {
  PG_BIN=$(pg_bindir || true)
  if [[ -n $PG_BIN ]] && pg_ours_running && pg_ready; then
    echo "postgres       up    $HOST:$PG_PORT  pid $(head -n1 "$PG_DATA/postmaster.pid")  data $PG_DATA"
  elif [[ -n $PG_BIN && -d $PG_DATA && ! -r $PG_DATA ]] && pg_ready; then
    echo "postgres       up    $HOST:$PG_PORT  (data dir not readable by $(id -un))"
  else
    echo "postgres       down  $HOST:$PG_PORT"; return 1
  fi
  if [[ $PG_REPLICA == 1 ]]; then
    if pg_replica_ready; then echo "postgres       up    $HOST:$PG_REPLICA_PORT  replica  data $PG_REPLICA_DATA"
    else echo "postgres       down  $HOST:$PG_REPLICA_PORT  replica"; return 1; fi
  fi
}

# =================================================================================================
# Redis
# =================================================================================================
redis_ping() { [[ $(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_user() { if id -u redis >/dev/null 2>&1; then echo redis; else echo root; fi; }

start_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || apt_install redis-server
  local i
  if pid_alive "$REDIS_PID" redis-server; then
    for ((i = 0; i < 25; i++)); do redis_ping && break; sleep 0.2; done
    if redis_ping; then
      say "redis: already running on $HOST:$REDIS_PORT (pid $(cat "$REDIS_PID"))"
      return 0
    fi
    show_log "$REDIS_LOG" 20
    die "redis: our instance (pid $(cat "$REDIS_PID")) runs but does not answer on $HOST:$REDIS_PORT (port changed? run: $0 stop redis)"
  fi
  if port_open "$REDIS_PORT"; then
    die "redis: port $REDIS_PORT is taken by another process (system redis-server? set XINFANG_REDIS_PORT)"
  fi
  local u; u=$(redis_user)
  mkdir -p "$REDIS_DIR"
  cat >"$REDIS_CONF" <<EOF
# written by deploy/services.sh at every start
bind $HOST
port $REDIS_PORT
protected-mode yes
daemonize yes
supervised no
dir $REDIS_DIR
pidfile $REDIS_PID
logfile $REDIS_LOG
loglevel notice
databases 16
# The Celery broker's queues survive a restart: append-only file, fsync'd every second (a crash
# loses at most the last second of queued messages; the outbox in PostgreSQL re-sends those).
appendonly yes
appendfsync everysec
save ""
# a broker must never drop keys to make room
maxmemory-policy noeviction
EOF
  chown -R "$u:" "$REDIS_DIR"
  rm -f "$REDIS_PID"
  as_user "$u" redis-server "$REDIS_CONF" || { show_log "$REDIS_LOG"; die "redis: redis-server failed"; }
  for ((i = 0; i < 100; i++)); do redis_ping && break; sleep 0.2; done
  redis_ping || { show_log "$REDIS_LOG"; die "redis: no PONG on $HOST:$REDIS_PORT"; }
  say "redis: started on $HOST:$REDIS_PORT (redis://$HOST:$REDIS_PORT/0)"
}

stop_redis() {
  if ! pid_alive "$REDIS_PID" redis-server; then say "redis: not running"; rm -f "$REDIS_PID"; return 0; fi
  local pid; pid=$(cat "$REDIS_PID")
  redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do proc_running "$pid" || break; sleep 0.1; done
  proc_running "$pid" && die "redis: pid $pid still alive after shutdown"
  rm -f "$REDIS_PID"
  say "redis: stopped"
}

status_redis() {
  if pid_alive "$REDIS_PID" redis-server && redis_ping; then
    echo "redis          up    $HOST:$REDIS_PORT  pid $(cat "$REDIS_PID")"
  else
    echo "redis          down  $HOST:$REDIS_PORT"; return 1
  fi
}

# =================================================================================================
# Elasticsearch (integ-test-zip: server core + x-pack-core/security + netty; no analysis-common)
# =================================================================================================
# One node by default (single-node discovery, the shared local node). XINFANG_ES_NODES=N (N > 1)
# starts a real N-node cluster instead: node i answers HTTP on XINFANG_ES_PORT+i and transport on
# XINFANG_ES_TRANSPORT_PORT+i (all loopback), has its own data, logs and pid file under
# $DATA/elasticsearch-cluster/node-i, and every node is master-eligible and holds data, so the
# cluster keeps a quorum and a copy of every shard when one node dies (README: the scale-out suite).
es_cluster() { [[ $ES_NODES -gt 1 ]]; }
# es_node I: point the ES_* variables at node I
es_node() {
  ES_I=$1
  if es_cluster; then
    ES_VAR="$DATA/elasticsearch-cluster/node-$ES_I"
    ES_NODE_NAME="xinfang-node-$ES_I"
    ES_LOG="$ES_VAR/logs/$ES_CLUSTER_NAME.log"
  else
    ES_VAR="$DATA/elasticsearch-data"
    ES_NODE_NAME="xinfang-local-1"
    ES_LOG="$ES_VAR/logs/xinfang-local.log"   # <cluster.name>.log
  fi
  ES_PID="$ES_VAR/elasticsearch.pid"
  ES_STDOUT="$ES_VAR/logs/stdout.log"
  ES_NODE_PORT=$((ES_PORT + ES_I))
  ES_NODE_TRANSPORT=$((ES_TRANSPORT_PORT + ES_I))
}
es_indexes() { seq 0 $((ES_NODES - 1)); }
es_health() { curl -s -m 3 "http://$HOST:$ES_NODE_PORT/_cluster/health" 2>/dev/null | grep -o '"status":"[a-z]*"' | cut -d'"' -f4; }
es_node_count() { curl -s -m 3 "http://$HOST:$ES_NODE_PORT/_cluster/health" 2>/dev/null | grep -o '"number_of_nodes":[0-9]*' | cut -d: -f2; }
# a node is ok when its cluster is green/yellow and (in a cluster) every node has joined
es_ok() {
  local s; s=$(es_health)
  [[ $s == green || $s == yellow ]] || return 1
  ! es_cluster || [[ $(es_node_count) == "$ES_NODES" ]]
}

es_install() {
  [[ -x $ES_HOME/bin/elasticsearch ]] && return 0
  local zip="$DOWNLOADS/elasticsearch-$ES_VERSION.zip"
  if [[ ! -s $zip ]]; then
    command -v mvn >/dev/null || apt_install maven
    say "elasticsearch: fetching $ES_ARTIFACT from Maven Central"
    mvn -B -Dstyle.color=never "org.apache.maven.plugins:maven-dependency-plugin:$MVN_DEPENDENCY_PLUGIN:copy" \
        -Dartifact="$ES_ARTIFACT" -DoutputDirectory="$DOWNLOADS" -Dmdep.overWriteReleases=true \
        >"$LOGS/mvn.log" 2>&1 \
      || { show_log "$LOGS/mvn.log" 30; die "elasticsearch: mvn could not fetch $ES_ARTIFACT"; }
    [[ -s $zip ]] || die "elasticsearch: $zip missing after mvn dependency:copy"
  fi
  command -v unzip >/dev/null || apt_install unzip
  say "elasticsearch: unpacking into $ES_HOME"
  local tmp="$INSTALL/.es-unpack.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; die "elasticsearch: unzip $zip failed"; }
  [[ -x $tmp/elasticsearch-$ES_VERSION/bin/elasticsearch ]] || { rm -rf "$tmp"; die "elasticsearch: unexpected zip layout"; }
  mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
  rm -rf "$tmp"
}

es_pick_java() {
  local j
  for j in "${ES_JAVA_CANDIDATES[@]}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV); do
    [[ -n $j && -x $j/bin/java ]] || continue
    if "$j/bin/java" -cp "$ES_HOME/lib/java-version-checker/*" \
         org.elasticsearch.tools.java_version_checker.JavaVersionChecker >/dev/null 2>&1; then
      echo "$j"; return 0
    fi
  done
  return 1
}

es_pid() { [[ -f $ES_PID ]] && cat "$ES_PID"; }

# the -E settings of node $ES_I beyond elasticsearch.yml (they take precedence over the file)
es_node_settings() {
  printf '%s\n' -Ehttp.port="$ES_NODE_PORT" -Epath.data="$ES_VAR/data" -Epath.logs="$ES_VAR/logs"
  es_cluster || return 0
  local i seeds="" masters=""
  for i in $(es_indexes); do
    seeds+="${seeds:+,}$HOST:$((ES_TRANSPORT_PORT + i))"
    masters+="${masters:+,}xinfang-node-$i"
  done
  printf '%s\n' -Ecluster.name="$ES_CLUSTER_NAME" -Enode.name="$ES_NODE_NAME" \
    -Ediscovery.type=multi-node -Ediscovery.seed_hosts="$seeds" \
    -Ecluster.initial_master_nodes="$masters" -Etransport.port="$ES_NODE_TRANSPORT"
}

# es_launch: start node $ES_I in the background of the launcher (-d: it returns once the node runs)
es_launch() {
  local java=$1
  mkdir -p "$ES_VAR/data" "$ES_VAR/logs" "$ES_VAR/tmp"
  chown -R "$ES_USER:" "$ES_VAR"
  chmod 755 "$ES_VAR"
  rm -f "$ES_PID"
  local settings; mapfile -t settings < <(es_node_settings)
  as_user "$ES_USER" env -u JAVA_HOME -u JAVA_TOOL_OPTIONS -u _JAVA_OPTIONS \
      ES_JAVA_HOME="$java" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" ES_TMPDIR="$ES_VAR/tmp" \
      "$ES_HOME/bin/elasticsearch" -d -p "$ES_PID" "${settings[@]}" >"$ES_STDOUT" 2>&1
}

start_elasticsearch() {
  command -v curl >/dev/null || apt_install curl
  local i n running=0
  for n in $(es_indexes); do es_node "$n"; pid_alive "$ES_PID" java && running=$((running + 1)); done
  if [[ $running -eq $ES_NODES ]]; then
    # ours are up, or still starting / recovering: wait for them as a fresh start would
    es_node 0
    for ((i = 0; i < ES_WAIT; i++)); do es_ok && break; pid_alive "$ES_PID" java || break; sleep 1; done
    if es_ok; then
      say "elasticsearch: already running on $HOST:$ES_PORT ($ES_NODES node(s), $(es_health))"
      return 0
    fi
    if pid_alive "$ES_PID" java; then
      show_log "$ES_LOG"
      die "elasticsearch: our node (pid $(es_pid)) runs but is not green/yellow on $HOST:$ES_PORT (health: '$(es_health)'; port changed? run: $0 stop elasticsearch)"
    fi
    warn "elasticsearch: our node died while we waited; starting it again"
  fi
  es_install
  es_node 0
  ensure_system_user "$ES_USER" "$ES_VAR"
  local java
  if ! java=$(es_pick_java); then
    apt_install openjdk-17-jre-headless
    java=$(es_pick_java) || die "elasticsearch: no Java under /usr/lib/jvm that ES $ES_VERSION accepts"
  fi
  cp "$SCRIPT_DIR/elasticsearch.yml" "$ES_HOME/config/elasticsearch.yml"
  chown -R "$ES_USER:" "$ES_HOME"
  # ES wants 65535 open files (only a warning on loopback): raise this script's limit, if allowed.
  ulimit -n 65535 2>/dev/null || true
  say "elasticsearch: starting $ES_VERSION with $java ($ES_NODES node(s), heap $ES_HEAP each)"
  # every node's launcher creates the (empty) keystore in the shared config directory when it is
  # missing: create it once, or nodes started side by side race for it
  if [[ ! -f $ES_HOME/config/elasticsearch.keystore ]]; then
    as_user "$ES_USER" env -u JAVA_HOME ES_JAVA_HOME="$java" "$ES_HOME/bin/elasticsearch-keystore" create \
      >"$LOGS/elasticsearch-keystore.log" 2>&1 ||
      { show_log "$LOGS/elasticsearch-keystore.log"; die "elasticsearch: could not create the keystore"; }
  fi
  # the nodes of a cluster start side by side: alone, the first would wait for a quorum
  local pids=() failed=0
  for n in $(es_indexes); do
    es_node "$n"
    pid_alive "$ES_PID" java && continue
    if port_open "$ES_NODE_PORT" || { es_cluster && port_open "$ES_NODE_TRANSPORT"; }; then
      die "elasticsearch: port $ES_NODE_PORT or $ES_NODE_TRANSPORT is taken by another process (set XINFANG_ES_PORT / XINFANG_ES_TRANSPORT_PORT)"
    fi
    es_launch "$java" & pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || failed=1; done
  for n in $(es_indexes); do
    es_node "$n"
    [[ $failed -eq 0 ]] || { show_log "$ES_STDOUT" 20; show_log "$ES_LOG"; }
  done
  [[ $failed -eq 0 ]] || die "elasticsearch: failed to start"
  es_node 0
  for ((i = 0; i < ES_WAIT; i++)); do
    es_ok && break
    pid_alive "$ES_PID" java || break
    sleep 1
  done
  if ! es_ok; then
    show_log "$ES_STDOUT" 20; show_log "$ES_LOG"
    die "elasticsearch: not green/yellow with $ES_NODES node(s) on $HOST:$ES_PORT after ${i}s (health: '$(es_health)')"
  fi
  say "elasticsearch: started on $HOST:$ES_PORT ($ES_NODES node(s), $(es_health), http://$HOST:$ES_PORT)"
}

stop_elasticsearch() {
  local n
  for n in $(es_indexes); do es_node "$n"; stop_elasticsearch_node; done
}

stop_elasticsearch_node() {
  if ! pid_alive "$ES_PID" java; then say "elasticsearch: $ES_NODE_NAME not running"; rm -f "$ES_PID"; return 0; fi
  local pid; pid=$(es_pid)
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 600; i++)); do proc_running "$pid" || break; sleep 0.1; done
  if proc_running "$pid"; then
    warn "elasticsearch: pid $pid ignored SIGTERM for 60s, killing"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  # the pid file is removed by ES itself on a clean exit
  rm -f "$ES_PID"
  for ((i = 0; i < 50; i++)); do port_open "$ES_NODE_PORT" || break; sleep 0.1; done
  say "elasticsearch: $ES_NODE_NAME stopped"
}

status_elasticsearch() {
  local h n rc=0
  for n in $(es_indexes); do
    es_node "$n"
    if pid_alive "$ES_PID" java && h=$(es_health) && [[ $h == green || $h == yellow ]]; then
      echo "elasticsearch  up    $HOST:$ES_NODE_PORT  pid $(es_pid)  $ES_VERSION  $h  $ES_NODE_NAME"
    else
      echo "elasticsearch  down  $HOST:$ES_NODE_PORT  $ES_NODE_NAME"; rc=1
    fi
  done
  return $rc
}

# =================================================================================================
usage() { echo "usage: $0 start|stop|restart|status [postgres|redis|elasticsearch ...]" >&2; exit 2; }

main() {
  [[ $# -ge 1 ]] || usage
  local cmd=$1; shift
  local services=() s i
  [[ $# -gt 0 ]] || set -- "${ALL_SERVICES[@]}"
  for s in "$@"; do
    case $s in
      postgres|postgresql|pg) services+=(postgres) ;;
      redis) services+=(redis) ;;
      elasticsearch|es) services+=(elasticsearch) ;;
      *) die "unknown service '$s' (postgres, redis, elasticsearch)" ;;
    esac
  done

  case $cmd in
    start|stop|restart)
      [[ $(id -u) -eq 0 ]] || die "run as root (it switches to the postgres, redis and elasticsearch users itself)"
      prepare_dirs
      # one start/stop at a time (parallel test runs may all call start)
      exec 9>"$DATA/services.lock"
      flock -w 600 9 || die "another services.sh holds $DATA/services.lock"
      ;;
  esac

  local rc=0
  case $cmd in
    start)
      for s in "${services[@]}"; do "start_$s"; done ;;
    stop)   # reverse order
      for ((i = ${#services[@]} - 1; i >= 0; i--)); do "stop_${services[i]}"; done ;;
    restart)
      for ((i = ${#services[@]} - 1; i >= 0; i--)); do "stop_${services[i]}"; done
      for s in "${services[@]}"; do "start_$s"; done ;;
    status)
      for s in "${services[@]}"; do "status_$s" || rc=1; done ;;
    *) usage ;;
  esac
  return $rc
}

main "$@"
