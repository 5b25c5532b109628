// Fills a workspace with BENCH_EXPORT_ROWS leads (default 1 000 000, generate_series) in DATABASE_URL's
// database, then runs benchExport on it and prints the figures. The workspace is dropped at the end
// (BENCH_KEEP=1 keeps it for a re-run: BENCH_WORKSPACE_ID=<id>). BENCH_RUNS=2 repeats the CSV figures (up
// to 3), BENCH_XLSX=1 adds an XLSX export, BENCH_WORKER_NODE_FLAGS adds node flags to the worker's own
// (e.g. "--max-semi-space-size=16" to compare). The worker is the compiled one: build it first.
//   npm run build:server && npx ts-node -T -r tsconfig-paths/register bench/leads-export.run.ts
import 'reflect-metadata';
import { Client } from 'pg';
import { benchExport, seedExportWorkspace } from './leads-export';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required (a dev database with the migrations applied)');
  const rows = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  let workspaceId = process.env.BENCH_WORKSPACE_ID;
  if (!workspaceId) {
    const started = Date.now();
    workspaceId = await seedExportWorkspace(db, rows);
    // VACUUM, not only ANALYZE: the first read of freshly inserted rows writes their hint bits, and the export
    // (measured first) would pay that for \copy too.
    await db.query('VACUUM ANALYZE leads');
    console.log(`inserted ${rows} leads in ${((Date.now() - started) / 1000).toFixed(1)} s (workspace ${workspaceId})`);
  }
  try {
    const runs = Number(process.env.BENCH_RUNS ?? 1);
    for (const format of ['csv', 'csv', 'csv', 'xlsx'].slice(3 - Math.min(runs, 3)) as Array<'csv' | 'xlsx'>) {
      if (format === 'xlsx' && process.env.BENCH_XLSX !== '1') continue;
      const r = await benchExport({ databaseUrl, workspaceId, format });
      console.log(
        `${format}: ${r.rows} rows | psql \\copy ${r.psqlCopy.seconds.toFixed(2)} s (${(r.psqlCopy.bytes / 1e6).toFixed(0)} MB)` +
          ` | exporter ${r.exporter.seconds.toFixed(2)} s (${(r.exporter.bytes / 1e6).toFixed(0)} MB)` +
          ` = ${r.exporter.ratio.toFixed(2)}× \\copy | peak RSS ${r.exporter.peakRssMb.toFixed(0)} MB` +
          ` (${r.exporter.baselineRssMb.toFixed(0)} MB before the export) | worker: ${r.exporter.command}`,
      );
    }
  } finally {
    if (!process.env.BENCH_KEEP && !process.env.BENCH_WORKSPACE_ID) {
      await db.query('DELETE FROM workspaces WHERE id = $1', [workspaceId]);
    }
    await db.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
