#!/usr/bin/env bash
# Installs exactly the locked dependencies with `npm ci` (the lock lists every platform's optional
# packages). The registry has dropped connections mid-install (EIDLETIMEOUT), so we prefer the local
# cache and retry a few times before giving up.
set -euo pipefail
cd "$(dirname "$0")/.."
NPM_FLAGS=(--no-audit --no-fund --prefer-offline --fetch-retries=5 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=30000)
for attempt in 1 2 3 4; do
  if npm ci "${NPM_FLAGS[@]}"; then exit 0; fi
  echo "npm ci failed (attempt $attempt); retrying in $((attempt * 10)) s"
  sleep $((attempt * 10))
done
exit 1
