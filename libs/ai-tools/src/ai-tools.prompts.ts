import { badRequest } from '@crescendo/platform';
import type { AiMessage } from '@crescendo/ai';
import type {
  AiGenerateContentDto,
  GenerateMessageDto,
  PricingFiguresDto,
  ResolvedIdeasOptionsDto,
  CreatorProfileDto,
  PricingGoal,
} from './ai-tools.dto';
import { contentTypes, difficulties } from './ai-tools.dto';

export const creativityTemperature = { conservative: 0.3, balanced: 0.7, creative: 1 } as const;

// ---------- Content ideas ----------

/** The JSON schema the model answers ideas in (strict: every key required; caption null when not asked). */
export function ideasSchema(options: ResolvedIdeasOptionsDto, allowedTypes: readonly string[]) {
  const strings = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 } };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['ideas'],
    properties: {
      ideas: {
        type: 'array',
        minItems: options.count,
        maxItems: options.count,
        items: {
          type: 'object',
          additionalProperties: false,
          required: [
            'title',
            'description',
            'contentType',
            'platform',
            'format',
            'estimatedEngagement',
            'estimatedRevenue',
            'difficulty',
            'timeRequired',
            'caption',
            'hashtags',
            'tips',
          ],
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 200 },
            description: { type: 'string', minLength: 1, maxLength: 2000 },
            contentType: { type: 'string', enum: allowedTypes.length ? allowedTypes : contentTypes },
            platform: { type: 'string', enum: options.targetPlatforms },
            format: { type: 'string', minLength: 1, maxLength: 100 },
            estimatedEngagement: { type: 'number', minimum: 0, maximum: 100 },
            estimatedRevenue: { type: 'number', minimum: 0 },
            difficulty: { type: 'string', enum: difficulties },
            timeRequired: { type: 'string', minLength: 1, maxLength: 100 },
            caption: { type: ['string', 'null'], maxLength: 2200 },
            hashtags: strings,
            tips: strings,
          },
        },
      },
    },
  };
}

export interface ModelIdea {
  title: string;
  description: string;
  contentType: string;
  platform: string;
  format: string;
  estimatedEngagement: number;
  estimatedRevenue: number;
  difficulty: 'easy' | 'medium' | 'hard';
  timeRequired: string;
  caption: string | null;
  hashtags: string[];
  tips: string[];
}

export function ideasMessages(profile: CreatorProfileDto, options: ResolvedIdeasOptionsDto): AiMessage[] {
  return [
    {
      role: 'system',
      content:
        'You are a content strategist for adult-platform and social media creators. You propose concrete, ' +
        'doable content ideas fitted to the creator’s niche, audience, goals, past performance and constraints. ' +
        'estimatedEngagement is an engagement rate in percent; estimatedRevenue is in the creator’s currency units. ' +
        `${options.includeCaptions ? 'Write a ready-to-post caption for each idea.' : 'Set caption to null.'} ` +
        `${options.includeHashtags ? 'Give 3 to 10 hashtags (with #) for each idea.' : 'Set hashtags to [].'} ` +
        'Answer with JSON only.',
    },
    {
      role: 'user',
      content:
        `Give exactly ${options.count} content ideas for the platforms ${options.targetPlatforms.join(', ')}, ` +
        `creativity: ${options.creativity}.\nCreator profile (JSON):\n${JSON.stringify(profile)}`,
    },
  ];
}

// ---------- Message generator ----------

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,49}$/;

/**
 * Fills the template's {{placeholders}} from the recipient and the extra variables. An invalid variable or
 * a placeholder without a value is a 400 (the model must not invent a name or a price).
 */
export function fillTemplate(dto: Pick<GenerateMessageDto, 'template' | 'recipient' | 'variables'>): {
  filled: string;
  used: Record<string, string>;
} {
  const extra = dto.variables ?? {};
  const bad = Object.entries(extra).filter(
    ([key, value]) => !VARIABLE_NAME.test(key) || typeof value !== 'string' || value.length > 500,
  );
  if (bad.length || Object.keys(extra).length > 30) {
    throw badRequest(
      'VALIDATION_FAILED',
      'Invalid input: variables',
      bad.length
        ? bad.map(([key]) => ({
            field: `variables.${key}`,
            message: 'a variable needs a name of letters, digits and _ and a text value of 500 characters at most',
          }))
        : [{ field: 'variables', message: 'variables must have 30 entries at most' }],
    );
  }
  const r = dto.recipient;
  const known: Record<string, string | undefined> = {
    name: r.name,
    firstName: r.name.split(/\s+/)[0],
    handle: r.handle,
    tier: r.tier,
    ...extra,
  };
  const used: Record<string, string> = {};
  const missing = new Set<string>();
  const filled = dto.template.replace(PLACEHOLDER, (whole, key: string) => {
    const value = known[key];
    if (value === undefined) {
      missing.add(key);
      return whole;
    }
    used[key] = value;
    return value;
  });
  if (missing.size) {
    throw badRequest(
      'MESSAGE_TEMPLATE_VARIABLE_MISSING',
      `No value for ${[...missing].map((k) => `{{${k}}}`).join(', ')}: give it in variables`,
      [...missing].map((k) => ({ field: 'template', message: `{{${k}}} has no value` })),
    );
  }
  return { filled, used };
}

