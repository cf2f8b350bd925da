#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine. It installs what is missing, checks formatting and
# lints the recently changed sources with clang-tidy. Then it builds and runs, in order:
#   1. the Catch2 suite: unit tests, handler tests, layer probes and real-binary integration tests,
#      with Redis started per test;
#   2. the browser tests: Debian's Chromium driven by playwright-core against the real server,
#      including every route's responses validated against docs/openapi.yaml;
#   3. a seconds-long smoke run of the benchmark and its load generator;
#   4. the concurrency tests under ThreadSanitizer;
#   5. each fuzz target for FUZZ_SECONDS (default 30) with libFuzzer, ASan and UBSan;
#   6. the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
# No step measures speed (that is bench/run.sh's job). It ends with ctest's summary line.
# SKIP_SLOW=1 runs only the checks, 1 and 6.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage's start in seconds since the command began, so a run's time can be read stage by
# stage (the whole command should stay under 30 minutes on 2 cores).
stage() { echo "== $1 (at ${SECONDS} s)"; }

bash scripts/install-deps.sh test
jobs=$(nproc)
# Compiler caching keyed on paths relative to the checkout, so a fresh clone anywhere reuses the
# objects an earlier build on this machine left (ccache only ever returns what the same compiler
# made from the same preprocessed source and flags).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

stage "formatting (clang-format)"
mapfile -t sources < <(find engine sqlite question_bank server tools tests bench -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run --Werror "${sources[@]}"

stage "build and test (debug)"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"

# The whole tree takes about 25 CPU-minutes (bash scripts/lint.sh); the test command lints what the
# last commits changed. A checkout without that much history lints what it can.
stage "lint (clang-tidy on the sources changed in the last ${LINT_COMMITS:-3} commits)"
since=""
for back in "${LINT_COMMITS:-3}" 1; do
  if git rev-parse --verify -q "HEAD~$back" >/dev/null 2>&1; then
    since="HEAD~$back"
    break
  fi
done
if [ -n "$since" ]; then
  bash scripts/lint.sh --since "$since"
else
  echo "lint: no commit history here; run bash scripts/lint.sh for the whole tree"
fi

ctest --preset dev -j "$jobs" --output-on-failure | tail -n 5

if [ "${SKIP_SLOW:-0}" != 1 ]; then
  stage "browser tests (Chromium + playwright-core)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  (cd web && ANQUANLI_BUILD_DIR="$PWD/../build/dev" npm test)

  stage "benchmark smoke run"
  BENCH_BIN=build/dev bash bench/run.sh --quick

  stage "concurrency tests under ThreadSanitizer"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs" --target engine_tests server_tests anquanli-server anquanli-admin
  ctest --preset tsan -j "$jobs" --output-on-failure \
    -R "concurrency|concurrent draws|kill -9|overload|Redis going away|random_sequence|pipeline|the stream pushes|max_viewers"

  stage "fuzzing (libFuzzer + ASan + UBSan)"
  bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
fi

# The test binaries and the two programs they run, not the benchmark or the install tree: the
# install test and the layer probes check packaging and includes, which no sanitizer changes.
stage "build and test (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs" --target engine_tests question_bank_tests api_tests \
  server_tests server_load_tests anquanli-server anquanli-admin
ctest --preset asan -j "$jobs" --output-on-failure -E "^(deploy|layers): "
