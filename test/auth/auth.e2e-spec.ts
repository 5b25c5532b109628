import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import {
  addMember,
  createTestApp,
  expectError,
  randomIp,
  signIn,
  signUp,
  TestApp,
  uniqueEmail,
} from '../helpers/test-app';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('register / signup', () => {
    it('creates the user, a personal workspace where they are owner, and stores an argon2id hash', async () => {
      const email = uniqueEmail();
      const res = await t
        .http()
        .post('/api/auth/register')
        .set('X-Forwarded-For', randomIp())
        .send({ email, password: 'password123', name: 'Ada' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        success: true,
        message: 'Account created',
        userId: res.body.user.id,
        user: { id: expect.any(String), email, name: 'Ada', subscription: 'free', createdAt: expect.any(String) },
      });
      const [row] = await t.db.query('SELECT password_hash FROM users WHERE email = $1', [email]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      const [m] = await t.db.query(
        `SELECT m.role, w.owner_id FROM memberships m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = $1`,
        [res.body.userId],
      );
      expect(m).toEqual({ role: 'owner', owner_id: res.body.userId });
    });

    it('signup is the same route; acceptTerms must be true when sent', async () => {
      const ip = randomIp();
      const refused = await t
        .http()
        .post('/api/auth/signup')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail(), password: 'password123', name: 'Bo', acceptTerms: false });
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.details).toContainEqual({ field: 'acceptTerms', message: 'acceptTerms must be true' });
      const ok = await t
        .http()
        .post('/api/auth/signup')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail(), password: 'password123', name: 'Bo', acceptTerms: true });
      expect(ok.status).toBe(201);
    });

    it('answers 400 with the fields at fault, and refuses fields a client must not set', async () => {
      const res = await t
        .http()
        .post('/api/auth/register')
        .set('X-Forwarded-For', randomIp())
        .send({ email: 'not-an-email', password: 'short', name: '', role: 'owner', workspaceId: 'x', id: 'y' });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'name', 'role', 'workspaceId', 'id']));
    });

    it('answers 409 for an e-mail already registered (case-insensitive)', async () => {
      const user = await signUp(t);
      const res = await t
        .http()
        .post('/api/auth/register')
        .set('X-Forwarded-For', randomIp())
        .send({ email: user.email.toUpperCase(), password: 'password123', name: 'Dup' });
      expectError(res, 409, 'EMAIL_TAKEN');
    });

    it('limits signups to 3 per hour per client, with headers and retryAfter', async () => {
      const ip = randomIp();
      for (let i = 0; i < 3; i++) {
        const ok = await t
          .http()
          .post('/api/auth/signup')
          .set('X-Forwarded-For', ip)
          .send({ email: uniqueEmail(), password: 'password123', name: 'Rate' });
        expect(ok.status).toBe(201);
        expect(ok.headers['x-ratelimit-limit']).toBe('3');
        expect(ok.headers['x-ratelimit-remaining']).toBe(String(2 - i));
      }
      const res = await t
        .http()
        .post('/api/auth/signup')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail(), password: 'password123', name: 'Rate' });
      expectError(res, 429, 'RATE_LIMITED');
      expect(res.body.error).toBe('Too Many Requests');
      expect(res.body.retryAfter).toBeGreaterThan(3500);
      expect(res.headers['retry-after']).toBe(String(res.body.retryAfter));
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    });
  });

  describe('login / signin', () => {
    it('answers the access token, sets the HttpOnly refresh cookie and records the sign-in', async () => {
      const user = await signUp(t);
      const res = await t
        .http()
        .post('/api/auth/signin')
        .set('X-Forwarded-For', randomIp())
        .send({ email: user.email, password: user.password });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user: { id: user.id, email: user.email, name: user.name, subscription: 'free', createdAt: expect.any(String) },
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/refreshToken=[^;]+;/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const logs = await t.db.query(`SELECT action FROM audit_logs WHERE user_id = $1 AND type = 'auth'`, [user.id]);
      expect(logs.map((l: { action: string }) => l.action)).toContain('login_success');
    });

    it('rememberMe lengthens the refresh lifetime', async () => {
      const user = await signUp(t);
      const ip = randomIp();
      await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: user.email, password: user.password, rememberMe: true });
      const rows = await t.db.query(
        `SELECT remember_me, extract(epoch from expires_at - created_at) / 86400 AS days FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at`,
        [user.id],
      );
      expect(Math.round(Number(rows[0].days))).toBe(7);
      expect(rows[1].remember_me).toBe(true);
      expect(Math.round(Number(rows[1].days))).toBe(30);
    });

    it('answers 401 for a wrong password or unknown e-mail and logs the failure', async () => {
      const user = await signUp(t);
      const wrong = await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', randomIp())
        .send({ email: user.email, password: 'nope-nope' });
      expectError(wrong, 401, 'INVALID_CREDENTIALS');
      const unknown = await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', randomIp())
        .send({ email: uniqueEmail(), password: 'nope-nope' });
      expectError(unknown, 401, 'INVALID_CREDENTIALS');
      const [log] = await t.db.query(
        `SELECT level, workspace_id FROM audit_logs WHERE user_id = $1 AND action = 'login_failed'`,
        [user.id],
      );
      expect(log).toEqual({ level: 'warn', workspace_id: user.workspaceId });
      const visible = await t.http().get('/api/logs/auth').query({ action: 'login_failed' }).set(user.auth);
      expect(visible.body.data.map((l: { userId: string }) => l.userId)).toContain(user.id);
    });

    it('answers 429 with headers on the 6th login in 15 minutes', async () => {
      const user = await signUp(t);
      const ip = randomIp();
      for (let i = 0; i < 5; i++) {
        const res = await t
          .http()
          .post('/api/auth/login')
          .set('X-Forwarded-For', ip)
          .send({ email: user.email, password: 'wrong-password' });
        expect(res.status).toBe(401);
        expect(res.headers['x-ratelimit-limit']).toBe('5');
        expect(res.headers['x-ratelimit-remaining']).toBe(String(4 - i));
      }
      const sixth = await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: user.email, password: user.password });
      expectError(sixth, 429, 'RATE_LIMITED');
      expect(sixth.headers['x-ratelimit-remaining']).toBe('0');
      expect(sixth.body.retryAfter).toBeGreaterThan(14 * 60);
      expect(sixth.body.retryAfter).toBeLessThanOrEqual(15 * 60);
    });
  });

  describe('access tokens', () => {
    const sign = (header: object, payload: object, secret: string) => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const body = `${enc(header)}.${enc(payload)}`;
      const sig = createHmac('sha256', secret).update(body).digest('base64url');
      return `${body}.${sig}`;
    };

    it('refuses alg none, another algorithm, another issuer, an expired token and a wrong secret', async () => {
      const user = await signUp(t);
      const [, payloadPart] = user.accessToken.split('.');
      const payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString());
      const secret = process.env.JWT_SECRET!;
      const now = Math.floor(Date.now() / 1000);
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payloadPart}.`;
      const hs512 = (() => {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const body = `${enc({ alg: 'HS512', typ: 'JWT' })}.${payloadPart}`;
        return `${body}.${createHmac('sha512', secret).update(body).digest('base64url')}`;
      })();
      const tokens = {
        none,
        hs512,
        otherIssuer: sign({ alg: 'HS256', typ: 'JWT' }, { ...payload, iss: 'evil' }, secret),
        otherAudience: sign({ alg: 'HS256', typ: 'JWT' }, { ...payload, aud: 'evil' }, secret),
        expired: sign({ alg: 'HS256', typ: 'JWT' }, { ...payload, iat: now - 3600, exp: now - 60 }, secret),
        wrongSecret: sign({ alg: 'HS256', typ: 'JWT' }, payload, 'another-secret-another-secret-another-secret'),
        garbage: 'not.a.jwt',
      };
      const valid = await t.http().get('/api/auth/me').set(user.auth);
      expect(valid.status).toBe(200);
      for (const [name, token] of Object.entries(tokens)) {
        const res = await t
          .http()
          .get('/api/auth/me')
          .set('Authorization', `Bearer ${token}`)
          .set('X-Forwarded-For', user.ip);
        expect([name, res.status]).toEqual([name, 401]);
        expectError(res, 401);
      }
    });

    it('refuses an RS256 token with valid claims (the algorithm is pinned, not read from the token)', async () => {
      const user = await signUp(t);
      const [, payloadPart] = user.accessToken.split('.');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const body = `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url')}.${payloadPart}`;
      const rs256 = `${body}.${createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url')}`;
      const res = await t
        .http()
        .get('/api/auth/me')
        .set({ ...user.auth, Authorization: `Bearer ${rs256}` });
      expectError(res, 401, 'INVALID_TOKEN');
    });

    it('refuses a well-signed token without exp or without iat', async () => {
      const user = await signUp(t);
      const [, payloadPart] = user.accessToken.split('.');
      const { exp: _exp, iat: _iat, ...rest } = JSON.parse(Buffer.from(payloadPart, 'base64url').toString());
      const secret = process.env.JWT_SECRET!;
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'HS256', typ: 'JWT' };
      const control = sign(header, { ...rest, iat: now, exp: now + 600 }, secret);
      const as = (token: string) =>
        t
          .http()
          .get('/api/auth/me')
          .set({ ...user.auth, Authorization: `Bearer ${token}` });
      expect((await as(control)).status).toBe(200);
      for (const token of [
        sign(header, { ...rest, iat: now }, secret),
        sign(header, { ...rest, exp: now + 600 }, secret),
      ]) {
        expectError(await as(token), 401, 'INVALID_TOKEN');
      }
    });

    it('answers 401 without credentials', async () => {
      const res = await t.http().get('/api/auth/me').set('X-Forwarded-For', randomIp());
      expectError(res, 401, 'AUTH_REQUIRED');
    });
  });

  describe('me', () => {
    it('answers the user, workspace, role and permissions, and nothing private', async () => {
      const user = await signUp(t);
      const res = await t.http().get('/api/auth/me').set(user.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user: { id: user.id, email: user.email, name: user.name, subscription: 'free', createdAt: expect.any(String) },
        workspace: { id: user.workspaceId, name: `${user.name}'s workspace`, role: 'owner' },
        permissions: expect.arrayContaining(['leads:read', 'admin:users', 'billing:manage']),
        workspaces: [{ id: user.workspaceId, name: `${user.name}'s workspace`, role: 'owner' }],
        instanceAdmin: false,
        authenticatedBy: 'user',
      });
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);
    });
  });

  describe('refresh', () => {
    it('rotates the token (cookie or body); reusing a rotated token revokes the whole family', async () => {
      const user = await signUp(t);
      const first = await t
        .http()
        .post('/api/auth/refresh')
        .set('X-Forwarded-For', user.ip)
        .send({ refreshToken: user.refreshToken, tokenDelivery: 'body' });
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      const viaCookie = await t
        .http()
        .post('/api/auth/refresh')
        .set('X-Forwarded-For', user.ip)
        .set('Cookie', `refreshToken=${first.body.refreshToken}`)
        .send({});
      expect(viaCookie.status).toBe(200);
      const newest = /refreshToken=([^;]+);/.exec(String(viaCookie.headers['set-cookie']))![1];

      // Past the grace period, the first token presented again is a stolen copy.
      await t.db.query(
        `UPDATE refresh_tokens SET rotated_at = now() - interval '1 minute' WHERE rotated_at IS NOT NULL AND user_id = $1`,
        [user.id],
      );
      const reuse = await t
        .http()
        .post('/api/auth/refresh')
        .set('X-Forwarded-For', user.ip)
        .send({ refreshToken: user.refreshToken });
      expectError(reuse, 401, 'REFRESH_TOKEN_REUSED');

      const afterwards = await t
        .http()
        .post('/api/auth/refresh')
        .set('X-Forwarded-For', user.ip)
        .send({ refreshToken: decodeURIComponent(newest) });
      expectError(afterwards, 401, 'REFRESH_TOKEN_REVOKED');
      const access = await t
        .http()
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${viaCookie.body.accessToken}`)
        .set('X-Forwarded-For', user.ip);
      expectError(access, 401, 'SESSION_REVOKED');
      const [log] = await t.db.query(`SELECT level FROM audit_logs WHERE user_id = $1 AND action = 'refresh_reuse'`, [
        user.id,
      ]);
      expect(log.level).toBe('warn');
    });

    it('concurrent refreshes of the same token do not lock the user out', async () => {
      const user = await signUp(t);
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          t
            .http()
            .post('/api/auth/refresh')
            .set('X-Forwarded-For', user.ip)
            .send({ refreshToken: user.refreshToken, tokenDelivery: 'body' }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      for (const r of results) {
        const me = await t
          .http()
          .get('/api/auth/me')
          .set('Authorization', `Bearer ${r.body.accessToken}`)
          .set('X-Forwarded-For', user.ip);
        expect(me.status).toBe(200);
        const next = await t
          .http()
          .post('/api/auth/refresh')
          .set('X-Forwarded-For', user.ip)
          .send({ refreshToken: r.body.refreshToken });
        expect(next.status).toBe(200);
      }
    });

    it('answers 401 without a token or with an unknown one', async () => {
      expectError(
        await t.http().post('/api/auth/refresh').set('X-Forwarded-For', randomIp()).send({}),
        401,
        'REFRESH_TOKEN_MISSING',
      );
      expectError(
        await t
          .http()
          .post('/api/auth/refresh')
          .set('X-Forwarded-For', randomIp())
          .send({ refreshToken: 'x'.repeat(43) }),
        401,
        'REFRESH_TOKEN_INVALID',
      );
    });
  });

  describe('logout', () => {
    it('revokes the session: its refresh token and access token stop working', async () => {
      const user = await signUp(t);
      const res = await t.http().post('/api/auth/logout').set(user.auth).send({ refreshToken: user.refreshToken });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, message: 'Signed out' });
      expect(String(res.headers['set-cookie'])).toMatch(/refreshToken=;/);
      expectError(
        await t
          .http()
          .post('/api/auth/refresh')
          .set('X-Forwarded-For', user.ip)
          .send({ refreshToken: user.refreshToken }),
        401,
        'REFRESH_TOKEN_REVOKED',
      );
      expectError(await t.http().get('/api/auth/me').set(user.auth), 401, 'SESSION_REVOKED');
    });

    it('with only the Bearer token, revokes that session', async () => {
      const user = await signUp(t);
      await t.http().post('/api/auth/logout').set(user.auth).send({}).expect(200);
      expectError(await t.http().get('/api/auth/me').set(user.auth), 401, 'SESSION_REVOKED');
    });
  });

  describe('password reset', () => {
    const outboxToken = async (email: string) => {
      const [mail] = await t.db.query(`SELECT text FROM mail_outbox WHERE "to" = $1 ORDER BY created_at DESC LIMIT 1`, [
        email,
      ]);
      return mail ? /(?:Reset token|Jeton de réinitialisation) ?: (\S+)/.exec(mail.text)![1] : null;
    };
    const resetMail = async (email: string) => {
      await t.http().post('/api/auth/password/reset').set('X-Forwarded-For', randomIp()).send({ email }).expect(202);
      const [mail] = await t.db.query(
        `SELECT subject, text FROM mail_outbox WHERE "to" = $1 AND template = 'password_reset'
          ORDER BY created_at DESC LIMIT 1`,
        [email],
      );
      return mail as { subject: string; text: string };
    };

    it('writes the mail in the user’s language: the one they chose, else their workspace’s', async () => {
      const english = await signUp(t);
      const mail = await resetMail(english.email);
      expect(mail.subject).toBe('Reset your Crescendo password');
      expect(mail.text).toMatch(/^Hello .+,\n\nTo choose a new password/);

      const french = await signUp(t);
      await t.http().put('/api/management/settings').set(french.auth).send({ language: 'fr' }).expect(200);
      const frenchMail = await resetMail(french.email);
      expect(frenchMail.subject).toBe('Réinitialisez votre mot de passe Crescendo');
      expect(frenchMail.text).toMatch(/^Bonjour .+,\n\nPour choisir un nouveau mot de passe/);
      const token = await outboxToken(french.email);
      expect(frenchMail.text).toContain(`/#/reset-password?token=${encodeURIComponent(token!)}`);
      // The French token works as the English one does.
      await t
        .http()
        .post('/api/auth/password/reset/confirm')
        .set('X-Forwarded-For', randomIp())
        .send({ token, password: 'brand new password' })
        .expect(200);

      // No language chosen: the workspace's default (general settings).
      const workspaceFrench = await signUp(t);
      await t
        .http()
        .put('/api/settings/general')
        .set(workspaceFrench.auth)
        .send({ defaultLanguage: 'fr-FR' })
        .expect(200);
      expect((await resetMail(workspaceFrench.email)).subject).toBe('Réinitialisez votre mot de passe Crescendo');
    });

    it('takes the default of a workspace the user is active in only: deactivated there, English', async () => {
      const owner = await signUp(t);
      await t.http().put('/api/settings/general').set(owner.auth).send({ defaultLanguage: 'fr' }).expect(200);
      const member = await addMember(t, owner, 'member');
      expect((await resetMail(member.email)).subject).toBe('Réinitialisez votre mot de passe Crescendo');

      await t.http().put(`/api/users/${member.id}/status`).set(owner.auth).send({ status: 'inactive' }).expect(200);
      expect((await resetMail(member.email)).subject).toBe('Reset your Crescendo password');
    });

    it('answers the same for known and unknown e-mails, and mails a single-use token', async () => {
      const user = await signUp(t);
      const known = await t
        .http()
        .post('/api/auth/password/reset')
        .set('X-Forwarded-For', randomIp())
        .send({ email: user.email });
      const unknownEmail = uniqueEmail();
      const unknown = await t
        .http()
        .post('/api/auth/password/reset')
        .set('X-Forwarded-For', randomIp())
        .send({ email: unknownEmail });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(known.body).toEqual(unknown.body);
      expect(await outboxToken(unknownEmail)).toBeNull();

      const token = await outboxToken(user.email);
      expect(token).toBeTruthy();
      const [row] = await t.db.query(
        `SELECT token_hash, extract(epoch from expires_at - created_at) AS ttl FROM one_time_tokens WHERE user_id = $1`,
        [user.id],
      );
      expect(row.token_hash).not.toContain(token);
      expect(Math.round(Number(row.ttl))).toBe(3600);

      const confirm = await t
        .http()
        .post('/api/auth/password/reset/confirm')
        .set('X-Forwarded-For', randomIp())
        .send({ token, password: 'brand new password' });
      expect(confirm.status).toBe(200);
      expectError(await t.http().get('/api/auth/me').set(user.auth), 401, 'SESSION_REVOKED');
      await signIn(t, user.email, 'brand new password');
      const again = await t
        .http()
        .post('/api/auth/password/reset/confirm')
        .set('X-Forwarded-For', randomIp())
        .send({ token, password: 'another password' });
      expectError(again, 400, 'RESET_TOKEN_INVALID');
    });

    it('refuses an expired token', async () => {
      const user = await signUp(t);
      await t
        .http()
        .post('/api/auth/password/reset')
        .set('X-Forwarded-For', randomIp())
        .send({ email: user.email })
        .expect(202);
      const token = await outboxToken(user.email);
      await t.db.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
        user.id,
      ]);
      expectError(
        await t
          .http()
          .post('/api/auth/password/reset/confirm')
          .set('X-Forwarded-For', randomIp())
          .send({ token, password: 'brand new password' }),
        400,
        'RESET_TOKEN_INVALID',
      );
    });
  });

  describe('password update', () => {
    it('needs the current password and signs out the other sessions only', async () => {
      const user = await signUp(t);
      const other = await signIn(t, user.email, user.password);
      const wrong = await t
        .http()
        .put('/api/auth/password/update')
        .set(user.auth)
        .send({ currentPassword: 'wrong', newPassword: 'new password 1' });
      expectError(wrong, 400, 'CURRENT_PASSWORD_INCORRECT');
      const ok = await t
        .http()
        .put('/api/auth/password/update')
        .set(user.auth)
        .send({ currentPassword: user.password, newPassword: 'new password 1' });
      expect(ok.status).toBe(200);
      expect((await t.http().get('/api/auth/me').set(user.auth)).status).toBe(200);
      expectError(await t.http().get('/api/auth/me').set(other.auth), 401, 'SESSION_REVOKED');
      await signIn(t, user.email, 'new password 1');
    });

    it('answers 401 without a token', async () => {
      expectError(
        await t.http().put('/api/auth/password/update').send({ currentPassword: 'a', newPassword: 'new password 1' }),
        401,
      );
    });
  });
});
