import { useAppWithWorker } from '../helpers/app-with-worker';
import { expectError, signUp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { expectOutputsAfterLimit } from '../helpers/paged-walk';

type Note = { id: string; kind: string; type: string; message: string; read: boolean; created_at: string };

/** Notifications of job outcomes (the worker's tracked jobs → job.* domain events), and the paged list. */
describe('notifications: job outcomes, and GET /api/notifications by cursor', () => {
  const { t, eventsDrained } = useAppWithWorker();

  const list = async (user: TestUser, query: Record<string, string | number> = {}) =>
    (await t.http().get('/api/notifications').query(query).set(user.auth).expect(200)).body as {
      data: Note[];
      pagination: { nextCursor: string | null; prevCursor: string | null; total: number; page: number | null };
    };
  const notified = (user: TestUser, kind: string, count = 1) =>
    waitFor(`${count} ${kind} notification(s)`, async () => {
      const found = (await list(user, { limit: 100 })).data.filter((n) => n.kind === kind);
      return found.length >= count ? found : undefined;
    });
  const jobEnded = (user: TestUser, statusUrl: string) =>
    waitFor(
      'the job',
      async () => {
        const polled = await t.http().get(statusUrl).set(user.auth).expect(200);
        return ['COMPLETED', 'FAILED'].includes(polled.body.status) ? polled.body : undefined;
      },
      60_000,
    );
  const gdprExport = async (user: TestUser) => {
    const res = await t.http().post('/api/gdpr/export').set(user.auth).set('Prefer', 'respond-async').expect(202);
    expect(await jobEnded(user, res.body.statusUrl)).toMatchObject({ status: 'COMPLETED' });
    return res.body.jobId as string;
  };

  it('a GDPR export job that finishes says the export is ready; a failed import says why; switches honoured', async () => {
    const owner = await signUp(t);
    const jobId = await gdprExport(owner);
    const [ready] = await notified(owner, 'job.completed');
    expect(ready).toMatchObject({
      type: 'success',
      message: 'Your personal data export is ready to download',
      read: false,
    });
    const [{ data }] = await t.db.query('SELECT data FROM notifications WHERE id = $1', [ready.id]);
    expect(data).toEqual({ jobId, name: 'gdpr.export' });

    // No column of the file is a lead field: the import job fails for good.
    const upload = await t
      .http()
      .post('/api/leads/import')
      .set(owner.auth)
      .attach('file', Buffer.from('colour,shape\nred,round\n'), 'leads.csv')
      .expect(202);
    expect(await jobEnded(owner, upload.body.statusUrl)).toMatchObject({
      status: 'FAILED',
      error: { code: 'IMPORT_NO_KNOWN_COLUMNS' },
    });
    const [failed] = await notified(owner, 'job.failed');
    expect(failed).toMatchObject({
      type: 'error',
      message: 'Lead import failed: No column of the file matches a lead field; send a mapping (header → field)',
    });

    // The jobCompleted switch off: the next export notifies nothing.
    await t
      .http()
      .put('/api/settings/notifications')
      .set(owner.auth)
      .send({ inApp: { jobCompleted: false } })
      .expect(200);
    await gdprExport(owner);
    await eventsDrained();
    expect((await list(owner)).data.filter((n) => n.kind === 'job.completed')).toHaveLength(1);
    // Another workspace sees none of it.
    expect((await list(await signUp(t))).data).toEqual([]);
  }, 120_000);

  it('pages newest first by cursor, both ways; unread only; a cursor of another workspace is a 400', async () => {
    const owner = await signUp(t);
    // Five real events: five leads converted.
    for (let i = 1; i <= 5; i++) {
      const lead = await t
        .http()
        .post('/api/leads')
        .set(owner.auth)
        .send({ name: `Lead ${i}` })
        .expect(201);
      await t.http().put(`/api/leads/${lead.body.id}`).set(owner.auth).send({ status: 'converted' }).expect(200);
      // Distinct creation instants make the expected order the conversion order.
      await notified(owner, 'lead.status_changed', i);
    }
    const all = (await list(owner, { limit: 100 })).data;
    expect(all.map((n) => n.message)).toEqual([5, 4, 3, 2, 1].map((i) => `Lead Lead ${i} converted`));

    const first = await list(owner, { limit: 2 });
    expect(first.data.map((n) => n.id)).toEqual(all.slice(0, 2).map((n) => n.id));
    expect(first.pagination).toMatchObject({ page: 1, total: 5, prevCursor: null, nextCursor: expect.any(String) });
    const second = await list(owner, { limit: 2, cursor: first.pagination.nextCursor! });
    expect(second.data.map((n) => n.id)).toEqual(all.slice(2, 4).map((n) => n.id));
    expect(second.pagination.page).toBeNull();
    const third = await list(owner, { limit: 2, cursor: second.pagination.nextCursor! });
    expect(third.data.map((n) => n.id)).toEqual(all.slice(4).map((n) => n.id));
    expect(third.pagination.nextCursor).toBeNull();
    const back = await list(owner, { limit: 2, cursor: third.pagination.prevCursor! });
    expect(back.data.map((n) => n.id)).toEqual(all.slice(2, 4).map((n) => n.id));
    // Page numbers still work, as on every list.
    expect((await list(owner, { limit: 2, page: 3 })).data.map((n) => n.id)).toEqual([all[4].id]);

    // Unread only: two read, three left, newest first.
    await t.http().post(`/api/notifications/${all[0].id}/read`).set(owner.auth).expect(204);
    await t.http().post(`/api/notifications/${all[3].id}/read`).set(owner.auth).expect(204);
    const unread = await list(owner, { unread: 'true' });
    expect(unread.data.map((n) => n.id)).toEqual([all[1].id, all[2].id, all[4].id]);
    expect(unread.pagination.total).toBe(3);
    expect(unread.data.every((n) => !n.read)).toBe(true);

    // A cursor belongs to its workspace and its filter.
    const stranger = await signUp(t);
    expectError(
      await t.http().get('/api/notifications').query({ cursor: first.pagination.nextCursor }).set(stranger.auth),
      400,
      'INVALID_CURSOR',
    );
    expectError(
      await t
        .http()
        .get('/api/notifications')
        .query({ unread: 'true', cursor: first.pagination.nextCursor })
        .set(owner.auth),
      400,
      'INVALID_CURSOR',
    );
    expectError(await t.http().get('/api/notifications').query({ unread: 'maybe' }).set(owner.auth), 400);
    expectError(await t.http().get('/api/notifications'), 401);
  }, 120_000);

  it('computes the cursor keys of the page only, after its Limit (and its OFFSET)', async () => {
    const owner = await signUp(t);
    await t.db.query(
      `INSERT INTO notifications (workspace_id, user_id, event_id, kind, level, message, created_at, read_at)
       SELECT CASE WHEN i % 4 = 0 THEN NULL ELSE $1::uuid END, CASE WHEN i % 4 = 0 THEN $2::uuid END,
              gen_random_uuid(), 'lead.created', 'info', 'Note ' || i,
              timestamptz '2026-01-01' + make_interval(secs => i), CASE WHEN i % 3 = 0 THEN now() END
         FROM generate_series(1, 3000) i`,
      [owner.workspaceId, owner.id],
    );
    await t.db.query('ANALYZE notifications');
    const get = (q: Record<string, unknown>) =>
      t
        .http()
        .get('/api/notifications')
        .query({ limit: 20, ...q })
        .set(owner.auth);
    const first = await get({}).expect(200);
    const shapes = [{}, { unread: 'true' }, { page: 30 }, { cursor: first.body.pagination.nextCursor }];
    await expectOutputsAfterLimit(t.db, get, shapes, /json_build_array/);
  });
});
