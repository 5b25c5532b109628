import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AppConfig,
  AppException,
  badRequest,
  EventPublisher,
  CursorCodec,
  CursorPaginated,
  forbidden,
  Principal,
  queryBuilderList,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  unauthorized,
  validateInput,
  verifySignature,
} from '@crescendo/platform';
import { CampaignsService } from '@crescendo/campaigns';
import { IdentityLookupsService } from '@crescendo/identity';
import { LeadEventType, LeadsService } from '@crescendo/leads';
import { WorkspaceSettingsService } from '@crescendo/settings';
import {
  InboundCampaignWebhookDto,
  InboundDeliveryResponseDto,
  InboundLeadWebhookDto,
  InboundWebhookResultDto,
  ListInboundDeliveriesQueryDto,
  RotatedSecretResponseDto,
} from './webhooks.dto';
import { EVENT_ID_HEADER } from './webhook-sender.service';
import { newSigningSecret } from './webhook-endpoints.service';
import { InboundDeliveryEntity } from './webhooks.entity';
import { InboundSource, InboundStatus } from './webhooks.types';
import { WebhooksEvents } from './webhooks.events';
import { INBOUND_ORDER, InboundDeliveryRepository } from './webhooks.repository';

/** The routes whose raw JSON bytes are kept for the signature check (see keepRawBody). */
export const SIGNED_WEBHOOK_PATHS = ['/api/webhooks/leads', '/api/webhooks/campaigns'] as const;
export const WORKSPACE_HEADER = 'x-crescendo-workspace';
/** How long the secret a rotation replaces keeps working. */
export const ROTATION_GRACE_MS = 24 * 3600 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Bounds the claims held open at once. Each holds a pool connection while the change takes another, so
 * with at most half the pool held, the other half always frees up and a burst cannot starve the pool.
 */
class Slots {
  private waiting: Array<() => void> = [];
  private free: number;

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

interface Applied {
  leadId?: string;
  campaignId?: string;
}

/** What the controller hands over of a signed delivery: the signature covers the raw body, so it comes as received. */
export interface SignedDelivery {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: Buffer | undefined;
  readonly body: unknown;
}

/**
 * Signed inbound webhooks: authenticate (workspace secret, current or rotating), then apply each event id
 * once. Every delivery is logged; a refused one without its body.
 */
@Injectable()
export class InboundWebhooksService {
  private readonly logger = new Logger(InboundWebhooksService.name);
  private readonly claims: Slots;

  constructor(
    config: AppConfig,
    private readonly settings: WorkspaceSettingsService,
    private readonly leads: LeadsService,
    private readonly campaigns: CampaignsService,
    private readonly events: EventPublisher,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: InboundDeliveryRepository,
    private readonly identity: IdentityLookupsService,
    private readonly cursors: CursorCodec,
  ) {
    this.claims = new Slots(Math.max(1, Math.floor(config.env.DATABASE_POOL_SIZE / 2)));
  }

  receiveLead(delivery: SignedDelivery): Promise<InboundWebhookResultDto> {
    return this.receive(InboundSource.Leads, delivery, InboundLeadWebhookDto, (principal, dto, note) =>
      this.applyLead(principal, dto, note),
    );
  }

  receiveCampaign(delivery: SignedDelivery): Promise<InboundWebhookResultDto> {
    // Through the campaigns service, so its transition rules (409) and events apply as for a user.
    return this.receive(InboundSource.Campaigns, delivery, InboundCampaignWebhookDto, async (principal, dto) => ({
      campaignId: (await this.campaigns.setStatus(principal, dto.campaignId, dto.status)).id,
    }));
  }

  /** Newest first, by cursor or page number, with a bounded total. */
  list(
    workspaceId: string,
    query: ListInboundDeliveriesQueryDto,
  ): Promise<CursorPaginated<InboundDeliveryResponseDto>> {
    return queryBuilderList(this.deliveries.listQuery(workspaceId, query), {
      codec: this.cursors,
      scope: `${workspaceId}:webhook-inbound:receivedAt:desc`,
      request: query,
      order: INBOUND_ORDER,
      map: toInboundResponse,
    });
  }

