import { createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

/** The cookies of an answer, by name: value and attributes. */
function cookiesOf(res: { headers: Record<string, unknown> }): Record<string, { value: string; attributes: string }> {
  const raw = res.headers['set-cookie'];
  const lines = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return Object.fromEntries(
    lines.map((line: string) => {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      return [pair.slice(0, at), { value: pair.slice(at + 1), attributes: attributes.join(';') }];
    }),
  );
}

describe('cookie session (tokenDelivery=session)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** Signs in with a cookie session; answers the cookies a browser would keep and the CSRF token. */
  async function openSession(user: TestUser) {
    const ip = randomIp();
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', ip)
      .send({ email: user.email, password: user.password, tokenDelivery: 'session' });
    expect(res.status).toBe(200);
    const cookies = cookiesOf(res);
    return {
      res,
      cookies,
      ip,
      csrf: cookies.csrf.value,
      cookie: `accessToken=${cookies.accessToken.value}; csrf=${cookies.csrf.value}`,
    };
  }

  it('sets an HttpOnly access cookie and a readable CSRF cookie; the answer carries no access token', async () => {
    const user = await signUp(t);
    const { res, cookies } = await openSession(user);
    expect(res.body).toEqual({
      user: expect.objectContaining({ id: user.id, email: user.email }),
      accessToken: '',
      tokenType: 'Cookie',
      expiresIn: 900,
      csrfToken: cookies.csrf.value,
    });
    expect(cookies.accessToken.attributes).toMatch(/HttpOnly/i);
    expect(cookies.accessToken.attributes).toMatch(/SameSite=Lax/i);
    expect(cookies.accessToken.attributes).toMatch(/Path=\/api/i);
    expect(cookies.csrf.attributes).not.toMatch(/HttpOnly/i);
    expect(cookies.csrf.attributes).toMatch(/SameSite=Lax/i);
    expect(cookies.refreshToken.attributes).toMatch(/HttpOnly/i);
  });

  it('reads with the cookie alone; an unsafe request needs the CSRF header (403 without, 200 with)', async () => {
    const user = await signUp(t);
    const session = await openSession(user);
    const me = await t.http().get('/api/auth/me').set('Cookie', session.cookie).set('X-Forwarded-For', session.ip);
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(user.id);

    const update = () =>
      t.http().put('/api/management/profile').set('Cookie', session.cookie).set('X-Forwarded-For', session.ip);
    expectError(await update().send({ name: 'Forged' }), 403, 'CSRF_TOKEN_MISSING');
    expectError(
      await update().set('X-CSRF-Token', 'not-the-token').send({ name: 'Forged' }),
      403,
      'CSRF_TOKEN_INVALID',
    );
    const [stored] = await t.db.query(`SELECT name FROM users WHERE id = $1`, [user.id]);
    expect(stored.name).toBe(user.name);

    const ok = await update().set('X-CSRF-Token', session.csrf).send({ name: 'Through the cookie' });
    expect(ok.status).toBe(200);
    const [updated] = await t.db.query(`SELECT name FROM users WHERE id = $1`, [user.id]);
    expect(updated.name).toBe('Through the cookie');
  });

  it("refuses another session's CSRF token", async () => {
    const user = await signUp(t);
    const mine = await openSession(user);
    const other = await openSession(user);
    expect(other.csrf).not.toBe(mine.csrf);
    const res = await t
      .http()
      .put('/api/management/profile')
      .set('Cookie', mine.cookie)
      .set('X-CSRF-Token', other.csrf)
      .set('X-Forwarded-For', mine.ip)
      .send({ name: 'Forged' });
    expectError(res, 403, 'CSRF_TOKEN_INVALID');
  });

  it('asks no CSRF token of Bearer and API-key requests, even with the cookie beside them', async () => {
    const user = await signUp(t);
    const session = await openSession(user);
    const bearer = await t
      .http()
      .put('/api/management/profile')
      .set({ ...user.auth, Cookie: session.cookie })
      .send({ name: 'By Bearer' });
    expect(bearer.status).toBe(200);

    const key = await t
      .http()
      .post('/api/security/api-keys')
      .set(user.auth)
      .send({ name: 'cookie test', scopes: ['leads:read', 'leads:write'] });
    expect(key.status).toBe(201);
    const byKey = await t
      .http()
      .post('/api/leads')
      .set({ 'X-API-Key': key.body.key, 'X-Forwarded-For': user.ip, Cookie: session.cookie })
      .send({ email: 'cookie-lead@crescendo.test', name: 'Cookie Lead' });
    expect(byKey.status).toBe(201);
  });

  it('a bad or revoked access cookie is a 401 like a bad Bearer token; refresh renews the cookie; logout clears it', async () => {
    const user = await signUp(t);
    const session = await openSession(user);
    const me = (cookie: string) =>
      t.http().get('/api/auth/me').set('Cookie', cookie).set('X-Forwarded-For', session.ip);
    expectError(await me('accessToken=not.a.jwt'), 401, 'INVALID_TOKEN');

    const refreshed = await t
      .http()
      .post('/api/auth/refresh')
      .set('Cookie', `refreshToken=${session.cookies.refreshToken.value}`)
      .set('X-Forwarded-For', session.ip)
      .send({ tokenDelivery: 'session' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).toBe('');
    const renewed = cookiesOf(refreshed);
    expect(renewed.accessToken.value).not.toBe(session.cookies.accessToken.value);
    // The CSRF token belongs to the session, which a refresh keeps.
    expect(renewed.csrf.value).toBe(session.csrf);
    const cookie = `accessToken=${renewed.accessToken.value}; csrf=${renewed.csrf.value}`;
    expect((await me(cookie)).status).toBe(200);

    const out = await t
      .http()
      .post('/api/auth/logout')
      .set('Cookie', `${cookie}; refreshToken=${renewed.refreshToken.value}`)
      .set('X-Forwarded-For', session.ip)
      .send({});
    expect(out.status).toBe(200);
    const cleared = cookiesOf(out);
    for (const name of ['accessToken', 'csrf', 'refreshToken']) expect(cleared[name].value).toBe('');
    expectError(await me(cookie), 401, 'SESSION_REVOKED');
  });

  it('without any credentials is still 401 AUTH_REQUIRED', async () => {
    const res = await t.http().put('/api/management/profile').set('X-Forwarded-For', randomIp()).send({ name: 'x' });
    expectError(res, 401, 'AUTH_REQUIRED');
  });
});
