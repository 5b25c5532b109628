import { Injectable } from '@nestjs/common';
import {
  badRequest,
  CursorCodec,
  cursorPageMetadata,
  ErrorDetail,
  pageSizeRequest,
  queryBuilderList,
} from '@crescendo/platform';
import { assertActiveHours } from './active-hours';
import {
  AutoReplyRuleListResponseDto,
  AutoReplyRuleResponseDto,
  CreateAutoReplyRuleDto,
  ListAutoReplyRulesQueryDto,
  UpdateAutoReplyRuleDto,
} from './auto-reply.dto';
import { ChatbotAutoReplyRuleEntity } from './chatbot.entity';
import { ReplyType } from './chatbot.types';
import { ruleNotFound, uniqueName } from './chatbot.errors';
import { AutoReplyRuleRepository, RULE_ORDER } from './chatbot.repository';
import { toRuleDto } from './chatbot.mappers';
import { MatchType } from './rule-matcher';
import { checkRegex } from './safe-regex';
import { assertTemplate } from './template';

type RuleFields = Omit<ChatbotAutoReplyRuleEntity, 'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'workspace'>;

const defaults: Omit<RuleFields, 'name' | 'matchType' | 'replyType'> = {
  keywords: null,
  pattern: null,
  intent: null,
  priority: 0,
  activeHours: null,
  timezone: null,
  cooldownMinutes: 0,
  active: true,
  template: null,
  aiPrompt: null,
};

/** The fields each match type and reply type need; the others are cleared on save. */
const matchField = { keyword: 'keywords', regex: 'pattern', intent: 'intent' } as const;
const replyField = { template: 'template', ai: 'aiPrompt' } as const;

@Injectable()
export class AutoReplyRulesService {
  constructor(
    private readonly rules: AutoReplyRuleRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /** In the order rules are tried, by cursor or page number, with a bounded total. */
  async list(workspaceId: string, query: ListAutoReplyRulesQueryDto): Promise<AutoReplyRuleListResponseDto> {
    const page = await queryBuilderList(this.rules.listQuery(workspaceId, query.active), {
      codec: this.cursors,
      scope: `${workspaceId}:chatbot-rules:priority:desc`,
      request: pageSizeRequest(query),
      order: RULE_ORDER,
      map: toRuleDto,
    });
    return { success: true, data: page.data, metadata: cursorPageMetadata(page.pagination) };
  }

  async get(workspaceId: string, id: string): Promise<AutoReplyRuleResponseDto> {
    return { success: true, data: toRuleDto(await this.find(workspaceId, id)) };
  }

  async create(workspaceId: string, dto: CreateAutoReplyRuleDto): Promise<AutoReplyRuleResponseDto> {
    const fields = validated({ ...defaults, ...definedOf(dto) } as RuleFields);
    const saved = await uniqueName(
      this.rules.insert(workspaceId, fields),
      'UQ_chatbot_auto_reply_rules_name',
      'AUTO_REPLY_RULE_NAME_TAKEN',
      'auto-reply rule',
    );
    return this.get(workspaceId, saved.id);
  }

  /** Partial: only the fields sent change (null clears a nullable one); the result is validated whole. */
  async update(workspaceId: string, id: string, dto: UpdateAutoReplyRuleDto): Promise<AutoReplyRuleResponseDto> {
    const rule = await this.find(workspaceId, id);
    const { id: _id, workspaceId: _ws, createdAt: _c, updatedAt: _u, workspace: _w, ...current } = rule;
    const fields = validated({ ...current, ...definedOf(dto) });
    await uniqueName(
      this.rules.update(workspaceId, id, fields),
      'UQ_chatbot_auto_reply_rules_name',
      'AUTO_REPLY_RULE_NAME_TAKEN',
      'auto-reply rule',
    );
    return this.get(workspaceId, id);
  }

  async remove(workspaceId: string, id: string): Promise<AutoReplyRuleResponseDto> {
    const rule = await this.find(workspaceId, id);
    await this.rules.delete(workspaceId, id);
    return { success: true, data: toRuleDto(rule) };
  }

  private async find(workspaceId: string, id: string): Promise<ChatbotAutoReplyRuleEntity> {
    const rule = await this.rules.find(workspaceId, id);
    if (!rule) throw ruleNotFound();
    return rule;
  }
}

/** The DTO's fields that were sent (undefined = unchanged); `id` (PUT without :id) is not a field. */
function definedOf(dto: UpdateAutoReplyRuleDto & { id?: string }): Partial<RuleFields> {
  const { id: _id, ...rest } = dto;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<RuleFields>;
}

/** Cross-field checks; 400 with every field at fault. Fields the types do not use are cleared. */
function validated(rule: RuleFields): RuleFields {
  const missing: ErrorDetail[] = [];
  const needed = matchField[rule.matchType];
  if (rule[needed] === null || rule[needed] === undefined)
    missing.push({ field: needed, message: `${needed} is required when matchType is ${rule.matchType}` });
  const reply = replyField[rule.replyType];
  if (!rule[reply]) missing.push({ field: reply, message: `${reply} is required when replyType is ${rule.replyType}` });
  if (missing.length)
    throw badRequest('VALIDATION_FAILED', `Invalid input: ${missing.map((d) => d.field).join(', ')}`, missing);

  for (const type of Object.keys(matchField) as MatchType[])
    if (type !== rule.matchType) (rule as unknown as Record<string, unknown>)[matchField[type]] = null;
  for (const type of Object.keys(replyField) as ReplyType[])
    if (type !== rule.replyType) (rule as unknown as Record<string, unknown>)[replyField[type]] = null;

  if (rule.matchType === MatchType.Regex) {
    const check = checkRegex(rule.pattern!);
    if (!check.ok)
      throw badRequest(
        check.reason === 'unsafe' ? 'REGEX_UNSAFE' : 'REGEX_INVALID',
        check.reason === 'unsafe' ? 'The pattern could backtrack catastrophically' : 'The pattern is not a valid regex',
        [{ field: 'pattern', message: check.message }],
      );
  }
  if (rule.matchType === MatchType.Keyword) rule.keywords = [...new Set(rule.keywords!.map((k) => k.trim()))];
  if (rule.template !== null) assertTemplate(rule.template, 'template');
  if (rule.activeHours) {
    assertActiveHours(rule.activeHours);
    // Keep only the three fields (the DTO instance may carry class metadata).
    rule.activeHours = { days: [...rule.activeHours.days], from: rule.activeHours.from, to: rule.activeHours.to };
  }
  return rule;
}
