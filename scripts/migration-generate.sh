#!/usr/bin/env bash
# Generates a migration from the difference between the entities and the database, then re-indexes.
# Usage: npm run migration:generate -- <kebab-name>
set -euo pipefail
name="${1:?usage: npm run migration:generate -- <kebab-name>}"
cd "$(dirname "$0")/.."
npm run --silent typeorm -- migration:generate "libs/platform/src/database/migrations/${name}" --pretty
node scripts/migration-index.js
