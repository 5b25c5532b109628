import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { JobTrackerService } from '@crescendo/jobs';
import { escapeSpreadsheetCell, escapeSpreadsheetCellSql, FORMULA_TRIGGERS } from '@crescendo/platform';
import { LeadsJobs } from '@crescendo/leads';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

// Small enough that the bulk workspace goes through a job, large enough for a few thousand rows inline.
process.env.EXPORT_SYNC_MAX_ROWS = '2500';
process.env.FILES_DIR = mkdtempSync(join(tmpdir(), 'crescendo-export-'));

const HEADER = [
  'id',
  'name',
  'email',
  'phone',
  'company',
  'jobTitle',
  'source',
  'status',
  'niche',
  'tags',
  'score',
  'notes',
  'customFields',
  'ownerEmail',
  'lastContactedAt',
  'createdAt',
];
const CUSTOM = HEADER.indexOf('customFields');
const BULK_ROWS = 4000;

/** Tricky texts the bulk rows cycle through: formulas, CSV separators, accents, line breaks. */
const TRICKY = ['=SUM(A1:A2)', 'Zoé, "la" Bœuf', 'deux\nlignes', '@cmd|calc', '-2+3', '\tindent', 'Plain'];

/** The leads a user should get, straight from the tables (not through the export's SQL), as file cells. */
async function expectedRows(t: TestApp, workspaceId: string, where = 'TRUE', params: unknown[] = []) {
  const rows: Array<Record<string, any>> = await t.db.query(
    `SELECT l.id, l.name, l.email, l.phone, l.company, l.job_title, l.source, l.status, n.name AS niche, l.tags,
            l.score, l.notes, l.custom_fields, u.email AS owner_email, l.last_contacted_at, l.created_at
       FROM leads l LEFT JOIN niches n ON n.id = l.niche_id LEFT JOIN users u ON u.id = l.owner_id
      WHERE l.workspace_id = $1 AND l.deleted_at IS NULL AND (${where})
      ORDER BY l.created_at DESC, l.id ASC`,
    [workspaceId, ...params],
  );
  return rows.map((r) => {
    const text = (v: string | null) => (v === null ? '' : escapeSpreadsheetCell(v));
    return [
      r.id,
      text(r.name),
      text(r.email),
      text(r.phone),
      text(r.company),
      text(r.job_title),
      text(r.source),
      r.status,
      text(r.niche),
      text((r.tags as string[]).join(';')),
      String(r.score),
      text(r.notes),
      Object.keys(r.custom_fields).length ? r.custom_fields : null,
      text(r.owner_email),
      r.last_contacted_at ? (r.last_contacted_at as Date).toISOString() : '',
      (r.created_at as Date).toISOString(),
    ];
  });
}

/** File rows with the JSON column parsed, to compare with expectedRows. */
const comparable = (rows: string[][]) =>
  rows.map((row) => row.map((cell, i) => (i === CUSTOM ? (cell === '' ? null : JSON.parse(cell)) : cell)));

function parseCsv(body: string): { header: string[]; rows: string[][] } {
  expect(body.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = parse(body, { bom: true, relax_quotes: false }) as string[][];
  return { header, rows };
}

async function parseXlsx(body: Buffer): Promise<{ header: string[]; rows: string[][]; scores: unknown[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet('Leads')!;
  const all: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values = row.values as unknown[];
    all.push(HEADER.map((_, i) => values[i + 1] ?? null));
  });
  const [header, ...rows] = all;
  return {
    header: header as string[],
    rows: rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell)))),
    scores: rows.map((row) => row[HEADER.indexOf('score')]),
  };
}

