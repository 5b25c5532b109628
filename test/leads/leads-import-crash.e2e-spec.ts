import { parse } from 'csv-parse/sync';
import { finishedJob } from '../helpers/job-events';
import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { WorkerProcess } from '../helpers/worker-process';

const ROWS = 50_000;
/** Within this after the kill, another worker runs the job again (lock duration + stalled-check interval). */
const PICKUP_MS = 30_000;

/** 50 000 importable rows; with e-mails, plus a refused row (score 150) every 5 000 rows, across the kill. */
function csv(withEmails: boolean) {
  const lines = [withEmails ? 'Name,E-mail,Company,Score' : 'Name,Company,Score'];
  const refused: number[] = [];
  for (let i = 0; i < ROWS; i++) {
    lines.push(withEmails ? `Lead ${i},crash${i}@example.com,Co ${i % 97},${i % 101}` : `Lead ${i},Co ${i % 97},7`);
    if (withEmails && i % 5000 === 4999) {
      lines.push(`Refused ${i},refused${i}@example.com,Co,150`);
      refused.push(lines.length); // its line in the file (the header is line 1)
    }
  }
  return { text: lines.join('\n') + '\n', refused };
}

describe('leads import: the worker killed (kill -9) during a 50 000-row import', () => {
  let t: TestApp;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    t = await createTestApp();
  });
  // Each case has its own workers: one left running would take the job itself when the other is killed.
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  afterAll(() => t.close());

  const startWorker = async () => {
    const worker = await WorkerProcess.start();
    workers.push(worker);
    return worker;
  };

  const leadCount = async (user: TestUser) =>
    Number((await t.db.query('SELECT count(*) AS n FROM leads WHERE workspace_id = $1', [user.workspaceId]))[0].n);

  it.each([
    ['with e-mails', true],
    ['without e-mails', false],
  ])(
    '%s: the next worker resumes from the last committed batch, exactly one lead per row',
    async (_, withEmails) => {
      const owner = await signUp(t);
      const file = csv(withEmails);
      const first = await startWorker();
      const res = await t
        .http()
        .post('/api/leads/import')
        .set(owner.auth)
        .field('defaultSource', 'crash-test')
        .attach('file', Buffer.from(file.text), 'leads.csv')
        .expect(202);
      const { jobId } = res.body;

      // Some batches committed, the import not done: kill the worker in the middle.
      const committed = await waitFor(
        'a first committed batch',
        async () => {
          const n = await leadCount(owner);
          return n > 0 ? n : undefined;
        },
        60_000,
      );
      expect(committed).toBeLessThan(ROWS);
      await first.kill();
      const killedAt = Date.now();
      const [before] = await t.db.query('SELECT status, checkpoint FROM jobs WHERE id = $1', [jobId]);
      expect(before.status).toBe('PROCESSING');
      expect(before.checkpoint.totalRows).toBeGreaterThan(0);

      await startWorker();
      // The job runs again (the tracker stamps started_at on each run) within PICKUP_MS of the kill.
      const resumedAt = await waitFor(
        'the job to be picked up again',
        async () => {
          const [row] = await t.db.query('SELECT started_at FROM jobs WHERE id = $1', [jobId]);
          return row.started_at.getTime() > killedAt ? Date.now() : undefined;
        },
        PICKUP_MS + 10_000,
      );
      expect(resumedAt - killedAt).toBeLessThan(PICKUP_MS);

      const job = await finishedJob(t, owner, jobId, 60_000);
      expect(job).toMatchObject({
        status: 'COMPLETED',
        result: {
          totalRows: ROWS + file.refused.length,
          inserted: ROWS,
          updated: 0,
          skipped: 0,
          failed: file.refused.length,
        },
      });
      expect(await leadCount(owner)).toBe(ROWS);
      const [{ distinct }] = await t.db.query(
        'SELECT count(DISTINCT name)::int AS distinct FROM leads WHERE workspace_id = $1',
        [owner.workspaceId],
      );
      expect(distinct).toBe(ROWS);
      // One "imported" event per lead, not one per attempt.
      const [{ events }] = await t.db.query(
        `SELECT count(*)::int AS events FROM lead_events WHERE workspace_id = $1 AND type = 'imported'`,
        [owner.workspaceId],
      );
      expect(events).toBe(ROWS);

      // The report lists every refused row once, those refused before the kill included.
      if (withEmails) {
        expect(job.files.map((f: { name: string }) => f.name)).toEqual(['report.csv']);
        const download = await t.http().get(job.files[0].url).expect(200);
        const report = parse(download.text, { columns: true, bom: true }) as Array<{ line: string; reason: string }>;
        expect(report.map((r) => Number(r.line))).toEqual(file.refused);
        expect(report.every((r) => r.reason.startsWith('score:'))).toBe(true);
      } else {
        expect(job.files).toEqual([]);
      }
    },
    150_000,
  );
});
