#!/usr/bin/env bash
# Pages per second against a ceiling, the one method for issue 31's figures. Not in CI: run it
# by hand on a quiet machine.
#
#   benches/pages.sh
#
# Builds the release binary and the ceiling (benches/ceiling.rs: a bare actix-web server
# answering a 20 KB HTML page from memory), seeds 100,000 demo cases with
# `seed-demo --seed 1` into SQLite (cached under target/bench-cache/ for reruns, keyed by
# case count and day), starts Redress on a copy of that file with its default workers and
# pool, signs in as the demo officer (the login form's CSRF token, then the session cookie),
# and drives each page with `wrk` after a warm-up, the ceiling in the same run. Prints a
# Markdown table (requests/s, p50, p99, share of the ceiling) and the load average before and
# after (docs/performance.md, "How pages are measured").
#
# Needs wrk and curl (`apt-get install -y wrk curl`) and python3 (a free port).
#
# Settings (environment):
#   BENCH_CASES        demo cases to seed (default 100000)
#   BENCH_TODAY        the demo's last day, YYYY-MM-DD (default today's date); with
#                      BENCH_CASES the key of the cached file
#   BENCH_SECONDS      wrk duration per page (default 10)
#   BENCH_WARMUP       wrk warm-up per page, not counted (default 2)
#   BENCH_CONNECTIONS  wrk connections (default 8)
#   BENCH_THREADS      wrk threads (default 2)
#   BENCH_SEARCH       the search over all cases (default "list=all&q=Wilson")
#   BENCH_BIN          another build of redress to measure (default the one just built)
#   BENCH_CEILING      with BENCH_BIN: the ceiling binary, and nothing is built
#   BENCH_PROFILE      the cargo profile to build and run (default release; `dev` for a
#                      quick check that the script works, not for figures)
set -euo pipefail
cd "$(dirname "$0")/.."

CASES=${BENCH_CASES:-100000}
TODAY=${BENCH_TODAY:-$(date +%F)}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
THREADS=${BENCH_THREADS:-2}
SEARCH=${BENCH_SEARCH:-"list=all&q=Wilson"}
PROFILE=${BENCH_PROFILE:-release}
OFFICER=emma.carter@demo.redress.local
PASSWORD=demo-password-redress-2026

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y wrk curl python3)"; exit 1; }
done

echo "--- building redress and the ceiling ($PROFILE)"
# One build of both: a bench target brings in the dev-dependencies' features, so building the
# two separately would compile every dependency twice. The ceiling's binary is named with a
# hash: cargo says which.
# BENCH_CEILING with BENCH_BIN measures builds made earlier (before and after a change)
# without building.
CEILING=${BENCH_CEILING:-}
[ -n "$CEILING" ] && [ -n "${BENCH_BIN:-}" ] || CEILING=$(cargo build --profile "$PROFILE" \
  --bin redress --bench ceiling --message-format=json \
  | sed -n 's/.*"executable":"\([^"]*ceiling[^"]*\)".*/\1/p' | tail -n 1)
[ -x "$CEILING" ] || { echo "could not build the ceiling (cargo build --bench ceiling)"; exit 1; }
case $PROFILE in dev | test) DIR=debug ;; *) DIR=$PROFILE ;; esac
# Built where cargo builds (CARGO_TARGET_DIR when set).
TARGET=${CARGO_TARGET_DIR:-target}
BIN=${BENCH_BIN:-$TARGET/$DIR/redress}

