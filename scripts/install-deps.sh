#!/usr/bin/env bash
# Installs the Debian 12 packages anquanli needs, and only those. A fast no-op when all are present.
#
#   bash scripts/install-deps.sh run    what scripts/run.sh needs: the build tools, the libraries
#                                       (pango and cairo with the Noto CJK fonts for PDF bulletins),
#                                       Redis, and Node.js/npm for the pages' run-time libraries
#                                       (installed from web/vendor's lockfile at build time)
#   bash scripts/install-deps.sh test   all of that, and what scripts/test.sh needs besides: the
#                                       test framework, formatters and linters, clang with its
#                                       sanitizer and fuzzing runtimes, Chromium for the browser
#                                       tests, poppler-utils to read PDFs back, nginx, openssl and promtool for the
#                                       deployment tests (the default)
set -euo pipefail

set_name=${1:-test}
run_packages=(
  g++ cmake ninja-build pkg-config ccache
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libhiredis-dev libsqlite3-dev libsodium-dev libtomlplusplus-dev libcli11-dev libspdlog-dev
  libxlsxwriter-dev libcsv-dev libutf8proc-dev libjemalloc-dev libssl-dev ca-certificates redis-server curl
  libpango1.0-dev libcairo2-dev fonts-noto-cjk
)
test_packages=(
  clang-format clang-tidy libboost1.81-all-dev catch2 zlib1g-dev sqlite3
  clang-14 libclang-rt-14-dev chromium poppler-utils
  nginx-light openssl prometheus
)
# Packages that start a system service when installed; the tests run their own instances instead.
service_packages=(nginx prometheus)

case "$set_name" in
  run) packages=("${run_packages[@]}") ;;
  test) packages=("${run_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: install-deps.sh [run|test]" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
# Node.js may come from another packaging (with its own npm); install Debian's only when absent.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing ($set_name): ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# RUNLEVEL=1 keeps the maintainer scripts from starting services on sysvinit hosts; under systemd,
# a service this run installed is stopped and disabled right after.
"${sudo[@]}" env RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ -d /run/systemd/system ]; then
  for service in "${service_packages[@]}"; do
    for package in "${missing[@]}"; do
      if [ "$package" = "$service" ] || [ "$package" = "$service-light" ]; then
        echo "stopping the system $service the package started (the tests run their own)"
        "${sudo[@]}" systemctl disable --now "$service" >/dev/null 2>&1 || true
      fi
    done
  done
fi
