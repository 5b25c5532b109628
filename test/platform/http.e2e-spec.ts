import { createTestApp, expectError, randomIp, signUp, TestApp } from '../helpers/test-app';

describe('HTTP cross-cutting behaviour', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers unknown routes with 404 in the error shape', async () => {
    const res = await t.http().get('/api/no-such-route?x=1').set('X-Forwarded-For', randomIp());
    expectError(res, 404, 'ROUTE_NOT_FOUND');
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'ROUTE_NOT_FOUND',
      message: 'Route GET /api/no-such-route does not exist',
      details: [],
      requestId: res.headers['x-request-id'],
    });
  });

  it('keeps a safe X-Request-Id and replaces an unsafe one', async () => {
    const kept = await t.http().get('/api/no-such-route').set('X-Request-Id', 'trace-123.abc');
    expect(kept.headers['x-request-id']).toBe('trace-123.abc');
    expect(kept.body.requestId).toBe('trace-123.abc');
    const replaced = await t.http().get('/api/no-such-route').set('X-Request-Id', 'bad id <script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await t.http().get('/api/no-such-route');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400, never 500', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', randomIp())
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expectError(res, 400, 'INVALID_JSON');
  });

  it('answers an oversized body with 413 and an unsupported content type with 415', async () => {
    const big = await t
      .http()
      .post('/api/auth/register')
      .set('X-Forwarded-For', randomIp())
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.co', name: 'x'.repeat(2 * 1024 * 1024), password: 'password123' }));
    expectError(big, 413);
    const xml = await t
      .http()
      .post('/api/auth/register')
      .set('X-Forwarded-For', randomIp())
      .set('Content-Type', 'application/xml')
      .send('<a/>');
    expectError(xml, 415);
  });

  it('refuses wrongly typed fields with the fields at fault', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', randomIp())
      .send({ email: 42, password: ['x'], rememberMe: 'yes' });
    expectError(res, 400, 'VALIDATION_FAILED');
    const fields = new Set(res.body.details.map((d: { field: string }) => d.field));
    expect([...fields].sort()).toEqual(['email', 'password', 'rememberMe']);
  });

  it("sends the short OWASP REST security headers on API answers and helmet's set on HTML documents", async () => {
    const api = await t.http().get('/api/no-such-route');
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['x-frame-options']).toBe('DENY');
    expect(api.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api.headers['cache-control']).toBe('no-store');
    expect(api.headers['cross-origin-opener-policy']).toBeUndefined();

    const docs = await t.http().get('/docs');
    expect(docs.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(docs.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(docs.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(docs.headers['cache-control']).toBeUndefined();
  });

  it('sends the API headers on streamed files too (a lead export is never cached)', async () => {
    const user = await signUp(t);
    const exported = await t.http().get('/api/leads/export?format=csv').set(user.auth);
    expect(exported.status).toBe(200);
    expect(exported.headers['cache-control']).toBe('no-store');
    expect(exported.headers['x-content-type-options']).toBe('nosniff');
  });

  it('allows CORS only from configured origins', async () => {
    const allowed = await t
      .http()
      .options('/api/auth/login')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const other = await t
      .http()
      .options('/api/auth/login')
      .set('Origin', 'http://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves Swagger UI at /docs and the document at /docs-json', async () => {
    const ui = await t.http().get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toMatch(/swagger/i);
    const json = await t.http().get('/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.components.securitySchemes)).toEqual(
      expect.arrayContaining(['bearer', 'apiKey', 'cronSecret']),
    );
    expect(json.body.paths['/api/auth/login'].post.operationId).toBe('login');
  });

  it('limits general traffic to 100 requests per minute per caller, with headers', async () => {
    const user = await signUp(t);
    // signUp used one request on /api/auth/me.
    let last = await t.http().get('/api/auth/me').set(user.auth);
    expect(last.headers['x-ratelimit-limit']).toBe('100');
    const remaining = Number(last.headers['x-ratelimit-remaining']);
    for (let i = 0; i < remaining; i++) last = await t.http().get('/api/auth/me').set(user.auth);
    expect(last.status).toBe(200);
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
    const limited = await t.http().get('/api/auth/me').set(user.auth);
    expectError(limited, 429, 'RATE_LIMITED');
    expect(limited.body.retryAfter).toBeGreaterThan(0);
    expect(limited.body.retryAfter).toBeLessThanOrEqual(60);
  });
});
