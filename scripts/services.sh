# Sourced by tests/run.sh and exporter/demo.sh: start and stop loopback-only servers in a
# temporary directory. Every wait loop is bounded in time.
# shellcheck shell=bash

CERNIQ_SVC_DIR="${CERNIQ_SVC_DIR:-$(mktemp -d /tmp/cerniq-svc.XXXXXX)}"
chmod 755 "$CERNIQ_SVC_DIR"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

free_port() {  # a free loopback TCP port
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

start_redis() {  # start_redis PORT
  local port="$1" dir="$CERNIQ_SVC_DIR/redis-$1"
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "redis-server on port $port did not start; log:" >&2
  cat "$dir/redis.log" >&2
  return 1
}

stop_redis() {  # stop_redis PORT
  local pidfile="$CERNIQ_SVC_DIR/redis-$1/redis.pid"
  [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
}

# PostgreSQL refuses to run as root: the cluster belongs to the 'postgres' system user.
pg_run() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {  # start_postgres PORT  -> cluster in $CERNIQ_SVC_DIR/pg-PORT, db 'cerniq'
  local port="$1" dir="$CERNIQ_SVC_DIR/pg-$1"
  mkdir -p "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
  pg_run "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  pg_run "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  psql -h 127.0.0.1 -p "$port" -U postgres -qAtc "CREATE DATABASE cerniq" >/dev/null
}

stop_postgres() {  # stop_postgres PORT
  local dir="$CERNIQ_SVC_DIR/pg-$1"
  [[ -d "$dir/data" ]] && pg_run "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
}

cleanup_services_dir() { rm -rf "$CERNIQ_SVC_DIR"; }

wait_until() {  # wait_until SECONDS WHAT COMMAND... : polls COMMAND until it succeeds, bounded
  local limit="$1" what="$2"; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || { echo "timed out after ${limit}s waiting for $what" >&2; return 1; }
    sleep 0.2
  done
}

stop_pid() {  # stop_pid PID... : SIGTERM, up to 5 s to exit, then SIGKILL; reaps each
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null; done
  for pid in "$@"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  return 0
}
