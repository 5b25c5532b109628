import { createHash, randomUUID } from 'node:crypto';
import {
  addMember,
  createTestApp,
  expectError,
  mailedInvitationToken,
  randomIp,
  signIn,
  signUp,
  TestApp,
  TestUser,
  uniqueEmail,
} from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe('invitations (joining a workspace needs the invitee’s acceptance)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const invite = (by: TestUser, email: string, role = 'member') =>
    t.http().post('/api/users').set(by.auth).send({ email, role });
  const memberships = async (userId: string): Promise<{ workspace_id: string; status: string }[]> =>
    t.db.query('SELECT workspace_id, status FROM memberships WHERE user_id = $1 ORDER BY created_at', [userId]);
  const acceptByToken = (body: Record<string, unknown>) =>
    t.http().post('/api/invitations/accept').set('X-Forwarded-For', randomIp()).send(body);
  const invitationRow = async (id: string) =>
    (await t.db.query('SELECT status, token_hash, expires_at FROM invitations WHERE id = $1', [id]))[0];

  describe('POST /api/users (invite)', () => {
    it('makes nobody a member and answers the same shape for an existing account and an unknown e-mail', async () => {
      const owner = await signUp(t);
      const existing = await signUp(t, { name: 'Private Person' });
      const unknownEmail = uniqueEmail('nobody');

      const forExisting = await invite(owner, existing.email);
      const forUnknown = await invite(owner, unknownEmail);
      expect(forExisting.status).toBe(201);
      expect(forUnknown.status).toBe(201);
      const shape = (body: Record<string, unknown>, email: string) => ({
        id: expect.any(String),
        email,
        role: 'member',
        status: 'pending',
        expiresAt: iso,
        invitedById: owner.id,
        createdAt: iso,
        respondedAt: null,
      });
      expect(forExisting.body).toEqual(shape(forExisting.body, existing.email));
      expect(forUnknown.body).toEqual(shape(forUnknown.body, unknownEmail));
      expect(Object.keys(forExisting.body).sort()).toEqual(Object.keys(forUnknown.body).sort());
      expect(JSON.stringify(forExisting.body)).not.toMatch(/Private Person|lastLoginAt|avatarUrl/);
      expect(forExisting.body.id).not.toBe(existing.id);
      // Both are mailed the same text, but for the address and the token.
      const mails: { to: string; template: string; subject: string; text: string }[] = await t.db.query(
        `SELECT "to", template, subject, text FROM mail_outbox WHERE "to" = ANY($1) ORDER BY created_at`,
        [[existing.email, unknownEmail]],
      );
      expect(mails.map((m) => m.template)).toEqual(['invitation', 'invitation']);
      const normalise = (text: string) => text.replace(/token=\S+|Invitation token: \S+/g, 'TOKEN');
      expect(normalise(mails[0].text)).toBe(normalise(mails[1].text));
      expect(mails[0].subject).toBe(mails[1].subject);

      // No membership, no account, nothing visible to the inviter until someone accepts.
      expect(await memberships(existing.id)).toEqual([{ workspace_id: existing.workspaceId, status: 'active' }]);
      expect(await t.db.query('SELECT id FROM users WHERE email = $1', [unknownEmail])).toEqual([]);
      const members = await t.http().get('/api/users').set(owner.auth);
      expect(members.body.data.map((u: { id: string }) => u.id)).toEqual([owner.id]);
      expectError(await t.http().get(`/api/users/${existing.id}`).set(owner.auth), 404, 'USER_NOT_FOUND');
      const me = await t.http().get('/api/auth/me').set(existing.auth);
      expect(me.body.workspaces.map((w: { id: string }) => w.id)).toEqual([existing.workspaceId]);
    });

    it('writes the mail in the invitee’s language: their account’s, else the workspace’s default', async () => {
      const owner = await signUp(t);
      await t.http().put('/api/settings/general').set(owner.auth).send({ defaultLanguage: 'fr' }).expect(200);
      const english = await signUp(t);
      await t.http().put('/api/management/settings').set(english.auth).send({ language: 'en' }).expect(200);
      const french = await signUp(t);
      await t.http().put('/api/management/settings').set(french.auth).send({ language: 'fr-FR' }).expect(200);
      const newcomer = uniqueEmail('nouveau');
      for (const email of [newcomer, english.email, french.email]) {
        expect((await invite(owner, email, 'admin')).status).toBe(201);
      }
      const mails: { to: string; subject: string; text: string }[] = await t.db.query(
        `SELECT "to", subject, text FROM mail_outbox WHERE "to" = ANY($1) AND template = 'invitation'`,
        [[newcomer, english.email, french.email]],
      );
      const to = Object.fromEntries(mails.map((m) => [m.to, m]));
      const [{ name }] = await t.db.query('SELECT name FROM workspaces WHERE id = $1', [owner.workspaceId]);
      for (const email of [newcomer, french.email]) {
        expect(to[email].subject).toBe(`Vous êtes invité à rejoindre ${name} sur Crescendo`);
        expect(to[email].text).toContain('avec le rôle « Administrateur »');
        expect(to[email].text).toContain(`/#/invitations/accept?token=${await mailedInvitationToken(t, email)}`);
      }
      expect(to[english.email].subject).toBe(`You are invited to ${name} on Crescendo`);
      expect(to[english.email].text).toContain('with the Administrator role');

      // The French token is accepted as the English one is.
      const accepted = await acceptByToken({
        token: await mailedInvitationToken(t, newcomer),
        name: 'Nouvelle Personne',
        password: 'a long enough password',
      });
      expect(accepted.status).toBe(200);
    });

    it('takes the same order of time for an existing account and an unknown e-mail', async () => {
      const owner = await signUp(t);
      const accounts = await Promise.all([1, 2, 3, 4].map(() => signUp(t)));
      const time = async (email: string) => {
        const start = process.hrtime.bigint();
        const res = await invite(owner, email);
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        expect({ status: res.status, state: res.body.status }).toEqual({ status: 201, state: 'pending' });
        return elapsed;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      // Interleaved, so that load on the machine weighs on both alike.
      for (const account of accounts) {
        known.push(await time(account.email));
        unknown.push(await time(uniqueEmail('timing')));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const ratio = median(known) / median(unknown);
      expect(ratio).toBeGreaterThan(1 / 4);
      expect(ratio).toBeLessThan(4);
    });

    it('answers 409 for a member (USER_ALREADY_MEMBER) or a pending invitation (INVITATION_PENDING), any case', async () => {
      const owner = await signUp(t);
      const member = await addMember(t, owner, 'viewer');
      expectError(await invite(owner, member.email.toUpperCase()), 409, 'USER_ALREADY_MEMBER');
      const email = uniqueEmail('twice');
      expect((await invite(owner, email)).status).toBe(201);
      expectError(await invite(owner, ` ${email.toUpperCase()} `, 'viewer'), 409, 'INVITATION_PENDING');
      // Two at once: one wins, the other gets the 409.
      const racing = uniqueEmail('race');
      const answers = await Promise.all([invite(owner, racing), invite(owner, racing)]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      const [{ count }] = await t.db.query(
        `SELECT count(*)::int AS count FROM invitations WHERE workspace_id = $1 AND email IN ($2, $3)`,
        [owner.workspaceId, email, racing],
      );
      expect(count).toBe(2);
    });

    it('stores only a hash of the mailed token, valid 7 days', async () => {
      const owner = await signUp(t);
      const email = uniqueEmail('hashed');
      const res = await invite(owner, email);
      const token = await mailedInvitationToken(t, email);
      const row = await invitationRow(res.body.id);
      expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      const ttl = new Date(row.expires_at).getTime() - Date.now();
      expect(ttl).toBeGreaterThan(7 * 86_400_000 - 60_000);
      expect(ttl).toBeLessThanOrEqual(7 * 86_400_000);
      const [mail] = await t.db.query(`SELECT text FROM mail_outbox WHERE "to" = $1`, [email]);
      expect(mail.text).toContain(`/#/invitations/accept?token=${token}`);
    });
  });

  describe('accepting signed in', () => {
    it('lists my pending invitations; accepting makes me an active member; a second answer is 409', async () => {
      const owner = await signUp(t);
      const person = await signUp(t, { name: 'Joiner' });
      const invited = await invite(owner, person.email, 'viewer');

      const mine = await t.http().get('/api/invitations').set(person.auth);
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual([
        {
          id: invited.body.id,
          workspace: { id: owner.workspaceId, name: `${owner.name}'s workspace` },
          role: 'viewer',
          status: 'pending',
          expiresAt: iso,
          createdAt: iso,
        },
      ]);
      // The inviter's own list does not show it among mine.
      expect((await t.http().get('/api/invitations').set(owner.auth)).body).toEqual([]);

      const accepted = await t.http().post(`/api/invitations/${invited.body.id}/accept`).set(person.auth);
      expect(accepted.status).toBe(200);
      expect(accepted.body).toEqual({
        workspace: { id: owner.workspaceId, name: `${owner.name}'s workspace` },
        role: 'viewer',
        status: 'accepted',
        accountCreated: false,
      });
      expect(await memberships(person.id)).toEqual([
        { workspace_id: person.workspaceId, status: 'active' },
        { workspace_id: owner.workspaceId, status: 'active' },
      ]);
      const member = await t.http().get(`/api/users/${person.id}`).set(owner.auth);
      expect(member.body).toMatchObject({ id: person.id, name: 'Joiner', role: 'viewer', status: 'active' });
      const me = await t.http().get('/api/auth/me').set(person.auth);
      expect(me.body.workspaces.map((w: { id: string }) => w.id)).toEqual([person.workspaceId, owner.workspaceId]);
      const listed = await t.http().get('/api/users/invitations').set(owner.auth);
      expect(listed.body.data[0]).toMatchObject({ id: invited.body.id, status: 'accepted', respondedAt: iso });

      expectError(
        await t.http().post(`/api/invitations/${invited.body.id}/accept`).set(person.auth),
        409,
        'INVITATION_NOT_PENDING',
      );
      expectError(
        await acceptByToken({ token: await mailedInvitationToken(t, person.email) }),
        400,
        'INVITATION_TOKEN_INVALID',
      );
      expect((await t.http().get('/api/invitations').set(person.auth)).body).toEqual([]);
    });

    it('answers 404 for an invitation addressed to someone else, 400 for a bad id, 401 without a user token', async () => {
      const owner = await signUp(t);
      const addressee = await signUp(t);
      const intruder = await signUp(t);
      const invited = await invite(owner, addressee.email);
      expectError(
        await t.http().post(`/api/invitations/${invited.body.id}/accept`).set(intruder.auth),
        404,
        'INVITATION_NOT_FOUND',
      );
      expectError(
        await t.http().post(`/api/invitations/${invited.body.id}/decline`).set(intruder.auth),
        404,
        'INVITATION_NOT_FOUND',
      );
      // The inviter cannot accept on the invitee's behalf either.
      expectError(
        await t.http().post(`/api/invitations/${invited.body.id}/accept`).set(owner.auth),
        404,
        'INVITATION_NOT_FOUND',
      );
      expectError(
        await t.http().post(`/api/invitations/${randomUUID()}/accept`).set(addressee.auth),
        404,
        'INVITATION_NOT_FOUND',
      );
      expectError(await t.http().post('/api/invitations/nope/accept').set(addressee.auth), 400, 'VALIDATION_FAILED');
      expectError(
        await t.http().post(`/api/invitations/${invited.body.id}/accept`).set('X-Forwarded-For', randomIp()),
        401,
        'AUTH_REQUIRED',
      );
      expectError(await t.http().get('/api/invitations').set('X-Forwarded-For', randomIp()), 401, 'AUTH_REQUIRED');
      const key = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({ name: 'k', scopes: ['users:read'] });
      expectError(
        await t.http().get('/api/invitations').set({ 'X-API-Key': key.body.key, 'X-Forwarded-For': randomIp() }),
        401,
        'USER_TOKEN_REQUIRED',
      );
      expect(await memberships(intruder.id)).toHaveLength(1);
      expect(await memberships(addressee.id)).toHaveLength(1);
      expect((await invitationRow(invited.body.id)).status).toBe('pending');
    });

    it('declining leaves no membership; the invitation reads declined and can no longer be accepted', async () => {
      const owner = await signUp(t);
      const person = await signUp(t);
      const invited = await invite(owner, person.email);
      const declined = await t.http().post(`/api/invitations/${invited.body.id}/decline`).set(person.auth);
      expect(declined.status).toBe(200);
      expect(declined.body).toMatchObject({ status: 'declined', accountCreated: false });
      expect(await memberships(person.id)).toHaveLength(1);
      expectError(
        await t.http().post(`/api/invitations/${invited.body.id}/accept`).set(person.auth),
        409,
        'INVITATION_NOT_PENDING',
      );
      expectError(
        await acceptByToken({ token: await mailedInvitationToken(t, person.email) }),
        400,
        'INVITATION_TOKEN_INVALID',
      );
      const listed = await t.http().get('/api/users/invitations?status=declined').set(owner.auth);
      expect(listed.body.data).toEqual([expect.objectContaining({ id: invited.body.id, status: 'declined' })]);
      // Declined is not pending: the admin may invite again.
      expect((await invite(owner, person.email)).status).toBe(201);
    });
  });

  describe('a membership left `invited` by the former flow', () => {
    it('is not a member: hidden from the list, invitable again, activated only by acceptance', async () => {
      const owner = await signUp(t);
      const person = await signUp(t);
      await t.db.query(
        `INSERT INTO memberships (workspace_id, user_id, role, status, invited_by_id) VALUES ($1, $2, 'viewer', 'invited', $3)`,
        [owner.workspaceId, person.id, owner.id],
      );
      expect((await t.http().get('/api/users').set(owner.auth)).body.data.map((u: { id: string }) => u.id)).toEqual([
        owner.id,
      ]);
      expectError(await t.http().get(`/api/users/${person.id}`).set(owner.auth), 404, 'USER_NOT_FOUND');
      expectError(
        await t.http().put(`/api/users/${person.id}/status`).set(owner.auth).send({ status: 'active' }),
        404,
        'USER_NOT_FOUND',
      );
      const invited = await invite(owner, person.email, 'member');
      expect(invited.status).toBe(201);
      expect(await memberships(person.id)).toEqual([
        { workspace_id: person.workspaceId, status: 'active' },
        { workspace_id: owner.workspaceId, status: 'invited' },
      ]);
      expect((await t.http().post(`/api/invitations/${invited.body.id}/accept`).set(person.auth)).status).toBe(200);
      expect((await t.http().get(`/api/users/${person.id}`).set(owner.auth)).body).toMatchObject({
        role: 'member',
        status: 'active',
      });
    });
  });

  describe('POST /api/invitations/accept (mailed token)', () => {
    it('sets up a new account for an unknown e-mail, who then signs in to the workspace; single use', async () => {
      const owner = await signUp(t);
      const email = uniqueEmail('newcomer');
      await invite(owner, email, 'member');
      const token = await mailedInvitationToken(t, email);

      const incomplete = await acceptByToken({ token });
      expectError(incomplete, 400, 'ACCOUNT_SETUP_REQUIRED');
      expect(incomplete.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'password']);
      expect(await t.db.query('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);

      const accepted = await acceptByToken({ token, name: ' Newcomer ', password: 'my own password' });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toEqual({
        workspace: { id: owner.workspaceId, name: `${owner.name}'s workspace` },
        role: 'member',
        status: 'accepted',
        accountCreated: true,
      });
      const person = await signIn(t, email, 'my own password');
      expect(person.workspaceId).toBe(owner.workspaceId);
      expect(person.name).toBe('Newcomer');
      expect((await t.http().get(`/api/users/${person.id}`).set(owner.auth)).body).toMatchObject({
        role: 'member',
        status: 'active',
      });
      expectError(
        await acceptByToken({ token, name: 'Again', password: 'another password' }),
        400,
        'INVITATION_TOKEN_INVALID',
      );
      const logs = await t.db.query(`SELECT action FROM audit_logs WHERE workspace_id = $1 AND type = 'admin'`, [
        owner.workspaceId,
      ]);
      expect(logs.map((l: { action: string }) => l.action)).toEqual(
        expect.arrayContaining(['user_invited', 'invitation_accepted']),
      );
    });

    it('joins an existing account without touching its password or name', async () => {
      const owner = await signUp(t);
      const person = await signUp(t, { name: 'Kept Name' });
      await invite(owner, person.email, 'viewer');
      const accepted = await acceptByToken({
        token: await mailedInvitationToken(t, person.email),
        password: 'attacker password',
        name: 'Renamed',
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body.accountCreated).toBe(false);
      expect(await signIn(t, person.email, person.password)).toMatchObject({ id: person.id });
      const login = await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', randomIp())
        .send({ email: person.email, password: 'attacker password' });
      expectError(login, 401, 'INVALID_CREDENTIALS');
      const [row] = await t.db.query('SELECT name FROM users WHERE id = $1', [person.id]);
      expect(row.name).toBe('Kept Name');
      expect(await memberships(person.id)).toHaveLength(2);
    });

    it('refuses an expired token (400, nothing stored); the admin sees it expired and may invite again', async () => {
      const owner = await signUp(t);
      const email = uniqueEmail('late');
      const invited = await invite(owner, email);
      const token = await mailedInvitationToken(t, email);
      await t.db.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        invited.body.id,
      ]);
      expectError(
        await acceptByToken({ token, name: 'Late', password: 'late password' }),
        400,
        'INVITATION_TOKEN_INVALID',
      );
      expect(await t.db.query('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
      const expired = await t.http().get('/api/users/invitations?status=expired').set(owner.auth);
      expect(expired.body.data).toEqual([expect.objectContaining({ id: invited.body.id, status: 'expired' })]);
      const pending = await t.http().get('/api/users/invitations?status=pending').set(owner.auth);
      expect(pending.body.data).toEqual([]);
      const again = await invite(owner, email);
      expect(again.status).toBe(201);
      expect((await invitationRow(invited.body.id)).status).toBe('expired');
    });

    it('refuses an expired invitation signed in too (409)', async () => {
      const owner = await signUp(t);
      const person = await signUp(t);
      const invited = await invite(owner, person.email);
      await t.db.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        invited.body.id,
      ]);
      expect((await t.http().get('/api/invitations').set(person.auth)).body).toEqual([]);
      expectError(
        await t.http().post(`/api/invitations/${invited.body.id}/accept`).set(person.auth),
        409,
        'INVITATION_NOT_PENDING',
      );
      expect(await memberships(person.id)).toHaveLength(1);
    });

    it('answers 400 for an unknown token or a malformed body', async () => {
      expectError(await acceptByToken({ token: 'x'.repeat(43) }), 400, 'INVITATION_TOKEN_INVALID');
      const bad = await acceptByToken({ token: 'short', password: 'short', name: '', workspaceId: randomUUID() });
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['token', 'password', 'name', 'workspaceId']),
      );
      expectError(await acceptByToken({}), 400, 'VALIDATION_FAILED');
    });
  });

  describe('admin: list, revoke, resend', () => {
    it('revoking makes the token useless and drops it from the invitee’s list; a second revoke is 409', async () => {
      const owner = await signUp(t);
      const person = await signUp(t);
      const invited = await invite(owner, person.email, 'viewer');
      const revoked = await t.http().post(`/api/users/invitations/${invited.body.id}/revoke`).set(owner.auth);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ id: invited.body.id, status: 'revoked', respondedAt: iso });
      expect((await t.http().get('/api/invitations').set(person.auth)).body).toEqual([]);
      expectError(
        await acceptByToken({ token: await mailedInvitationToken(t, person.email) }),
        400,
        'INVITATION_TOKEN_INVALID',
      );
      expectError(
        await t.http().post(`/api/invitations/${invited.body.id}/accept`).set(person.auth),
        409,
        'INVITATION_NOT_PENDING',
      );
      expect(await memberships(person.id)).toHaveLength(1);
      expectError(
        await t.http().post(`/api/users/invitations/${invited.body.id}/revoke`).set(owner.auth),
        409,
        'INVITATION_NOT_PENDING',
      );
      expectError(
        await t.http().post(`/api/users/invitations/${invited.body.id}/resend`).set(owner.auth),
        409,
        'INVITATION_NOT_PENDING',
      );
    });

    it('resending mails a new token; the old one stops working', async () => {
      const owner = await signUp(t);
      const email = uniqueEmail('resend');
      const invited = await invite(owner, email);
      const first = await mailedInvitationToken(t, email);
      const resent = await t.http().post(`/api/users/invitations/${invited.body.id}/resend`).set(owner.auth);
      expect(resent.status).toBe(200);
      expect(resent.body).toMatchObject({ id: invited.body.id, status: 'pending', email });
      const second = await mailedInvitationToken(t, email);
      expect(second).not.toBe(first);
      expectError(
        await acceptByToken({ token: first, name: 'R', password: 'resend password' }),
        400,
        'INVITATION_TOKEN_INVALID',
      );
      expect((await acceptByToken({ token: second, name: 'R', password: 'resend password' })).status).toBe(200);
    });

    it('lists the workspace’s invitations only, as e-mail and state; 400, 401, 403 and 404', async () => {
      const owner = await signUp(t);
      const other = await signUp(t);
      const viewer = await addMember(t, owner, 'viewer');
      const mine = await invite(owner, uniqueEmail('a'));
      const theirs = await invite(other, uniqueEmail('b'));

      const listed = await t.http().get('/api/users/invitations').set(owner.auth);
      expect(listed.status).toBe(200);
      // The viewer's own (accepted) invitation and the new pending one; none of the other workspace.
      expect(listed.body.pagination).toMatchObject({ page: 1, limit: 20, total: 2, pages: 1, totalIsEstimate: false });
      expect(listed.body.data[0]).toEqual({
        id: mine.body.id,
        email: mine.body.email,
        role: 'member',
        status: 'pending',
        expiresAt: iso,
        invitedById: owner.id,
        createdAt: iso,
        respondedAt: null,
      });
      expect(listed.body.data.map((i: { id: string }) => i.id)).not.toContain(theirs.body.id);

      expectError(await t.http().get('/api/users/invitations?status=gone').set(owner.auth), 400, 'VALIDATION_FAILED');
      expectError(
        await t.http().get('/api/users/invitations').set('X-Forwarded-For', randomIp()),
        401,
        'AUTH_REQUIRED',
      );
      expectError(await t.http().get('/api/users/invitations').set(viewer.auth), 403, 'MISSING_PERMISSION');
      expectError(
        await t.http().post(`/api/users/invitations/${mine.body.id}/revoke`).set(viewer.auth),
        403,
        'MISSING_PERMISSION',
      );
      expectError(
        await t.http().post(`/api/users/invitations/${theirs.body.id}/revoke`).set(owner.auth),
        404,
        'INVITATION_NOT_FOUND',
      );
      expectError(
        await t.http().post(`/api/users/invitations/${theirs.body.id}/resend`).set(owner.auth),
        404,
        'INVITATION_NOT_FOUND',
      );
      expectError(await t.http().post('/api/users/invitations/zzz/revoke').set(owner.auth), 400, 'VALIDATION_FAILED');
      expect((await invitationRow(theirs.body.id)).status).toBe('pending');
    });

    it('an admin may revoke another admin’s invitation; nobody invites an owner (403)', async () => {
      const owner = await signUp(t);
      const admin = await addMember(t, owner, 'admin');
      const viewerInvite = await invite(owner, uniqueEmail('v'), 'viewer');
      expect(
        (await t.http().post(`/api/users/invitations/${viewerInvite.body.id}/revoke`).set(admin.auth)).status,
      ).toBe(200);
      expectError(
        await t
          .http()
          .post('/api/users')
          .set(admin.auth)
          .send({ email: uniqueEmail('o'), role: 'owner' }),
        403,
        'ROLE_NOT_ASSIGNABLE',
      );
    });
  });
});
