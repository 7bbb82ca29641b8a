#!/usr/bin/env bash
# Installs what Pollux needs (Debian 12), builds it and starts it.
# Arguments are passed to pollux, e.g.: deploy/run.sh --headless --config ~/pollux.json
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target pollux
exec build/default/app/pollux "$@"
