import type request from 'supertest';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { randomIp, signUp, TestApp, TestUser, uniqueEmail } from '../helpers/test-app';
import { document, exampleOf, fillPath, Operation, operations, shapeProblem } from './openapi-operations';

/**
 * Every operation with a path parameter, called by the owner of workspace A with workspace B's real ids:
 * 404 in the error shape, and B's records read the same before and after. The operations come from the
 * committed OpenAPI document; the records from RESOURCES, keyed by the path up to each parameter. A new
 * route whose parameter has no entry there fails the first test with its name, so it cannot go untested.
 */

interface Ctx {
  t: TestApp;
  b: TestUser;
  /** The id of another resource of B, created on first use. */
  id: (key: string) => Promise<string>;
}

// Loopback (allowed for this spec's app): no worker runs here, and nothing is ever sent off the machine.
const PUBLIC_URL = 'http://127.0.0.1:9/crescendo-hook';

async function created(res: request.Response, what: string): Promise<string> {
  if (res.status >= 300) throw new Error(`creating ${what} in B failed: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body?.data?.id ?? res.body?.id ?? res.body?.jobId ?? res.body?.sessionId;
  if (typeof id !== 'string') throw new Error(`no id in ${what}: ${JSON.stringify(res.body)}`);
  return id;
}

async function insertJob(t: Ctx['t'], b: Ctx['b'], name: string): Promise<string> {
  const [row] = await t.db.query(
    `INSERT INTO jobs (id, workspace_id, user_id, name, status)
     VALUES (gen_random_uuid(), $1, $2, $3, 'PENDING') RETURNING id`,
    [b.workspaceId, b.id, name],
  );
  return row.id;
}

/** How to make, in workspace B, the record a path parameter names. */
const RESOURCES: Record<string, (ctx: Ctx) => Promise<string>> = {
  '/api/agents/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/agents')
      .set(b.auth)
      .send({ name: 'B agent', type: 'lead_qualifier', trigger: { type: 'manual' } })
      .then((r) => created(r, 'an agent')),
  '/api/campaigns/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/campaigns')
      .set(b.auth)
      .send({ name: 'B campaign', type: 'email' })
      .then((r) => created(r, 'a campaign')),
  '/api/campaigns/{id}/leads/{leadId}': async ({ t, b, id }) => {
    const [campaign, lead] = [await id('/api/campaigns/{id}'), await id('/api/leads/{id}')];
    await t
      .http()
      .post(`/api/campaigns/${campaign}/leads`)
      .set(b.auth)
      .send({ leadIds: [lead] })
      .expect((r) => r.status < 300 || Promise.reject(new Error(JSON.stringify(r.body))));
    return lead;
  },
  '/api/forum/topics/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/forum/topics')
      .set(b.auth)
      .send({ title: 'B topic', content: 'hello', category: 'general' })
      .then((r) => (r.status < 300 ? r.body.topicId : created(r, 'a forum topic'))),
  '/api/forum/comments/{id}': async ({ t, b, id }) => {
    const topic = await id('/api/forum/topics/{id}');
    const res = await t.http().post(`/api/forum/topics/${topic}/comments`).set(b.auth).send({ content: 'B comment' });
    return res.status < 300 ? res.body.commentId : created(res, 'a forum comment');
  },
  '/api/forum/reports/{id}': async ({ t, b, id }) => {
    const topic = await id('/api/forum/topics/{id}');
    const res = await t.http().post(`/api/forum/topics/${topic}/reports`).set(b.auth).send({ reason: 'B report' });
    return res.status < 300 ? res.body.reportId : created(res, 'a forum report');
  },
  // Media jobs need media, a provider's audio and a worker; B's job row is what the routes look up, so it is inserted.
  '/api/studio/jobs/{jobId}': ({ t, b }) => insertJob(t, b, 'studio.compose'),
  '/api/ai/voice/{jobId}': ({ t, b }) => insertJob(t, b, 'ai.media'),
  '/api/ai/subtitles/{jobId}': ({ t, b }) => insertJob(t, b, 'ai.media'),
  '/api/studio/files/{id}': ({ id }) => id('/api/studio/assets/{id}'),
  // Not a record: which file of the asset.
  '/api/studio/files/{id}/{variant}': async () => 'file',
  '/api/studio/assets/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/content/library')
      .set(b.auth)
      .send({ title: 'B notes', content: 'B text' })
      .then((r) => created(r, 'a studio asset')),
  '/api/leads/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/leads')
      .set(b.auth)
      .send({ name: 'Bea B', email: uniqueEmail('bea') })
      .then((r) => created(r, 'a lead')),
  // Not a record: the status filter. A's answer must not list B's leads (checked below).
  '/api/leads/status/{status}': async () => 'new',
  // Not records either: a provider name, a period and a report view. A's answer covers A's data only.
  '/api/auth/oauth/{provider}': async () => 'google',
  '/api/stats/period/{period}': async () => 'month',
  '/api/workspaces/{id}': async ({ b }) => b.workspaceId,
  '/api/stats/export/{view}': async () => 'overview',
  // Notifications are written by the worker's event subscriber; this spec runs no worker, so B's is inserted.
  '/api/notifications/{id}': async ({ t, b }) => {
    const [row] = await t.db.query(
      `INSERT INTO notifications (workspace_id, event_id, kind, level, message)
       VALUES ($1, gen_random_uuid(), 'lead.created', 'info', 'B notification') RETURNING id`,
      [b.workspaceId],
    );
    return row.id;
  },
  '/api/chat/conversations/{id}': async (ctx) => (await chatStream(ctx)).conversation,
  '/api/chat/conversations/{id}/tags/{tag}': async ({ t, b, id }) => {
    const conversation = await id('/api/chat/conversations/{id}');
    await t.http().post(`/api/chat/conversations/${conversation}/tags`).set(b.auth).send({ tag: 'vip' }).expect(200);
    return 'vip';
  },
  '/api/chat/sessions/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/chat/create-session')
      .set(b.auth)
      .then((r) => created(r, 'a chat session')),
  '/api/chat/streams/{id}': async (ctx) => (await chatStream(ctx)).stream,
  '/api/chatbot/auto-reply/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/chatbot/auto-reply')
      .set(b.auth)
      .send({ name: 'B rule', matchType: 'keyword', keywords: ['price'], replyType: 'template', template: 'Hi' })
      .then((r) => created(r, 'an auto-reply rule')),
  '/api/chatbot/canned-responses/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/chatbot/canned-responses')
      .set(b.auth)
      .send({ name: 'B canned', body: 'Hello {{name}}' })
      .then((r) => created(r, 'a canned response')),
  '/api/chatbot/conversations/{id}': async ({ t, b }) => {
    const res = await t
      .http()
      .post('/api/chatbot/conversations')
      .set(b.auth)
      .send({ platform: 'onlyfans', fanHandle: 'b_fan', direction: 'inbound', body: 'hi' });
    if (res.status !== 201) throw new Error(`fan conversation: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data.conversation.id as string;
  },
  // EXPORT_SYNC_MAX_ROWS is 0 here: any export with a lead is a job.
  '/api/jobs/{id}': async ({ t, b, id }) => {
    await id('/api/leads/{id}');
    return t
      .http()
      .get('/api/leads/export')
      .set(b.auth)
      .then((r) => created(r, 'an export job'));
  },
  '/api/jobs/{id}/files/{name}': async () => 'leads.csv',
  '/api/marketing/automation/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/marketing/automation')
      .set(b.auth)
      .send({ name: 'B rule', trigger: { type: 'lead.created' }, actions: [{ type: 'add_tag', tag: 'b' }] })
      .then((r) => created(r, 'an automation rule')),
  '/api/marketing/segments/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/marketing/segments')
      .set(b.auth)
      .send({ name: 'B segment', rules: { combinator: 'and', rules: [{ field: 'score', operator: 'gte', value: 1 }] } })
      .then((r) => created(r, 'a segment')),
  '/api/niches/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/niches')
      .set(b.auth)
      .send({ name: 'B niche' })
      .then((r) => created(r, 'a niche')),
  '/api/onlyfans/subscribers/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/onlyfans/subscribers')
      .set(b.auth)
      .send({ platform: 'onlyfans', handle: 'b_sub' })
      .then((r) => created(r, 'a subscriber')),
  '/api/security/api-keys/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/security/api-keys')
      .set(b.auth)
      .send({ name: 'B key', scopes: ['leads:read'] })
      .then((r) => created(r, 'an API key')),
  '/api/users/{id}': async ({ b }) => b.id,
  // An invitation B's workspace sent to someone else: A can neither answer it nor manage it.
  '/api/users/invitations/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/users')
      .set(b.auth)
      .send({ email: uniqueEmail('invitee'), role: 'member' })
      .then((r) => created(r, 'an invitation')),
  '/api/invitations/{id}': ({ id }) => id('/api/users/invitations/{id}'),
  '/api/webhooks/endpoints/{id}': ({ t, b }) =>
    t
      .http()
      .post('/api/webhooks/endpoints')
      .set(b.auth)
      .send({ url: PUBLIC_URL, events: ['lead.created'] })
      .then((r) => created(r, 'a webhook endpoint')),
};