const binary = (res: Response, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('leads export (GET /api/leads/export)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let owner: TestUser;
  let other: TestUser;
  const today = new Date().toISOString().slice(0, 10);

  const exportCsv = (user: TestUser, query: Record<string, string> = {}) =>
    t
      .http()
      .get('/api/leads/export')
      .query({ format: 'csv', ...query })
      .set(user.auth);

  beforeAll(async () => {
    t = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    owner = await signUp(t);
    other = await signUp(t);

    const niche = await t.http().post('/api/niches').set(owner.auth).send({ name: 'Boulangerie' }).expect(201);
    const created = [
      {
        name: 'Zoé Ça-va',
        email: 'zoe@example.com',
        phone: '+33 6 12 34 56 78',
        company: '=HYPERLINK("http://evil","x")',
        jobTitle: 'CEO, "founder"',
        source: 'linkedin',
        status: 'qualified',
        nicheId: niche.body.id,
        tags: ['vip', 'paris'],
        score: 90,
        notes: 'ligne 1\nligne 2',
        customFields: { budget: 5000, city: 'Lyon' },
        ownerId: owner.id,
        lastContactedAt: '2026-01-02T03:04:05.678Z',
      },
      { name: '@admin', email: 'at@example.com', tags: ['vip'], score: 10 },
      { name: 'Deleted one', email: 'gone@example.com' },
    ];
    for (const body of created) await t.http().post('/api/leads').set(owner.auth).send(body).expect(201);
    const gone = await t.http().get('/api/leads').query({ q: 'gone@' }).set(owner.auth).expect(200);
    await t.http().delete(`/api/leads/${gone.body.data[0].id}`).set(owner.auth).expect(204);

    // A few thousand rows in one statement, spread over statuses, scores and tricky texts.
    await t.db.query(
      `INSERT INTO leads (workspace_id, name, email, company, status, tags, score, custom_fields, created_at)
       SELECT $1, ($2::text[])[1 + i % 7] || CASE WHEN i % 7 = 6 THEN ' ' || i ELSE '' END,
              'bulk' || i || '@example.com', CASE WHEN i % 5 = 0 THEN NULL ELSE 'Société ' || (i % 13) END,
              (ARRAY['new','contacted','qualified','converted','lost'])[1 + i % 5],
              CASE WHEN i % 3 = 0 THEN ARRAY['vip'] ELSE ARRAY[]::text[] END, i % 101,
              CASE WHEN i % 4 = 0 THEN jsonb_build_object('rank', i, 'note', 'é') ELSE '{}'::jsonb END,
              now() - make_interval(mins => i)
         FROM generate_series(1, ${BULK_ROWS}) AS i`,
      [owner.workspaceId, TRICKY],
    );
    await t
      .http()
      .post('/api/leads')
      .set(other.auth)
      .send({ name: 'Other workspace', tags: ['vip'] })
      .expect(201);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('streams a CSV of a few thousand rows that matches the database row by row', async () => {
    const res = await exportCsv(owner, { scoreMax: '60' }).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="leads-${today}.csv"`);
    const { header, rows } = parseCsv(res.text);
    expect(header).toEqual(HEADER);
    const expected = await expectedRows(t, owner.workspaceId, 'l.score <= 60');
    expect(expected.length).toBeGreaterThan(2000);
    expect(rows).toHaveLength(expected.length);
    const actual = comparable(rows);
    for (let i = 0; i < expected.length; i++) expect([i, actual[i]]).toEqual([i, expected[i]]);
  });

  it('writes every column of an API-created lead, with accents, escaped formulas and ISO UTC dates', async () => {
    const { rows } = parseCsv((await exportCsv(owner, { q: 'zoe@example' }).expect(200)).text);
    expect(rows).toHaveLength(1);
    const zoe = Object.fromEntries(HEADER.map((h, i) => [h, rows[0][i]]));
    expect(zoe).toMatchObject({
      name: 'Zoé Ça-va',
      phone: "'+33 6 12 34 56 78",
      company: `'=HYPERLINK("http://evil","x")`,
      jobTitle: 'CEO, "founder"',
      status: 'qualified',
      niche: 'Boulangerie',
      tags: 'vip;paris',
      score: '90',
      notes: 'ligne 1\nligne 2',
      ownerEmail: owner.email,
      lastContactedAt: '2026-01-02T03:04:05.678Z',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(JSON.parse(zoe.customFields)).toEqual({ budget: 5000, city: 'Lyon' });
  });

  it('escapes every formula-looking cell in CSV and in XLSX', async () => {
    const csv = parseCsv((await exportCsv(owner, { scoreMax: '30' }).expect(200)).text).rows;
    const xlsx = await parseXlsx(
      (
        await t
          .http()
          .get('/api/leads/export')
          .query({ format: 'xlsx', scoreMax: '30' })
          .set(owner.auth)
          .buffer(true)
          .parse(binary)
          .expect(200)
      ).body,
    );
    for (const rows of [csv, xlsx.rows]) {
      const names = new Set(rows.map((row) => row[1]));
      for (const expected of ["'=SUM(A1:A2)", "'@cmd|calc", "'-2+3", "'\tindent", "'@admin"]) {
        expect([expected, names.has(expected)]).toEqual([expected, true]);
      }
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('exports XLSX that exceljs reads back equal to the database, score as a number', async () => {
    const res = await t
      .http()
      .get('/api/leads/export')
      .query({ format: 'xlsx', status: 'qualified' })
      .set(owner.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="leads-${today}.xlsx"`);
    const { header, rows, scores } = await parseXlsx(res.body);
    expect(header).toEqual(HEADER);
    const expected = await expectedRows(t, owner.workspaceId, `l.status = 'qualified'`);
    expect(expected.length).toBeGreaterThan(500);
    expect(comparable(rows)).toEqual(expected);
    expect(scores.every((score) => typeof score === 'number')).toBe(true);
  });

  it('applies the list filters (status, tag, q) and sort', async () => {
    const cases: Array<[Record<string, string>, string, unknown[]]> = [
      [{ status: 'lost' }, `l.status = 'lost'`, []],
      [{ tag: 'VIP', scoreMin: '95' }, `'vip' = ANY(l.tags) AND l.score >= 95`, []],
      [{ q: 'société 7' }, `l.company ILIKE '%société 7%'`, []],
    ];
    for (const [query, where, params] of cases) {
      const { rows } = parseCsv((await exportCsv(owner, query).expect(200)).text);
      const expected = await expectedRows(t, owner.workspaceId, where, params);
      expect(expected.length).toBeGreaterThan(0);
      expect([query, comparable(rows)]).toEqual([query, expected]);
    }
    const asc = parseCsv((await exportCsv(owner, { status: 'lost', sortBy: 'score', order: 'asc' })).text).rows;
    const scores = asc.map((row) => Number(row[10]));
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
  });

  it('runs a larger export as a tracked job; the signed link downloads the same rows', async () => {
    const res = await exportCsv(owner).expect(202);
    expect(res.body).toEqual({
      jobId: expect.any(String),
      status: 'PENDING',
      statusUrl: `/api/jobs/${res.body.jobId}`,
    });
    expect(res.headers.location).toBe(res.body.statusUrl);
    const job = await waitFor(
      'the export job',
      async () => {
        const polled = await t.http().get(res.body.statusUrl).set(owner.auth).expect(200);
        if (polled.body.status === 'FAILED') throw new Error(JSON.stringify(polled.body.error));
        return polled.body.status === 'COMPLETED' ? polled.body : undefined;
      },
      60_000,
    );
    const expected = await expectedRows(t, owner.workspaceId);
    expect(expected.length).toBeGreaterThan(BULK_ROWS);
    expect(job).toMatchObject({
      type: 'leads.export',
      progress: 100,
      result: { rows: expected.length, format: 'csv' },
      files: [{ name: `leads-${today}.csv`, contentType: 'text/csv; charset=utf-8', size: expect.any(Number) }],
    });
    const download = await t.http().get(job.files[0].url).set('X-Forwarded-For', randomIp()).expect(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="leads-${today}.csv"`);
    const { header, rows } = parseCsv(download.text);
    expect(header).toEqual(HEADER);
    expect(comparable(rows)).toEqual(expected);
  });

  it('a job queued without the API’s row count counts beside the export and still reports every row', async () => {
    const expected = await expectedRows(t, owner.workspaceId);
    const accepted = await t.app.get(JobTrackerService).submit(
      LeadsJobs.ExportLeads,
      {
        workspaceId: owner.workspaceId,
        format: 'csv',
        filters: { sortBy: 'createdAt', order: 'desc' },
        fileName: 'uncounted.csv',
      },
      null,
    );
    const job = await waitFor(
      'the uncounted export job',
      async () => {
        const polled = await t.http().get(accepted.statusUrl).set(owner.auth).expect(200);
        if (polled.body.status === 'FAILED') throw new Error(JSON.stringify(polled.body.error));
        return polled.body.status === 'COMPLETED' ? polled.body : undefined;
      },
      60_000,
    );
    expect(job).toMatchObject({ progress: 100, result: { rows: expected.length, format: 'csv' } });
    const download = await t.http().get(job.files[0].url).set('X-Forwarded-For', randomIp()).expect(200);
    expect(comparable(parseCsv(download.text).rows)).toEqual(expected);
  });

  it('runs a larger XLSX export as a job too', async () => {
    const res = await t.http().get('/api/leads/export').query({ format: 'xlsx' }).set(owner.auth).expect(202);
    const job = await waitFor(
      'the xlsx export job',
      async () => {
        const polled = await t.http().get(res.body.statusUrl).set(owner.auth).expect(200);
        return polled.body.status === 'COMPLETED' ? polled.body : undefined;
      },
      60_000,
    );
    const download = await t.http().get(job.files[0].url).buffer(true).parse(binary).expect(200);
    const { rows } = await parseXlsx(download.body);
    expect(comparable(rows)).toEqual(await expectedRows(t, owner.workspaceId));
  });

  it('lets a viewer export (read permission)', async () => {
    const viewer = await addMember(t, owner, 'viewer');
    const { rows } = parseCsv((await exportCsv(viewer, { q: 'zoe@' }).expect(200)).text);
    expect(rows.map((row) => row[2])).toEqual(['zoe@example.com']);
  });

  it('never shows another workspace’s leads', async () => {
    const { rows } = parseCsv((await exportCsv(other).expect(200)).text);
    expect(rows.map((row) => row[1])).toEqual(['Other workspace']);
    const mine = parseCsv((await exportCsv(owner, { tag: 'vip', scoreMin: '90' }).expect(200)).text).rows;
    expect(mine.some((row) => row[1] === 'Other workspace')).toBe(false);
    expect(mine.length).toBeGreaterThan(0);
  });

  it('escapes in SQL (CSV, COPY) exactly as in TypeScript (XLSX)', async () => {
    const samples = [
      '',
      'x',
      ' =1',
      "'=1",
      'é=1',
      '\n=1',
      '==',
      ...FORMULA_TRIGGERS.flatMap((c) => [c, `${c}x`, `${c}${c}`]),
    ];
    const [row] = await t.db.query(
      `SELECT array_agg(${escapeSpreadsheetCellSql('v')} ORDER BY i) AS escaped
         FROM unnest($1::text[]) WITH ORDINALITY AS s(v, i)`,
      [samples],
    );
    expect(row.escaped).toEqual(samples.map(escapeSpreadsheetCell));
  });

  it('gives the connection back when the client goes away mid-download', async () => {
    const pool = (t.db.driver as PostgresDriver).master as Pool;
    for (const format of ['csv', 'xlsx']) {
      let received = 0;
      await t
        .http()
        .get('/api/leads/export')
        .query({ format, scoreMax: '60' })
        .set(owner.auth)
        .buffer(true)
        .parse((res, callback) => {
          const socket = res as unknown as NodeJS.ReadableStream & { destroy(): void };
          socket.once('data', (chunk: Buffer) => {
            received += chunk.length;
            socket.destroy();
            callback(null, null);
          });
        })
        .catch(() => undefined);
      expect(received).toBeGreaterThan(0);
      await waitFor('the export connection back in the pool', async () =>
        pool.totalCount === pool.idleCount && pool.waitingCount === 0 ? true : undefined,
      );
      const [{ running }] = await t.db.query(
        `SELECT count(*)::int AS running FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND query LIKE '%c15%' AND pid <> pg_backend_pid()`,
      );
      expect(running).toBe(0);
    }
  });

  it('answers 400 for an unknown format or a bad filter, 401 without a token', async () => {
    expectError(await exportCsv(owner, { format: 'pdf' }), 400);
    expectError(await exportCsv(owner, { scoreMin: '101' }), 400);
    expectError(await exportCsv(owner, { page: '2' }), 400);
    expectError(await t.http().get('/api/leads/export').set('X-Forwarded-For', randomIp()), 401);
  });
});
