#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing (the run-time set of
# scripts/install-deps.sh: no browser, no sanitizer or fuzzing tooling), builds in Release (which
# also installs the pages' run-time libraries from web/vendor's lockfile), then runs the demo with
# scripts/serve-demo.sh: the demo data (the Ningxia region tree, the demo unit directory, the demo
# question bank) in run/data, a demo office account, a private Redis on 127.0.0.1:6390 and the
# server in the foreground with the demo competition (config/demo.toml: the June 2021 rules, its
# clock started inside the window). Ctrl-C stops both cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh run

cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

exec bash scripts/serve-demo.sh build/release
