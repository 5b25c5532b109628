import { Injectable, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readdir } from 'node:fs/promises';
import { LeadsEvents } from '@crescendo/leads';
import { DomainEvent, FileStore, OnDomainEvent } from '@crescendo/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { finishedJob, readJobEvents } from '../helpers/job-events';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

@Injectable()
class ImportEventsRecorder {
  readonly received: DomainEvent<typeof LeadsEvents.ImportCompleted>[] = [];
  @OnDomainEvent(LeadsEvents.ImportCompleted)
  record(event: DomainEvent<typeof LeadsEvents.ImportCompleted>) {
    this.received.push(event);
  }
}

@Module({ imports: [WorkerModule], providers: [ImportEventsRecorder] })
class WorkerWithRecorderModule {}

interface DbLead {
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  job_title: string | null;
  source: string | null;
  status: string;
  score: number;
  tags: string[];
  notes: string | null;
  custom_fields: Record<string, unknown>;
}

const LEAD_COLUMNS = 'name, email, phone, company, job_title, source, status, score, tags, notes, custom_fields';

/** The 100 000-row file, and what the import must make of each row. */
function bigCsv(rows: number) {
  const lines = ['Name,E-mail,Phone,Company,Job title,Status,Score,Tags,Notes'];
  const expected = new Map<string, Partial<DbLead>>();
  const bad = new Map<number, string>(); // line → reason fragment
  let line = 1;
  let skipped = 0;
  for (let i = 0; i < rows; i++) {
    const start = ++line;
    const email = `u${i}@example.com`;
    const k = i % 500;
    let row = [`Lead ${i}`, email, `+33 6 ${i}`, `Co ${i % 97}`, 'CTO', 'new', String(i % 101), 'a;b', ''];
    if (k === 7) {
      row[1] = `not-an-email-${i}`;
      bad.set(start, 'email: not a valid address');
    } else if (k === 101) {
      row[6] = '150';
      bad.set(start, 'score: must be an integer from 0 to 100');
    } else if (k === 202) {
      row = ['', '', '', '', '', '', '', '', ''];
      bad.set(start, 'name: required');
    } else if (k === 303) {
      row[5] = 'pending';
      bad.set(start, 'status: must be one of');
    } else if (k === 404) {
      row[0] = `Duplicate ${i}`;
      row[1] = `u${i - 1}@example.com`; // the first occurrence (previous row) wins
      skipped++;
    } else if (k === 250) {
      row[0] = ''; // the name comes from the e-mail
    }
    if (i === 12_345) row[8] = 'Met at the fair, booth 12\nCall back in June';
    if (i === 5) row[5] = 'Qualified';
    const cells = row.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v));
    lines.push(cells.join(','));
    if (row[8].includes('\n')) line++;
    if (!bad.has(start) && k !== 404) {
      expected.set(email, {
        name: row[0] || email,
        email,
        phone: row[2],
        company: row[3],
        job_title: row[4],
        source: 'trade-fair',
        status: row[5].toLowerCase(),
        score: Number(row[6]),
        tags: ['a', 'b'],
        notes: row[8] || null,
        custom_fields: {},
      });
    }
  }
  return { csv: lines.join('\r\n') + '\r\n', expected, bad, skipped };
}

