import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { expectError, TestApp, TestUser, signUp } from '../helpers/test-app';

/** The causes of the 500s found by fuzzing, one by one (fuzz.e2e-spec.ts sends them to every operation). */
describe('bad input answers 400, never 500 (security)', () => {
  let bed: AiTestBed;
  let t: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    bed = await startAiTestBed({ providers: (fake) => [fake.provider({ name: 'Fake' })] });
    t = bed.t;
    owner = await signUp(t);
  });
  afterAll(() => bed?.close());

  const rules = { combinator: 'and', rules: [{ field: 'score', operator: 'gte', value: 1 }] };
  const nest = (depth: number) => {
    let group: Record<string, unknown> = rules;
    for (let i = 1; i < depth; i++) group = { combinator: 'or', rules: [group] };
    return group;
  };
  const post = (path: string, body: unknown) =>
    t
      .http()
      .post(path)
      .set(owner.auth)
      .send(body as object);

  it('refuses JSON nested 6,000 levels (60 KB) on a JSON route with 400 JSON_TOO_DEEP', async () => {
    const body = `{"name":${'['.repeat(6000)}${']'.repeat(6000)}}`;
    expectError(
      await t.http().post('/api/niches').set(owner.auth).set('Content-Type', 'application/json').send(body),
      400,
      'JSON_TOO_DEEP',
    );
    // Deep nesting is counted in the body as parsed, so an unauthenticated login is refused the same way.
    expectError(
      await t.http().post('/api/auth/login').set('Content-Type', 'application/json').send(body),
      400,
      'JSON_TOO_DEEP',
    );
  });

  it('refuses page=1e20 on list routes with 400', async () => {
    for (const path of ['/api/leads', '/api/agents', '/api/onlyfans/subscribers', '/api/marketing/segments']) {
      const res = await t.http().get(path).query({ page: '1e20' }).set(owner.auth);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'page' })]));
    }
    await t.http().get('/api/leads').query({ page: 10_000_000 }).set(owner.auth).expect(200);
  });

  it('refuses a NUL character in a body, a query or a path with 400 INVALID_CHARACTER', async () => {
    expectError(await post('/api/leads', { name: 'a\u0000b' }), 400, 'INVALID_CHARACTER');
    expectError(await post('/api/niches', { name: 'ok', ['k\u0000']: 1 }), 400, 'INVALID_CHARACTER');
    expectError(await post('/api/niches', { name: ['a\u0000'] }), 400, 'INVALID_CHARACTER');
    expectError(await t.http().get('/api/leads?q=a%00b').set(owner.auth), 400, 'INVALID_CHARACTER');
    expectError(await t.http().get('/api/leads/a%00b').set(owner.auth), 400, 'INVALID_CHARACTER');
    const multipart = await t
      .http()
      .post('/api/leads/import')
      .set(owner.auth)
      .field('mapping', 'a\u0000b')
      .attach('file', Buffer.from('name\nZoe\n'), 'leads.csv');
    expectError(multipart, 400, 'INVALID_CHARACTER');
  });

  it('refuses missing or null nested objects, and arrays where objects belong', async () => {
    const agent = { name: 'A', type: 'lead_qualifier', trigger: { type: 'manual' } };
    const { trigger: _t, ...withoutTrigger } = agent;
    expectError(await post('/api/agents', withoutTrigger), 400, 'VALIDATION_FAILED');
    expectError(await post('/api/agents', { ...agent, trigger: [] }), 400, 'VALIDATION_FAILED');
    const created = await post('/api/agents', agent).expect(201);
    for (const body of [{ tools: null }, { trigger: null }, { name: null }]) {
      expectError(await t.http().put(`/api/agents/${created.body.id}`).set(owner.auth).send(body), 400);
    }

    const rule = { name: 'R', trigger: { type: 'lead.created' }, actions: [{ type: 'add_tag', tag: 'x' }] };
    expectError(await post('/api/marketing/automation', { ...rule, trigger: null }), 400, 'VALIDATION_FAILED');
    expectError(await post('/api/marketing/automation', { ...rule, actions: [[]] }), 400, 'VALIDATION_FAILED');
    const ruleId = (await post('/api/marketing/automation', rule).expect(201)).body.data.id;
    for (const body of [{ trigger: null }, { actions: null }, { name: null }]) {
      expectError(await t.http().put(`/api/marketing/automation/${ruleId}`).set(owner.auth).send(body), 400);
    }

    expectError(await post('/api/marketing/segments', { name: null, rules }), 400, 'VALIDATION_FAILED');
    const segmentId = (await post('/api/marketing/segments', { name: 'S', rules }).expect(201)).body.data.id;
    for (const body of [{ name: null }, { rules: null }]) {
      expectError(await t.http().put(`/api/marketing/segments/${segmentId}`).set(owner.auth).send(body), 400);
    }

    const goals = { targetLeads: null };
    expectError(await post('/api/campaigns', { name: 'C', type: 'email', goals }), 400, 'VALIDATION_FAILED');
  });

  it('refuses a multipart body without a boundary with a 4xx', async () => {
    const noBoundary = await t
      .http()
      .post('/api/leads/import')
      .set(owner.auth)
      .set('Content-Type', 'multipart/form-data')
      .send('name\nZoe\n');
    expect(noBoundary.status).toBeGreaterThanOrEqual(400);
    expect(noBoundary.status).toBeLessThan(500);
    expectError(noBoundary, noBoundary.status);
  });

  it('refuses segment rules nested deeper than their documented maximum (3)', async () => {
    // Each level is an object and its rules array: 10 levels are 20 of JSON, within the 32 a body may have.
    for (const depth of [4, 10]) {
      expectError(await post('/api/marketing/segments/preview', { rules: nest(depth) }), 400, 'INVALID_SEGMENT_RULES');
    }
    expectError(await post('/api/marketing/segments', { name: 'deep', rules: nest(2000) }), 400, 'JSON_TOO_DEEP');
    await post('/api/marketing/segments/preview', { rules: nest(3) }).expect(200);
  });
});
