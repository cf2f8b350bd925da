#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is missing, checks formatting,
# builds and runs every test, then builds and runs them all again under AddressSanitizer +
# UndefinedBehaviorSanitizer. Ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

echo "== formatting (clang-format)"
mapfile -t sources < <(find engine question_bank server tools tests bench -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run --Werror "${sources[@]}"

jobs=$(nproc)
echo "== build and test (debug)"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs" --output-on-failure | tail -n 5

echo "== build and test (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs" --output-on-failure
