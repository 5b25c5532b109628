import { randomUUID } from 'node:crypto';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';
import {
  deref,
  exampleOf,
  fillPath,
  isNumeric,
  Operation,
  operations,
  Schema,
  shapeProblem,
} from './openapi-operations';

/**
 * Every operation of the committed OpenAPI document, sent the inputs that used to answer 500 or leave the
 * error shape: JSON nested thousands of levels, huge numbers, NUL characters, nulls, missing required fields,
 * `[[]]` in arrays, multipart bodies without a boundary, path parameters of 200 characters. Each must get
 * a 4xx (or 503) in the one error shape. Path parameters are fresh ids, so no case reaches a real record
 * (cross-tenant.e2e-spec.ts covers real ids); the validation pipe runs before the handler either way.
 */

/** Ends the caller's session: fuzzed last would still skew nothing, but nothing is learnt either. */
const SKIPPED = new Set(['POST /api/auth/logout']);
/** Keeps the run within CI's budget (about 2,000 requests in all). */
const MAX_CASES_PER_OPERATION = 40;
const PARALLEL = 8;

const NUL = 'a\u0000b';
const HUGE = '1e20';
const DEEP = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

interface Case {
  label: string;
  path?: Record<string, string>;
  query?: Record<string, string>;
  /** A JSON value to send, or raw text with its content type. */
  json?: unknown;
  raw?: { text: string; type: string };
}

function baselinePath(op: Operation): Record<string, string> {
  return Object.fromEntries(
    op.pathParams.map((p) => [
      p.name,
      p.schema.format === 'uuid' ? randomUUID() : p.schema.enum ? String(p.schema.enum[0]) : 'x1',
    ]),
  );
}

function casesFor(op: Operation): Case[] {
  const cases: Case[] = [];
  for (const p of op.pathParams) {
    cases.push({ label: `path ${p.name} of 200 characters`, path: { [p.name]: 'a'.repeat(200) } });
    cases.push({ label: `NUL in path ${p.name}`, path: { [p.name]: NUL } });
  }
  for (const p of op.queryParams) {
    const s = deref(p.schema);
    if (isNumeric(s)) {
      cases.push({ label: `query ${p.name}=${HUGE}`, query: { [p.name]: HUGE } });
      cases.push({ label: `query ${p.name}=-${HUGE}`, query: { [p.name]: `-${HUGE}` } });
    } else {
      cases.push({ label: `NUL in query ${p.name}`, query: { [p.name]: NUL } });
    }
  }
  if (op.bodyType === 'multipart/form-data') {
    cases.push({ label: 'multipart without boundary', raw: { text: 'field=1', type: 'multipart/form-data' } });
    cases.push({
      label: 'multipart with a boundary and no parts',
      raw: { text: 'garbage', type: 'multipart/form-data; boundary=xyz' },
    });
    cases.push({ label: 'JSON body on a multipart route', raw: { text: DEEP(6000), type: 'application/json' } });
  }
  if (op.bodyType === 'application/json') cases.push(...bodyCases(op.bodySchema));
  return cases.slice(0, MAX_CASES_PER_OPERATION);
}

function bodyCases(schema: Schema): Case[] {
  const s = deref(schema);
  const example = exampleOf(s) as Record<string, unknown>;
  const cases: Case[] = [
    { label: 'JSON nested 6,000 levels', raw: { text: `{"a":${DEEP(6000)}}`, type: 'application/json' } },
    { label: 'body null', raw: { text: 'null', type: 'application/json' } },
    { label: 'body []', json: [] },
    { label: 'body [[]]', json: [[]] },
  ];
  const props = Object.entries<Schema>(s.properties ?? {});
  if (props.length)
    cases.push({ label: 'JSON nested 6,000 levels in a field', json: undefined, raw: deepField(example, props[0][0]) });
  for (const required of s.required ?? []) {
    const { [required]: _dropped, ...rest } = example;
    cases.push({ label: `without required ${required}`, json: rest });
  }
  for (const [key, raw] of props) {
    const prop = deref(raw);
    const withValue = (label: string, value: unknown) => cases.push({ label, json: { ...example, [key]: value } });
    withValue(`${key}: null`, null);
    if (isNumeric(prop)) withValue(`${key}: 1e20`, 1e20);
    if (prop.type === 'string' || prop.type === undefined) withValue(`NUL in ${key}`, NUL);
    if (prop.type === 'array') {
      withValue(`${key}: [[]]`, [[]]);
      withValue(`${key}: [null]`, [null]);
      const item = deref(prop.items ?? {});
      if (item.properties) {
        for (const sub of Object.keys(item.properties)) {
          withValue(`${key}[0].${sub}: null`, [{ ...(exampleOf(item) as object), [sub]: null }]);
        }
      }
    }
    if (prop.type === 'object' || prop.properties) {
      withValue(`${key}: []`, []);
      for (const sub of Object.keys(prop.properties ?? {})) {
        withValue(`${key}.${sub}: null`, { ...(exampleOf(prop) as object), [sub]: null });
      }
    }
  }
  return cases;
}

/** The example body with one field replaced by 6,000 nested arrays, as text (JSON.stringify would overflow). */
function deepField(example: Record<string, unknown>, key: string) {
  const marker = '"__deep__"';
  const text = JSON.stringify({ ...example, [key]: '__deep__' }).replace(marker, DEEP(6000));
  return { text, type: 'application/json' };
}

describe('fuzzed input on every operation (security)', () => {
  let bed: AiTestBed;
  let t: TestApp;
  /** Rate limits run before validation and would hide the cases: the general one is raised, and the AI one
   * (10 a minute per user) is spread over many owners. AI routes answer from a fake provider. */
  const owners: TestUser[] = [];
  let next = 0;
  const owner = () => owners[next++ % owners.length];
  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'Fake' })],
      env: { RATE_LIMIT_GENERAL_PER_MINUTE: '1000000' },
    });
    t = bed.t;
    for (let i = 0; i < 24; i++) owners.push(await signUp(t));
  });
  afterAll(() => bed?.close());

  const send = async (op: Operation, c: Case) => {
    const path = fillPath(op.path, { ...baselinePath(op), ...c.path });
    const query = Object.entries(c.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    const http = t.http();
    let req = http[op.method](query ? `${path}?${query}` : path)
      .set('Authorization', owner().auth.Authorization)
      .set('X-Forwarded-For', randomIp())
      .timeout(20_000);
    if (c.raw) req = req.set('Content-Type', c.raw.type).send(c.raw.text);
    else if (c.json !== undefined) req = req.send(c.json as object);
    return req;
  };

  it('answers every case with a 4xx (or a dependency’s 502–504) in the error shape, never a 500', async () => {
    const ops = operations().filter((op) => !SKIPPED.has(op.name));
    expect(ops.length).toBeGreaterThan(100);
    const work = ops.flatMap((op) => casesFor(op).map((c) => ({ op, c })));
    const failures: string[] = [];
    let sent = 0;
    for (let i = 0; i < work.length; i += PARALLEL) {
      await Promise.all(
        work.slice(i, i + PARALLEL).map(async ({ op, c }) => {
          const res = await send(op, c);
          sent++;
          const where = `${op.name} [${c.label}]`;
          // 502/503/504 are a dependency's answer (the fake provider's text is not the JSON a tool asks for).
          if (res.status >= 500 && ![502, 503, 504].includes(res.status))
            failures.push(`${where} → ${res.status} ${res.body?.code}`);
          const problem = shapeProblem(res);
          if (problem) failures.push(`${where} → ${problem}`);
        }),
      );
    }
    expect(sent).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  }, 240_000);
});
