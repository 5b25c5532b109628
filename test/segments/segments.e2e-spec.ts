import { randomUUID } from 'node:crypto';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe('segments (/api/marketing/segments)', () => {
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t);
    other = await signUp(t);
    const leads: Record<string, Record<string, unknown>> = {
      ada: {
        email: 'ada@acme.io',
        company: 'Acme',
        status: 'qualified',
        score: 90,
        tags: ['vip', 'saas'],
        customFields: { budget: 8000, plan: 'Pro' },
      },
      bob: {
        email: 'bob@acme.io',
        company: 'Acme Labs',
        status: 'new',
        score: 40,
        tags: ['saas'],
        customFields: { budget: 'unknown' },
      },
      cyd: {
        email: 'cyd@beta.io',
        company: null,
        status: 'contacted',
        score: 70,
        tags: [],
        lastContactedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      },
      dee: { email: 'dee@beta.io', company: 'Beta', status: 'lost', score: 10, tags: ['vip'], source: 'linkedin' },
    };
    for (const [name, body] of Object.entries(leads)) {
      const res = await t
        .http()
        .post('/api/leads')
        .set(owner.auth)
        .send({ name, ...body })
        .expect(201);
      ids[name] = res.body.id;
    }
    // Another workspace's lead that would match everything: never counted.
    await t
      .http()
      .post('/api/leads')
      .set(other.auth)
      .send({ name: 'ada', score: 99, tags: ['vip'] })
      .expect(201);
  });
  afterAll(() => t.close());

  const preview = async (rules: unknown) => {
    const res = await t.http().post('/api/marketing/segments/preview').set(owner.auth).send({ rules, limit: 50 });
    expect(res.status).toBe(200);
    return (res.body.data.leads as { name: string }[]).map((l) => l.name).sort();
  };
  const create = (user: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/marketing/segments').set(user.auth).send(body);

  describe('GET /api/marketing/segments/fields', () => {
    const fields = (user?: TestUser) => {
      const req = t.http().get('/api/marketing/segments/fields');
      return user ? req.set(user.auth) : req;
    };

    it('answers the rule catalogue and the custom field keys of this workspace only', async () => {
      const res = await fields(owner);
      expect(res.status).toBe(200);
      expect(res.body.data.fields).toContainEqual({ field: 'score', label: 'Score', type: 'number', values: null });
      expect(res.body.data.fields).toContainEqual({
        field: 'status',
        label: 'Status',
        type: 'status',
        values: ['new', 'contacted', 'qualified', 'converted', 'lost'],
      });
      expect(res.body.data.types).toContainEqual({
        type: 'tags',
        operators: ['has_tag', 'has_any_tag', 'has_all_tags', 'is_empty', 'is_not_empty'],
      });
      expect(res.body.data.listOperators).toEqual(['in', 'not_in', 'has_any_tag', 'has_all_tags']);
      expect(res.body.data.noValueOperators).toEqual(['is_empty', 'is_not_empty']);
      expect(res.body.data.pairOperators).toEqual(['between']);
      expect(res.body.data.customFieldPrefix).toBe('customFields.');
      expect(res.body.data.customFields).toEqual(['budget', 'plan']);

      // Another workspace sees its own keys, not these; a key that no rule could name is left out.
      await t
        .http()
        .post('/api/leads')
        .set(other.auth)
        .send({ name: 'eve', customFields: { region: 'EU', 'not a key': 1 } })
        .expect(201);
      expect((await fields(other)).body.data.customFields).toEqual(['region']);
      expect((await fields(owner)).body.data.customFields).toEqual(['budget', 'plan']);
    });

    it('every field and type it lists is one a rule accepts', async () => {
      const { data } = (await fields(owner)).body;
      const operatorsOf = new Map(data.types.map((x: { type: string; operators: string[] }) => [x.type, x.operators]));
      const sample: Record<string, unknown> = { number: 1, text: 'x', status: 'new', tags: 'vip', date: '2026-01-01' };
      for (const f of data.fields as { field: string; type: string }[]) {
        const operator = f.type === 'uuid' ? 'is_empty' : (operatorsOf.get(f.type) as string[])[0];
        const value = f.type === 'uuid' ? undefined : sample[f.type];
        const res = await t
          .http()
          .post('/api/marketing/segments/preview')
          .set(owner.auth)
          .send({ rules: { combinator: 'and', rules: [{ field: f.field, operator, value }] } });
        expect({ field: f.field, status: res.status }).toEqual({ field: f.field, status: 200 });
      }
    });

    it('noValueOperators take no value and pairOperators only a [from, to] pair, as the catalogue says', async () => {
      const prober = await signUp(t); // its own rate-limit budget: the owner's serves the other tests
      const { data } = (await fields(prober)).body;
      const probe = (field: string, operator: string, value?: unknown) =>
        t
          .http()
          .post('/api/marketing/segments/preview')
          .set(prober.auth)
          .send({
            rules: { combinator: 'and', rules: [{ field, operator, ...(value === undefined ? {} : { value }) }] },
          });
      for (const operator of data.noValueOperators as string[]) {
        expect({ operator, none: (await probe('company', operator)).status }).toEqual({ operator, none: 200 });
        expect({ operator, one: (await probe('company', operator, 'x')).status }).toEqual({ operator, one: 400 });
      }
      for (const operator of data.pairOperators as string[]) {
        expect({ operator, pair: (await probe('score', operator, [10, 20])).status }).toEqual({ operator, pair: 200 });
        expect({ operator, one: (await probe('score', operator, 10)).status }).toEqual({ operator, one: 400 });
        expect({ operator, reversed: (await probe('score', operator, [20, 10])).status }).toEqual({
          operator,
          reversed: 400,
        });
      }
    });

    it('listOperators are exactly the operators a rule accepts a list for, and only a list', async () => {
      const { data } = (await fields(owner)).body;
      const listOperators = data.listOperators as string[];
      const sample: Record<string, unknown> = { number: 1, text: 'x', status: 'new', tags: 'vip', uuid: randomUUID() };
      const probe = (field: string, operator: string, value: unknown) =>
        t
          .http()
          .post('/api/marketing/segments/preview')
          .set(owner.auth)
          .send({ rules: { combinator: 'and', rules: [{ field, operator, value }] } });
      const checked = new Set<string>();
      for (const { type, operators } of data.types as { type: string; operators: string[] }[]) {
        const field = data.fields.find((f: { type: string }) => f.type === type)?.field as string | undefined;
        if (!field || !(type in sample)) continue;
        for (const operator of operators.filter((o) => ['eq', 'has_tag', ...listOperators].includes(o))) {
          const list = listOperators.includes(operator);
          const [asList, asOne] = [
            await probe(field, operator, [sample[type]]),
            await probe(field, operator, sample[type]),
          ];
          expect({ field, operator, asList: asList.status, asOne: asOne.status }).toEqual({
            field,
            operator,
            asList: list ? 200 : 400,
            asOne: list ? 400 : 200,
          });
          if (list) checked.add(operator);
        }
      }
      expect([...checked].sort()).toEqual([...listOperators].sort());
    });

    it('401 without a token', async () => {
      expectError(await fields(), 401);
    });
  });

  describe('POST /api/marketing/segments/preview', () => {
    it('counts and lists the matching leads of this workspace only', async () => {
      const res = await t
        .http()
        .post('/api/marketing/segments/preview')
        .set(owner.auth)
        .send({
          rules: { combinator: 'and', rules: [{ field: 'tags', operator: 'has_tag', value: 'VIP' }] },
          limit: 1,
        });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        data: { count: 2, leads: [expect.objectContaining({ name: 'dee' })] },
      });
    });

    it.each([
      ['text eq is case-insensitive', { field: 'company', operator: 'eq', value: 'ACME' }, ['ada']],
      ['contains', { field: 'company', operator: 'contains', value: 'acme' }, ['ada', 'bob']],
      ['starts_with with a literal %', { field: 'email', operator: 'starts_with', value: '%' }, []],
      ['neq includes empty values', { field: 'company', operator: 'neq', value: 'Acme' }, ['bob', 'cyd', 'dee']],
      ['in on status', { field: 'status', operator: 'in', value: ['new', 'lost'] }, ['bob', 'dee']],
      [
        'not_in on text keeps nulls',
        { field: 'source', operator: 'not_in', value: ['LinkedIn'] },
        ['ada', 'bob', 'cyd'],
      ],
      ['between on score', { field: 'score', operator: 'between', value: [40, 70] }, ['bob', 'cyd']],
      ['has_any_tag', { field: 'tags', operator: 'has_any_tag', value: ['vip', 'nope'] }, ['ada', 'dee']],
      ['has_all_tags', { field: 'tags', operator: 'has_all_tags', value: ['vip', 'saas'] }, ['ada']],
      ['tags is_empty', { field: 'tags', operator: 'is_empty' }, ['cyd']],
      ['company is_empty', { field: 'company', operator: 'is_empty' }, ['cyd']],
      [
        'custom number gt (non-numbers never match)',
        { field: 'customFields.budget', operator: 'gt', value: 1000 },
        ['ada'],
      ],
      ['custom text eq', { field: 'customFields.plan', operator: 'eq', value: 'pro' }, ['ada']],
      ['custom is_not_empty', { field: 'customFields.budget', operator: 'is_not_empty' }, ['ada', 'bob']],
      ['within_last_days', { field: 'lastContactedAt', operator: 'within_last_days', value: 30 }, []],
      ['before', { field: 'lastContactedAt', operator: 'before', value: new Date().toISOString() }, ['cyd']],
      ['createdAt after', { field: 'createdAt', operator: 'after', value: '2020-01-01' }, ['ada', 'bob', 'cyd', 'dee']],
    ])('%s', async (_label, rule, expected) => {
      expect(await preview({ combinator: 'and', rules: [rule] })).toEqual(expected);
    });

    it('combines nested and/or groups', async () => {
      const names = await preview({
        combinator: 'or',
        rules: [
          {
            combinator: 'and',
            rules: [
              { field: 'tags', operator: 'has_tag', value: 'vip' },
              { field: 'score', operator: 'gte', value: 50 },
            ],
          },
          { field: 'status', operator: 'eq', value: 'new' },
        ],
      });
      expect(names).toEqual(['ada', 'bob']);
    });

    it('400 INVALID_SEGMENT_RULES with the path of every bad rule', async () => {
      const res = await t
        .http()
        .post('/api/marketing/segments/preview')
        .set(owner.auth)
        .send({
          rules: {
            combinator: 'and',
            rules: [
              { field: 'score', operator: 'gt', value: 5 },
              {
                combinator: 'or',
                rules: [
                  { field: 'score', operator: 'contains', value: 'x' },
                  { field: 'shoe', operator: 'eq', value: 1 },
                ],
              },
              { field: 'createdAt', operator: 'before', value: 'last tuesday' },
              { field: "customFields.x'--", operator: 'eq', value: 1 },
            ],
          },
        });
      expectError(res, 400, 'INVALID_SEGMENT_RULES');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([
        'rules.rules[1].rules[0].operator',
        'rules.rules[1].rules[1].field',
        'rules.rules[2].value',
        'rules.rules[3].field',
      ]);
    });

    it('400 for a tree deeper than 3 groups, more than 50 rules, or a bad root', async () => {
      const deep = {
        combinator: 'and',
        rules: [
          {
            combinator: 'and',
            rules: [
              {
                combinator: 'and',
                rules: [{ combinator: 'or', rules: [{ field: 'score', operator: 'gt', value: 1 }] }],
              },
            ],
          },
        ],
      };
      expectError(
        await t.http().post('/api/marketing/segments/preview').set(owner.auth).send({ rules: deep }),
        400,
        'INVALID_SEGMENT_RULES',
      );
      const many = {
        combinator: 'or',
        rules: Array.from({ length: 51 }, () => ({ field: 'score', operator: 'gt', value: 1 })),
      };
      expectError(
        await t.http().post('/api/marketing/segments/preview').set(owner.auth).send({ rules: many }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t
          .http()
          .post('/api/marketing/segments/preview')
          .set(owner.auth)
          .send({ rules: { combinator: 'xor', rules: [] } }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.http().post('/api/marketing/segments/preview').set(owner.auth).send({}),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('CRUD', () => {
    let segmentId: string;
    const vipRules = { combinator: 'and', rules: [{ field: 'tags', operator: 'has_tag', value: 'vip' }] };

    it('POST creates a segment (201) with its live leadCount', async () => {
      const res = await create(owner, { name: 'VIPs', description: 'Our best', rules: vipRules });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        success: true,
        data: {
          id: expect.any(String),
          name: 'VIPs',
          description: 'Our best',
          rules: vipRules,
          leadCount: 2,
          leadCountIsEstimate: false,
          createdById: owner.id,
          createdAt: iso,
          updatedAt: iso,
        },
      });
      segmentId = res.body.data.id;
    });

    it('409 SEGMENT_NAME_TAKEN for a name already used in the workspace; another workspace may use it', async () => {
      expectError(await create(owner, { name: 'VIPs', rules: vipRules }), 409, 'SEGMENT_NAME_TAKEN');
      expect((await create(other, { name: 'VIPs', rules: vipRules })).status).toBe(201);
    });

    it('400 for a bad tree on create and update, nothing saved', async () => {
      const bad = { combinator: 'and', rules: [{ field: 'status', operator: 'eq', value: 'zombie' }] };
      const res = await create(owner, { name: 'Bad', rules: bad });
      expectError(res, 400, 'INVALID_SEGMENT_RULES');
      expect(res.body.details).toEqual([
        { field: 'rules.rules[0].value', message: expect.stringContaining('a status') },
      ]);
      expectError(await t.http().put(`/api/marketing/segments/${segmentId}`).set(owner.auth).send({ rules: bad }), 400);
      expectError(await create(owner, { name: '', rules: vipRules }), 400, 'VALIDATION_FAILED');
    });

    it('GET lists the workspace’s segments in the seed envelope, with live counts that follow the leads', async () => {
      await create(owner, {
        name: 'Acme',
        rules: { combinator: 'and', rules: [{ field: 'company', operator: 'contains', value: 'acme' }] },
      }).expect(201);
      let res = await t.http().get('/api/marketing/segments?page=1&pageSize=10').set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(true);
      expect(res.body.metadata).toEqual({
        page: 1,
        pageSize: 10,
        total: 2,
        totalPages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      expect(res.body.data.map((s: { name: string; leadCount: number }) => [s.name, s.leadCount])).toEqual([
        ['Acme', 2],
        ['VIPs', 2],
      ]);
      // A lead tagged vip later joins the segment; a deleted one leaves it.
      await t
        .http()
        .put(`/api/leads/${ids.bob}`)
        .set(owner.auth)
        .send({ tags: ['saas', 'vip'] })
        .expect(200);
      await t.http().delete(`/api/leads/${ids.ada}`).set(owner.auth).expect(204);
      res = await t.http().get('/api/marketing/segments?pageSize=1&page=2').set(owner.auth).expect(200);
      expect(res.body.metadata).toEqual({
        page: 2,
        pageSize: 1,
        total: 2,
        totalPages: 2,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: expect.any(String),
      });
      expect(res.body.data).toEqual([expect.objectContaining({ name: 'VIPs', leadCount: 2 })]);
      await t.http().post(`/api/leads/${ids.ada}/restore`).set(owner.auth).expect(200);
      res = await t.http().get('/api/marketing/segments?q=vip').set(owner.auth).expect(200);
      expect(res.body.data).toEqual([expect.objectContaining({ name: 'VIPs', leadCount: 3 })]);
      expectError(await t.http().get('/api/marketing/segments?pageSize=500').set(owner.auth), 400);
    });

    it('GET /:id/leads pages through the matching leads', async () => {
      const res = await t.http().get(`/api/marketing/segments/${segmentId}/leads?pageSize=2`).set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body.metadata).toEqual({
        page: 1,
        pageSize: 2,
        total: 3,
        totalPages: 2,
        totalIsEstimate: false,
        nextCursor: expect.any(String),
        prevCursor: null,
      });
      expect(res.body.data).toHaveLength(2);
      const page2 = await t
        .http()
        .get(`/api/marketing/segments/${segmentId}/leads?pageSize=2&page=2`)
        .set(owner.auth)
        .expect(200);
      const all = [...res.body.data, ...page2.body.data].map((l: { name: string }) => l.name).sort();
      expect(all).toEqual(['ada', 'bob', 'dee']);
    });

    it('GET /:id and PUT /:id (only the fields sent change)', async () => {
      const got = await t.http().get(`/api/marketing/segments/${segmentId}`).set(owner.auth).expect(200);
      expect(got.body.data).toMatchObject({ id: segmentId, name: 'VIPs', leadCount: 3 });
      const res = await t
        .http()
        .put(`/api/marketing/segments/${segmentId}`)
        .set(owner.auth)
        .send({ rules: { combinator: 'and', rules: [{ field: 'score', operator: 'gte', value: 80 }] } });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ name: 'VIPs', description: 'Our best', leadCount: 1 });
      expectError(
        await t.http().put(`/api/marketing/segments/${segmentId}`).set(owner.auth).send({ name: 'Acme' }),
        409,
        'SEGMENT_NAME_TAKEN',
      );
    });

    it('403 for a viewer’s writes; a viewer reads', async () => {
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await create(viewer, { name: 'Nope', rules: vipRules }), 403);
      expectError(await t.http().put(`/api/marketing/segments/${segmentId}`).set(viewer.auth).send({ name: 'x' }), 403);
      expectError(await t.http().delete(`/api/marketing/segments/${segmentId}`).set(viewer.auth), 403);
      await t.http().get(`/api/marketing/segments/${segmentId}`).set(viewer.auth).expect(200);
      await t.http().post('/api/marketing/segments/preview').set(viewer.auth).send({ rules: vipRules }).expect(200);
    });

    it('404 for another workspace’s segment or an unknown id, 400 for a malformed id, 401 without a token', async () => {
      for (const path of ['', '/leads']) {
        expectError(
          await t.http().get(`/api/marketing/segments/${segmentId}${path}`).set(other.auth),
          404,
          'SEGMENT_NOT_FOUND',
        );
        expectError(await t.http().get(`/api/marketing/segments/${randomUUID()}${path}`).set(owner.auth), 404);
      }
      expectError(await t.http().put(`/api/marketing/segments/${segmentId}`).set(other.auth).send({ name: 'x' }), 404);
      expectError(await t.http().delete(`/api/marketing/segments/${segmentId}`).set(other.auth), 404);
      expectError(await t.http().get('/api/marketing/segments/not-a-uuid').set(owner.auth), 400);
      expectError(await t.http().get('/api/marketing/segments'), 401);
    });

    it('DELETE removes it (204), then 404', async () => {
      await t.http().delete(`/api/marketing/segments/${segmentId}`).set(owner.auth).expect(204);
      expectError(await t.http().get(`/api/marketing/segments/${segmentId}`).set(owner.auth), 404);
      const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM leads WHERE workspace_id = $1', [
        owner.workspaceId,
      ]);
      expect(count).toBe(4);
    });
  });
});
