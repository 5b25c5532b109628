// The receiver listens on 127.0.0.1; short retries so the backoff fits in a test.
process.env.WEBHOOKS_ALLOW_PRIVATE_URLS = 'true';
process.env.WEBHOOK_DELIVERY_ATTEMPTS = '3';
process.env.WEBHOOK_RETRY_DELAY_MS = '200';
process.env.WEBHOOK_ENDPOINT_FAILURE_LIMIT = '2';

import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifySignature } from '@crescendo/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { newEventId, sendSigned, setSigningSecret } from './webhook-helpers';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: { id: string; type: string; occurredAt: string; workspaceId: string; data: Record<string, unknown> };
}

/** A local receiver: records every request; answers per path from a script of statuses (then 200). */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, number[]>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, raw, body: JSON.parse(raw) });
        const script = this.scripts.get(path) ?? [];
        res.statusCode = script.length ? (script.shift() as number) : 200;
        res.end(res.statusCode < 300 ? 'ok' : 'boom');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(path: string, statuses: number[]) {
    this.scripts.set(path, statuses);
  }

  at(path: string) {
    return this.received.filter((r) => r.path === path);
  }

  stop() {
    return new Promise((resolve) => this.server.close(resolve));
  }
}

describe('outgoing webhooks delivered by the worker', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let owner: TestUser;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    t = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    owner = await signUp(t);
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
    await receiver.stop();
  });

  const subscribe = async (user: TestUser, path: string, events: string[]) => {
    const res = await t
      .http()
      .post('/api/webhooks/endpoints')
      .set(user.auth)
      .send({ url: `${receiver.url}${path}`, events })
      .expect(201);
    return res.body as { id: string; secret: string };
  };
  const deliveries = async (user: TestUser, endpointId: string) =>
    (await t.http().get(`/api/webhooks/endpoints/${endpointId}/deliveries?limit=100`).set(user.auth).expect(200)).body;

  it('POSTs a subscribed event, signed with the endpoint secret, and logs the attempt', async () => {
    const endpoint = await subscribe(owner, '/leads', ['lead.created']);
    const other = await subscribe(owner, '/campaigns-only', ['campaign.status_changed']);
    const lead = await t
      .http()
      .post('/api/leads')
      .set(owner.auth)
      .send({ name: 'Ada', email: 'ada@example.com' })
      .expect(201);

    const [hit] = await waitFor('the delivery', async () =>
      receiver.at('/leads').length ? receiver.at('/leads') : undefined,
    );
    expect(verifySignature(hit.headers['x-crescendo-signature'] as string, hit.raw, [endpoint.secret])).toMatchObject({
      ok: true,
    });
    expect(verifySignature(hit.headers['x-crescendo-signature'] as string, hit.raw, ['another-secret'])).toMatchObject({
      ok: false,
    });
    expect(hit.body).toEqual({
      id: expect.any(String),
      type: 'lead.created',
      occurredAt: expect.any(String),
      workspaceId: owner.workspaceId,
      data: expect.objectContaining({ leadId: lead.body.id }),
    });
    expect(hit.headers['x-crescendo-event-id']).toBe(hit.body.id);

    const log = await waitFor('the logged attempt', async () => {
      const body = await deliveries(owner, endpoint.id);
      return body.data.length ? body : undefined;
    });
    expect(log.data).toEqual([
      expect.objectContaining({
        eventId: hit.body.id,
        eventType: 'lead.created',
        attempt: 1,
        status: 'succeeded',
        responseStatus: 200,
        durationMs: expect.any(Number),
        error: null,
        nextRetryAt: null,
      }),
    ]);
    // Not subscribed to lead.created: nothing sent.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.at('/campaigns-only')).toEqual([]);
    expect((await deliveries(owner, other.id)).data).toEqual([]);
  });

  it('delivers lead.updated with the lead after the change and the fields it changed', async () => {
    await subscribe(owner, '/updated', ['lead.updated']);
    const lead = await t
      .http()
      .post('/api/leads')
      .set(owner.auth)
      .send({ name: 'Linus', email: 'linus@example.com' })
      .expect(201);
    await t.http().put(`/api/leads/${lead.body.id}`).set(owner.auth).send({ company: 'Kernel' }).expect(200);
    const [hit] = await waitFor('lead.updated', async () =>
      receiver.at('/updated').length ? receiver.at('/updated') : undefined,
    );
    expect(hit.body).toMatchObject({
      type: 'lead.updated',
      workspaceId: owner.workspaceId,
      data: { leadId: lead.body.id, lead: { id: lead.body.id, company: 'Kernel' }, changed: ['company'] },
    });
  });

  it('retries after a 500 with backoff, then succeeds; the log shows both attempts', async () => {
    const endpoint = await subscribe(owner, '/flaky', ['lead.created']);
    receiver.answer('/flaky', [500]);
    await t.http().post('/api/leads').set(owner.auth).send({ name: 'Flaky', email: 'flaky@example.com' }).expect(201);

    const hits = await waitFor('two attempts', async () =>
      receiver.at('/flaky').length >= 2 ? receiver.at('/flaky') : undefined,
    );
    expect(hits.map((h) => h.body.id)).toEqual([hits[0].body.id, hits[0].body.id]);
    const log = await waitFor('two logged attempts', async () => {
      const body = await deliveries(owner, endpoint.id);
      return body.data.length >= 2 ? body : undefined;
    });
    const [second, first] = log.data;
    expect(first).toMatchObject({
      attempt: 1,
      status: 'retrying',
      responseStatus: 500,
      error: expect.stringContaining('500'),
    });
    expect(new Date(first.nextRetryAt).getTime()).toBeGreaterThan(new Date(first.createdAt).getTime());
    expect(second).toMatchObject({ attempt: 2, status: 'succeeded', responseStatus: 200, nextRetryAt: null });
    const filtered = await t
      .http()
      .get(`/api/webhooks/endpoints/${endpoint.id}/deliveries?status=retrying`)
      .set(owner.auth)
      .expect(200);
    expect(filtered.body.data).toHaveLength(1);
  });

  it('marks a delivery failed after the last attempt, and disables an endpoint failing N in a row', async () => {
    const user = await signUp(t);
    const endpoint = await subscribe(user, '/down', ['lead.created']);
    receiver.answer('/down', Array(20).fill(503));
    for (const email of ['down1@example.com', 'down2@example.com']) {
      await t.http().post('/api/leads').set(user.auth).send({ name: 'Down', email }).expect(201);
    }
    const disabled = await waitFor('the endpoint disabled', async () => {
      const res = await t.http().get(`/api/webhooks/endpoints/${endpoint.id}`).set(user.auth).expect(200);
      return res.body.active ? undefined : res.body;
    });
    expect(disabled).toMatchObject({
      active: false,
      consecutiveFailures: 2,
      disabledReason: expect.stringContaining('2'),
    });
    const log = await deliveries(user, endpoint.id);
    expect(log.data).toHaveLength(6);
    expect(log.data.filter((d: { status: string }) => d.status === 'failed')).toHaveLength(2);
    expect(receiver.at('/down')).toHaveLength(6);

    // Disabled: later events are not sent.
    await t.http().post('/api/leads').set(user.auth).send({ name: 'Later', email: 'later@example.com' }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(receiver.at('/down')).toHaveLength(6);
  });

  it('POST /endpoints/:id/test sends a signed ping and answers the result', async () => {
    const endpoint = await subscribe(owner, '/ping', ['lead.deleted']);
    const res = await t.http().post(`/api/webhooks/endpoints/${endpoint.id}/test`).set(owner.auth).expect(200);
    expect(res.body).toEqual({ delivered: true, responseStatus: 200, durationMs: expect.any(Number), error: null });
    const [hit] = receiver.at('/ping');
    expect(hit.body).toMatchObject({ type: 'ping', workspaceId: owner.workspaceId, data: { endpointId: endpoint.id } });
    expect(verifySignature(hit.headers['x-crescendo-signature'] as string, hit.raw, [endpoint.secret]).ok).toBe(true);

    receiver.answer('/ping', [404]);
    const failed = await t.http().post(`/api/webhooks/endpoints/${endpoint.id}/test`).set(owner.auth).expect(200);
    expect(failed.body).toMatchObject({ delivered: false, responseStatus: 404, error: expect.stringContaining('404') });
    const log = await deliveries(owner, endpoint.id);
    expect(log.data.map((d: { eventType: string; status: string }) => [d.eventType, d.status])).toEqual([
      ['ping', 'failed'],
      ['ping', 'succeeded'],
    ]);
  });

  it('an accepted inbound webhook publishes webhook.received to subscribers', async () => {
    const secret = 'inbound-secret-for-fanout-0123';
    await setSigningSecret(t, owner, secret);
    const endpoint = await subscribe(owner, '/received', ['webhook.received']);
    const eventId = newEventId();
    const inbound = await sendSigned(
      t,
      '/api/webhooks/leads',
      { name: 'From Form', email: 'form@example.com' },
      { secret, workspaceId: owner.workspaceId, eventId },
    ).expect(200);
    const [hit] = await waitFor('webhook.received', async () =>
      receiver.at('/received').length ? receiver.at('/received') : undefined,
    );
    expect(hit.body).toMatchObject({
      type: 'webhook.received',
      data: { source: 'leads', eventId, deliveryId: inbound.body.deliveryId, leadId: inbound.body.leadId },
    });
    expect(verifySignature(hit.headers['x-crescendo-signature'] as string, hit.raw, [endpoint.secret]).ok).toBe(true);
  });
});
