import { Injectable, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LeadsEvents } from '@crescendo/leads';
import { DomainEvent, DomainEventDispatcher, OnDomainEvent } from '@crescendo/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

@Injectable()
class RecordingSubscriber {
  readonly received: DomainEvent[] = [];
  @OnDomainEvent()
  record(event: DomainEvent) {
    this.received.push(event);
  }
}

/** Subscribes to one event by name: the worker hands it that event only. */
@Injectable()
class TagSubscriber {
  readonly received: DomainEvent<typeof LeadsEvents.LeadTagAdded>[] = [];
  @OnDomainEvent(LeadsEvents.LeadTagAdded)
  record(event: DomainEvent<typeof LeadsEvents.LeadTagAdded>) {
    this.received.push(event);
  }
}

@Module({ imports: [WorkerModule], providers: [RecordingSubscriber, TagSubscriber] })
class WorkerWithRecorderModule {}

describe('domain events: the API publishes, the worker delivers to every @OnDomainEvent subscriber', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let recorder: RecordingSubscriber;
  let owner: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerWithRecorderModule, { logger: false });
    recorder = worker.get(RecordingSubscriber);
    owner = await signUp(t);
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  const eventsFor = (leadId: string) =>
    recorder.received.filter(
      (e) => e.workspaceId === owner.workspaceId && 'leadId' in e.data && e.data.leadId === leadId,
    );

  it('discovers the subscriber', () => {
    expect(worker.get(DomainEventDispatcher).subscriberNames).toContain('RecordingSubscriber.record');
  });

  it('delivers lead.created, lead.status_changed and lead.tag_added after the changes commit', async () => {
    const created = await t
      .http()
      .post('/api/leads')
      .set(owner.auth)
      .send({ name: 'Ada Lovelace', email: 'ada@example.com', tags: ['vip'] })
      .expect(201);
    const leadId = created.body.id;
    await t
      .http()
      .put(`/api/leads/${leadId}`)
      .set(owner.auth)
      .send({ status: 'contacted', tags: ['vip', 'newsletter'] })
      .expect(200);

    const events = await waitFor('three lead events', async () => {
      const found = eventsFor(leadId);
      return found.length >= 3 ? found : undefined;
    });
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    expect(byType[LeadsEvents.LeadCreated]).toMatchObject({
      actorUserId: owner.id,
      data: { leadId, lead: { email: 'ada@example.com', status: 'new' } },
    });
    expect(byType[LeadsEvents.LeadStatusChanged].data).toMatchObject({ from: 'new', to: 'contacted' });
    expect(byType[LeadsEvents.LeadTagAdded].data).toMatchObject({ tags: ['newsletter'] });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    // The subscriber that named lead.tag_added got that one (the same event), and none of the others.
    const tagged = worker.get(TagSubscriber).received.filter((e) => e.data.leadId === leadId);
    expect(tagged.map((e) => e.type)).toEqual([LeadsEvents.LeadTagAdded]);
    expect(tagged[0].id).toBe(byType[LeadsEvents.LeadTagAdded].id);
  });

  it('publishes nothing for a change that failed', async () => {
    const res = await t.http().post('/api/leads').set(owner.auth).send({ name: 'X', email: 'ada@example.com' });
    expect(res.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const duplicates = recorder.received.filter(
      (e) =>
        e.workspaceId === owner.workspaceId &&
        e.type === LeadsEvents.LeadCreated &&
        e.data.lead.email === 'ada@example.com',
    );
    expect(duplicates).toHaveLength(1);
  });
});
