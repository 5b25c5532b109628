import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { asLimitPage, assertInWorkspace, containsPattern, pageMetadata, queryPage } from '@crescendo/platform';
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
import { conversationReference, findConversation } from './conversations.service';
import { FanContext } from './fan-context';
import { assertTemplate, renderTemplate } from './template';

const UNIQUE = ['UQ_chatbot_canned_responses_name', 'CANNED_RESPONSE_NAME_TAKEN', 'canned response'] as const;

/** Saved replies members insert by hand, with the same template variables as auto-replies. */
@Injectable()
export class CannedResponsesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly fan: FanContext,
  ) {}

  private get responses() {
    return this.dataSource.getRepository(ChatbotCannedResponseEntity);
  }

  async list(workspaceId: string, query: ListCannedResponsesQueryDto): Promise<CannedResponseListResponseDto> {
    const qb = this.responses.createQueryBuilder('c').where('c.workspaceId = :workspaceId', { workspaceId });
    if (query.search) {
      const pattern = containsPattern(query.search);
      qb.andWhere(new Brackets((w) => w.where('c.name ILIKE :pattern', { pattern }).orWhere('c.body ILIKE :pattern')));
    }
    qb.orderBy('c.name', 'ASC').addOrderBy('c.id', 'ASC');
    const [rows, total] = await queryPage(qb, asLimitPage(query));
    return { success: true, data: rows.map(toCannedResponseDto), metadata: pageMetadata(total, query) };
  }

  async get(workspaceId: string, id: string): Promise<CannedResponseResponseDto> {
    return { success: true, data: toCannedResponseDto(await this.find(workspaceId, id)) };
  }

  async create(workspaceId: string, dto: CreateCannedResponseDto): Promise<CannedResponseResponseDto> {
    assertTemplate(dto.body, 'body');
    const saved = await uniqueName(
      this.responses.save(this.responses.create({ workspaceId, name: dto.name, body: dto.body })),
      ...UNIQUE,
    );
    return this.get(workspaceId, saved.id);
  }

  async update(workspaceId: string, id: string, dto: UpdateCannedResponseDto): Promise<CannedResponseResponseDto> {
    const current = await this.find(workspaceId, id);
    if (dto.body !== undefined) assertTemplate(dto.body, 'body');
    const patch = {
      ...(dto.name !== undefined && dto.name !== current.name ? { name: dto.name } : {}),
      ...(dto.body !== undefined && dto.body !== current.body ? { body: dto.body } : {}),
    };
    if (Object.keys(patch).length) await uniqueName(this.responses.update({ id, workspaceId }, patch), ...UNIQUE);
    return this.get(workspaceId, id);
  }

  async remove(workspaceId: string, id: string): Promise<CannedResponseResponseDto> {
    const current = await this.find(workspaceId, id);
    await this.responses.delete({ id, workspaceId });
    return { success: true, data: toCannedResponseDto(current) };
  }

  /** The body with the conversation's fan and the current time (workspace time zone) filled in. */
  async render(workspaceId: string, id: string, dto: RenderCannedResponseDto): Promise<RenderedCannedResponseDto> {
    const response = await this.find(workspaceId, id);
    if (dto.conversationId) {
      await assertInWorkspace(this.dataSource.manager, workspaceId, conversationReference(dto.conversationId));
    }
    const conversation = dto.conversationId
      ? await findConversation(this.dataSource.manager, workspaceId, dto.conversationId)
      : null;
    const values = this.fan.values(conversation, await this.fan.workspaceTimeZone(workspaceId));
    return { success: true, data: { text: renderTemplate(response.body, values) } };
  }

  private async find(workspaceId: string, id: string): Promise<ChatbotCannedResponseEntity> {
    const response = await this.responses.findOne({ where: { id, workspaceId } });
    if (!response) throw cannedResponseNotFound();
    return response;
  }
}
