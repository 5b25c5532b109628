import { createTestApp, expectError, randomIp, signUp, TestApp, uniqueEmail } from '../helpers/test-app';

/**
 * The test env trusts one proxy hop (TRUST_PROXY=1), as behind the compose nginx: supertest's loopback
 * connection is that proxy, and the X-Forwarded-For it sends ends with the address it saw, after whatever
 * the client itself wrote (nginx's $proxy_add_x_forwarded_for appends the same way).
 */
// The module object the app calls into (an ES import would give a copy that a spy cannot replace).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const argon2: typeof import('argon2') = require('argon2');

describe('login and signup limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** What one trusted proxy forwards: the client's own (forged) entries, then the address it saw. */
  const throughProxy = (client: string) => ({ 'X-Forwarded-For': `${randomIp()}, ${randomIp()}, ${client}` });
  const login = (headers: Record<string, string>, email: string, password: string) =>
    t.http().post('/api/auth/login').set(headers).send({ email, password });

  describe('client address through one trusted hop', () => {
    it('keys the login limit on the address the proxy saw: rotating the forged leftmost entries gets the 6th → 429', async () => {
      const user = await signUp(t);
      const client = randomIp();
      for (let i = 0; i < 5; i++) {
        const res = await login(throughProxy(client), user.email, 'wrong-password');
        expectError(res, 401, 'INVALID_CREDENTIALS');
        expect(res.headers['x-ratelimit-remaining']).toBe(String(4 - i));
      }
      const sixth = await login(throughProxy(client), user.email, user.password);
      expectError(sixth, 429, 'RATE_LIMITED');
      // The 15-minute (address, e-mail) window, not the per-account back-off.
      expect(sixth.body.retryAfter).toBeGreaterThan(14 * 60);
      expect(sixth.headers['retry-after']).toBe(String(sixth.body.retryAfter));
      const [log] = await t.db.query(
        `SELECT ip FROM audit_logs WHERE user_id = $1 AND action = 'login_failed' ORDER BY created_at LIMIT 1`,
        [user.id],
      );
      expect(log.ip).toBe(client);
    });

    it('keys the signup limit the same way: the 4th signup from one client → 429 whatever it forges', async () => {
      const client = randomIp();
      for (let i = 0; i < 3; i++) {
        const res = await t
          .http()
          .post('/api/auth/signup')
          .set(throughProxy(client))
          .send({ email: uniqueEmail(), password: 'password123', name: 'Rate' });
        expect(res.status).toBe(201);
      }
      const fourth = await t
        .http()
        .post('/api/auth/signup')
        .set(throughProxy(client))
        .send({ email: uniqueEmail(), password: 'password123', name: 'Rate' });
      expectError(fourth, 429, 'RATE_LIMITED');
      expect(fourth.headers['retry-after']).toBeDefined();
    });
  });

  describe('per account, across addresses', () => {
    it('after 5 failures from 5 addresses, the next attempt from any address waits (429 + Retry-After), even with the right password', async () => {
      const user = await signUp(t);
      for (let i = 0; i < 5; i++) {
        expectError(await login(throughProxy(randomIp()), user.email, `wrong-${i}`), 401, 'INVALID_CREDENTIALS');
      }
      for (const password of [user.password, 'wrong-again']) {
        const res = await login(throughProxy(randomIp()), user.email, password);
        expectError(res, 429, 'RATE_LIMITED');
        expect(res.body.message).toMatch(/this account/);
        // The first back-off step: 30 s, far below the 15-minute windows.
        expect(res.body.retryAfter).toBeGreaterThan(0);
        expect(res.body.retryAfter).toBeLessThanOrEqual(30);
        expect(res.headers['retry-after']).toBe(String(res.body.retryAfter));
      }
      // Another account is not affected.
      const other = await signUp(t);
      expect((await login(throughProxy(randomIp()), other.email, other.password)).status).toBe(200);
    });

    it('a successful sign-in resets the count', async () => {
      const user = await signUp(t);
      for (let i = 0; i < 4; i++) expect((await login(throughProxy(randomIp()), user.email, 'wrong')).status).toBe(401);
      expect((await login(throughProxy(randomIp()), user.email, user.password)).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await login(throughProxy(randomIp()), user.email, 'wrong')).status).toBe(401);
      expectError(await login(throughProxy(randomIp()), user.email, user.password), 429, 'RATE_LIMITED');
    });
  });

  describe('per address, across e-mails', () => {
    it('spraying 10 e-mails from one address is refused at the 11th, whichever e-mail it tries', async () => {
      const client = randomIp();
      for (let i = 0; i < 10; i++) {
        expectError(await login(throughProxy(client), uniqueEmail('spray'), 'Winter2026!'), 401, 'INVALID_CREDENTIALS');
      }
      const user = await signUp(t);
      const res = await login(throughProxy(client), user.email, user.password);
      expectError(res, 429, 'RATE_LIMITED');
      expect(res.body.message).toMatch(/this address/);
      expect(res.body.retryAfter).toBeGreaterThan(14 * 60);
      expect(res.headers['retry-after']).toBe(String(res.body.retryAfter));
      // Another address still signs in.
      expect((await login(throughProxy(randomIp()), user.email, user.password)).status).toBe(200);
    });

    it('successful sign-ins from a shared address do not count', async () => {
      const client = randomIp();
      const users = await Promise.all(Array.from({ length: 3 }, () => signUp(t)));
      for (let round = 0; round < 4; round++) {
        for (const user of users)
          expect((await login(throughProxy(client), user.email, user.password)).status).toBe(200);
      }
    });
  });

  describe('timing of unknown e-mails', () => {
    it('verifies a dummy argon2id hash (same parameters) when the e-mail is unknown or the account has no password', async () => {
      const user = await signUp(t);
      const spy = jest.spyOn(argon2, 'verify');
      try {
        expectError(await login(throughProxy(randomIp()), uniqueEmail('nobody'), 'whatever'), 401);
        await t.db.query(`UPDATE users SET password_hash = NULL WHERE id = $1`, [user.id]);
        expectError(await login(throughProxy(randomIp()), user.email, 'whatever'), 401);
        expect(spy).toHaveBeenCalledTimes(2);
        for (const [hash, password] of spy.mock.calls) {
          expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
          expect(password).toBe('whatever');
        }
        await expect(spy.mock.results[0].value).resolves.toBe(false);
      } finally {
        spy.mockRestore();
      }
    });
  });
});
