#!/usr/bin/env bash
# The demo as scripts/run.sh serves it, from a built tree (web/tests/run_sh.test.mjs starts it the
# same way): loads the demo data into RUN_DIR/data, creates the demo office account, starts a
# private Redis and runs anquanli-server in the foreground with a copy of config/demo.toml, from
# the repository root so that the server serves web/ and web/vendor's libraries. Ctrl-C (or SIGINT
# or SIGTERM to its process group) stops the server cleanly, and Redis with it.
#
#   bash scripts/serve-demo.sh BUILD_DIR
#   ANQUANLI_LISTEN=HOST:PORT (127.0.0.1:8080)   ANQUANLI_REDIS_PORT=PORT (6390)
#   ANQUANLI_RUN_DIR=DIR (run): where the data, Redis, the configuration and the codes go
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:?usage: serve-demo.sh BUILD_DIR}
admin=$build/tools/anquanli-admin
server=$build/server/anquanli-server
run_dir=${ANQUANLI_RUN_DIR:-run}
data_dir=$run_dir/data
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
mkdir -p "$run_dir/redis"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$(cd "$run_dir/redis" && pwd)" --save "" \
  --appendonly no --daemonize no >"$run_dir/redis/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
sed -e "s/^address = \"\"/address = \"127.0.0.1:$redis_port\"/" \
  -e "s|^code_sender = \"file:run/codes.jsonl\"|code_sender = \"file:$run_dir/codes.jsonl\"|" \
  config/demo.toml >"$run_dir/demo.toml"

cat <<MSG

anquanli is starting on http://$listen (demo competition, clock at 2021-06-16 09:00 +08:00),
with its private Redis on 127.0.0.1:$redis_port.
Sign-in codes are written to $(cd "$run_dir" && pwd)/codes.jsonl. Try:
  curl -s http://$listen/api/v1/competition
  curl -s -X POST http://$listen/api/v1/auth/code -d '{"phone":"13800138000"}'
  tail -n 1 $run_dir/codes.jsonl
  curl -s -X POST http://$listen/api/v1/auth/login -d '{"phone":"13800138000","code":"CODE"}'
  curl -s http://$listen/api/v1/leaderboards/regions
  curl -s -X POST http://$listen/api/v1/admin/login -d '{"username":"admin","password":"anquanli-demo"}'
docs/api.md walks through a whole challenge. Ctrl-C stops the server and Redis.

MSG
status=0
"$server" --config "$run_dir/demo.toml" --data-dir "$data_dir" --listen "$listen" || status=$?
exit "$status"
