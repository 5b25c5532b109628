#!/usr/bin/env bash
# Installs the locked dependencies. `npm ci` refuses the lock file when the registry mirror lacks some
# optional packages built for other platforms (darwin/win32 builds of @swc/core, rollup...), which the
# lock then cannot list; `npm install` from the same lock installs the same versions and skips them.
# The registry has dropped connections mid-install (EIDLETIMEOUT), so we prefer the local cache and
# retry the whole install a few times before giving up.
set -euo pipefail
cd "$(dirname "$0")/.."
NPM_FLAGS=(--no-audit --no-fund --prefer-offline --fetch-retries=5 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=30000)
if npm ci "${NPM_FLAGS[@]}"; then exit 0; fi
echo "npm ci refused the lock file; installing the locked versions with npm install instead"
for attempt in 1 2 3 4; do
  if npm install "${NPM_FLAGS[@]}" --no-save; then exit 0; fi
  echo "npm install failed (attempt $attempt); retrying in $((attempt * 10)) s"
  sleep $((attempt * 10))
done
exit 1
