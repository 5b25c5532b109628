import { Injectable, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CampaignsEvents } from '@crescendo/campaigns';
import { LeadsEvents } from '@crescendo/leads';
import { DomainEvent, OnDomainEvent } from '@crescendo/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestApp, signUp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

type Recorded = DomainEvent<typeof CampaignsEvents.CampaignStatusChanged | typeof LeadsEvents.LeadStatusChanged>;

@Injectable()
class CampaignEventRecorder {
  readonly received: Recorded[] = [];
  @OnDomainEvent(CampaignsEvents.CampaignStatusChanged, LeadsEvents.LeadStatusChanged)
  record(event: Recorded) {
    this.received.push(event);
  }
}

@Module({ imports: [WorkerModule], providers: [CampaignEventRecorder] })
class WorkerWithCampaignRecorderModule {}

describe('campaign domain events', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let recorder: CampaignEventRecorder;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerWithCampaignRecorderModule, { logger: false });
    recorder = worker.get(CampaignEventRecorder);
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  it('publishes campaign.status_changed after a status change commits, nothing for a refused one', async () => {
    const owner = await signUp(t);
    const campaign = (await t.http().post('/api/campaigns').set(owner.auth).send({ name: 'Evented', type: 'email' }))
      .body;
    await t.http().put(`/api/campaigns/${campaign.id}/status`).set(owner.auth).send({ status: 'active' }).expect(200);
    await t.http().put(`/api/campaigns/${campaign.id}/status`).set(owner.auth).send({ status: 'draft' }).expect(409);
    await t.http().put(`/api/campaigns/${campaign.id}/status`).set(owner.auth).send({ status: 'paused' }).expect(200);

    const events = await waitFor('two campaign events', async () => {
      const found = recorder.received.filter(
        (e) => e.type === CampaignsEvents.CampaignStatusChanged && e.data.campaignId === campaign.id,
      );
      return found.length >= 2 ? found : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = recorder.received.filter(
      (e) => e.type === CampaignsEvents.CampaignStatusChanged && e.data.campaignId === campaign.id,
    );
    expect(all.map((e) => e.data).sort((a, b) => String(a.to).localeCompare(String(b.to)))).toEqual([
      { campaignId: campaign.id, from: 'draft', to: 'active' },
      { campaignId: campaign.id, from: 'active', to: 'paused' },
    ]);
    expect(events[0]).toMatchObject({ workspaceId: owner.workspaceId, actorUserId: owner.id });
  });

  it('publishes lead.status_changed when a campaign conversion converts the lead', async () => {
    const owner = await signUp(t);
    const campaign = (await t.http().post('/api/campaigns').set(owner.auth).send({ name: 'Converting', type: 'email' }))
      .body;
    const lead = (await t.http().post('/api/leads').set(owner.auth).send({ name: 'Buyer' })).body;
    await t
      .http()
      .post(`/api/campaigns/${campaign.id}/leads`)
      .set(owner.auth)
      .send({ leadIds: [lead.id] })
      .expect(200);
    await t
      .http()
      .put(`/api/campaigns/${campaign.id}/leads/${lead.id}`)
      .set(owner.auth)
      .send({ stage: 'converted' })
      .expect(200);
    const event = await waitFor('lead.status_changed', async () =>
      recorder.received.find((e) => e.type === LeadsEvents.LeadStatusChanged && e.data.leadId === lead.id),
    );
    expect(event.data).toMatchObject({
      from: 'new',
      to: 'converted',
      campaignId: campaign.id,
      lead: { id: lead.id, status: 'converted' },
    });
  });
});
