#!/usr/bin/env bash
# Runs the real anquanli-admin on temporary directories: a data directory without a database is
# refused by every subcommand that needs one (exit 2, a message naming the path and `init`, nothing
# created); `init` and --create make one; --config supplies data_dir and the rules, --data-dir
# overrides it; the lists and the help text.
set -euo pipefail
admin=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { grep -qF -- "$2" <<<"$1" || fail "expected '$2' in: $1"; }
refuse() { grep -qF -- "$2" <<<"$1" && fail "did not expect '$2' in: $1" || true; }

# `run STATUS ARGS…`: runs the tool (stdin from $input), expects STATUS, leaves the output in $out.
input=/dev/null
run() {
  local want=$1
  shift
  set +e
  out=$("$admin" "$@" <"$input" 2>&1)
  local status=$?
  set -e
  [ "$status" -eq "$want" ] || fail "anquanli-admin $*: exit $status, expected $want: $out"
}

cat >"$work/regions.csv" <<'CSV'
code,name,parent_code
640000,宁夏回族自治区,
640100,银川市,640000
640104,兴庆区,640100
640200,石嘴山市,640000
640202,大武口区,640200
CSV
cat >"$work/units.csv" <<'CSV'
id,name,region_code,sector,headcount
U1,兴庆区某企业,640104,其他,12
U2,大武口区某企业,640202,其他,8
CSV
printf 'office-secret-1\n' >"$work/password"
# A configuration whose data_dir is $work/data and whose quotas span the demo bank.
sed -e "s|^data_dir = .*|data_dir = \"$work/data\"|" -e 's|^address = .*|address = "127.0.0.1:1"|' \
  "$source_dir/config/demo.toml" >"$work/demo.toml"

# ---- a mistyped data directory: refused by every subcommand, nothing created ----
missing=$work/dta
every_command=(
  "questions list" "questions show Q1" "questions check" "questions remove Q1"
  "regions import $work/regions.csv" "regions import --dry-run $work/regions.csv" "regions list"
  "units import $work/units.csv" "units list" "units list --region 640100"
  "admins list" "admins passwd --username office" "admins disable --username office"
  "admins enable --username office" "audit"
  "bulletin --config $work/demo.toml --out $work/bulletin.csv --format csv"
  "leaderboards verify --config $work/demo.toml" "leaderboards rebuild --config $work/demo.toml"
  "bench seed --config $work/demo.toml --participants 1 --units 1 --days 0"
)
input=$work/password
for command in "${every_command[@]}" "admins add --username office --region 640000"; do
  # shellcheck disable=SC2086 # word splitting of the command is wanted
  run 2 --data-dir "$missing" $command
  expect "$out" "no database at $missing/anquanli.db (the directory does not exist)"
  expect "$out" "anquanli-admin --data-dir $missing init"
  [ ! -e "$missing" ] || fail "'$command' created $missing"
done
[ ! -e "$work/bulletin.csv" ] || fail "a refused bulletin must write no file"

# An existing directory without a database: refused too, and no server.key appears in it.
mkdir "$work/empty"
input=$work/password
for command in "regions list" "admins add --username office --region 640000" "admins list"; do
  # shellcheck disable=SC2086
  run 2 --data-dir "$work/empty" $command
  expect "$out" "no database at $work/empty/anquanli.db. Check --data-dir"
done
[ -z "$(ls -A "$work/empty")" ] || fail "a refused command left files: $(ls -A "$work/empty")"
input=/dev/null

# ---- init makes a database; a second init keeps it ----
run 0 --data-dir "$work/data" init
expect "$out" "created $work/data/anquanli.db (schema version"
[ -f "$work/data/server.key" ] || fail "init must create the server key"
[ "$(stat -c %a "$work/data")" = 700 ] || fail "the data directory must be the owner's alone"
run 0 --data-dir "$work/data" regions import "$work/regions.csv"
run 0 init --data-dir "$work/data"
expect "$out" "already there, kept: $work/data/anquanli.db"
run 0 --data-dir "$work/data" regions list
expect "$out" "5 region(s)"

