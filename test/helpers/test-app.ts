import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { buildOpenApiDocument, createApiApp } from '../../apps/api/src/app.factory';
import { ApiModule } from '../../apps/api/src/api.module';
import { OpenApiContract } from './openapi-contract';

export interface TestApp {
  app: NestFastifyApplication;
  db: DataSource;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** A provider a spec replaces (Nest's testing module), e.g. a fixed clock: production code has no such hook. */
export interface ProviderOverride {
  provide: unknown;
  useValue: unknown;
}

/** Boots the real API (real Postgres, real Redis) without listening; supertest drives it. */
export async function createTestApp(overrides: ProviderOverride[] = []): Promise<TestApp> {
  const app = await createApiApp({
    logger: false,
    create: overrides.length
      ? async (adapter, options) => {
          const builder = Test.createTestingModule({ imports: [ApiModule] });
          for (const { provide, useValue } of overrides) builder.overrideProvider(provide).useValue(useValue);
          return (await builder.compile()).createNestApplication<NestFastifyApplication>(adapter, options);
        }
      : undefined,
  });
  await app.init();
  // The run's document, built once by global-setup from the same code (a spec run alone builds its own).
  const documentFile = process.env.TEST_OPENAPI_DOCUMENT;
  const contract = new OpenApiContract(
    documentFile ? JSON.parse(readFileSync(documentFile, 'utf8')) : buildOpenApiDocument(app),
  );
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (req, reply, payload) => {
    contract.check(
      req.method,
      req.routeOptions.url,
      reply.statusCode,
      String(reply.getHeader('content-type') ?? ''),
      payload,
    );
    return payload;
  });
  await fastify.ready();
  return {
    app,
    db: app.get(DataSource),
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      // Every answer a spec received must match the OpenAPI document: no undocumented status or field.
      if (contract.violations.length) {
        throw new Error(`Answers outside the OpenAPI document:\n${[...new Set(contract.violations)].join('\n')}`);
      }
    },
  };
}

/** A TestApp whose members read the one `current()` answers when they are used (after the boot). */
export function lateTestApp(current: () => TestApp): TestApp {
  return {
    get app() {
      return current().app;
    },
    get db() {
      return current().db;
    },
    http: () => current().http(),
    close: () => current().close(),
  };
}

export function booted<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('used before the spec’s beforeAll booted it');
  return value;
}

/**
 * The API of one spec file, booted before its tests and closed after them: call it at the top of the describe.
 * The answer can be named at once (`const t = useTestApp()`); its members reach the app once it is booted.
 */
export function useTestApp(): TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app?.close());
  return lateTestApp(() => booted(app));
}

/** A fresh client address per call: rate limits are per IP, and each test acts as its own client. */
/** The operator's credentials for /api/metrics and the detailed /api/health (METRICS_TOKEN in test-env.ts). */
export function metricsAuth(): { Authorization: string } {
  return { Authorization: `Bearer ${process.env.METRICS_TOKEN}` };
}

export function randomIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export const uniqueEmail = (label = 'user') => `${label}-${randomBytes(5).toString('hex')}@crescendo.test`;

export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
  workspaceId: string;
  accessToken: string;
  refreshToken: string;
  ip: string;
  auth: { Authorization: string; 'X-Forwarded-For': string };
}

/** Registers and signs in a new user (owner of a new workspace). */
export async function signUp(
  t: TestApp,
  overrides: { email?: string; name?: string; password?: string } = {},
): Promise<TestUser> {
  const ip = randomIp();
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? 'correct horse battery';
  const name = overrides.name ?? 'Test User';
  const registered = await t
    .http()
    .post('/api/auth/register')
    .set('X-Forwarded-For', ip)
    .send({ email, password, name });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  return signIn(t, email, password, { ip, name });
}

export async function signIn(
  t: TestApp,
  email: string,
  password: string,
  extra: { ip?: string; name?: string } = {},
): Promise<TestUser> {
  const ip = extra.ip ?? randomIp();
  const res = await t
    .http()
    .post('/api/auth/login')
    .set('X-Forwarded-For', ip)
    .send({ email, password, tokenDelivery: 'body' });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const me = await t
    .http()
    .get('/api/auth/me')
    .set('Authorization', `Bearer ${res.body.accessToken}`)
    .set('X-Forwarded-For', ip);
  return {
    id: res.body.user.id,
    email,
    password,
    name: extra.name ?? res.body.user.name,
    workspaceId: me.body.workspace.id,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    ip,
    auth: { Authorization: `Bearer ${res.body.accessToken}`, 'X-Forwarded-For': ip },
  };
}

/** Checks an answer is in the one error shape with the expected status and code. */
export function expectError(res: request.Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: {
      statusCode: status,
      code: code ?? expect.any(String),
      message: expect.any(String),
      requestId: expect.any(String),
    },
  });
  expect(Array.isArray(res.body.details)).toBe(true);
  expect(res.body).not.toHaveProperty('stack');
}

export const MEMBER_PASSWORD = 'member password 1';

/** The token of the newest invitation mailed to `email`, read from the mail outbox. */
export async function mailedInvitationToken(t: TestApp, email: string): Promise<string> {
  const [mail] = await t.db.query(
    `SELECT text, template FROM mail_outbox WHERE "to" = $1 ORDER BY created_at DESC LIMIT 1`,
    [email],
  );
  if (mail?.template !== 'invitation') throw new Error(`no invitation mailed to ${email}`);
  // The mail is in the invitee's language (English or French).
  return /(?:Invitation token|Jeton d’invitation) ?: (\S+)/.exec(mail.text)![1];
}

/**
 * Adds a member with a role to `by`'s workspace the way a person joins: POST /api/users invites, the
 * invitee accepts with the mailed token (setting up a new account), then signs in.
 */
export async function addMember(
  t: TestApp,
  by: TestUser,
  role: string,
  extra: { name?: string; email?: string } = {},
): Promise<TestUser> {
  const email = extra.email ?? uniqueEmail(role);
  const res = await t.http().post('/api/users').set(by.auth).send({ email, role });
  if (res.status !== 201) throw new Error(`inviting a ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const accepted = await t
    .http()
    .post('/api/invitations/accept')
    .set('X-Forwarded-For', randomIp())
    .send({ token: await mailedInvitationToken(t, email), name: extra.name ?? `A ${role}`, password: MEMBER_PASSWORD });
  if (accepted.status !== 200) throw new Error(`accepting failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return signIn(t, email, MEMBER_PASSWORD);
}
