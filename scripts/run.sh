#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing, builds in Release, loads
# the demo data (the Ningxia region tree, the demo unit directory, the demo question bank) into
# run/data, and runs the server in the foreground with the demo competition (config/demo.toml: the
# June 2021 rules, its clock started inside the window). Ctrl-C stops it cleanly.
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
"$admin" --data-dir "$data_dir" regions import server/demo/regions-ningxia.csv
"$admin" --data-dir "$data_dir" units import server/demo/units-demo.csv
"$admin" --data-dir "$data_dir" questions import question_bank/demo/demo-bank.jsonl
"$admin" --data-dir "$data_dir" questions check \
  --quota 安全生产法律法规=5 --quota 安全管理=5 --quota 应急避险与自救互救=5 | tail -n 1

cat <<MSG

anquanli is starting on http://$listen (demo competition, clock at 2021-06-16 09:00 +08:00).
Sign-in codes are written to $PWD/run/codes.jsonl. Try:
  curl -s http://$listen/api/v1/competition
  curl -s -X POST http://$listen/api/v1/auth/code -d '{"phone":"13800138000"}'
  tail -n 1 run/codes.jsonl
  curl -s -X POST http://$listen/api/v1/auth/login -d '{"phone":"13800138000","code":"CODE"}'
docs/api.md walks through a whole challenge. Ctrl-C stops the server.

MSG
exec "$server" --config config/demo.toml --data-dir "$data_dir" --listen "$listen"
