#!/usr/bin/env bash
# The test command of README.md: unit and end-to-end specs against the real Postgres and Redis.
# Each run creates (and drops) its own database, and uses its own Redis key prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || bash scripts/install.sh
exec npx jest --runInBand "$@"