/** One streamed chat turn of B's (the fake provider answers): its conversation and its stream. */
let turn: Promise<{ conversation: string; stream: string }> | undefined;
function chatStream({ t, b }: Ctx) {
  turn ??= t
    .http()
    .post('/api/chat/send/stream')
    .set(b.auth)
    .send({ message: 'Bonjour', selected_providers: ['Fake'] })
    .then((res) => {
      const stream = /"stream_id":"([^"]+)"/.exec(res.text)?.[1];
      const conversation = /"conversation_id":"([^"]+)"/.exec(res.text)?.[1];
      if (res.status !== 200 || !stream || !conversation)
        throw new Error(`chat stream: ${res.status} ${res.text.slice(0, 300)}`);
      return { conversation, stream };
    });
  return turn;
}

/**
 * Operations whose right answer to a foreign id is not 404, and why. A signed download link is a
 * capability, not a workspace route: without its signature (and expiry) it is refused whoever asks.
 */
const NOT_404: Record<string, number[]> = {
  'GET /api/jobs/{id}/files/{name}': [400, 403],
  'GET /api/leads/status/{status}': [200],
  'GET /api/stats/period/{period}': [200],
  'GET /api/stats/export/{view}': [200],
  // Public sign-in routes: no provider is configured in tests.
  'GET /api/auth/oauth/{provider}': [503],
  'GET /api/auth/oauth/{provider}/callback': [503, 400, 403],
  // The forum is one community for the whole instance: a topic is no workspace's record. Anyone reads and
  // comments; only its author or a moderator deletes it, only a moderator moderates it.
  'GET /api/forum/topics/{id}': [200],
  'POST /api/forum/topics/{id}/comments': [201],
  'PATCH /api/forum/topics/{id}/moderation': [403],
  'DELETE /api/forum/topics/{id}': [403],
  // Only its author or a moderator deletes a comment; only moderators handle a report.
  'DELETE /api/forum/comments/{id}': [403],
  'PATCH /api/forum/reports/{id}': [403],
  'PATCH /api/forum/topics/{id}': [403],
  // Any member of the instance may report a topic to the moderators.
  'POST /api/forum/topics/{id}/reports': [201],
  // A file link is authorised by its signature, not by a session: without B's signature nothing is served.
  'GET /api/studio/files/{id}/{variant}': [400, 403, 410],
};

