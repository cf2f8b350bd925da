#!/usr/bin/env bash
# Fuzzes the code that reads untrusted bytes (question files, directory CSVs, the server's TOML,
# raw HTTP requests) with libFuzzer + ASan + UBSan, then replays every input that once crashed.
#
#   bash scripts/fuzz.sh [SECONDS]     # SECONDS per target, default 60
#
# An hour-long campaign: `bash scripts/fuzz.sh 3600`. Every target gets the hour; they run side by
# side, FUZZ_JOBS at a time (default: the number of cores), so with 4 cores or more the campaign
# takes an hour, and proportionally longer on fewer. Run it in tmux or under nohup.
#
# Builds the `fuzz` preset (clang-14, build/fuzz), apart from the GCC trees. Each target runs over
# a temporary copy of tests/fuzz/corpus/TARGET, so the committed seeds never grow. A crash, leak,
# UB report, timeout (-timeout=10) or RSS over 2 GiB leaves its input in
# tests/fuzz/crashes/TARGET/ (not committed). Once understood, copy the input into
# tests/fuzz/regressions/TARGET/ and keep it there forever: every input there is replayed on every
# run. Exits non-zero when any target crashed or any regression input fails. Uses nothing but this
# machine: no downloads, no installs.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: $0 [SECONDS]   (a whole number of seconds per target)" >&2
  exit 2
fi
jobs="${FUZZ_JOBS:-$(nproc)}"
targets=(fuzz_question_import fuzz_directory_import fuzz_server_config fuzz_http_request)

if ! command -v clang++-14 >/dev/null; then
  echo "fuzz.sh: clang++-14 is missing (apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 2
fi

echo "== build (preset fuzz, build/fuzz)"
build_started=$SECONDS
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]}"
echo "built in $((SECONDS - build_started)) s"

work="$(mktemp -d "${TMPDIR:-/tmp}/anquanli-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
common=(-timeout=10 -rss_limit_mb=2048)

# One target's campaign: its log goes to $work/TARGET.log and its exit status to TARGET.status.
fuzz_one() {
  local target="$1"
  local crashes="tests/fuzz/crashes/$target"
  mkdir -p "$crashes" "$work/$target"
  cp -R "tests/fuzz/corpus/$target/." "$work/$target/"
  local dictionary=()
  if [[ -f "tests/fuzz/$target.dict" ]]; then
    dictionary=(-dict="tests/fuzz/$target.dict")
  fi
  local status=0
  "build/fuzz/tests/fuzz/$target" "$work/$target" "${common[@]}" "${dictionary[@]}" \
    -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$crashes/" \
    >"$work/$target.log" 2>&1 || status=$?
  echo "$status" >"$work/$target.status"
}

echo "== fuzz: ${#targets[@]} targets, ${seconds} s each, ${jobs} at a time"
running=0
for target in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
wait

failed=0
printf '%-24s %-8s %10s %8s %8s %8s\n' target result "exec/s" cov ft corpus
for target in "${targets[@]}"; do
  status="$(cat "$work/$target.status" 2>/dev/null || echo 1)"
  log="$work/$target.log"
  stats="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
  cov="$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$stats")"
  ft="$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$stats")"
  corpus="$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$stats")"
  rate="$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -n 1)"
  result=ok
  if [[ "$status" != 0 ]]; then
    result=CRASH
    failed=1
  fi
  printf '%-24s %-8s %10s %8s %8s %8s\n' "$target" "$result" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "${corpus:-?}"
done
for target in "${targets[@]}"; do
  if [[ "$(cat "$work/$target.status" 2>/dev/null || echo 1)" != 0 ]]; then
    echo
    echo "== $target crashed; input in tests/fuzz/crashes/$target/. The end of its log:"
    grep -vE '^#[0-9]+' "$work/$target.log" | tail -n 40
  fi
done

echo "== replay tests/fuzz/regressions"
for target in "${targets[@]}"; do
  mapfile -t inputs < <(find "tests/fuzz/regressions/$target" -type f ! -name .gitkeep 2>/dev/null |
    sort)
  if ((${#inputs[@]} == 0)); then
    echo "$target: no inputs"
    continue
  fi
  if "build/fuzz/tests/fuzz/$target" "${common[@]}" "${inputs[@]}" >"$work/$target.replay" 2>&1; then
    echo "$target: ${#inputs[@]} input(s) pass"
  else
    echo "$target: FAILED on one of ${#inputs[@]} input(s):"
    tail -n 40 "$work/$target.replay"
    failed=1
  fi
done

if ((failed)); then
  echo "fuzz.sh: FAILED (see above)"
  exit 1
fi
echo "fuzz.sh: no crashes"
