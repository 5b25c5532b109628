#!/usr/bin/env bash
# Runs the benchmarks; each prints its figures beside its raw baseline and the ratio.
#   CRM (issue 3): import / export / list at BENCH_ROWS rows (default 1 000 000; about 15 minutes).
#   Chat (issue 4): search, fan-out and first-chunk latency (bench/chat.bench.ts).
#   Stripe webhooks (issue 15): signed deliveries with duplicates vs a bare node:http receiver (bench/stripe-webhooks.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
# The export is measured in the compiled worker (dist/), as it runs in production.
npm run --silent build:server
npx ts-node -T -r tsconfig-paths/register bench/crm.bench.ts
# The API runs inside this process: compile with swc like the list bench's children, not ts-node
# (ts-node loads repl → domain, which hooks every promise and emitter and slows the API under test).
# Its search targets hold at docker-compose's shared_buffers=1GB: BENCH_CHAT_ADMIN_DATABASE_URL names a server
# started that way (bench/README.md), else the chat bench uses the same server as the others.
BENCH_ADMIN_DATABASE_URL="${BENCH_CHAT_ADMIN_DATABASE_URL:-${BENCH_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}}" \
  node -r tsconfig-paths/register -r ./bench/swc-register.js bench/chat.bench.ts
node -r tsconfig-paths/register -r ./bench/swc-register.js bench/stripe-webhooks.ts