/** An answer without the fields stamped when it is computed (a report's generatedAt), which change on every read. */
const withoutClock = (body: unknown): unknown =>
  JSON.parse(JSON.stringify(body), (key, value) => (key === 'generatedAt' ? undefined : value));

/** The keys of RESOURCES an operation's path parameters need, outermost first. */
const keysOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => path.slice(0, m.index! + m[0].length));

const jsonGet = (op: Operation) =>
  op.method === 'get' &&
  Boolean(document.paths[op.path].get.responses['200']?.content?.['application/json']) &&
  !op.path.endsWith('/events');

describe('cross-tenant access by id (security)', () => {
  let bed: AiTestBed;
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  const ids = new Map<string, Promise<string>>();
  const ctx = (): Ctx => ({ t, b, id });
  const id = (key: string): Promise<string> => {
    const factory = RESOURCES[key];
    if (!factory) return Promise.reject(new Error(`no RESOURCES entry for ${key}`));
    if (!ids.has(key)) ids.set(key, factory(ctx()));
    return ids.get(key)!;
  };
  const ops = operations().filter((op) => op.pathParams.length > 0);

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'Fake' })],
      env: { EXPORT_SYNC_MAX_ROWS: '0', WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' },
    });
    t = bed.t;
    a = await signUp(t);
    b = await signUp(t);
  });
  afterAll(() => bed?.close());

  it('knows how to make a record in workspace B for every path parameter of every operation', () => {
    const missing = ops.flatMap((op) =>
      keysOf(op.path)
        .filter((key) => !RESOURCES[key])
        .map((key) => `${op.name}: add RESOURCES['${key}']`),
    );
    expect(missing).toEqual([]);
    expect(ops.length).toBeGreaterThan(50);
  });

  it("answers 404 to workspace A for each of B's records, and leaves them as they were", async () => {
    const values = async (op: Operation) => {
      const keys = keysOf(op.path);
      const out: Record<string, string> = {};
      for (const [i, p] of op.pathParams.entries()) out[p.name] = await id(keys[i]);
      return out;
    };
    // What B reads before: every JSON GET on B's records.
    const reads = ops.filter(jsonGet).filter((op) => !NOT_404[op.name]);
    const readAll = async () => {
      const out: Record<string, unknown> = {};
      for (const op of reads) {
        const res = await t
          .http()
          .get(fillPath(op.path, await values(op)))
          .set(b.auth);
        out[op.name] = { status: res.status, body: withoutClock(res.body) };
      }
      return out;
    };
    for (const op of ops) await values(op); // every record first, then B's view of them
    const before = await readAll();
    for (const [name, read] of Object.entries(before))
      expect({ name, status: (read as any).status }).toEqual({ name, status: 200 });
    const bLeads = await Promise.all([id('/api/leads/{id}'), id('/api/campaigns/{id}/leads/{leadId}')]);

    const failures: string[] = [];
    // Deletions last, so that a wrong one cannot hide another operation's answer.
    const ordered = [...ops.filter((op) => op.method !== 'delete'), ...ops.filter((op) => op.method === 'delete')];
    for (const op of ordered) {
      const path = fillPath(op.path, await values(op));
      // Required query parameters get a valid value, so that the answer is about the id.
      const query = Object.fromEntries(
        op.queryParams.filter((p) => p.required).map((p) => [p.name, String(exampleOf(p.schema))]),
      );
      const http = t.http();
      let req = http[op.method](path)
        .query(query)
        .set('Authorization', a.auth.Authorization)
        .set('X-Forwarded-For', randomIp());
      if (op.bodyType === 'application/json') req = req.send(exampleOf(op.bodySchema) as object);
      const res = await req;
      const expected = NOT_404[op.name] ?? [404];
      if (!expected.includes(res.status))
        failures.push(`${op.name} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      const problem = shapeProblem(res);
      if (problem) failures.push(`${op.name} → ${problem}`);
      if (res.status === 200 && bLeads.some((lead) => res.text.includes(lead)))
        failures.push(`${op.name} → shows B's lead`);
    }
    expect(failures).toEqual([]);

    const after = await readAll();
    expect(after).toEqual(before);
  }, 120_000);
});
