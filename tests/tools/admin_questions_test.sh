#!/usr/bin/env bash
# Runs the real anquanli-admin against a temporary data directory: the demo bank imports, the
# bank checks healthy, a bad file is refused whole with each problem on its line, and a dry run
# changes nothing.
set -euo pipefail
admin=$1
source_dir=$2
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { grep -qF -- "$2" <<<"$1" || fail "expected '$2' in: $1"; }

"$admin" --data-dir "$data" init >/dev/null
out=$("$admin" --data-dir "$data" questions import "$source_dir/question_bank/demo/demo-bank.jsonl")
expect "$out" "new, 0 updated, 0 unchanged"

out=$("$admin" --data-dir "$data" questions check \
  --quota 安全生产法律法规=5 --quota 安全管理=5 --quota 应急避险与自救互救=5)
expect "$out" "bank is healthy"
out=$("$admin" --data-dir "$data" questions check)
expect "$out" "bank is healthy"

out=$("$admin" --data-dir "$data" questions show LAW01)
expect "$out" "answer:"
expect "$out" "source:"

cat >"$data/bad.csv" <<'CSV'
id,type,category,difficulty,stem,A,B,C,D,E,F,G,H,answer,explanation,source
N1,single,消防安全,1,火警电话？,110,119,,,,,,,B,119。,安全常识
N2,essay,消防安全,1,题干,甲,乙,,,,,,,A,解析,
N3,single,消防安全,1,题干,甲,乙,,,,,,,C,解析,
CSV
set +e
out=$("$admin" --data-dir "$data" questions import "$data/bad.csv" 2>&1)
status=$?
set -e
[ "$status" -eq 1 ] || fail "a bad import must exit 1, got $status"
expect "$out" "bad.csv:3: unknown type 'essay'"
expect "$out" "bad.csv:4: answer key 'C' is not among the options"
expect "$out" "nothing imported"
"$admin" --data-dir "$data" questions show N1 >/dev/null 2>&1 && fail "N1 must not be imported"

head -2 "$data/bad.csv" >"$data/good.csv"
out=$("$admin" --data-dir "$data" questions import --dry-run "$data/good.csv")
expect "$out" "1 question(s) valid; dry run"
"$admin" --data-dir "$data" questions show N1 >/dev/null 2>&1 && fail "a dry run must not import"
out=$("$admin" --data-dir "$data" questions import "$data/good.csv")
expect "$out" "1 new"
out=$("$admin" --data-dir "$data" questions remove N1)
expect "$out" "deleted N1"

set +e
"$admin" --data-dir "$data" questions frobnicate >/dev/null 2>&1
status=$?
set -e
[ "$status" -eq 2 ] || fail "a usage error must exit 2, got $status"
echo "anquanli-admin questions: all checks passed"
