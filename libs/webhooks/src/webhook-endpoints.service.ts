import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  AppConfig,
  assertAllowedOutgoingUrl,
  CursorCodec,
  CursorPaginated,
  notFound,
  Principal,
  queryBuilderList,
  randomToken,
  SecretBox,
} from '@crescendo/platform';
import {
  CreatedWebhookEndpointResponseDto,
  CreateWebhookEndpointDto,
  DeliveryAttemptResponseDto,
  ListDeliveryAttemptsQueryDto,
  ListWebhookEndpointsQueryDto,
  PingResultDto,
  UpdateWebhookEndpointDto,
  WebhookEndpointResponseDto,
} from './webhooks.dto';
import { WebhookSender } from './webhook-sender.service';
import { DeliveryAttemptEntity, WebhookEndpointEntity } from './webhooks.entity';
import { AttemptStatus } from './webhooks.types';
import {
  ATTEMPT_ORDER,
  DeliveryAttemptRepository,
  ENDPOINT_ORDER,
  WebhookEndpointRepository,
} from './webhooks.repository';

export const newSigningSecret = () => `whsec_${randomToken(32)}`;

/** Outgoing webhook subscriptions of a workspace, their delivery log and a test ping. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly sender: WebhookSender,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly attempts: DeliveryAttemptRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /** Newest first, by cursor or page number, with a bounded total. */
  list(workspaceId: string, query: ListWebhookEndpointsQueryDto): Promise<CursorPaginated<WebhookEndpointResponseDto>> {
    return queryBuilderList(this.endpoints.listQuery(workspaceId), {
      codec: this.cursors,
      scope: `${workspaceId}:webhook-endpoints:createdAt:desc`,
      request: query,
      order: ENDPOINT_ORDER,
      map: toEndpointResponse,
    });
  }

  async get(workspaceId: string, id: string): Promise<WebhookEndpointResponseDto> {
    return toEndpointResponse(await this.find(workspaceId, id));
  }

  async create(principal: Principal, dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointResponseDto> {
    await this.checkUrl(dto.url);
    const secret = newSigningSecret();
    const endpoint = await this.endpoints.save(
      this.endpoints.build({
        workspaceId: principal.workspaceId,
        url: dto.url,
        description: dto.description ?? null,
        events: [...new Set(dto.events)],
        active: dto.active ?? true,
        secret: this.box.encrypt(secret),
      }),
    );
    return { ...toEndpointResponse(endpoint), secret };
  }

  async update(principal: Principal, id: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointResponseDto> {
    const endpoint = await this.find(principal.workspaceId, id);
    if (dto.url !== undefined) {
      await this.checkUrl(dto.url);
      endpoint.url = dto.url;
    }
    if (dto.events !== undefined) endpoint.events = [...new Set(dto.events)];
    if (dto.description !== undefined) endpoint.description = dto.description;
    if (dto.active !== undefined) {
      // Turning it back on starts the failure count afresh.
      if (dto.active && !endpoint.active) {
        endpoint.consecutiveFailures = 0;
        endpoint.disabledReason = null;
      }
      endpoint.active = dto.active;
    }
    return toEndpointResponse(await this.endpoints.save(endpoint));
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    const endpoint = await this.find(workspaceId, id);
    await this.endpoints.delete(endpoint.id);
  }

  async deliveries(
    workspaceId: string,
    id: string,
    query: ListDeliveryAttemptsQueryDto,
  ): Promise<CursorPaginated<DeliveryAttemptResponseDto>> {
    const endpoint = await this.find(workspaceId, id);
    // The cursor is bound to the endpoint too: one from another endpoint's log is refused.
    return queryBuilderList(this.attempts.listQuery(workspaceId, endpoint.id, query.status), {
      codec: this.cursors,
      scope: `${workspaceId}:webhook-deliveries/${endpoint.id}:createdAt:desc`,
      request: query,
      order: ATTEMPT_ORDER,
      map: toAttemptResponse,
    });
  }

  /** Sends a `ping` event now (even to an inactive endpoint) and records it in the delivery log. */
  async ping(workspaceId: string, id: string): Promise<PingResultDto> {
    const endpoint = await this.find(workspaceId, id);
    const event = {
      id: randomUUID(),
      type: 'ping',
      occurredAt: new Date().toISOString(),
      workspaceId,
      data: { endpointId: endpoint.id },
    };
    const result = await this.sender.send(endpoint, event);
    await this.sender.record(
      endpoint,
      event,
      1,
      result,
      result.ok ? AttemptStatus.Succeeded : AttemptStatus.Failed,
      null,
    );
    return {
      delivered: result.ok,
      responseStatus: result.responseStatus,
      durationMs: result.durationMs,
      error: result.error,
    };
  }

  private async find(workspaceId: string, id: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.endpoints.findInWorkspace(workspaceId, id);
    if (!endpoint) throw notFound('WEBHOOK_ENDPOINT_NOT_FOUND', 'Webhook endpoint not found in this workspace');
    return endpoint;
  }

  /** Checked again at each delivery (DNS can change): this only refuses an obviously internal URL early. */
  private checkUrl(url: string): Promise<void> {
    return assertAllowedOutgoingUrl(url, this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS, 'url');
  }
}

function toEndpointResponse(e: WebhookEndpointEntity): WebhookEndpointResponseDto {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    active: e.active,
    consecutiveFailures: e.consecutiveFailures,
    disabledReason: e.disabledReason,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

function toAttemptResponse(a: DeliveryAttemptEntity): DeliveryAttemptResponseDto {
  return {
    id: a.id,
    eventId: a.eventId,
    eventType: a.eventType,
    attempt: a.attempt,
    status: a.status,
    responseStatus: a.responseStatus,
    durationMs: a.durationMs,
    error: a.error,
    nextRetryAt: a.nextRetryAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  };
}
