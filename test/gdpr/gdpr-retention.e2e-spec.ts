import { RetentionService } from '@crescendo/gdpr';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp } from '../helpers/test-app';

describe('GDPR retention', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET/PUT the windows; 400 out of range, 401, 403 for a member', async () => {
    const owner = await signUp(t);
    const empty = await t.http().get('/api/gdpr/retention').set(owner.auth).expect(200);
    expect(empty.body).toEqual({
      inactiveLeadsDays: null,
      chatHistoryDays: null,
      fanConversationsDays: null,
      auditLogsDays: null,
    });
    const set = await t
      .http()
      .put('/api/gdpr/retention')
      .set(owner.auth)
      .send({ inactiveLeadsDays: 365, auditLogsDays: 90 });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      inactiveLeadsDays: 365,
      chatHistoryDays: null,
      fanConversationsDays: null,
      auditLogsDays: 90,
    });
    // Fields left out stay; null clears.
    const cleared = await t.http().put('/api/gdpr/retention').set(owner.auth).send({ auditLogsDays: null }).expect(200);
    expect(cleared.body).toMatchObject({ inactiveLeadsDays: 365, auditLogsDays: null });
    for (const body of [{ inactiveLeadsDays: 0 }, { chatHistoryDays: 4000 }, { auditLogsDays: 'soon' }]) {
      expectError(await t.http().put('/api/gdpr/retention').set(owner.auth).send(body), 400);
    }
    expectError(await t.http().get('/api/gdpr/retention').set('X-Forwarded-For', randomIp()), 401);
    const member = await addMember(t, owner, 'member');
    expectError(await t.http().put('/api/gdpr/retention').set(member.auth).send({ inactiveLeadsDays: 1 }), 403);
  });

  it('the nightly pass removes only what a workspace’s windows no longer allow, and says what it removed', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const lead = async (user: typeof owner, name: string) =>
      (await t.http().post('/api/leads').set(user.auth).send({ name }).expect(201)).body.id as string;
    const stale = await lead(owner, 'Stale');
    const fresh = await lead(owner, 'Fresh');
    const contacted = await lead(owner, 'Recently contacted');
    const othersStale = await lead(other, 'Other stale');
    await t.db.query(`UPDATE leads SET updated_at = now() - interval '400 days' WHERE id = ANY($1)`, [
      [stale, contacted, othersStale],
    ]);
    await t.db.query(`UPDATE leads SET last_contacted_at = now() - interval '10 days' WHERE id = $1`, [contacted]);
    await t.db.query(
      `INSERT INTO audit_logs (workspace_id, type, level, action, message, created_at)
       VALUES ($1, 'admin', 'info', 'old.entry', 'old', now() - interval '100 days'),
              ($2, 'admin', 'info', 'old.entry', 'old', now() - interval '100 days')`,
      [owner.workspaceId, other.workspaceId],
    );
    await t
      .http()
      .put('/api/gdpr/retention')
      .set(owner.auth)
      .send({ inactiveLeadsDays: 365, auditLogsDays: 30 })
      .expect(200);

    const outcome = await t.app.get(RetentionService).applyAll();
    expect(outcome.removed.inactiveLeads).toBeGreaterThanOrEqual(1);

    const ids = (
      await t.db.query(`SELECT id FROM leads WHERE id = ANY($1)`, [[stale, fresh, contacted, othersStale]])
    ).map((r: { id: string }) => r.id);
    expect(ids.sort()).toEqual([fresh, contacted, othersStale].sort());
    const old = await t.db.query(
      `SELECT workspace_id FROM audit_logs WHERE action = 'old.entry' AND workspace_id = ANY($1)`,
      [[owner.workspaceId, other.workspaceId]],
    );
    expect(old).toEqual([{ workspace_id: other.workspaceId }]);
    const [said] = await t.db.query(
      `SELECT message, metadata FROM audit_logs WHERE action = 'gdpr.retention_applied' AND workspace_id = $1`,
      [owner.workspaceId],
    );
    expect(said.metadata.removed).toMatchObject({ inactiveLeads: 1, auditLogs: 1 });
    expect(said.message).toContain('1 inactiveLeads');
  });
});
