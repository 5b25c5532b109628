import { FakeOAuthProvider, GitHubAccount, GoogleAccount } from '../helpers/fake-oauth-provider';
import { createTestApp, expectError, randomIp, signUp, TestApp, uniqueEmail } from '../helpers/test-app';

const OAUTH_ENV = [
  'GOOGLE_CLIENT_ID',
  'GOOGLE_CLIENT_SECRET',
  'GOOGLE_AUTHORIZATION_URL',
  'GOOGLE_TOKEN_URL',
  'GOOGLE_USERINFO_URL',
  'GITHUB_CLIENT_ID',
  'GITHUB_CLIENT_SECRET',
  'GITHUB_AUTHORIZATION_URL',
  'GITHUB_TOKEN_URL',
  'GITHUB_USER_URL',
  'GITHUB_EMAILS_URL',
];

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

describe('OAuth sign-in (Google, GitHub) against a local provider', () => {
  let t: TestApp;
  let google: FakeOAuthProvider;
  let github: FakeOAuthProvider;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    google = await new FakeOAuthProvider('google', 'google-client', 'google-secret').start();
    github = await new FakeOAuthProvider('github', 'github-client', 'github-secret').start();
    for (const name of OAUTH_ENV) saved[name] = process.env[name];
    Object.assign(process.env, {
      GOOGLE_CLIENT_ID: google.clientId,
      GOOGLE_CLIENT_SECRET: google.clientSecret,
      GOOGLE_AUTHORIZATION_URL: `${google.url}/authorize`,
      GOOGLE_TOKEN_URL: `${google.url}/token`,
      GOOGLE_USERINFO_URL: `${google.url}/userinfo`,
      GITHUB_CLIENT_ID: github.clientId,
      GITHUB_CLIENT_SECRET: github.clientSecret,
      GITHUB_AUTHORIZATION_URL: `${github.url}/authorize`,
      GITHUB_TOKEN_URL: `${github.url}/token`,
      GITHUB_USER_URL: `${github.url}/user`,
      GITHUB_EMAILS_URL: `${github.url}/user/emails`,
    });
    t = await createTestApp();
  });
  afterAll(async () => {
    for (const name of OAUTH_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await t.close();
    await google.stop();
    await github.stop();
  });

  /** Starts a sign-in as a browser does: our redirect, the provider's redirect back, the callback. */
  async function begin(provider: 'google' | 'github') {
    const ip = randomIp();
    const start = await t.http().get(`/api/auth/oauth/${provider}`).set('X-Forwarded-For', ip);
    expect(start.status).toBe(302);
    const state = cookiesOf(start).oauthState;
    const atProvider = await fetch(start.headers.location, { redirect: 'manual' });
    expect(atProvider.status).toBe(302);
    const back = new URL(atProvider.headers.get('location')!);
    const callback = (cookie: string | null) => {
      const req = t
        .http()
        .get(back.pathname + back.search)
        .set('X-Forwarded-For', ip);
      return cookie === null ? req : req.set('Cookie', cookie);
    };
    return { ip, start, state, back, callback, stateCookie: `oauthState=${state.value}` };
  }

  /** The whole sign-in; answers the callback and, when it succeeded, who /me says is signed in. */
  async function signInWith(provider: 'google' | 'github') {
    const flow = await begin(provider);
    const res = await flow.callback(flow.stateCookie);
    if (res.status !== 302) return { res, me: null };
    expect(res.headers.location).toBe('http://localhost:3000/');
    const refreshCookie = cookiesOf(res).refreshToken;
    expect(refreshCookie.attributes).toMatch(/HttpOnly/i);
    // The SPA takes the session from the refresh cookie, as on any reload.
    const refreshed = await t
      .http()
      .post('/api/auth/refresh')
      .set('Cookie', `refreshToken=${refreshCookie.value}`)
      .set('X-Forwarded-For', flow.ip)
      .send({});
    expect(refreshed.status).toBe(200);
    const me = await t
      .http()
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${refreshed.body.accessToken}`)
      .set('X-Forwarded-For', flow.ip);
    expect(me.status).toBe(200);
    return { res, me: me.body };
  }

  const identities = (userId: string) =>
    t.db.query(`SELECT provider, provider_user_id, email FROM oauth_identities WHERE user_id = $1`, [userId]);

  it('lists the configured providers; an unknown one is a 404', async () => {
    const list = await t.http().get('/api/auth/oauth/providers').set('X-Forwarded-For', randomIp());
    expect(list.body).toEqual({ providers: ['google', 'github'] });
    expectError(
      await t.http().get('/api/auth/oauth/myspace').set('X-Forwarded-For', randomIp()),
      404,
      'OAUTH_PROVIDER_UNKNOWN',
    );
  });

  it('redirects to the provider with state and PKCE, the state bound to a short-lived HttpOnly cookie', async () => {
    google.nextAccount = { sub: `g-start-${Date.now()}`, email: uniqueEmail('start'), email_verified: true, name: 'S' };
    const { start, state } = await begin('google');
    const location = new URL(start.headers.location);
    expect(location.origin + location.pathname).toBe(`${google.url}/authorize`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: 'google-client',
      response_type: 'code',
      redirect_uri: 'http://localhost:3000/api/auth/oauth/google/callback',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      state: expect.any(String),
    });
    expect(state.value.startsWith(`${location.searchParams.get('state')}.`)).toBe(true);
    expect(state.attributes).toMatch(/HttpOnly/i);
    expect(state.attributes).toMatch(/SameSite=Lax/i);
    expect(state.attributes).toMatch(/Path=\/api\/auth\/oauth\/google/i);
    expect(state.attributes).toMatch(/Max-Age=600/i);
  });

  it('Google: the first sign-in creates the account; the second signs into the same one', async () => {
    const email = uniqueEmail('google');
    const account: GoogleAccount = { sub: `g-${Date.now()}`, email, email_verified: true, name: 'Gina Google' };
    google.nextAccount = account;
    const first = await signInWith('google');
    expect(first.me.user).toMatchObject({ email, name: 'Gina Google' });
    expect(first.me.workspace.role).toBe('owner');
    const [user] = await t.db.query(`SELECT id, password_hash FROM users WHERE email = $1`, [email]);
    expect(user.password_hash).toBeNull();
    expect(await identities(user.id)).toEqual([{ provider: 'google', provider_user_id: account.sub, email }]);

    // Same provider account, even with another e-mail at the provider now: the link is by provider id.
    google.nextAccount = { ...account, email: uniqueEmail('renamed') };
    const second = await signInWith('google');
    expect(second.me.user.id).toBe(user.id);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM users WHERE email = $1`, [email]);
    expect(count).toBe(1);
  });

  it('GitHub: links to the existing account that has the verified primary e-mail', async () => {
    const existing = await signUp(t);
    const account: GitHubAccount = {
      id: Math.floor(Math.random() * 1e9),
      login: 'octo',
      name: 'Octo Cat',
      emails: [
        { email: uniqueEmail('other'), primary: false, verified: false },
        { email: existing.email, primary: true, verified: true },
      ],
    };
    github.nextAccount = account;
    const { me } = await signInWith('github');
    expect(me.user.id).toBe(existing.id);
    expect(me.workspace.id).toBe(existing.workspaceId);
    expect(await identities(existing.id)).toEqual([
      { provider: 'github', provider_user_id: String(account.id), email: existing.email },
    ]);
    const [log] = await t.db.query(`SELECT action FROM audit_logs WHERE user_id = $1 AND action = 'oauth_linked'`, [
      existing.id,
    ]);
    expect(log).toBeDefined();
    // The password still signs in too.
    const login = await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', randomIp())
      .send({ email: existing.email, password: existing.password });
    expect(login.status).toBe(200);
  });

  it('refuses an unverified e-mail: no link to the account that has it, no new account', async () => {
    const existing = await signUp(t);
    google.nextAccount = { sub: `g-unverified-${Date.now()}`, email: existing.email, email_verified: false, name: 'X' };
    const toExisting = await signInWith('google');
    expectError(toExisting.res, 403, 'OAUTH_EMAIL_NOT_VERIFIED');
    expect(await identities(existing.id)).toEqual([]);

    const newEmail = uniqueEmail('unverified');
    github.nextAccount = {
      id: Math.floor(Math.random() * 1e9),
      login: 'nobody',
      name: 'No Body',
      emails: [{ email: newEmail, primary: true, verified: false }],
    };
    expectError((await signInWith('github')).res, 403, 'OAUTH_EMAIL_NOT_VERIFIED');
    expect(await t.db.query(`SELECT id FROM users WHERE email = $1`, [newEmail])).toEqual([]);
  });

  it('refuses a state that does not match the cookie (or no cookie) before exchanging the code', async () => {
    const email = uniqueEmail('state');
    google.nextAccount = { sub: `g-state-${Date.now()}`, email, email_verified: true, name: 'State' };
    const flow = await begin('google');
    const other = await begin('google');
    const before = google.tokenRequests;
    expectError(await flow.callback(other.stateCookie), 403, 'OAUTH_STATE_MISMATCH');
    expectError(await flow.callback(null), 403, 'OAUTH_STATE_MISMATCH');
    expectError(await flow.callback(`oauthState=${flow.back.searchParams.get('state')}`), 403, 'OAUTH_STATE_MISMATCH');
    expect(google.tokenRequests).toBe(before);
    expect(await t.db.query(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
    // The browser that started it still completes it.
    const done = await flow.callback(flow.stateCookie);
    expect(done.status).toBe(302);
    expect(cookiesOf(done).oauthState.value).toBe('');
  });

  it('a code the provider refuses is a 400; a callback without a code is a 400', async () => {
    google.nextAccount = { sub: `g-code-${Date.now()}`, email: uniqueEmail('code'), email_verified: true, name: 'C' };
    const flow = await begin('google');
    const forged = `/api/auth/oauth/google/callback?code=forged&state=${flow.back.searchParams.get('state')}`;
    const res = await t.http().get(forged).set('Cookie', flow.stateCookie).set('X-Forwarded-For', flow.ip);
    expectError(res, 400, 'OAUTH_CODE_REJECTED');
    const none = await t.http().get('/api/auth/oauth/google/callback').set('X-Forwarded-For', flow.ip);
    expectError(none, 400, 'OAUTH_CODE_MISSING');
  });
});

describe('OAuth sign-in without provider credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 503 OAUTH_PROVIDER_NOT_CONFIGURED and lists no provider', async () => {
    const list = await t.http().get('/api/auth/oauth/providers').set('X-Forwarded-For', randomIp());
    expect(list.body).toEqual({ providers: [] });
    for (const path of ['/api/auth/oauth/google', '/api/auth/oauth/github/callback?code=x&state=y']) {
      expectError(await t.http().get(path).set('X-Forwarded-For', randomIp()), 503, 'OAUTH_PROVIDER_NOT_CONFIGURED');
    }
  });
});
