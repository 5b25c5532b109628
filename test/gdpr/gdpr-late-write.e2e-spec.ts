import { Client } from 'pg';
import { GUARDED_USER_COLUMNS } from '../../libs/platform/src/database/migrations/1796570000000-ErasedUserGuard';
import { addMember, createTestApp, signUp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * A write already in flight when a user is erased (a request past its auth check, a job) must not leave a row
 * naming them once the erasure is done: the erasure waits for it and erases it too, and later writes are refused.
 */
describe('GDPR erasure against late writes', () => {
  let t: TestApp;
  let writer: Client;
  beforeAll(async () => {
    t = await createTestApp();
    writer = new Client({ connectionString: process.env.DATABASE_URL });
    await writer.connect();
  }, 60_000);
  afterAll(async () => {
    await writer?.end();
    await t.close();
  });

  it('every column naming a user without a foreign key to users is guarded on insert and update', async () => {
    // Same heuristic as a reviewer's: uuid columns called user/owner/author/actor/…_by.
    const rows: Array<{ table_name: string; column_name: string; fk: boolean; ins: boolean; upd: boolean }> =
      await t.db.query(
        `SELECT c.table_name, c.column_name,
                EXISTS (SELECT 1 FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid
                         WHERE k.contype = 'f' AND k.conrelid = c.table_name::regclass AND a.attnum = ANY (k.conkey)
                           AND a.attname = c.column_name AND k.confrelid = 'users'::regclass) AS fk,
                EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.table_name::regclass
                           AND g.tgname = 'guard_erased_users_insert'
                           AND position(convert_to(c.column_name, 'UTF8') IN g.tgargs) > 0) AS ins,
                EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.table_name::regclass
                           AND g.tgname = 'guard_erased_users_update_' || c.column_name) AS upd
           FROM information_schema.columns c
           JOIN information_schema.tables tb USING (table_schema, table_name)
          WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE' AND c.data_type = 'uuid'
            AND c.table_name <> 'users'
            AND (c.column_name ~ '(^|_)(user|owner|author|actor|reporter|recorded_by|created_by|invited_by|handled_by)(_user)?_id$')`,
      );
    expect(rows.length).toBeGreaterThan(20);
    const unguarded = rows.filter((r) => !r.fk && !(r.ins && r.upd)).map((r) => `${r.table_name}.${r.column_name}`);
    expect(unguarded).toEqual([]);
    expect(Object.keys(GUARDED_USER_COLUMNS).length).toBeGreaterThan(0);
  });

  it('a write in flight during the erasure is waited for and erased; a write after it is refused', async () => {
    const owner = await signUp(t);
    const member = await addMember(t, owner, 'member', { name: 'Leaving Member' });
    const created = await t
      .http()
      .post('/api/leads')
      .set(member.auth)
      .send({ name: 'Shared lead', email: 'late-write@example.invalid' })
      .expect(201);
    const leadId = created.body.id as string;
    const insertEvent = (note: string) =>
      writer.query(
        `INSERT INTO lead_events (lead_id, workspace_id, type, data, actor_user_id)
         VALUES ($1, $2, 'note', jsonb_build_object('note', $3::text), $4) RETURNING id`,
        [leadId, owner.workspaceId, note, member.id],
      );

    // A request of the member's, past its checks, has written a row and not committed yet.
    await writer.query('BEGIN');
    const [{ id: inFlightId }] = (await insertEvent('in flight')).rows;
    const { rows: pidRows } = await writer.query('SELECT pg_backend_pid() AS pid');
    const writerPid = pidRows[0].pid as number;

    let erased = false;
    const erasure = t
      .http()
      .post('/api/gdpr/delete')
      .set(member.auth)
      .send({ confirmation: 'DELETE_MY_DATA' })
      .then((res) => {
        erased = true;
        return res;
      });
    // Until the erasure finished (the bug: it did not wait) or is waiting on the writer.
    await waitFor('the erasure to finish or wait for the writer', async () => {
      if (erased) return true;
      const [blocked] = await t.db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))`,
        [writerPid],
      );
      return blocked.n > 0 ? true : undefined;
    });
    await writer.query('COMMIT');
    expect((await erasure).status).toBe(200);

    // The row written in flight stays in the shared workspace, without the member.
    const [row] = await t.db.query(`SELECT actor_user_id, workspace_id FROM lead_events WHERE id = $1`, [inFlightId]);
    expect(row).toEqual({ actor_user_id: null, workspace_id: owner.workspaceId });
    const [named] = await t.db.query(`SELECT count(*)::int AS n FROM lead_events WHERE actor_user_id = $1`, [
      member.id,
    ]);
    expect(named.n).toBe(0);

    // A job or request arriving afterwards cannot name them again, by insert or by update.
    await expect(insertEvent('too late')).rejects.toMatchObject({ code: 'CR410' });
    await expect(
      writer.query(`UPDATE leads SET owner_id = $1 WHERE id = $2`, [member.id, leadId]),
    ).rejects.toMatchObject({ code: 'CR410' });
    const [after] = await t.db.query(`SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1`, [leadId]);
    expect(after.n).toBeGreaterThan(0);
  });

  it('a user being erased is refused while the erasure runs (the tombstone), even before their row goes', async () => {
    const owner = await signUp(t);
    const member = await addMember(t, owner, 'member');
    // The erasure's first step alone, as it stands while the features erase.
    await t.db.query(`UPDATE users SET erased_at = now() WHERE id = $1`, [member.id]);
    await expect(
      writer.query(`INSERT INTO segments (workspace_id, name, rules, created_by_id) VALUES ($1, 'Late', '{}', $2)`, [
        owner.workspaceId,
        member.id,
      ]),
    ).rejects.toMatchObject({ code: 'CR410' });
    // Other users' writes in the same statement shape go through.
    await writer.query(
      `INSERT INTO segments (workspace_id, name, rules, created_by_id) VALUES ($1, 'Owner''s', '{}', $2)`,
      [owner.workspaceId, owner.id],
    );
  });
});
