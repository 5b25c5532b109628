#!/usr/bin/env bash
# `npm start`: the whole app on a machine with Node, PostgreSQL and Redis running.
# Installs dependencies if needed, creates .env and the database if missing, builds the API, worker and
# SPA, applies pending migrations, then runs the API (serving the SPA at /) and the worker together.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || bash scripts/install.sh
[ -f .env ] || { cp .env.example .env; echo "Created .env from .env.example"; }
set -a; . ./.env; set +a

# Create the database named in DATABASE_URL if it does not exist yet.
node -e '
const { Client } = require("pg");
const url = new URL(process.env.DATABASE_URL);
const name = decodeURIComponent(url.pathname.slice(1));
url.pathname = "/postgres";
const c = new Client({ connectionString: url.toString() });
c.connect()
  .then(() => c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]))
  .then((r) => (r.rowCount ? null : c.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`).then(() => console.log(`Created database ${name}`))))
  .then(() => c.end())
  .catch((e) => { console.error(`Cannot reach PostgreSQL at ${process.env.DATABASE_URL}: ${e.message}`); process.exit(1); });
'

npm run build
npm run migration:run
# DEMO_SEED=1 npm start: fill the demo workspace (exit code 2 = already filled, carry on).
if [ "${DEMO_SEED:-}" = 1 ]; then npm run --silent seed:demo || [ $? -eq 2 ]; fi
echo "Crescendo: API and SPA on http://localhost:${PORT:-3000} (docs at /docs), worker running. Ctrl-C stops both."
exec npx concurrently --kill-others-on-fail --names api,worker --prefix-colors blue,magenta \
  "npm run --silent start:api" "npm run --silent start:worker"
