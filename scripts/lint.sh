#!/usr/bin/env bash
# clang-tidy with the shipped .clang-tidy over the project's sources, using the dev preset's
# compile database (configured here if missing). Any finding fails the run.
#
#   bash scripts/lint.sh                 every source file (about 25 CPU-minutes on 2 cores)
#   bash scripts/lint.sh --since REV     only .cpp files changed since REV, and the .cpp files
#                                        beside changed headers (what the test command runs)
#   bash scripts/lint.sh FILE...         these files
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build/dev/compile_commands.json ]; then
  cmake --preset dev >/dev/null
fi

all_sources() {
  find engine sqlite question_bank server tools bench -name '*.cpp' | sort
}

changed_sources() {
  local since=$1
  git diff --name-only "$since" -- engine sqlite question_bank server tools bench |
    while read -r file; do
      case "$file" in
        *.cpp) [ -f "$file" ] && echo "$file" ;;
        *.hpp) [ -f "${file%.hpp}.cpp" ] && echo "${file%.hpp}.cpp" ;;
      esac
    done | sort -u
}

if [ "${1:-}" = --since ]; then
  mapfile -t files < <(changed_sources "$2")
elif [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(all_sources)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "lint: no source files to check"
  exit 0
fi

echo "lint: clang-tidy on ${#files[@]} file(s)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --quiet hides the count of suppressed system-header warnings; findings in our code are printed.
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -n 1 clang-tidy -p build/dev --quiet >"$log" 2>/dev/null || true
if grep -E '(warning|error): ' "$log" >/dev/null; then
  cat "$log"
  echo "lint: clang-tidy found problems (see above)"
  exit 1
fi
echo "lint: clean"
