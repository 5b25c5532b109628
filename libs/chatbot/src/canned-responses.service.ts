import { Injectable } from '@nestjs/common';
import { CursorCodec, cursorPageMetadata, pageSizeRequest, queryBuilderList } from '@crescendo/platform';
import {
  CannedResponseListResponseDto,
  CannedResponseResponseDto,
  CreateCannedResponseDto,
  ListCannedResponsesQueryDto,
  RenderCannedResponseDto,
  RenderedCannedResponseDto,
  UpdateCannedResponseDto,
} from './canned-responses.dto';
import { ChatbotCannedResponseEntity } from './chatbot.entity';
import { cannedResponseNotFound, uniqueName } from './chatbot.errors';
import { toCannedResponseDto } from './chatbot.mappers';
import { CANNED_ORDER, CannedResponseRepository } from './chatbot.repository';
import { ConversationsService } from './conversations.service';
import { FanContext } from './fan-context';
import { assertTemplate, renderTemplate } from './template';

const UNIQUE = ['UQ_chatbot_canned_responses_name', 'CANNED_RESPONSE_NAME_TAKEN', 'canned response'] as const;

/** Saved replies members insert by hand, with the same template variables as auto-replies. */
@Injectable()
export class CannedResponsesService {
  constructor(
    private readonly responses: CannedResponseRepository,
    private readonly conversations: ConversationsService,
    private readonly fan: FanContext,
    private readonly cursors: CursorCodec,
  ) {}

  async list(workspaceId: string, query: ListCannedResponsesQueryDto): Promise<CannedResponseListResponseDto> {
    const page = await queryBuilderList(this.responses.listQuery(workspaceId, query.search), {
      codec: this.cursors,
      scope: `${workspaceId}:chatbot-canned:name:asc`,
      request: pageSizeRequest(query),
      order: CANNED_ORDER,
      map: toCannedResponseDto,
    });
    return { success: true, data: page.data, metadata: cursorPageMetadata(page.pagination) };
  }

  async get(workspaceId: string, id: string): Promise<CannedResponseResponseDto> {
    return { success: true, data: toCannedResponseDto(await this.find(workspaceId, id)) };
  }

  async create(workspaceId: string, dto: CreateCannedResponseDto): Promise<CannedResponseResponseDto> {
    assertTemplate(dto.body, 'body');
    const saved = await uniqueName(this.responses.insert(workspaceId, { name: dto.name, body: dto.body }), ...UNIQUE);
    return this.get(workspaceId, saved.id);
  }

  async update(workspaceId: string, id: string, dto: UpdateCannedResponseDto): Promise<CannedResponseResponseDto> {
    const current = await this.find(workspaceId, id);
    if (dto.body !== undefined) assertTemplate(dto.body, 'body');
    const patch = {
      ...(dto.name !== undefined && dto.name !== current.name ? { name: dto.name } : {}),
      ...(dto.body !== undefined && dto.body !== current.body ? { body: dto.body } : {}),
    };
    if (Object.keys(patch).length) await uniqueName(this.responses.update(workspaceId, id, patch), ...UNIQUE);
    return this.get(workspaceId, id);
  }

  async remove(workspaceId: string, id: string): Promise<CannedResponseResponseDto> {
    const current = await this.find(workspaceId, id);
    await this.responses.delete(workspaceId, id);
    return { success: true, data: toCannedResponseDto(current) };
  }

  /** The body with the conversation's fan and the current time (workspace time zone) filled in. */
  async render(workspaceId: string, id: string, dto: RenderCannedResponseDto): Promise<RenderedCannedResponseDto> {
    const response = await this.find(workspaceId, id);
    const conversation = dto.conversationId
      ? await this.conversations.find(workspaceId, dto.conversationId, undefined, false, 'conversationId')
      : null;
    const values = this.fan.values(conversation, await this.fan.workspaceTimeZone(workspaceId));
    return { success: true, data: { text: renderTemplate(response.body, values) } };
  }

  private async find(workspaceId: string, id: string): Promise<ChatbotCannedResponseEntity> {
    const response = await this.responses.find(workspaceId, id);
    if (!response) throw cannedResponseNotFound();
    return response;
  }
}
