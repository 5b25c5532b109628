// Issue 3's benchmark in one run: builds a BENCH_ROWS-row (default 1 000 000) leads CSV, then measures side
// by side: our import job vs `psql \copy` of the same file; our export vs `psql \copy (query) to stdout`
// on the imported rows; authenticated GET /api/leads vs a bare node:http + pg server (autocannon).
//   npm run bench
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { benchExport, seedExportWorkspace } from './leads-export';
import { benchImport } from './leads-import';
import { benchList } from './leads-list';
import { benchDatabase, postgresSettings } from './lib/servers';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

async function main() {
  const db = await benchDatabase();
  try {
    const load = () => loadavg()[0].toFixed(1);
    console.log(`machine load average at start: ${load()}; PostgreSQL ${await postgresSettings(db.url)}`);
    const imported = await benchImport({
      rows: ROWS,
      csvPath: `/tmp/crescendo-bench-leads-${ROWS}.csv`,
      databaseUrl: db.url,
    });
    console.log(
      `import, ${ROWS} rows: ours ${imported.ourSeconds.toFixed(1)} s, \\copy ${imported.copySeconds.toFixed(1)} s → ` +
        `${imported.ratio.toFixed(2)}× \\copy (target ≥ 0.6); worker peak RSS ${imported.workerPeakRssMb} MB ` +
        `(target < 200; idle ${imported.workerBaselineRssMb} MB), peak over the first fifth of the rows ` +
        `${imported.workerPeakRssAtFifthMb} MB → growth ${imported.rssGrowth.toFixed(2)}× (target ≤ 1.2 at 5M vs 1M)`,
    );

    const client = new Client({ connectionString: db.url });
    await client.connect();
    // The import benchmark cleans up after itself: export the same number of rows from a generated workspace.
    const workspaceId = await seedExportWorkspace(client, ROWS);
    // VACUUM, not only ANALYZE: the first read of freshly inserted rows writes their hint bits, and the export
    // (measured first) would pay that for \copy too.
    await client.query('VACUUM ANALYZE leads');
    await client.end();
    const exported = await benchExport({ databaseUrl: db.url, workspaceId, format: 'csv' });
    console.log(
      `export, ${exported.rows} rows (CSV): ours ${exported.exporter.seconds.toFixed(1)} s, \\copy ` +
        `${exported.psqlCopy.seconds.toFixed(1)} s → ${exported.exporter.ratio.toFixed(2)}× \\copy (target ≥ 0.8); ` +
        `peak RSS ${exported.exporter.peakRssMb.toFixed(0)} MB (target < 150; ${exported.exporter.baselineRssMb.toFixed(0)} MB before)`,
    );

    const list = await benchList(db.url);
    const side = (name: string, run: typeof list.api) =>
      `${name} ${run.rps.toFixed(0)} req/s p99 ${run.p99} ms (main thread ${run.cpuUsPerRequest} µs on a CPU + ` +
      `${run.runQueueUsPerRequest} µs waiting for one, machine ${run.machineUsPerRequest} µs, per request)`;
    console.log(
      `list: ${list.scenario}: ${side('API', list.api)}; ${side('bare', list.bare)}; ` +
        `${side('bare with the statement prepared', list.barePrepared)} → ${list.ratioRps}× req/s the bare server ` +
        `(target ≥ 0.8), p99 ${list.ratioP99}× (target ≤ 1.3); against the prepared one ${list.ratioRpsPrepared}× req/s, ` +
        `p99 ${list.ratioP99Prepared}×`,
    );
    console.log(`machine load average at end: ${load()}`);
  } finally {
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
