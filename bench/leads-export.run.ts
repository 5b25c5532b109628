// Fills a workspace with BENCH_EXPORT_ROWS leads (default 1 000 000, generate_series) in DATABASE_URL's
// database, then runs benchExport on it and prints the figures. The workspace is dropped at the end
// (BENCH_KEEP=1 keeps it for a re-run: BENCH_WORKSPACE_ID=<id>). BENCH_RUNS=2 repeats the CSV figures (up
// to 3), BENCH_XLSX=1 adds an XLSX export, BENCH_CHILD_HEAP_MB caps the exporter's heap.
//   npx ts-node -r tsconfig-paths/register bench/leads-export.run.ts
import 'reflect-metadata';
import { Client } from 'pg';
import { benchExport } from './leads-export';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required (a dev database with the migrations applied)');
  const rows = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  let workspaceId = process.env.BENCH_WORKSPACE_ID;
  if (!workspaceId) {
    const [user] = (
      await db.query(`INSERT INTO users (email, name) VALUES ('bench-' || gen_random_uuid() || '@bench.test', 'Bench')
                      RETURNING id`)
    ).rows;
    workspaceId = (
      await db.query(`INSERT INTO workspaces (name, owner_id) VALUES ('Export bench', $1) RETURNING id`, [user.id])
    ).rows[0].id as string;
    const [niche] = (
      await db.query(`INSERT INTO niches (workspace_id, name) VALUES ($1, 'Boulangerie') RETURNING id`, [workspaceId])
    ).rows;
    const started = Date.now();
    await db.query(
      `INSERT INTO leads (workspace_id, name, email, phone, company, job_title, source, status, niche_id, tags, score,
                          notes, custom_fields, owner_id, last_contacted_at, created_at)
       SELECT $1, 'Lead ' || i || CASE WHEN i % 10 = 0 THEN ', "é"' ELSE '' END, 'lead' || i || '@bench.test',
              '+33 6 ' || lpad((i % 100000000)::text, 8, '0'), 'Société ' || (i % 1000), 'CTO', 'linkedin',
              (ARRAY['new','contacted','qualified','converted','lost'])[1 + i % 5],
              CASE WHEN i % 2 = 0 THEN $2::uuid END, ARRAY['vip', 't' || (i % 7)], i % 101,
              CASE WHEN i % 3 = 0 THEN 'Appelé le ' || i END,
              CASE WHEN i % 4 = 0 THEN jsonb_build_object('budget', i) ELSE '{}'::jsonb END,
              $3::uuid, now() - make_interval(days => i % 300), now() - make_interval(secs => i)
         FROM generate_series(1, $4::int) AS i`,
      [workspaceId, niche.id, user.id, rows],
    );
    await db.query('ANALYZE leads');
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
          ` (${r.exporter.baselineRssMb.toFixed(0)} MB before the export)`,
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