# --create on any command makes the database first.
run 0 --data-dir "$work/created" --create regions import "$work/regions.csv"
expect "$out" "imported 5 region(s)"
run 0 regions list --data-dir "$work/created2" --create
expect "$out" "0 region(s)"

# ---- --config supplies data_dir (before or after the subcommand); --data-dir overrides it ----
run 0 --config "$work/demo.toml" units import "$work/units.csv"
expect "$out" "imported 2 unit(s)"
run 0 units list --config "$work/demo.toml"
expect "$out" "U1	兴庆区某企业	640104	兴庆区	其他	12"
expect "$out" "2 unit(s)"
run 0 units list --region 640100 --config "$work/demo.toml"
expect "$out" "1 unit(s)"
refuse "$out" "U2"
run 1 units list --region 999 --config "$work/demo.toml"
expect "$out" "no region 999 in the directory"
run 0 regions list --region 640200 --config "$work/demo.toml"
expect "$out" "640202	大武口区	640200	3"
expect "$out" "2 region(s)"
run 2 --config "$work/demo.toml" --data-dir "$missing" regions list
expect "$out" "no database at $missing/anquanli.db"

input=$work/password
run 0 admins add --config "$work/demo.toml" --username office --region 640100
run 0 admins add --config "$work/demo.toml" --username province --region 640000
input=/dev/null
run 0 admins list --config "$work/demo.toml"
expect "$out" "office	640100	银川市	active"
expect "$out" "2 admin(s)"
run 0 admins list --region 640100 --config "$work/demo.toml"
expect "$out" "1 admin(s)"
refuse "$out" "province"

# The bulletin reads the configuration's data_dir (it used to create an empty ./data).
mkdir "$work/elsewhere"
(cd "$work/elsewhere" && "$admin" bulletin --config "$work/demo.toml" --format csv \
  --out "$work/b.csv" >/dev/null)
[ ! -e "$work/elsewhere/data" ] || fail "the bulletin must not create ./data"
grep -qF "银川市" "$work/b.csv" || fail "the bulletin must come from the configuration's data_dir"
run 2 bulletin --data-dir "$work/data" --format csv --out "$work/c.csv"
expect "$out" "bulletin needs --config FILE"

# A bad configuration stops any command with 2.
printf 'listen = 5\n' >"$work/bad.toml"
run 2 --config "$work/bad.toml" regions list
expect "$out" "bad.toml:"

# ---- questions check: the rules of --config, the repeat horizon ----
run 0 questions import --config "$work/demo.toml" "$source_dir/question_bank/demo/demo-bank.jsonl"
run 0 questions check --config "$work/demo.toml"
expect "$out" "the window: 2021-06-01 to 2021-06-30, 30 attempt(s) of 15 per participant at 1 a day"
expect "$out" "no repeats for 15 attempt(s); the bank's size allows at most 15"
expect "$out" "bank is healthy"
refuse "$out" "warning:"
run 0 questions check --config "$work/demo.toml" --quota 安全生产法律法规=5 --quota 安全管理=5 \
  --quota 应急避险与自救互救=5
expect "$out" "no repeats for 6 attempt(s); the bank's size allows at most 15"
expect "$out" "warning: category '消防安全' has 30 active questions but no quota: they are never served"
run 1 questions check --config "$work/demo.toml" --quota 消防安全=31 --questions-per-attempt 31
expect "$out" "bank is NOT healthy"

# ---- help: every subcommand shows the options its parents take ----
for command in "leaderboards verify" "leaderboards rebuild" "questions check" "units list" \
  "admins list" "bulletin" "init" "bench seed"; do
  # shellcheck disable=SC2086
  run 0 $command --help
  expect "$out" "--data-dir DIR"
  expect "$out" "--config FILE"
done
run 0 leaderboards verify --help
expect "$out" "--redis HOST:PORT"

echo "anquanli-admin data directories: all checks passed"