  async rotateSecret(principal: Principal): Promise<RotatedSecretResponseDto> {
    const secret = newSigningSecret();
    const { previousUntil } = await this.settings.rotateWebhookSigningSecret(
      principal,
      secret,
      new Date(Date.now() + ROTATION_GRACE_MS),
    );
    return { secret, previousValidUntil: previousUntil };
  }

  private async receive<T extends { eventId?: string }>(
    source: InboundSource,
    request: SignedDelivery,
    type: new () => T,
    apply: (principal: Principal, dto: T, note: { eventId: string; deliveryId: string }) => Promise<Applied>,
  ): Promise<InboundWebhookResultDto> {
    const workspaceId = headerOf(request, WORKSPACE_HEADER);
    // An unknown workspace is refused like a bad signature, and not logged: there is nobody to log it for.
    if (!workspaceId || !UUID.test(workspaceId) || !(await this.identity.workspaceExists(workspaceId))) {
      throw unauthorized(
        'WEBHOOK_SIGNATURE_INVALID',
        `Missing or unknown ${WORKSPACE_HEADER} header, or bad signature`,
      );
    }
    const refuse = async (error: AppException, eventId: string | null = null): Promise<never> => {
      await this.log(workspaceId, source, eventId, InboundStatus.Rejected, error.status, error.code);
      throw error;
    };

    const integrations = await this.settings.resolveIntegrations(workspaceId);
    const secrets = [integrations.webhookSigningSecret, integrations.webhookSigningSecretPrevious].filter(
      (s): s is string => !!s,
    );
    if (!secrets.length) {
      await refuse(
        forbidden(
          'WEBHOOK_SIGNING_SECRET_NOT_CONFIGURED',
          'Set webhookSigningSecret (PUT /api/settings/integrations or POST /api/webhooks/secret/rotate) first',
        ),
      );
    }
    const rawBody = request.rawBody ?? Buffer.alloc(0);
    const headerId = headerOf(request, EVENT_ID_HEADER);
    const check = verifySignature(
      headerOf(request, SIGNATURE_HEADER),
      rawBody,
      secrets,
      Date.now(),
      SIGNATURE_TOLERANCE_SECONDS,
      headerId,
    );
    if (!check.ok) {
      await refuse(
        check.reason === 'expired'
          ? unauthorized('WEBHOOK_TIMESTAMP_EXPIRED', 'The signature timestamp is more than 5 minutes away from now')
          : unauthorized(
              'WEBHOOK_SIGNATURE_INVALID',
              `Signature ${check.reason}: sign "t.rawBody" (or "t.eventId.rawBody") with HMAC-SHA256`,
            ),
      );
    }
    const { timestamp, eventIdSigned } = check as { timestamp: number; eventIdSigned: boolean };

    // Only a signed id counts: an unsigned header could give a captured delivery a fresh id to be applied again.
    const body = request.body as Record<string, unknown> | undefined;
    const bodyId = typeof body?.eventId === 'string' && body.eventId ? body.eventId : undefined;
    const signedHeaderId = eventIdSigned ? headerId : undefined;
    if (bodyId !== undefined && signedHeaderId !== undefined && bodyId !== signedHeaderId) {
      await refuse(
        badRequest('WEBHOOK_EVENT_ID_MISMATCH', `The signed ${EVENT_ID_HEADER} header and eventId differ`, [
          { field: 'eventId', message: `must equal the ${EVENT_ID_HEADER} header` },
        ]),
      );
    }
    const eventId = bodyId ?? signedHeaderId ?? derivedEventId(timestamp, rawBody);
    if (eventId.length > 200) {
      await refuse(
        badRequest('WEBHOOK_EVENT_ID_REQUIRED', `The event id (${EVENT_ID_HEADER} or eventId) is over 200 characters`, [
          { field: 'eventId', message: 'at most 200 characters' },
        ]),
      );
    }
    const id = eventId;
    const dto = await validateInput(type, body).catch((error: AppException) => refuse(error, id));
    return this.claims.run(() => this.applyOnce(workspaceId, source, id, dto, apply));
  }

