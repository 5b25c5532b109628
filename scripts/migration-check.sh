#!/usr/bin/env bash
# Proves the entities and the committed migrations agree: on a fresh database with every migration
# applied, generating a migration must find nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."
admin="${TEST_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db="crescendo_migcheck_$$_$RANDOM"
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
url="${admin%/*}/$db"
export DATABASE_URL="$url" REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}" \
  JWT_SECRET=migration-check-migration-check-migration-check CRON_SECRET=migration-check-only \
  SETTINGS_ENCRYPTION_KEY="$(head -c 32 /dev/zero | base64)"
npm run --silent typeorm -- migration:run > /dev/null
if npm run --silent typeorm -- migration:generate /tmp/crescendo-drift-check --dryrun > /tmp/crescendo-drift.log 2>&1; then
  echo "Entities and migrations disagree: a new migration would be generated:"
  cat /tmp/crescendo-drift.log
  exit 1
fi
if grep -q "No changes in database schema were found" /tmp/crescendo-drift.log; then
  echo "migrations: entities and migrations agree"
else
  cat /tmp/crescendo-drift.log
  exit 1
fi
