// Runs the leads import benchmark on a database of its own (created, migrated, dropped):
//   npx ts-node -r tsconfig-paths/register bench/leads-import.run.ts      (BENCH_ROWS=1000000 by default)
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/platform/src/database/data-source-options';
import { benchImport } from './leads-import';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

async function main() {
  const database = `crescendo_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  try {
    const ds = new DataSource(dataSourceOptions(url.toString()));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
    const r = await benchImport({
      rows: ROWS,
      csvPath: `/tmp/crescendo-bench-leads-${ROWS}.csv`,
      databaseUrl: url.toString(),
    });
    console.log(
      `leads import, ${ROWS} rows: ours ${r.ourSeconds.toFixed(1)} s, \\copy ${r.copySeconds.toFixed(1)} s, ` +
        `ratio ${r.ratio.toFixed(2)}× (target ≥ 0.6), worker peak RSS ${r.workerPeakRssMb} MB (target < 200; ${r.workerBaselineRssMb} MB idle)`,
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
