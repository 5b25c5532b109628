import { finishedJob } from '../helpers/job-events';
import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { WorkerProcess } from '../helpers/worker-process';
import { xlsxBomb } from '../helpers/xlsx-bomb';

const MB = 1024 * 1024;

describe('leads import: an XLSX file that inflates far past its size', () => {
  let t: TestApp;
  let worker: WorkerProcess;
  let owner: TestUser;
  beforeAll(async () => {
    [t, worker] = await Promise.all([createTestApp(), WorkerProcess.start()]);
    owner = await signUp(t);
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t.close();
  });

  const importXlsx = async (file: Buffer) => {
    const res = await t.http().post('/api/leads/import').set(owner.auth).attach('file', file, 'leads.xlsx').expect(202);
    return res.body.jobId as string;
  };

  it('refuses a 300 MB shared string (three files at once) with IMPORT_XLSX_TOO_LARGE; the worker stays small', async () => {
    const bomb = await xlsxBomb(300 * MB);
    expect(bomb.length).toBeLessThan(400 * 1024);
    const baseline = worker.peakRss();

    const jobIds = await Promise.all([importXlsx(bomb), importXlsx(bomb), importXlsx(bomb)]);
    for (const jobId of jobIds) {
      const job = await finishedJob(t, owner, jobId, 30_000);
      expect(job).toMatchObject({
        status: 'FAILED',
        error: {
          code: 'IMPORT_XLSX_TOO_LARGE',
          message:
            "The XLSX file's shared strings (xl/sharedStrings.xml) expand to more than 64 MB: split it or save it as CSV",
        },
      });
    }
    expect(worker.alive).toBe(true);
    // Before the limits, one such file took the worker from 147 MB to 2.8 GB.
    expect(worker.peakRss() - baseline).toBeLessThan(200 * MB);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM leads WHERE workspace_id = $1', [
      owner.workspaceId,
    ]);
    expect(n).toBe(0);
  }, 60_000);

  it('refuses a cell longer than the 32,767 characters a cell holds', async () => {
    const job = await finishedJob(t, owner, await importXlsx(await xlsxBomb(40_000)), 30_000);
    expect(job).toMatchObject({
      status: 'FAILED',
      error: {
        code: 'IMPORT_XLSX_TOO_LARGE',
        message: 'The cell in column 1 of row 2 holds more than 32767 characters',
      },
    });
    expect(worker.alive).toBe(true);
  });
});
