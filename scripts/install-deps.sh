#!/usr/bin/env bash
# Installs the Debian 12 packages anquanli builds and runs with. A fast no-op when all are present.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config ccache clang-format clang-tidy
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libhiredis-dev libsqlite3-dev sqlite3 catch2 libsodium-dev libtomlplusplus-dev libcli11-dev
  libspdlog-dev libxlsxwriter-dev libcsv-dev libutf8proc-dev zlib1g-dev libjemalloc-dev redis-server curl
  clang-14 libclang-rt-14-dev chromium fonts-noto-cjk
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
# Node.js may come from another packaging (with its own npm); install Debian's only when absent.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