export const messageSchema = (maxLength: number) => ({
  type: 'object',
  additionalProperties: false,
  required: ['message'],
  properties: { message: { type: 'string', minLength: 1, maxLength } },
});

export function messageMessages(
  dto: GenerateMessageDto,
  filled: string,
  ctx: { purpose: string; tone: string; language: string; maxLength: number },
): AiMessage[] {
  const { name: _name, ...recipient } = dto.recipient;
  return [
    {
      role: 'system',
      content:
        'You write personal direct messages from a creator to one fan. Keep the facts and offers of the ' +
        'template exactly (names, prices, dates); adapt wording, warmth and length to the recipient and context. ' +
        `Tone: ${ctx.tone}. Purpose: ${ctx.purpose}. Language: ${ctx.language}. ` +
        `At most ${ctx.maxLength} characters. Answer with JSON only.`,
    },
    {
      role: 'user',
      content:
        `Template (placeholders already filled):\n${filled}\n\n` +
        `Recipient: ${dto.recipient.name} ${JSON.stringify(recipient)}\n` +
        `Context: ${JSON.stringify(dto.context ?? {})}`,
    },
  ];
}

// ---------- Pricing optimizer ----------

export const pricingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['recommendedPrice', 'pricePoints', 'reasoning', 'expectedImpact', 'confidence'],
  properties: {
    recommendedPrice: { type: 'integer', minimum: 0 },
    pricePoints: {
      type: 'array',
      minItems: 1,
      maxItems: 5,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['label', 'price', 'audience', 'rationale'],
        properties: {
          label: { type: 'string', minLength: 1, maxLength: 100 },
          price: { type: 'integer', minimum: 0 },
          audience: { type: 'string', maxLength: 500 },
          rationale: { type: 'string', maxLength: 2000 },
        },
      },
    },
    reasoning: { type: 'string', minLength: 1, maxLength: 5000 },
    expectedImpact: { type: 'string', maxLength: 2000 },
    confidence: { type: 'string', enum: ['low', 'medium', 'high'] },
  },
};

export function pricingMessages(
  figures: PricingFiguresDto,
  ctx: { currency: string; goal: PricingGoal; periodDays: number; notes?: string },
): AiMessage[] {
  return [
    {
      role: 'system',
      content:
        'You are a pricing analyst for a creator’s subscription page. From the figures only (do not invent ' +
        'others), recommend a monthly subscription price and 1 to 5 price points (tiers or promotions). All ' +
        `amounts are integers in minor units of ${ctx.currency} (999 = 9.99). Explain your reasoning from the ` +
        'figures. Answer with JSON only.',
    },
    {
      role: 'user',
      content:
        `Goal: ${ctx.goal}. Period: the last ${ctx.periodDays} days.\n` +
        `Figures (JSON, minor units of ${ctx.currency}):\n${JSON.stringify(figures)}` +
        (ctx.notes ? `\nNotes from the creator: ${ctx.notes}` : ''),
    },
  ];
}

// ---------- Quota'd generation ----------

const lengthHint = { short: 'at most 40 words', medium: '40 to 120 words', long: '120 to 300 words' } as const;

export function contentMessages(dto: AiGenerateContentDto): AiMessage[] {
  const tone = dto.tone ?? 'friendly';
  const length = dto.length ?? 'medium';
  return [
    {
      role: 'system',
      content:
        `You write ${dto.type} content for a creator${dto.platform ? ` on ${dto.platform}` : ''}. ` +
        `Tone: ${tone}. Length: ${lengthHint[length]}. Answer with the content only.`,
    },
    { role: 'user', content: dto.prompt },
  ];
}
