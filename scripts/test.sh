#!/usr/bin/env bash
# The test command of README.md: unit and end-to-end specs against the real Postgres and Redis.
# Each run creates (and drops) its own databases (one copy per jest worker) and uses its own Redis key
# prefix. Two workers by default (TEST_WORKERS to change); --forceExit because a spec whose boot timed
# out can leave a connection open, and a test run must end rather than wait on it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || bash scripts/install.sh
exec npx jest --maxWorkers="${TEST_WORKERS:-2}" --forceExit "$@"
