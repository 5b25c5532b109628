/**
 * Every domain event's data, by event name: what happened in a workspace, for automation rules, agents, outgoing
 * webhooks and notifications. Empty here; each feature declares its own events by declaration merging, beside
 * their names (`<feature>.events.ts`, exported from its barrel):
 *
 *   export const LeadsEvents = { LeadCreated: 'lead.created' } as const;
 *   declare module '@crescendo/platform' {
 *     interface DomainEventPayloads { [LeadsEvents.LeadCreated]: LeadEventData }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEventPayloads {}

export type DomainEventName = keyof DomainEventPayloads & string;

/** One event of one name: `data` is what its feature declares for that name. */
export interface DomainEventOf<N extends DomainEventName> {
  /** Unique per event: subscribers derive idempotent job ids from it. */
  id: string;
  type: N;
  workspaceId: string;
  occurredAt: string;
  actorUserId: string | null;
  data: DomainEventPayloads[N];
  /**
   * Set when an automation rule caused the event: how many rules deep the chain is, so rules cannot
   * trigger each other forever.
   */
  cause?: { automationRuleId: string; depth: number };
}

/** An event of one of the names N (default: any event): a union narrowed by `type`. */
export type DomainEvent<N extends DomainEventName = DomainEventName> = { [K in N]: DomainEventOf<K> }[N];

/** What a publisher gives: the event without the id, time and (optional) actor the publisher fills in. */
export type NewDomainEvent<N extends DomainEventName = DomainEventName> = {
  [K in N]: Omit<DomainEventOf<K>, 'id' | 'occurredAt' | 'actorUserId'> & { actorUserId?: string | null };
}[N];

/**
 * The names a list lacks (never when it has them all): a list offered to users (webhook subscriptions, agent
 * triggers) checks with it at compile time that a feature adding an event adds it there too.
 */
export type MissingDomainEvents<L extends readonly string[]> = Exclude<DomainEventName, L[number]>;