WORK=$(mktemp -d /tmp/redress-bench-pages.XXXXXX)
# Every process this script starts writes its id here, and only those are stopped at the end.
PIDS=$WORK/pids
cleanup() {
  if [ -f "$PIDS" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$PIDS"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# Nothing in the background competes with the requests being measured.
export REDRESS_MAIL__POLL_SECONDS=0 REDRESS_RETENTION__RUN_TIME="" REDRESS_INTAKE__POLL_SECONDS=0
export RUST_LOG=warn

CACHE_DIR=$TARGET/bench-cache
CACHED=$CACHE_DIR/pages-$CASES-seed1-$TODAY.db
if [ -f "$CACHED" ]; then
  echo "--- using the seeded database $CACHED"
else
  echo "--- seeding $CASES demo cases (seed 1, to $TODAY); cached as $CACHED"
  mkdir -p "$WORK/seed" "$CACHE_DIR"
  DATABASE_URL="sqlite://$WORK/seed/redress.db" REDRESS_STORAGE__DATA_DIR="$WORK/seed" \
    "$BIN" seed-demo --cases "$CASES" --seed 1 --today "$TODAY" >/dev/null 2>"$WORK/seed.log" \
    || { cat "$WORK/seed.log"; exit 1; }
  grep '^Done in' "$WORK/seed.log" || true
  # The command's last connection folded the write-ahead log into the file on closing.
  cp "$WORK/seed/redress.db" "$CACHED.partial"
  mv "$CACHED.partial" "$CACHED"
fi
mkdir -p "$WORK/data"
cp "$CACHED" "$WORK/data/redress.db"

wait_for() { # url
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "nothing answered $1"
  return 1
}

PORT=$(free_port)
DATABASE_URL="sqlite://$WORK/data/redress.db" REDRESS_STORAGE__DATA_DIR="$WORK/data" \
  "$BIN" serve --bind "127.0.0.1:$PORT" >"$WORK/redress.out" 2>"$WORK/redress.log" &
echo $! >>"$PIDS"
wait_for "http://127.0.0.1:$PORT/health" || { cat "$WORK/redress.log"; exit 1; }

CEILING_PORT=$(free_port)
"$CEILING" "127.0.0.1:$CEILING_PORT" >"$WORK/ceiling.log" 2>&1 &
echo $! >>"$PIDS"
wait_for "http://127.0.0.1:$CEILING_PORT/" || { cat "$WORK/ceiling.log"; exit 1; }

# The login form's CSRF token, then the session cookie the sign-in sets.
JAR=$WORK/cookies
TOKEN=$(curl -fs -c "$JAR" "http://127.0.0.1:$PORT/login" \
  | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' | head -n 1)
curl -fs -b "$JAR" -c "$JAR" -o /dev/null \
  --data-urlencode "email=$OFFICER" --data-urlencode "password=$PASSWORD" \
  --data-urlencode "csrf_token=$TOKEN" "http://127.0.0.1:$PORT/login"
COOKIE=$(awk '$6 == "redress_session" { print "redress_session=" $7 }' "$JAR")
[ -n "$COOKIE" ] || { echo "could not sign in as $OFFICER"; exit 1; }

# A case the officer's default list shows: its page is the one measured.
CASE=$(curl -fs -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/cases" \
  | grep -o 'href="/cases/CMP-[0-9]*-[0-9]*"' | head -n 1 | sed 's/href="\(.*\)"/\1/')
[ -n "$CASE" ] || { echo "no case on the officer's work list"; exit 1; }

# wrk's latency ("1.23ms", "456.00us", "1.02s") in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
    printf "%.1f", n
  }'
}

RESULTS=$WORK/results
measure() { # label url [cookie] -> appends "label|url|rps|p50|p99|errors" to $RESULTS
  local label=$1 url=$2 cookie=${3:-} status out rps p50 p99 errors
  local header=()
  [ -n "$cookie" ] && header=(-H "Cookie: $cookie")
  status=$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "$url")
  [ "$status" = 200 ] || { echo "GET $url answered $status, not 200"; exit 1; }
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "${header[@]}" "$url" >/dev/null
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "${header[@]}" "$url")
  rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  errors=$(awk '/Non-2xx or 3xx responses/ { n += $NF } /Socket errors/ { n += 1 } END { print n + 0 }' <<<"$out")
  echo "$label|${url#http://127.0.0.1:*/}|$rps|$p50|$p99|$errors" >>"$RESULTS"
  echo "  $label: $rps requests/s, p50 $p50 ms, p99 $p99 ms"
}

LOAD_BEFORE=$(load_average)
echo "--- measuring (load average $LOAD_BEFORE; $(nproc) cores; wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s after ${WARMUP}s)"
BASE=http://127.0.0.1:$PORT
measure "ceiling: static 20 KB page" "http://127.0.0.1:$CEILING_PORT/"
measure "default work list" "$BASE/cases" "$COOKIE"
measure "case page" "$BASE$CASE" "$COOKIE"
measure "search over all cases" "$BASE/cases?$SEARCH" "$COOKIE"
measure "dashboard" "$BASE/" "$COOKIE"
LOAD_AFTER=$(load_average)

CEILING_RPS=$(head -n 1 "$RESULTS" | cut -d'|' -f3)
echo
echo "SQLite, $CASES demo cases (seed 1, to $TODAY), $PROFILE build, default workers and pool;" \
  "$(nproc) cores; wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s after a ${WARMUP} s warm-up," \
  "signed in as the demo officer; load average $LOAD_BEFORE before, $LOAD_AFTER after"
echo
echo "| page | path | requests/s | p50 ms | p99 ms | of the ceiling | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
while IFS='|' read -r label path rps p50 p99 errors; do
  share=$(awk -v r="$rps" -v c="$CEILING_RPS" 'BEGIN { printf "%.1f%%", (c > 0 ? 100 * r / c : 0) }')
  echo "| $label | \`/$path\` | $rps | $p50 | $p99 | $share | $errors |"
done <"$RESULTS"
