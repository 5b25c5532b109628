// The import benchmark alone, at 1 000 000 rows unless BENCH_ROWS says otherwise (the CSV is generated
// once into /tmp and reused):  npx ts-node -r tsconfig-paths/register bench/leads-import.run.ts
// BENCH_ROWS=5000000 gives the RSS ratio (peak over 5M rows / peak over the first 1M);
// The worker is the compiled one (npm run build:server first); BENCH_WORKER_NODE_FLAGS adds node flags to its own.
import 'reflect-metadata';
import { benchImport } from './leads-import';
import { benchDatabase } from './lib/servers';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

async function main() {
  const db = await benchDatabase();
  try {
    const r = await benchImport({ rows: ROWS, csvPath: `/tmp/crescendo-bench-leads-${ROWS}.csv`, databaseUrl: db.url });
    console.log(
      `leads import, ${ROWS} rows: ours ${r.ourSeconds.toFixed(1)} s, \\copy ${r.copySeconds.toFixed(1)} s, ` +
        `ratio ${r.ratio.toFixed(2)}x (target >= 0.6), worker peak RSS ${r.workerPeakRssMb} MB ` +
        `(target < 200; ${r.workerBaselineRssMb} MB idle before the import, ${r.workerPeakRssMb - r.workerBaselineRssMb} MB ` +
        `over idle), ` +
        `peak RSS over the first fifth of the rows ${r.workerPeakRssAtFifthMb} MB: growth ${r.rssGrowth.toFixed(2)}x ` +
        `(target <= 1.2 at 5M vs 1M rows); worker: ${r.workerCommand}`,
    );
  } finally {
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