describe('leads import: POST /api/leads/import and the leads.import job', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let recorder: ImportEventsRecorder;
  let owner: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerWithRecorderModule, { logger: false });
    await worker.init();
    recorder = worker.get(ImportEventsRecorder);
    [owner, stranger] = await Promise.all([signUp(t), signUp(t)]);
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  const upload = (user: TestUser, file: Buffer | string, filename: string, fields: Record<string, string> = {}) => {
    const req = t.http().post('/api/leads/import').set(user.auth);
    for (const [name, value] of Object.entries(fields)) req.field(name, value);
    return req.attach('file', Buffer.from(file), filename);
  };

  const finished = (user: TestUser, jobId: string, timeoutMs = 180_000) => finishedJob(t, user, jobId, timeoutMs);

  const leadsOf = async (user: TestUser): Promise<Map<string, DbLead>> => {
    const rows: DbLead[] = await t.db.query(
      `SELECT ${LEAD_COLUMNS} FROM leads WHERE workspace_id = $1 AND deleted_at IS NULL`,
      [user.workspaceId],
    );
    return new Map(rows.map((r) => [r.email ?? r.name, r]));
  };

  it('imports 100 000 rows: every valid row lands as sent, every bad one is in the report', async () => {
    // The same e-mails in another workspace must not be touched.
    await t
      .http()
      .post('/api/leads')
      .set(stranger.auth)
      .send({ name: 'Stranger', email: 'u5@example.com', status: 'lost' })
      .expect(201);
    const { csv, expected, bad, skipped } = bigCsv(100_000);

    const accepted = await upload(owner, csv, 'leads.csv', { defaultSource: 'trade-fair' }).expect(202);
    expect(accepted.body).toEqual({
      jobId: expect.any(String),
      status: 'PENDING',
      statusUrl: `/api/jobs/${accepted.body.jobId}`,
    });
    expect(accepted.headers.location).toBe(`/api/jobs/${accepted.body.jobId}`);
    const job = await finished(owner, accepted.body.jobId);
    expect(job).toMatchObject({ status: 'COMPLETED', progress: 100, error: null });
    expect(job.result).toEqual({
      totalRows: 100_000,
      inserted: expected.size,
      updated: 0,
      skipped,
      failed: bad.size,
    });
    expect(job.result.inserted + job.result.skipped + job.result.failed).toBe(100_000);

    const leads = await leadsOf(owner);
    expect(leads.size).toBe(expected.size);
    // Field by field, in plain code (100 000 expect calls would take most of a minute); the first
    // differences are shown in full.
    const fields = LEAD_COLUMNS.split(', ') as Array<keyof DbLead>;
    const differences = [...expected].flatMap(([email, want]) => {
      const got = leads.get(email);
      const same = got && fields.every((f) => JSON.stringify(got[f]) === JSON.stringify(want[f]));
      return same ? [] : [{ email, want, got }];
    });
    expect(differences.slice(0, 3)).toEqual([]);

    // The report: one line per bad row, with its line number in the file and why.
    expect(job.files).toEqual([expect.objectContaining({ name: 'report.csv', contentType: 'text/csv' })]);
    const download = await t.http().get(job.files[0].url).expect(200);
    const report: Array<{ line: string; reason: string; row: string }> = parse(download.text, {
      columns: true,
      bom: true,
    });
    expect(report).toHaveLength(bad.size);
    const wrong = report.filter((entry) => !entry.reason.includes(bad.get(Number(entry.line)) ?? '∅'));
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(new Set(report.map((r) => Number(r.line)))).toEqual(new Set(bad.keys()));
    expect(report.find((r) => r.reason.startsWith('email'))!.row).toMatch(/^Lead \d+,not-an-email-\d+,/);

    // Timeline: one imported event per lead, in the owner's workspace only.
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM lead_events WHERE workspace_id = $1 AND type = 'imported'`,
      [owner.workspaceId],
    );
    expect(count).toBe(expected.size);
    // Imported leads and their events have time-ordered (version 7) ids.
    const [ids] = await t.db.query(
      `SELECT (SELECT count(*) FILTER (WHERE substring(id::text, 15, 1) <> '7') FROM leads WHERE workspace_id = $1)::int
                AS leads_not_v7,
              (SELECT count(*) FILTER (WHERE substring(id::text, 15, 1) <> '7') FROM lead_events
                WHERE workspace_id = $1 AND type = 'imported')::int AS events_not_v7`,
      [owner.workspaceId],
    );
    expect(ids).toEqual({ leads_not_v7: 0, events_not_v7: 0 });
    const strangers = await leadsOf(stranger);
    expect(strangers.get('u5@example.com')).toMatchObject({ name: 'Stranger', status: 'lost' });
    expect(strangers.size).toBe(1);
    expectError(await t.http().get(`/api/jobs/${accepted.body.jobId}`).set(stranger.auth), 404, 'JOB_NOT_FOUND');

    // The upload is gone; import.completed was published with the counts.
    const uploads = await readdir(t.app.get(FileStore).path('uploads')).catch(() => []);
    expect(uploads.filter((f) => f.startsWith(accepted.body.jobId))).toEqual([]);
    const event = await waitFor('import.completed', async () =>
      recorder.received.find((e) => e.data.jobId === accepted.body.jobId),
    );
    expect(event).toMatchObject({ workspaceId: owner.workspaceId, actorUserId: owner.id, data: job.result });
  }, 240_000);

  it('imports the first worksheet of an XLSX file', async () => {
    const user = await signUp(t);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['Nom', 'Courriel', 'Entreprise', 'Score', 'Étiquettes']);
    sheet.addRow(['Ada Lovelace', 'Ada@Example.com', 'Analytical', 90, 'vip, math']);
    sheet.addRow(['', '', 'Acme', 10, '']);
    sheet.addRow(['Bad', 'bad@example.com', '', 'high', '']);
    workbook.addWorksheet('Other').addRow(['Name', 'Email']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const accepted = await upload(user, file, 'leads.xlsx').expect(202);
    const job = await finished(user, accepted.body.jobId);
    expect(job.result).toEqual({ totalRows: 3, inserted: 2, updated: 0, skipped: 0, failed: 1 });
    const leads = await leadsOf(user);
    expect(leads.get('ada@example.com')).toMatchObject({
      name: 'Ada Lovelace',
      company: 'Analytical',
      score: 90,
      tags: ['vip', 'math'],
    });
    expect(leads.get('Acme')).toMatchObject({ name: 'Acme', email: null, score: 10 });
    const report = parse((await t.http().get(job.files[0].url).expect(200)).text, { columns: true, bom: true });
    expect(report).toEqual([
      { line: '4', reason: 'score: must be an integer from 0 to 100', row: 'Bad,bad@example.com,,high' },
    ]);
  });

  it('skips or updates leads that already have the e-mail, per duplicatePolicy', async () => {
    const user = await signUp(t);
    const created = await t
      .http()
      .post('/api/leads')
      .set(user.auth)
      .send({ name: 'Old Name', email: 'dup@example.com', phone: '111', status: 'contacted', tags: ['vip'], score: 5 })
      .expect(201);
    const csv =
      'name;email;phone;status;score;tags\n' +
      'New Name;DUP@example.com;;;80;hot\n' +
      'Fresh;fresh@example.com;222;;;\n' +
      'Again;dup@example.com;999;lost;1;\n';

    const skip = await finished(user, (await upload(user, csv, 'a.csv').expect(202)).body.jobId);
    expect(skip.result).toEqual({ totalRows: 3, inserted: 1, updated: 0, skipped: 2, failed: 0 });
    expect(skip.files).toEqual([]);
    let leads = await leadsOf(user);
    expect(leads.get('dup@example.com')).toMatchObject({ name: 'Old Name', phone: '111', score: 5, tags: ['vip'] });

    await t.db.query(`DELETE FROM leads WHERE workspace_id = $1 AND email = 'fresh@example.com'`, [user.workspaceId]);
    const update = await finished(
      user,
      (await upload(user, csv, 'a.csv', { duplicatePolicy: 'update' }).expect(202)).body.jobId,
    );
    // The first occurrence updates; the second one in the same file is skipped.
    expect(update.result).toEqual({ totalRows: 3, inserted: 1, updated: 1, skipped: 1, failed: 0 });
    leads = await leadsOf(user);
    expect(leads.get('dup@example.com')).toMatchObject({
      name: 'New Name',
      phone: '111', // empty cells keep the current value
      status: 'contacted',
      score: 80,
      tags: ['vip', 'hot'],
    });
    const detail = await t.http().get(`/api/leads/${created.body.id}`).set(user.auth).expect(200);
    expect(detail.body.timeline[0]).toMatchObject({
      type: 'imported',
      data: { action: 'updated', jobId: expect.any(String) },
    });
  });

  it('follows a mapping, with custom fields and a default source', async () => {
    const user = await signUp(t);
    const csv = 'Nom complet;Courriel;Budget;Secteur;Ignored\nGrace Hopper;grace@example.com;5000;navy;x\n';
    const mapping = JSON.stringify({
      'Nom complet': 'name',
      Courriel: 'email',
      Budget: 'custom.budget',
      Secteur: 'custom.sector',
    });
    const accepted = await upload(user, csv, 'm.csv', { mapping, defaultSource: 'salon' }).expect(202);
    expect((await finished(user, accepted.body.jobId)).result).toMatchObject({ inserted: 1, failed: 0 });
    expect((await leadsOf(user)).get('grace@example.com')).toMatchObject({
      name: 'Grace Hopper',
      source: 'salon',
      custom_fields: { budget: '5000', sector: 'navy' },
    });
  });

  it('keeps backslashes, tabs, quotes and line breaks as sent, in every kind of field', async () => {
    const user = await signUp(t);
    const notes = 'C:\\dir\\n\ttab "quoted"\r\nnext line';
    const csv =
      'name,email,notes,tags,custom.path\n' +
      `"Back\\slash ""Q""",odd@example.com,"${notes.replace(/"/g, '""')}","a\\b;""c""","x\\y\t{""k"": 1}"\n`;
    const accepted = await upload(user, csv, 'odd.csv').expect(202);
    expect((await finished(user, accepted.body.jobId)).result).toMatchObject({ inserted: 1, failed: 0 });
    expect((await leadsOf(user)).get('odd@example.com')).toMatchObject({
      name: 'Back\\slash "Q"',
      notes,
      tags: ['a\\b', '"c"'],
      custom_fields: { path: 'x\\y\t{"k": 1}' },
    });
  });

  it('fails the job with IMPORT_FILE_UNREADABLE when the file cannot be read at all', async () => {
    const user = await signUp(t);
    const accepted = await upload(user, Buffer.from('PK\u0003\u0004 not really a zip'), 'broken.xlsx').expect(202);
    const job = await finished(user, accepted.body.jobId);
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'IMPORT_FILE_UNREADABLE' } });
  });

  it('streams progress over SSE until COMPLETED', async () => {
    const user = await signUp(t);
    const csv = 'name,email\n' + Array.from({ length: 5000 }, (_, i) => `N${i},s${i}@example.com`).join('\n');
    const accepted = await upload(user, csv, 's.csv').expect(202);
    const { status, events } = await readJobEvents(t, accepted.body.jobId, user.auth);
    expect(status).toBe(200);
    expect(events.at(-1)).toMatchObject({
      event: 'completed',
      data: { status: 'COMPLETED', progress: 100, result: { inserted: 5000 } },
    });
  });

  describe('refusals', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await signUp(t);
    });

    it('400 without a file, with bad mapping JSON, or an unknown target field', async () => {
      expectError(
        await t.http().post('/api/leads/import').set(user.auth).field('duplicatePolicy', 'skip'),
        400,
        'IMPORT_FILE_REQUIRED',
      );
      expectError(await t.http().post('/api/leads/import').set(user.auth).send({}), 400, 'IMPORT_FILE_REQUIRED');
      expectError(await upload(user, 'name\nA\n', 'a.csv', { mapping: '{oops' }), 400, 'VALIDATION_FAILED');
      const unknown = await upload(user, 'name\nA\n', 'a.csv', { mapping: '{"Name":"name","X":"salary"}' });
      expectError(unknown, 400, 'VALIDATION_FAILED');
      expect(unknown.body.details).toEqual([
        { field: 'mapping.X', message: expect.stringContaining('valid: name, email, phone, company, jobTitle') },
      ]);
      expectError(await upload(user, 'name\nA\n', 'a.csv', { duplicatePolicy: 'merge' }), 400, 'VALIDATION_FAILED');
      // Nothing was kept of the refused uploads.
      const uploads = await readdir(t.app.get(FileStore).path('uploads')).catch(() => []);
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM jobs WHERE workspace_id = $1`, [
        user.workspaceId,
      ]);
      expect(count).toBe(0);
      expect(uploads.every((f) => /^[0-9a-f-]{36}\.(csv|xlsx)$/.test(f))).toBe(true);
    });

    it('415 for a file that is neither CSV nor XLSX, by name or by content', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
      expectError(await upload(user, png, 'photo.png'), 415, 'UNSUPPORTED_FILE_TYPE');
      expectError(await upload(user, png, 'photo.csv'), 415, 'UNSUPPORTED_FILE_TYPE');
      expectError(await upload(user, 'name\nA\n', 'leads.xlsx'), 415, 'UNSUPPORTED_FILE_TYPE');
      expectError(await upload(user, 'x', 'old.xls'), 415, 'UNSUPPORTED_FILE_TYPE');
    });

    it('401 without credentials, 403 for a viewer', async () => {
      expectError(await t.http().post('/api/leads/import').attach('file', Buffer.from('name\nA\n'), 'a.csv'), 401);
      const viewer = await addMember(t, user, 'viewer');
      expectError(await upload(viewer, 'name\nA\n', 'a.csv'), 403);
    });
  });
});

describe('leads import above IMPORT_MAX_BYTES', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    process.env.IMPORT_MAX_BYTES = '1024';
    t = await createTestApp();
    delete process.env.IMPORT_MAX_BYTES;
    user = await signUp(t);
  }, 60_000);
  afterAll(() => t.close());

  it('413 FILE_TOO_LARGE, and nothing is kept', async () => {
    const before = await readdir(t.app.get(FileStore).path('uploads')).catch(() => []);
    const csv = 'name,email\n' + Array.from({ length: 200 }, (_, i) => `N${i},n${i}@example.com`).join('\n');
    expectError(
      await t.http().post('/api/leads/import').set(user.auth).attach('file', Buffer.from(csv), 'big.csv'),
      413,
      'FILE_TOO_LARGE',
    );
    expect(await readdir(t.app.get(FileStore).path('uploads')).catch(() => [])).toEqual(before);
  });
});
