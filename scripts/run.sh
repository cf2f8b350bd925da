#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing, builds in Release, loads
# the demo data (the Ningxia region tree, the demo unit directory, the demo question bank) into
# run/data, creates a demo office account, starts a private Redis on 127.0.0.1:6390 (data in
# run/redis) and runs the server in the foreground with the demo competition (config/demo.toml:
# the June 2021 rules, its clock started inside the window). Ctrl-C stops both cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

admin=build/release/tools/anquanli-admin
server=build/release/server/anquanli-server
data_dir=run/data
listen=${ANQUANLI_LISTEN:-127.0.0.1:8080}
mkdir -p "$data_dir"

echo "== demo data -> $data_dir/anquanli.db"
"$admin" --data-dir "$data_dir" init
"$admin" --data-dir "$data_dir" regions import server/demo/regions-ningxia.csv
"$admin" --data-dir "$data_dir" units import server/demo/units-demo.csv
"$admin" --data-dir "$data_dir" questions import question_bank/demo/demo-bank.jsonl
"$admin" --data-dir "$data_dir" questions check --config config/demo.toml | tail -n 3

echo "== demo office account: admin / anquanli-demo (region 640000, the whole province)"
echo "anquanli-demo" | "$admin" --data-dir "$data_dir" admins add --username admin --region 640000

redis_port=${ANQUANLI_REDIS_PORT:-6390}
mkdir -p run/redis
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$PWD/run/redis" --save "" \
  --appendonly no --daemonize no >run/redis/redis.log 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
sed "s/^address = \"\"/address = \"127.0.0.1:$redis_port\"/" config/demo.toml >run/demo.toml

cat <<MSG

anquanli is starting on http://$listen (demo competition, clock at 2021-06-16 09:00 +08:00),
with its private Redis on 127.0.0.1:$redis_port.
Sign-in codes are written to $PWD/run/codes.jsonl. Try:
  curl -s http://$listen/api/v1/competition
  curl -s -X POST http://$listen/api/v1/auth/code -d '{"phone":"13800138000"}'
  tail -n 1 run/codes.jsonl
  curl -s -X POST http://$listen/api/v1/auth/login -d '{"phone":"13800138000","code":"CODE"}'
  curl -s http://$listen/api/v1/leaderboards/regions
  curl -s -X POST http://$listen/api/v1/admin/login -d '{"username":"admin","password":"anquanli-demo"}'
docs/api.md walks through a whole challenge. Ctrl-C stops the server and Redis.

MSG
status=0
"$server" --config run/demo.toml --data-dir "$data_dir" --listen "$listen" || status=$?
exit "$status"