  /**
   * The accepted row is inserted first, in a transaction held open while the change is applied: a concurrent
   * delivery of the same event id waits on the unique index, then finds it taken (or free, if this one failed).
   */
  private async applyOnce<T>(
    workspaceId: string,
    source: InboundSource,
    eventId: string,
    dto: T,
    apply: (principal: Principal, dto: T, note: { eventId: string; deliveryId: string }) => Promise<Applied>,
  ): Promise<InboundWebhookResultDto> {
    const principal: Principal = { kind: 'webhook', userId: '', workspaceId, role: null, permissions: [] };
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let applied: Applied & { deliveryId: string };
    try {
      await runner.startTransaction();
      const deliveryId = await this.deliveries.claim(runner.manager, workspaceId, source, eventId);
      if (!deliveryId) {
        await runner.rollbackTransaction();
        const [duplicate, original] = await Promise.all([
          this.log(workspaceId, source, eventId, InboundStatus.Duplicate, 200, null),
          this.deliveries.findAccepted(workspaceId, source, eventId),
        ]);
        // What the first delivery touched, so a sender retrying after a lost answer still learns it.
        return {
          received: true,
          duplicate: true,
          deliveryId: duplicate.id,
          ...(original?.leadId ? { leadId: original.leadId } : {}),
          ...(original?.campaignId ? { campaignId: original.campaignId } : {}),
        };
      }
      try {
        applied = { ...(await apply(principal, dto, { eventId, deliveryId })), deliveryId };
      } catch (error) {
        await runner.rollbackTransaction();
        const status = error instanceof AppException ? error.status : 500;
        const code = error instanceof AppException ? error.code : 'INTERNAL_ERROR';
        await this.log(workspaceId, source, eventId, InboundStatus.Rejected, status, code);
        throw error;
      }
      await this.deliveries.setApplied(runner.manager, deliveryId, {
        leadId: applied.leadId ?? null,
        campaignId: applied.campaignId ?? null,
      });
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    await this.events.publish({
      type: WebhooksEvents.WebhookReceived,
      workspaceId,
      data: { source, eventId, deliveryId: applied.deliveryId, leadId: applied.leadId, campaignId: applied.campaignId },
    });
    return { received: true, duplicate: false, ...applied };
  }

  /** Creates the lead, or updates the workspace's lead with that e-mail; the timeline notes the webhook. */
  private async applyLead(
    principal: Principal,
    dto: InboundLeadWebhookDto,
    note: { eventId: string; deliveryId: string },
  ): Promise<Applied> {
    const { eventId: _eventId, ...fields } = dto;
    const timeline = { type: LeadEventType.Webhook, data: note };
    const existing = await this.leads.findIdByEmail(principal.workspaceId, fields.email);
    if (existing) return { leadId: (await this.leads.update(principal, existing, fields, timeline)).id };
    try {
      return { leadId: (await this.leads.create(principal, fields, timeline)).id };
    } catch (error) {
      // Another event created a lead with this e-mail meanwhile: update it instead.
      const raced = error instanceof AppException && error.code === 'LEAD_EMAIL_TAKEN';
      const id = raced ? await this.leads.findIdByEmail(principal.workspaceId, fields.email) : null;
      if (!id) throw error;
      return { leadId: (await this.leads.update(principal, id, fields, timeline)).id };
    }
  }

  private async log(
    workspaceId: string,
    source: InboundSource,
    eventId: string | null,
    status: InboundStatus,
    httpStatus: number,
    reason: string | null,
  ): Promise<InboundDeliveryEntity> {
    try {
      return await this.deliveries.insert({ workspaceId, source, eventId, status, httpStatus, reason });
    } catch (error) {
      this.logger.error({ err: error, workspaceId, source, eventId }, 'Inbound webhook delivery not logged');
      return { id: '' } as InboundDeliveryEntity;
    }
  }
}

/**
 * The id of a delivery that signs no event id: the hash of what its signature covers, so a captured copy
 * replayed within the tolerance, with whatever header id, is the same event.
 */
export function derivedEventId(timestamp: number, rawBody: Buffer): string {
  return `sha256:${createHash('sha256').update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

function headerOf(request: SignedDelivery, name: string): string | undefined {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function toInboundResponse(d: InboundDeliveryEntity): InboundDeliveryResponseDto {
  return {
    id: d.id,
    source: d.source,
    eventId: d.eventId,
    status: d.status,
    reason: d.reason,
    httpStatus: d.httpStatus,
    leadId: d.leadId,
    campaignId: d.campaignId,
    receivedAt: d.receivedAt.toISOString(),
  };
}
