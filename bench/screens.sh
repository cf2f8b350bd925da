#!/usr/bin/env bash
# What the 6·16 big screen costs the server (issue 17; docs/performance.md, "The big screen").
# It seeds a small competition, starts a private Redis and anquanli-server with a public screen,
# then, for 0, 1 and 1,000 connected screens in turn (bench/screen_viewers.mjs holds the Server-
# Sent Events streams), runs the same light load that finishes challenges at a fixed rate and
# reads the server's CPU time from /proc/PID/stat over the measured seconds. All viewers share one
# computed update per interval, so 1,000 screens should cost about what one does: the difference
# is writing the same frame to more sockets. Prints a table and writes bench/results/DATE-SHA-
# screens.md. Everything listens on 127.0.0.1 only; the trap stops exactly what this script
# started.
#
#   bash bench/screens.sh [--viewers N] [--duration S] [--rate R]
#
# --viewers N: the many-screens round (default 1000); --duration S: measured seconds a round
# (default 20); --rate R: challenges finished a second by the light load (default 5).
# BENCH_BIN=DIR uses binaries already built in DIR (e.g. build/dev); otherwise the Release preset
# is built.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

many=1000
duration=20
rate=5
while [ $# -gt 0 ]; do
  case "$1" in
    --viewers) many=$2; shift ;;
    --duration) duration=$2; shift ;;
    --rate) rate=$2; shift ;;
    *) echo "bench/screens.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ -n "${BENCH_BIN:-}" ]; then
  bin=$BENCH_BIN
else
  echo "== building the Release preset"
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)" --target anquanli-server anquanli-admin anquanli-loadgen >/dev/null
  bin=build/release
fi
admin=$bin/tools/anquanli-admin
server=$bin/server/anquanli-server
loadgen=$bin/bench/anquanli-loadgen
for program in "$admin" "$server" "$loadgen"; do
  [ -x "$program" ] || { echo "bench/screens.sh: $program is missing" >&2; exit 1; }
done
command -v node >/dev/null || { echo "bench/screens.sh: node is needed for the viewers" >&2; exit 1; }

tmp=$(mktemp -d /tmp/anquanli-screens.XXXXXX)
pids=()
cleanup() {
  local status=$?
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then echo "bench/screens.sh failed; logs kept in $tmp" >&2; else rm -rf "$tmp"; fi
  exit "$status"
}
trap cleanup EXIT INT TERM
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# ---- a small competition, Redis and the server -----------------------------------------------
data=$tmp/data
mkdir -p "$data"
redis_port=$(free_port)
sed -e "s|@REDIS@|127.0.0.1:$redis_port|" -e "s|@TMP@|$tmp|g" bench/bench.toml.template >"$tmp/bench.toml"
cat >>"$tmp/bench.toml" <<TOML
max_connections_per_address = $((many + 100))

[screen]
public = true
max_viewers = $((many + 100))
interval_ms = 1000
heartbeat_s = 15
TOML
echo "== seeding"
"$admin" --data-dir "$data" init >/dev/null
"$admin" --data-dir "$data" regions import server/demo/regions-ningxia.csv >/dev/null
"$admin" --data-dir "$data" units import server/demo/units-demo.csv >/dev/null
"$admin" --data-dir "$data" questions import question_bank/demo/demo-bank.jsonl >/dev/null
"$admin" --data-dir "$data" bench seed --config "$tmp/bench.toml" --participants 20000 \
  --units 200 --days 3 --tokens "$tmp/tokens.txt" >/dev/null
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$tmp" --save "" --appendonly no \
  --daemonize no >"$tmp/redis.log" 2>&1 &
pids+=("$!")
"$server" --config "$tmp/bench.toml" --data-dir "$data" --listen 127.0.0.1:0 >"$tmp/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 1 600); do
  [ -s "$data/server.addr" ] && curl -s --max-time 1 "http://$(cat "$data/server.addr")/readyz" | grep -q "redis: up" && break
  sleep 0.1
done
server_addr=$(cat "$data/server.addr")
echo "   server $server_addr (pid $server_pid), $(nproc) core(s)"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

# round VIEWERS: the light load for `duration` seconds with VIEWERS screens connected; appends a
# table row.
round() {
  local viewers=$1 viewer_pid= began ended cpu0 cpu1
  rm -f "$tmp/ready"
  if [ "$viewers" -gt 0 ]; then
    node bench/screen_viewers.mjs --target "$server_addr" --viewers "$viewers" \
      --seconds $((duration + 30)) --ready "$tmp/ready" >"$tmp/viewers-$viewers.json" &
    viewer_pid=$!
    pids+=("$viewer_pid")
    for _ in $(seq 1 600); do [ -e "$tmp/ready" ] && break; sleep 0.1; done
    [ -e "$tmp/ready" ] || echo "   (not every screen got its first frame)"
  fi
  sleep 2  # connecting is not what is measured
  began=$EPOCHREALTIME
  cpu0=$(cpu_ticks)
  "$loadgen" --target "$server_addr" --mode mixed --readers 0 --rate "$rate" -c 8 \
    -d "$duration" --warmup 0 --tokens "$tmp/tokens.txt" --token-state "$tmp/token.state" \
    --summary "$tmp/load-$viewers.tsv" >"$tmp/load-$viewers.txt" 2>&1 || true
  cpu1=$(cpu_ticks)
  ended=$EPOCHREALTIME
  local events
  if [ -n "$viewer_pid" ]; then
    kill -TERM "$viewer_pid" 2>/dev/null || true
    wait "$viewer_pid" 2>/dev/null || true
  fi
  local challenges
  challenges=$(awk -F'\t' '$1 == "challenges/s" { print $2 }' "$tmp/load-$viewers.tsv" 2>/dev/null || true)
  if [ -s "$tmp/viewers-$viewers.json" ]; then
    events=$(node -e 'const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(`${c.connected} | ${c.fewest_events}–${c.connected ? Math.round(c.events / c.connected) : 0} | ${c.refused + c.failed}`)' \
      "$tmp/viewers-$viewers.json")
  else
    events="0 | - | -"
  fi
  awk -v v="$viewers" -v c0="$cpu0" -v c1="$cpu1" -v t="$ticks" -v a="$began" -v b="$ended" \
    -v ch="${challenges:--}" -v ev="$events" \
    'BEGIN { printf "| %d | %.3f | %s | %s |\n", v, (c1 - c0) / t / (b - a), ch, ev }' >>"$tmp/table"
}

echo "== rounds of $duration s, $rate challenges/s finished by the light load"
for viewers in 0 1 "$many"; do
  echo "   $viewers screen(s)…"
  round "$viewers"
done

header="| screens | server CPU s/s | challenges/s | streams open | screen events per stream (fewest–mean) | refused or failed |
|---:|---:|---:|---:|---|---:|"
table="$header
$(cat "$tmp/table")"
echo
echo "$table"

sha=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
out=bench/results/$(date -u +%Y-%m-%d)-$sha-screens.md
mkdir -p bench/results
{
  echo "# The big screen: 0, 1 and $many connected screens ($(date -u +%Y-%m-%dT%H:%MZ), $sha)"
  echo
  echo "bash bench/screens.sh --viewers $many --duration $duration --rate $rate (binaries: $bin)."
  echo "Server CPU seconds per second of wall time, from /proc/PID/stat (utime + stime), over each"
  echo "round's $duration s while the light load finishes challenges; [screen] interval_ms = 1000."
  echo
  echo "$table"
  echo
  echo "Machine: $(nproc) core(s), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),"
  echo "$(uname -sr); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} >"$out"
echo
echo "written to $out"
