#!/usr/bin/env bash
# Browser tests of the SPA (test/browser/*.browser-test.ts): its main path (register → log in → API
# key → reload keeps the session) and the CRM pages (leads, niches, subscribers, earnings, campaigns…).
# Builds the SPA, runs the API on a free port (serving the build at /) and the worker, against a
# throwaway database, drives Debian's Chromium through playwright-core, then stops both and drops the
# database whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "browser: $CHROMIUM is missing (apt-get install -y chromium)" >&2
  exit 1
fi

PGHOST="${PGHOST:-127.0.0.1}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGUSER
RUN_ID="$(node -e 'process.stdout.write(require("crypto").randomBytes(6).toString("hex"))')"
DB_NAME="crescendo_browser_${RUN_ID}"
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')"
API_LOG="$(mktemp -t crescendo-browser-api.XXXXXX.log)"
WORKER_LOG="$(mktemp -t crescendo-browser-worker.XXXXXX.log)"
FILES_DIR="$(mktemp -d -t crescendo-browser-files.XXXXXX)"
API_PID=""
FAKE_AI_PID=""
FAKE_AI_OUT="$(mktemp -t crescendo-browser-ai.XXXXXX)"
FAKE_STRIPE_PID=""
FAKE_STRIPE_OUT="$(mktemp -t crescendo-browser-stripe.XXXXXX)"
WORKER_PID=""

stop() {
  local pid="$1"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
}

