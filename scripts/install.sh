#!/usr/bin/env bash
# Installs the locked dependencies. `npm ci` refuses the lock file when the registry mirror lacks some
# optional packages built for other platforms (darwin/win32 builds of @swc/core, rollup...), which the
# lock then cannot list; `npm install` from the same lock installs the same versions and skips them.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! npm ci --no-audit --no-fund; then
  echo "npm ci refused the lock file; installing the locked versions with npm install instead"
  npm install --no-audit --no-fund --no-save
fi
