#!/usr/bin/env bash
# Runs every benchmark; each prints its figures beside its raw baseline and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
npx ts-node -r tsconfig-paths/register bench/leads-list.run.ts