cleanup() {
  local status=$?
  stop "$API_PID"
  stop "$WORKER_PID"
  if [ -n "$FAKE_AI_PID" ]; then kill -TERM -- "-$FAKE_AI_PID" 2>/dev/null || true; fi
  rm -f "$FAKE_AI_OUT"
  if [ -n "$FAKE_STRIPE_PID" ]; then kill -TERM -- "-$FAKE_STRIPE_PID" 2>/dev/null || true; fi
  rm -f "$FAKE_STRIPE_OUT"
  psql -q -d postgres -c "DROP DATABASE IF EXISTS \"${DB_NAME}\" WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then
    echo "--- API log (last 40 lines) ---" >&2
    tail -n 40 "$API_LOG" >&2 || true
    echo "--- worker log (last 20 lines) ---" >&2
    tail -n 20 "$WORKER_LOG" >&2 || true
  fi
  rm -rf "$API_LOG" "$WORKER_LOG" "$FILES_DIR"
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "browser: building the SPA"
npx vite build --config apps/web/vite.config.ts --logLevel warn

echo "browser: database ${DB_NAME}"
psql -q -d postgres -c "CREATE DATABASE \"${DB_NAME}\""

export NODE_ENV=test
export LOG_LEVEL="${LOG_LEVEL:-warn}"
export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:5432/${DB_NAME}"
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
export REDIS_PREFIX="crescendo_browser_${RUN_ID}"
export JWT_SECRET="browser-test-secret-browser-test-secret-0123456789"
export JWT_ISSUER=crescendo
export JWT_AUDIENCE=crescendo-api
export SETTINGS_ENCRYPTION_KEY="$(node -e 'process.stdout.write(Buffer.alloc(32, 7).toString("base64"))')"
export CRON_SECRET="browser-cron-secret-0123456789"
export COOKIE_SECURE=false
export COOKIE_SAMESITE=lax
export TRUST_PROXY=true
export HOST=127.0.0.1
export PORT
export APP_URL="http://127.0.0.1:${PORT}"
export CORS_ORIGINS="http://127.0.0.1:${PORT}"
export WEB_DIST_DIR=apps/web/dist
export SMTP_URL=""
# the webhooks page's test ping goes to this API itself, on loopback
export WEBHOOKS_ALLOW_PRIVATE_URLS=true
# one browser session drives every CRM page within a minute or two (job polling, live counts)
export RATE_LIMIT_GENERAL_PER_MINUTE=1000
# exports above 2 rows run as jobs, so the export page's job path is driven too
export EXPORT_SYNC_MAX_ROWS=2
# the forum's instance moderator in privacy-forum.browser-test.ts
export ADMIN_EMAILS="${ADMIN_EMAILS:-forum-moderator@crescendo.test}"
# API and worker share the job files (import uploads, export and report files)
export FILES_DIR

# CI's typecheck step has checked these files already: compile them without type-checking (each ts-node
# start that type-checks costs 10-20 s, and this script starts one per browser test)
export TS_NODE_TRANSPILE_ONLY=true

echo "browser: migrations"
npx ts-node -r tsconfig-paths/register node_modules/typeorm/cli.js migration:run \
  -d libs/platform/src/database/data-source.ts >/dev/null

echo "browser: fake AI providers"
# OpenAI-compatible fakes the API calls for the AI pages; they print the AI_PROVIDERS JSON when ready
setsid npx ts-node test/browser/fake-ai-server.ts >"$FAKE_AI_OUT" 2>&1 &
FAKE_AI_PID=$!
for _ in $(seq 1 60); do
  grep -q '^\[' "$FAKE_AI_OUT" && break
  kill -0 "$FAKE_AI_PID" 2>/dev/null || { cat "$FAKE_AI_OUT" >&2; exit 1; }
  sleep 0.5
done
AI_PROVIDERS="$(grep -m 1 '^\[' "$FAKE_AI_OUT" || true)"
[ -n "$AI_PROVIDERS" ] || { echo "browser: the fake AI providers did not start" >&2; cat "$FAKE_AI_OUT" >&2; exit 1; }
export AI_PROVIDERS

echo "browser: fake Stripe"
# Stripe's API and Checkout on loopback (Checkout pays at once and calls the webhook); prints STRIPE_* when ready
setsid npx ts-node test/browser/fake-stripe-server.ts >"$FAKE_STRIPE_OUT" 2>&1 &
FAKE_STRIPE_PID=$!
for _ in $(seq 1 60); do
  grep -q '^STRIPE_API_PROTOCOL=' "$FAKE_STRIPE_OUT" && break
  kill -0 "$FAKE_STRIPE_PID" 2>/dev/null || { cat "$FAKE_STRIPE_OUT" >&2; exit 1; }
  sleep 0.5
done
grep -q '^STRIPE_API_PROTOCOL=' "$FAKE_STRIPE_OUT" || { echo "browser: the fake Stripe did not start" >&2; exit 1; }
while IFS= read -r line; do export "$line"; done < <(grep -E '^STRIPE_[A-Z_]+=' "$FAKE_STRIPE_OUT")

echo "browser: starting the API on port ${PORT}"
# its own process group, so npx and the node process under it stop together
setsid npx ts-node -r tsconfig-paths/register apps/api/src/main.ts >"$API_LOG" 2>&1 &
API_PID=$!

# the worker runs the jobs the CRM pages start (import, large export)
setsid npx ts-node -r tsconfig-paths/register apps/worker/src/main.ts >"$WORKER_LOG" 2>&1 &
WORKER_PID=$!

BASE_URL="http://127.0.0.1:${PORT}"
ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$API_PID" 2>/dev/null; then
    echo "browser: the API exited during start-up" >&2
    exit 1
  fi
  health="$(curl -s -o /dev/null -w '%{http_code}' "${BASE_URL}/api/health" || true)"
  me="$(curl -s -o /dev/null -w '%{http_code}' "${BASE_URL}/api/auth/me" || true)"
  if [[ "$health" =~ ^(200|503)$ || "$me" =~ ^(200|401)$ ]]; then
    ready=1
    break
  fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "browser: the API did not answer in 60 s" >&2
  exit 1
fi

# every test/browser/*.browser-test.ts (or the files in BROWSER_TESTS) against the same API (each signs up
# its own account), BROWSER_JOBS at a time (2 by default: most of a test's time is spent waiting on the
# browser and the API). All run, each one's output is printed when it ends, and the script fails if one does.
status=0
jobs_max="${BROWSER_JOBS:-2}"
declare -A running=() started=() names=()
finish() {
  local pid="$1" code="$2" out="${running[$1]}"
  [ "$code" -eq 0 ] || status=1
  cat "$out"
  echo "browser: ${names[$pid]} took $((SECONDS - started[$pid])) s"
  rm -f "$out"
  unset "running[$pid]" "started[$pid]" "names[$pid]"
}
for test in ${BROWSER_TESTS:-test/browser/*.browser-test.ts}; do
  while [ "${#running[@]}" -ge "$jobs_max" ]; do
    code=0
    wait -n -p done_pid "${!running[@]}" || code=$?
    finish "$done_pid" "$code"
  done
  out="$(mktemp -t crescendo-browser-test.XXXXXX.log)"
  ( echo "browser: ${test}"; BASE_URL="$BASE_URL" CHROMIUM_PATH="$CHROMIUM" npx ts-node "$test" ) >"$out" 2>&1 &
  running[$!]="$out"
  started[$!]="$SECONDS"
  names[$!]="$test"
done
for pid in "${!running[@]}"; do
  code=0
  wait "$pid" || code=$?
  finish "$pid" "$code"
done
exit "$status"
