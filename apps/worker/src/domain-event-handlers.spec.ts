import { CampaignsEvents } from '@crescendo/campaigns';
import { LeadsEvents } from '@crescendo/leads';
import { type DomainEvent, ON_DOMAIN_EVENT, OnDomainEvent } from '@crescendo/platform';

describe('@OnDomainEvent (features declare their own events)', () => {
  it('ties a subscriber to the payload of the events it names (checked by the compiler: npx tsc)', () => {
    class Subscribers {
      @OnDomainEvent(LeadsEvents.LeadStatusChanged)
      statusChanged(event: DomainEvent<typeof LeadsEvents.LeadStatusChanged>) {
        return `${event.data.from} → ${event.data.to}`;
      }

      // @ts-expect-error a lead.status_changed subscriber cannot take campaign.status_changed's payload
      @OnDomainEvent(LeadsEvents.LeadStatusChanged)
      wrongPayload(event: DomainEvent<typeof CampaignsEvents.CampaignStatusChanged>) {
        return event.data.campaignId;
      }

      // @ts-expect-error a subscriber to every event must take every event, not only lead.created
      @OnDomainEvent()
      tooNarrow(event: DomainEvent<typeof LeadsEvents.LeadCreated>) {
        return event.data.lead.name;
      }

      @OnDomainEvent()
      everything(event: DomainEvent) {
        return event.type;
      }
    }
    const statusChanged = Subscribers.prototype.statusChanged;
    expect(Reflect.getMetadata(ON_DOMAIN_EVENT, statusChanged)).toEqual([LeadsEvents.LeadStatusChanged]);
    // No name: every event (the dispatcher delivers to it whatever the type).
    expect(Reflect.getMetadata(ON_DOMAIN_EVENT, Subscribers.prototype.everything)).toEqual([]);
  });
});
