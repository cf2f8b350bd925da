#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine. It installs what is missing and checks formatting.
# Then it builds and runs, in order:
#   1. the Catch2 suite: unit tests and real-binary integration tests, with Redis started per test;
#   2. the browser tests: Debian's Chromium driven by playwright-core against the real server;
#   3. a seconds-long smoke run of the benchmark and its load generator;
#   4. the overload check on a Release build: challenges due at 2x and 10x the measured capacity,
#      at least 90 % of the capacity still served in time (bench/run.sh --overload-only);
#   5. the concurrency tests under ThreadSanitizer;
#   6. each fuzz target for FUZZ_SECONDS (default 60) with libFuzzer, ASan and UBSan;
#   7. the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
# It ends with ctest's summary line. SKIP_SLOW=1 runs only 1 and 7.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs=$(nproc)

echo "== formatting (clang-format)"
mapfile -t sources < <(find engine question_bank server tools tests bench -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run --Werror "${sources[@]}"

echo "== build and test (debug)"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs" --output-on-failure | tail -n 5

if [ "${SKIP_SLOW:-0}" != 1 ]; then
  echo "== browser tests (Chromium + playwright-core)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  (cd web && ANQUANLI_BUILD_DIR="$PWD/../build/dev" npm test)

  echo "== benchmark smoke run"
  BENCH_BIN=build/dev bash bench/run.sh --quick

  echo "== overload check (Release build)"
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$jobs" --target anquanli-server anquanli-admin anquanli-loadgen
  BENCH_BIN=build/release bash bench/run.sh --overload-only --runs 5 --participants 160000 --days 1

  echo "== concurrency tests under ThreadSanitizer"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs" --target engine_tests server_tests anquanli-server anquanli-admin
  ctest --preset tsan -j "$jobs" --output-on-failure \
    -R "concurrency|concurrent draws|kill -9|overload|Redis going away|random_sequence|pipeline"

  echo "== fuzzing (libFuzzer + ASan + UBSan)"
  bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
fi

echo "== build and test (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs" --output-on-failure
