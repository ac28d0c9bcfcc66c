#!/usr/bin/env bash
# Requests per second through HAProxy in front of one and of two Redress instances on one
# PostgreSQL database (issue 32). Not in CI: run it by hand on a quiet machine.
#
#   TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:55432/postgres benches/instances.sh
#
# Needs Debian's haproxy and wrk (`apt-get install -y haproxy wrk`), psql, curl, and a
# PostgreSQL role that may create databases (TEST_POSTGRES_URL, as for the tests). It makes
# a throwaway database, seeds demo data, starts two instances sharing that database, a data
# folder and a session key, signs in once as the demo officer (the session cookie is good on
# both instances), and drives each path with wrk through HAProxy: first with only instance A
# behind it, then with A and B (round robin, no stickiness). Prints a Markdown table.
#
# Settings (environment):
#   REDRESS_BIN      the binary (default target/release/redress, built if missing)
#   BENCH_CASES      demo cases to seed (default 10000)
#   BENCH_SECONDS    wrk duration per run (default 20)
#   BENCH_CONNECTIONS wrk connections (default 16)
#   BENCH_PATHS      space-separated paths (default "/cases /health")
set -euo pipefail
cd "$(dirname "$0")/.."

: "${TEST_POSTGRES_URL:?set TEST_POSTGRES_URL to a PostgreSQL URL whose role may create databases}"
BIN=${REDRESS_BIN:-target/release/redress}
CASES=${BENCH_CASES:-10000}
SECONDS_PER_RUN=${BENCH_SECONDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
PATHS=${BENCH_PATHS:-"/cases /health"}
OFFICER=emma.carter@demo.redress.local
PASSWORD=demo-password-redress-2026

# Debian keeps psql beside the server when only the server package is installed.
command -v psql >/dev/null || PATH=$PATH:$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
for tool in haproxy wrk psql curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y haproxy wrk postgresql-client curl)"; exit 1; }
done
if ! [ -x "$BIN" ]; then
  echo "--- building $BIN"
  cargo build --release
fi

WORK=$(mktemp -d /tmp/redress-bench-instances.XXXXXX)
DB=redress_bench_instances_$$
DB_URL="${TEST_POSTGRES_URL%/*}/$DB"
# Every process this script starts writes its id here (the helpers run in subshells), and
# only those are stopped at the end.
PIDS=$WORK/pids
cleanup() {
  if [ -f "$PIDS" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$PIDS"
    sleep 1
  fi
  psql -q "$TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# What every instance shares: the database, the data folder and the session key.
export DATABASE_URL=$DB_URL
export REDRESS_STORAGE__DATA_DIR=$WORK/data
REDRESS_SERVER__SESSION_KEY=$(head -c 64 /dev/urandom | base64 -w0)
export REDRESS_SERVER__SESSION_KEY
# Nothing in the background competes with the requests being measured.
export REDRESS_MAIL__POLL_SECONDS=0 REDRESS_RETENTION__RUN_TIME="" REDRESS_INTAKE__POLL_SECONDS=0
export RUST_LOG=warn
mkdir -p "$REDRESS_STORAGE__DATA_DIR"

psql -q "$TEST_POSTGRES_URL" -c "CREATE DATABASE $DB" >/dev/null
echo "--- seeding $CASES demo cases into $DB"
"$BIN" seed-demo --cases "$CASES" >/dev/null 2>"$WORK/seed.log"

start_instance() { # name -> prints its port
  local port; port=$(free_port)
  "$BIN" serve --bind "127.0.0.1:$port" >"$WORK/$1.out" 2>"$WORK/$1.log" &
  echo $! >>"$PIDS"
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$port/health" >/dev/null || { echo "instance $1 did not start"; cat "$WORK/$1.log"; exit 1; }
  echo "$port"
}

start_haproxy() { # ports... -> prints the port HAProxy listens on
  local front; front=$(free_port)
  {
    echo "global"
    echo "  maxconn 4096"
    echo "defaults"
    echo "  mode http"
    echo "  timeout connect 5s"
    echo "  timeout client 60s"
    echo "  timeout server 60s"
    echo "  option http-keep-alive"
    echo "frontend redress"
    echo "  bind 127.0.0.1:$front"
    echo "  default_backend instances"
    echo "backend instances"
    echo "  balance roundrobin"
    local n=0
    for port in "$@"; do
      n=$((n + 1))
      echo "  server instance$n 127.0.0.1:$port check"
    done
  } >"$WORK/haproxy-$front.cfg"
  haproxy -f "$WORK/haproxy-$front.cfg" -db >"$WORK/haproxy-$front.log" 2>&1 &
  echo $! >>"$PIDS"
  echo "$front"
}

sign_in() { # front port -> prints the Cookie header value
  local jar=$WORK/cookies-$1 token
  token=$(curl -fs -c "$jar" "http://127.0.0.1:$1/login" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' | head -n 1)
  curl -fs -b "$jar" -c "$jar" -o /dev/null \
    --data-urlencode "email=$OFFICER" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "csrf_token=$token" "http://127.0.0.1:$1/login"
  awk '$6 == "redress_session" { print "redress_session=" $7 }' "$jar"
}

measure() { # label front-port cookie
  local label=$1 front=$2 cookie=$3 path rps
  for path in $PATHS; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:$front$path")
    [ "$status" = 200 ] || { echo "GET $path through HAProxy answered $status, not 200"; exit 1; }
    rps=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -H "Cookie: $cookie" \
      "http://127.0.0.1:$front$path" | awk '/Requests\/sec/ { print $2 }')
    echo "| $label | \`$path\` | $rps |" >>"$WORK/table"
  done
}

PORT_A=$(start_instance a)
PORT_B=$(start_instance b)
echo "--- instances on $PORT_A and $PORT_B; $(nproc) cores; wrk ${SECONDS_PER_RUN}s, $CONNECTIONS connections"

FRONT_ONE=$(start_haproxy "$PORT_A")
FRONT_TWO=$(start_haproxy "$PORT_A" "$PORT_B")
sleep 0.5

# One sign-in serves both runs: the session lives in the cookie and the shared database.
COOKIE=$(sign_in "$FRONT_ONE")
[ -n "$COOKIE" ] || { echo "could not sign in as $OFFICER"; exit 1; }

measure "HAProxy → 1 instance" "$FRONT_ONE" "$COOKIE"
measure "HAProxy → 2 instances" "$FRONT_TWO" "$COOKIE"

echo
echo "PostgreSQL, $CASES demo cases, $(nproc) cores, wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s, signed in as the demo officer"
echo
echo "| behind HAProxy | path | requests/s |"
echo "|---|---|---:|"
cat "$WORK/table"
