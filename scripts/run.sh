#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing, builds in Release, and
# prepares the demo competition's database under run/ (the demo question bank, imported and
# checked). Later issues extend this to start a private Redis and the server.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

admin=build/release/tools/anquanli-admin
data_dir=${ANQUANLI_DATA_DIR:-run/data}
mkdir -p "$data_dir"

echo "== demo question bank -> $data_dir/anquanli.db"
"$admin" --data-dir "$data_dir" questions import question_bank/demo/demo-bank.jsonl
"$admin" --data-dir "$data_dir" questions check \
  --quota 安全生产法律法规=5 --quota 安全管理=5 --quota 应急避险与自救互救=5

cat <<MSG

The demo database is ready in $data_dir.
Try:  $admin --data-dir $data_dir questions list --category 消防安全
      $admin --data-dir $data_dir questions show LAW01
MSG
