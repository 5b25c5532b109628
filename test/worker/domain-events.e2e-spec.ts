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

  const updatedOf = (events: DomainEvent[]) =>
    events.filter((e): e is DomainEvent<typeof LeadsEvents.LeadUpdated> => e.type === LeadsEvents.LeadUpdated);

  it('discovers the subscriber', () => {
    expect(worker.get(DomainEventDispatcher).subscriberNames).toContain('RecordingSubscriber.record');
  });

  it('delivers lead.created, lead.updated, lead.status_changed and lead.tag_added after the changes commit', async () => {
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

    const events = await waitFor('four lead events', async () => {
      const found = eventsFor(leadId);
      return found.length >= 4 ? found : undefined;
    });
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    expect(byType[LeadsEvents.LeadCreated]).toMatchObject({
      actorUserId: owner.id,
      data: { leadId, lead: { email: 'ada@example.com', status: 'new' } },
    });
    expect(byType[LeadsEvents.LeadUpdated]).toMatchObject({
      actorUserId: owner.id,
      data: { leadId, lead: { status: 'contacted', tags: ['vip', 'newsletter'] } },
    });
    // lastContactedAt: set by the move to contacted.
    expect([...updatedOf(events)[0].data.changed].sort()).toEqual(['lastContactedAt', 'status', 'tags']);
    expect(byType[LeadsEvents.LeadStatusChanged].data).toMatchObject({ from: 'new', to: 'contacted' });
    expect(byType[LeadsEvents.LeadTagAdded].data).toMatchObject({ tags: ['newsletter'] });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    // The subscriber that named lead.tag_added got that one (the same event), and none of the others.
    const tagged = worker.get(TagSubscriber).received.filter((e) => e.data.leadId === leadId);
    expect(tagged.map((e) => e.type)).toEqual([LeadsEvents.LeadTagAdded]);
    expect(tagged[0].id).toBe(byType[LeadsEvents.LeadTagAdded].id);
  });

  it('publishes lead.updated for a change of any field, and none for a PUT that changes nothing', async () => {
    const created = await t
      .http()
      .post('/api/leads')
      .set(owner.auth)
      .send({ name: 'Grace Hopper', company: 'Navy' })
      .expect(201);
    const leadId = created.body.id;
    await t.http().put(`/api/leads/${leadId}`).set(owner.auth).send({ company: 'Navy' }).expect(200);
    await t.http().put(`/api/leads/${leadId}`).set(owner.auth).send({ company: 'UNIVAC', score: 40 }).expect(200);

    const [updated] = await waitFor('lead.updated', async () => {
      const found = updatedOf(eventsFor(leadId));
      return found.length ? found : undefined;
    });
    expect(updated.data).toMatchObject({ leadId, lead: { company: 'UNIVAC', score: 40 } });
    expect([...updated.data.changed].sort()).toEqual(['company', 'score']);
    // The events queue hands events out in the order they were queued: a no-op's event would be here by now.
    expect(updatedOf(eventsFor(leadId))).toHaveLength(1);
    expect(eventsFor(leadId).map((e) => e.type)).not.toContain(LeadsEvents.LeadStatusChanged);
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
