import { randomBytes, randomUUID } from 'node:crypto';
import { QueueRegistry } from '@crescendo/platform';
import { OperationsJobs } from '@crescendo/operations';
import { createTestApp, expectError, signUp, TestApp } from '../helpers/test-app';
import { testEnv } from '../helpers/test-env';

const cronAuth = { Authorization: `Bearer ${testEnv.CRON_SECRET}` };
const hash = () => randomBytes(32).toString('hex');

describe('cron routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('authentication', () => {
    it.each(['/api/cron/cleanup', '/api/cron/metrics'])('%s answers 401 without the secret', async (path) => {
      expectError(await t.http().get(path), 401, 'CRON_SECRET_REQUIRED');
    });

    it.each(['/api/cron/cleanup', '/api/cron/metrics'])('%s answers 401 with a wrong secret', async (path) => {
      expectError(await t.http().get(path).set('Authorization', 'Bearer wrong-secret'), 401, 'CRON_SECRET_INVALID');
      expectError(
        await t.http().get(path).set('Authorization', `Bearer ${testEnv.CRON_SECRET}x`),
        401,
        'CRON_SECRET_INVALID',
      );
    });

    it('a user access token is not the cron secret', async () => {
      const user = await signUp(t);
      expectError(await t.http().get('/api/cron/metrics').set(user.auth), 401, 'CRON_SECRET_INVALID');
    });
  });

  describe('GET /api/cron/cleanup', () => {
    it('deletes expired and long-revoked sessions, spent one-time tokens, old logs and old sent mails; keeps live rows', async () => {
      const user = await signUp(t);
      const q = (sql: string, params: unknown[] = []) => t.db.query(sql, params);
      const insertToken = (expires: string, revoked: string | null) =>
        q(
          `INSERT INTO refresh_tokens (family_id, user_id, workspace_id, token_hash, expires_at, revoked_at)
           VALUES ($1, $2, $3, $4, now() + $5::interval, now() + $6::interval) RETURNING id`,
          [randomUUID(), user.id, user.workspaceId, hash(), expires, revoked],
        ).then((rows: Array<{ id: string }>) => rows[0].id);
      const expiredToken = await insertToken('-1 day', null);
      const longRevoked = await insertToken('+5 days', '-8 days');
      const recentlyRevoked = await insertToken('+5 days', '-1 day');
      const liveToken = await insertToken('+5 days', null);

      const insertOtt = (expires: string, used: string | null) =>
        q(
          `INSERT INTO one_time_tokens (user_id, purpose, token_hash, expires_at, used_at)
           VALUES ($1, 'password_reset', $2, now() + $3::interval, now() + $4::interval) RETURNING id`,
          [user.id, hash(), expires, used],
        ).then((rows: Array<{ id: string }>) => rows[0].id);
      const expiredOtt = await insertOtt('-1 hour', null);
      const usedOtt = await insertOtt('+1 hour', '-5 minutes');
      const liveOtt = await insertOtt('+1 hour', null);

      const insertLog = (age: string) =>
        q(
          `INSERT INTO audit_logs (type, level, action, message, created_at)
           VALUES ('system', 'info', 'cleanup_test', 'x', now() - $1::interval) RETURNING id`,
          [age],
        ).then((rows: Array<{ id: string }>) => rows[0].id);
      const oldLog = await insertLog('91 days');
      const recentLog = await insertLog('89 days');

      const insertMail = (status: string, age: string) =>
        q(
          `INSERT INTO mail_outbox ("to", subject, text, template, status, created_at, sent_at)
           VALUES ('cleanup@crescendo.test', 's', 't', 'test', $1::varchar, now() - $2::interval,
                   CASE WHEN $1::varchar = 'sent' THEN now() - $2::interval END) RETURNING id`,
          [status, age],
        ).then((rows: Array<{ id: string }>) => rows[0].id);
      const oldSent = await insertMail('sent', '31 days');
      const recentSent = await insertMail('sent', '29 days');
      const oldQueued = await insertMail('queued', '31 days');

      const count = async (table: string, ids: string[]) =>
        Number((await q(`SELECT count(*)::int AS n FROM ${table} WHERE id = ANY($1)`, [ids]))[0].n);
      expect(await count('refresh_tokens', [expiredToken, longRevoked])).toBe(2);
      const before = Number((await q('SELECT count(*)::int AS n FROM refresh_tokens'))[0].n);

      const res = await t.http().get('/api/cron/cleanup').set(cronAuth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        cleaned: expect.any(Number),
        details: {
          refreshTokens: expect.any(Number),
          oneTimeTokens: expect.any(Number),
          auditLogs: expect.any(Number),
          mails: expect.any(Number),
        },
        timestamp: expect.any(String),
      });
      const { details, cleaned } = res.body;
      expect(cleaned).toBe(details.refreshTokens + details.oneTimeTokens + details.auditLogs + details.mails);
      expect(details.refreshTokens).toBeGreaterThanOrEqual(2);
      expect(details.oneTimeTokens).toBeGreaterThanOrEqual(2);
      expect(details.auditLogs).toBeGreaterThanOrEqual(1);
      expect(details.mails).toBeGreaterThanOrEqual(1);
      const after = Number((await q('SELECT count(*)::int AS n FROM refresh_tokens'))[0].n);
      expect(before - after).toBe(details.refreshTokens);

      expect(await count('refresh_tokens', [expiredToken, longRevoked])).toBe(0);
      expect(await count('refresh_tokens', [recentlyRevoked, liveToken])).toBe(2);
      expect(await count('one_time_tokens', [expiredOtt, usedOtt])).toBe(0);
      expect(await count('one_time_tokens', [liveOtt])).toBe(1);
      expect(await count('audit_logs', [oldLog])).toBe(0);
      expect(await count('audit_logs', [recentLog])).toBe(1);
      expect(await count('mail_outbox', [oldSent])).toBe(0);
      expect(await count('mail_outbox', [recentSent, oldQueued])).toBe(2);

      // The user's own session survived: their token still works.
      expect((await t.http().get('/api/auth/me').set(user.auth)).status).toBe(200);

      // Nothing left to clean: a second run deletes none of the seeded kinds.
      const again = await t.http().get('/api/cron/cleanup').set(cronAuth);
      expect(again.body.details).toMatchObject({ refreshTokens: 0, oneTimeTokens: 0, auditLogs: 0, mails: 0 });
    });
  });

  describe('GET /api/cron/metrics', () => {
    it('answers figures that match the database and the queues', async () => {
      const user = await signUp(t);
      const idle = await signUp(t);
      await t.db.query(`UPDATE users SET last_login_at = now() - interval '45 days' WHERE id = $1`, [idle.id]);
      const queues = t.app.get(QueueRegistry);
      const delayed = await queues.enqueue(OperationsJobs.CollectMetrics, { trigger: 'manual' }, { delay: 3_600_000 });

      const res = await t.http().get('/api/cron/metrics').set(cronAuth);
      expect(res.status).toBe(200);
      const [sql] = await t.db.query(
        `SELECT (SELECT count(*)::int FROM users) AS total,
                (SELECT count(*)::int FROM users WHERE last_login_at >= now() - interval '30 days') AS active,
                (SELECT count(*)::int FROM workspaces) AS workspaces`,
      );
      // Across every queue: other specs leave jobs waiting for a worker that is not running.
      const counts = { waiting: 0, prioritized: 0, delayed: 0, active: 0, failed: 0 };
      for (const queue of queues.all()) {
        const c = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed');
        for (const key of Object.keys(counts) as Array<keyof typeof counts>) counts[key] += c[key] ?? 0;
      }
      expect(res.body).toEqual({
        success: true,
        metrics: {
          totalUsers: sql.total,
          activeUsers: sql.active,
          totalWorkspaces: sql.workspaces,
          pendingJobs: counts.waiting + counts.prioritized + counts.delayed + counts.active,
          failedJobs: counts.failed,
        },
        timestamp: expect.any(String),
      });
      expect(res.body.metrics.pendingJobs).toBeGreaterThanOrEqual(1);
      expect(res.body.metrics.activeUsers).toBeLessThan(res.body.metrics.totalUsers);
      // The user who just signed in counts as active until their last login is older than 30 days.
      await t.db.query(`UPDATE users SET last_login_at = now() - interval '31 days' WHERE id = $1`, [user.id]);
      const later = await t.http().get('/api/cron/metrics').set(cronAuth);
      expect(later.body.metrics).toMatchObject({
        totalUsers: res.body.metrics.totalUsers,
        activeUsers: res.body.metrics.activeUsers - 1,
      });
      await delayed.remove();
    });

    it('documents the cronSecret bearer security', async () => {
      const doc = await t.http().get('/docs-json');
      for (const [path, id] of [
        ['/api/cron/cleanup', 'runCleanup'],
        ['/api/cron/metrics', 'getCronMetrics'],
      ]) {
        const op = doc.body.paths[path].get;
        expect(op.operationId).toBe(id);
        expect(op.security).toEqual([{ cronSecret: [] }]);
        expect(op.responses['401'].content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/ErrorResponseDto',
        });
      }
    });
  });
});
