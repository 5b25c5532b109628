import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, Principal, Role, rolePermissions } from '@crescendo/platform';
import { AuthService, IdentityLookupsService, PasswordService } from '@crescendo/identity';
import { AiUsageService } from '@crescendo/ai';
import { LeadsService, LeadStatus, NichesService } from '@crescendo/leads';
import {
  CampaignLeadsService,
  CampaignLeadStage,
  CampaignsService,
  CampaignStatus,
  CampaignType,
} from '@crescendo/campaigns';
import {
  EarningsService,
  EarningType,
  SubscriberPlatform,
  SubscribersService,
  SubscriberStatus,
} from '@crescendo/subscribers';
import { SegmentsService } from '@crescendo/segments';
import {
  AutomationActionType,
  AutomationService,
  AutomationStatus,
  AutomationTriggerType,
} from '@crescendo/automation';
import {
  AutoReplyRulesService,
  CannedResponsesService,
  ConversationsService,
  MessageDirection,
  ReplyType,
} from '@crescendo/chatbot';
import { CreateAutoReplyRuleDto, Intent } from '@crescendo/chatbot';
import * as data from './demo-data';
import { Prng } from './prng';

const DAY = 86_400_000;
type MatchType = CreateAutoReplyRuleDto['matchType'];

export interface DemoSeedOptions {
  /** The user whose workspace is filled; created (with `password`) when it does not exist. */
  email?: string;
  password?: string;
  /** Wipe the workspace's demo-able data first, instead of refusing a workspace that already has some. */
  reset?: boolean;
  /** "now" of the generated history (tests pin it); defaults to the real time. */
  now?: Date;
}

export interface DemoSeedResult {
  email: string;
  /** Set when the user was created by this run. */
  password: string | null;
  userId: string;
  workspaceId: string;
  reset: boolean;
  counts: Record<string, number>;
  ms: number;
}

/** Concurrent writes (below the database pool size): the seed must finish in well under a minute. */
const CONCURRENCY = 6;

async function inParallel<T>(items: readonly T[], work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/** Thrown when the workspace already has data and `reset` was not asked for. */
export class DemoWorkspaceNotEmptyError extends Error {}

/** Tables wiped by a reset, children first; every one is filtered by workspace_id. */
const resetTables = [
  'ai_usage',
  'chatbot_messages',
  'chatbot_conversations',
  'chatbot_auto_reply_rules',
  'chatbot_canned_responses',
  'automation_runs',
  'segments',
  'earnings',
  'subscribers',
  'campaign_leads',
  'campaigns',
  'lead_events',
  'leads',
  'niches',
] as const;

/** The tables whose rows mean "this workspace already has data". */
const contentTables = ['leads', 'niches', 'campaigns', 'subscribers', 'earnings', 'segments', 'automation_rules'];

interface SeededLead {
  id: string;
  email: string;
  status: LeadStatus;
  createdAt: Date;
}

/**
 * Fills one workspace with realistic, deterministic demo data through the domain services, so timelines,
 * funnel stages, lifetime spends and domain events are what the product itself would have produced. Only
 * timestamps are moved afterwards with SQL UPDATEs: services stamp "now" and have no way to record history.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly passwords: PasswordService,
    private readonly leads: LeadsService,
    private readonly niches: NichesService,
    private readonly campaigns: CampaignsService,
    private readonly campaignLeads: CampaignLeadsService,
    private readonly subscribers: SubscribersService,
    private readonly earnings: EarningsService,
    private readonly segments: SegmentsService,
    private readonly automation: AutomationService,
    private readonly autoReplies: AutoReplyRulesService,
    private readonly conversations: ConversationsService,
    private readonly aiUsage: AiUsageService,
  ) {}

  async run(options: DemoSeedOptions = {}): Promise<DemoSeedResult> {
    const started = Date.now();
    const now = options.now ?? new Date();
    const email = (options.email ?? data.DEMO_EMAIL).trim().toLowerCase();
    const { principal, password } = await this.userPrincipal(email, options.password);
    const workspaceId = principal.workspaceId;

    if (await this.hasData(workspaceId)) {
      if (!options.reset)
        throw new DemoWorkspaceNotEmptyError(
          `The workspace of ${email} already has data; run again with --reset to wipe it and seed afresh`,
        );
      await this.reset(principal);
    }

    const prng = new Prng(data.DEMO_SEED);
    const nicheIds = await this.seedNiches(workspaceId);
    const leads = await this.seedLeads(principal, prng, nicheIds, now);
    await this.seedCampaigns(principal, prng, nicheIds, leads, now);
    const subscriberIds = await this.seedSubscribers(workspaceId, prng, leads, now);
    await this.seedEarnings(workspaceId, prng, subscriberIds, now);
    await this.seedSegments(principal);
    await this.seedAutomation(principal);
    await this.seedChatbot(principal, prng, now);
    await this.seedAiUsage(principal, prng);
    await this.backdate(workspaceId, leads, now);

    const counts = await this.counts(workspaceId);
    const ms = Date.now() - started;
    this.logger.log({ workspaceId, counts, ms }, 'Demo workspace seeded');
    return { email, password, userId: principal.userId, workspaceId, reset: !!options.reset, counts, ms };
  }

  /** Row counts of the workspace, per table (what the CLI prints and the spec checks). */
  async counts(workspaceId: string): Promise<Record<string, number>> {
    const tables = [...resetTables, 'automation_rules'].filter((t) => t !== 'automation_runs');
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const [{ count }] = await this.dataSource.query(
        `SELECT count(*)::int AS count FROM ${table} WHERE workspace_id = $1`,
        [workspaceId],
      );
      counts[table] = count;
    }
    return counts;
  }

  /** The user (created through registration when missing) acting as the owner of its first workspace. */
  private async userPrincipal(
    email: string,
    password?: string,
  ): Promise<{ principal: Principal; password: string | null }> {
    const identity = this.moduleRef.get(IdentityLookupsService, { strict: false });
    let userId = await identity.userIdByEmail(email);
    let created: string | null = null;
    if (!userId) {
      created = password ?? 'crescendo-demo';
      // Registration is the one path that creates a user with its workspace and owner membership.
      // AuthService is internal to IdentityModule: resolved, not injected.
      await this.moduleRef
        .get(AuthService, { strict: false })
        .register({ email, password: created, name: data.DEMO_NAME, acceptTerms: true });
      userId = (await identity.userIdByEmail(email))!;
    } else if (password) {
      await identity.setPasswordHash(userId, await this.passwords.hash(password));
      created = password;
    }
    const membership = await identity.firstMembership(userId);
    if (!membership) throw new Error(`${email} is a member of no workspace`);
    const role = membership.role as Role;
    return {
      principal: {
        kind: 'user',
        userId,
        workspaceId: membership.workspaceId,
        role,
        permissions: rolePermissions[role] as readonly Permission[],
        email,
      },
      password: created,
    };
  }

  private async hasData(workspaceId: string): Promise<boolean> {
    const [{ found }] = await this.dataSource.query(
      `SELECT ${contentTables.map((t) => `EXISTS (SELECT 1 FROM ${t} WHERE workspace_id = $1)`).join(' OR ')} AS found`,
      [workspaceId],
    );
    return found;
  }

  /**
   * Automation rules go through their service (it also drops their schedulers); the rest is deleted with SQL
   * in one transaction: no service hard-deletes (leads are soft-deleted, the earnings ledger is append-only).
   */
  private async reset(principal: Principal): Promise<void> {
    const rules: { id: string }[] = await this.dataSource.query(
      'SELECT id FROM automation_rules WHERE workspace_id = $1',
      [principal.workspaceId],
    );
    for (const rule of rules) await this.automation.remove(principal, rule.id);
    await this.dataSource.transaction(async (manager) => {
      for (const table of resetTables)
        await manager.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [principal.workspaceId]);
    });
  }

  private async seedNiches(workspaceId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const niche of data.niches) ids.push((await this.niches.create(workspaceId, niche)).id);
    return ids;
  }

  /** ~300 leads walked through their statuses one step at a time, so each has a realistic timeline. */
  private async seedLeads(principal: Principal, prng: Prng, nicheIds: string[], now: Date): Promise<SeededLead[]> {
    const path = [LeadStatus.New, LeadStatus.Contacted, LeadStatus.Qualified, LeadStatus.Converted];
    // Every random draw happens here, in order; the writes below then run concurrently without changing them.
    const plans = Array.from({ length: 300 }, (_, i) => {
      const first = prng.pick(data.firstNames);
      const last = prng.pick(data.lastNames);
      const company = prng.pick(data.companies);
      const domain = company.toLowerCase().replace(/[^a-z]+/g, '') + '.example';
      // Older leads have had time to move further down the funnel.
      const ageDays = prng.int(0, 89);
      const target = prng.weighted({
        new: ageDays < 10 ? 6 : 2,
        contacted: 3,
        qualified: 2.5,
        converted: ageDays > 20 ? 2 : 0.3,
        lost: ageDays > 15 ? 1.5 : 0.2,
      }) as LeadStatus;
      const score = Math.min(100, prng.int(5, 60) + Math.max(0, path.indexOf(target)) * 12);
      const dto = {
        name: `${first} ${last}`,
        email: `${first}.${last}.${i}@${domain}`.toLowerCase(),
        phone: prng.chance(0.7)
          ? `+33 6 ${prng.int(10, 99)} ${prng.int(10, 99)} ${prng.int(10, 99)} ${prng.int(10, 99)}`
          : null,
        company,
        jobTitle: prng.pick(data.jobTitles),
        source: prng.weighted(data.sourceWeights),
        nicheId: prng.chance(0.9) ? prng.pick(nicheIds) : null,
        tags: prng.sample(data.tags, prng.int(0, 3)).sort(),
        score,
        notes: prng.chance(0.25)
          ? `Met at ${prng.pick(['a webinar', 'a meetup', 'a demo call', 'a trade show'])}.`
          : null,
        customFields: {
          country: prng.pick(data.countries),
          budget: prng.pick(data.budgets),
          employees: prng.int(1, 250),
        },
      };
      // Lost leads drop out somewhere along the way; the others walk the path up to their status.
      const steps =
        target === LeadStatus.Lost
          ? [...path.slice(1, prng.int(1, 3)), LeadStatus.Lost]
          : path.slice(1, path.indexOf(target) + 1);
      const rescore = prng.chance(0.15) ? Math.min(100, score + 10) : null;
      const createdAt = new Date(now.getTime() - ageDays * DAY - prng.int(0, DAY - 1));
      return { dto, steps, rescore, target, createdAt };
    });
    const leads: SeededLead[] = new Array(plans.length);
    await inParallel(plans, async (plan, i) => {
      const lead = await this.leads.create(principal, plan.dto);
      for (const step of plan.steps) await this.leads.update(principal, lead.id, { status: step });
      if (plan.rescore !== null) await this.leads.update(principal, lead.id, { score: plan.rescore });
      leads[i] = { id: lead.id, email: plan.dto.email, status: plan.target, createdAt: plan.createdAt };
    });
    return leads;
  }

  /** 8 campaigns across the status machine, with enrolled leads at funnel stages matching their status. */
  private async seedCampaigns(
    principal: Principal,
    prng: Prng,
    nicheIds: string[],
    leads: SeededLead[],
    now: Date,
  ): Promise<void> {
    const plans: {
      name: string;
      type: CampaignType;
      channel: string;
      path: CampaignStatus[];
      startDays: number;
      size: number;
    }[] = [
      {
        name: 'Spring SaaS outreach',
        type: CampaignType.Outreach,
        channel: 'email',
        path: [CampaignStatus.Active, CampaignStatus.Completed, CampaignStatus.Archived],
        startDays: 85,
        size: 40,
      },
      {
        name: 'Fitness challenge launch',
        type: CampaignType.Social,
        channel: 'instagram',
        path: [CampaignStatus.Active, CampaignStatus.Completed],
        startDays: 70,
        size: 45,
      },
      {
        name: 'Black Friday e-commerce',
        type: CampaignType.Email,
        channel: 'email',
        path: [CampaignStatus.Active],
        startDays: 30,
        size: 60,
      },
      {
        name: 'Creator growth webinar',
        type: CampaignType.Content,
        channel: 'youtube',
        path: [CampaignStatus.Active],
        startDays: 20,
        size: 35,
      },
      {
        name: 'Realtor LinkedIn sequence',
        type: CampaignType.Outreach,
        channel: 'linkedin',
        path: [CampaignStatus.Active, CampaignStatus.Paused],
        startDays: 45,
        size: 30,
      },
      {
        name: 'Holiday newsletter',
        type: CampaignType.Email,
        channel: 'email',
        path: [CampaignStatus.Scheduled],
        startDays: -10,
        size: 15,
      },
      { name: 'TikTok UGC test', type: CampaignType.Social, channel: 'tiktok', path: [], startDays: -30, size: 8 },
      {
        name: 'Q1 partner referrals',
        type: CampaignType.Outreach,
        channel: 'referral',
        path: [CampaignStatus.Archived],
        startDays: 0,
        size: 0,
      },
    ];
    const stageOf: Record<LeadStatus, CampaignLeadStage> = {
      [LeadStatus.New]: CampaignLeadStage.Enrolled,
      [LeadStatus.Contacted]: CampaignLeadStage.Contacted,
      [LeadStatus.Qualified]: CampaignLeadStage.Replied,
      [LeadStatus.Converted]: CampaignLeadStage.Converted,
      [LeadStatus.Lost]: CampaignLeadStage.Contacted,
    };
    for (const [index, plan] of plans.entries()) {
      const startAt = new Date(now.getTime() - plan.startDays * DAY);
      const ended = plan.path.includes(CampaignStatus.Completed);
      const campaign = await this.campaigns.create(principal, {
        name: plan.name,
        description: `Demo campaign: ${plan.name.toLowerCase()}.`,
        type: plan.type,
        channel: plan.channel,
        startAt: plan.startDays !== 0 ? startAt.toISOString() : null,
        endAt: ended ? new Date(startAt.getTime() + 40 * DAY).toISOString() : null,
        budget: prng.int(5, 50) * 10_000,
        currency: data.DEMO_CURRENCY,
        goals: {
          targetLeads: plan.size,
          targetConversions: Math.ceil(plan.size / 5),
          targetRevenue: plan.size * 20_000,
        },
        targetNicheIds: [nicheIds[index % nicheIds.length]],
      });
      const [first, ...rest] = plan.path;
      // Leads are enrolled while the campaign still takes them (draft, scheduled, active), then it moves on.
      if (first) await this.campaigns.setStatus(principal, campaign.id, first);
      const enrolled = prng.sample(leads, plan.size);
      if (enrolled.length) {
        await this.campaignLeads.enroll(principal, campaign.id, { leadIds: enrolled.map((l) => l.id) });
        const moves = enrolled
          .map((lead) => ({ lead, stage: first === CampaignStatus.Active ? stageOf[lead.status] : null }))
          .filter((m) => m.stage && m.stage !== CampaignLeadStage.Enrolled)
          .map(({ lead, stage }) => ({
            leadId: lead.id,
            stage: stage!,
            ...(stage === CampaignLeadStage.Converted ? { revenue: prng.int(20, 400) * 100 } : {}),
          }));
        await inParallel(moves, ({ leadId, ...dto }) => this.campaignLeads.update(principal, campaign.id, leadId, dto));
      }
      for (const status of rest) await this.campaigns.setStatus(principal, campaign.id, status);
    }
  }

  /** ~60 fans on three platforms; some share an e-mail with a lead, which links them. */
  private async seedSubscribers(workspaceId: string, prng: Prng, leads: SeededLead[], now: Date): Promise<string[]> {
    const platforms = [SubscriberPlatform.OnlyFans, SubscriberPlatform.Fansly, SubscriberPlatform.Patreon];
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const base = data.fanHandles[i % data.fanHandles.length];
      const platform = platforms[i % 3];
      const { tier, monthlyPrice } = prng.pick(data.tiers);
      const subscriber = await this.subscribers.create(workspaceId, {
        platform,
        handle: i < data.fanHandles.length ? base : `${base}${i}`,
        displayName: `${prng.pick(data.firstNames)} ${prng.pick(data.lastNames).charAt(0)}.`,
        email: i % 6 === 0 ? leads[i].email : null,
        tier,
        monthlyPrice,
        currency: data.DEMO_CURRENCY,
        status: prng.weighted({ active: 7, expired: 1.5, cancelled: 1, paused: 0.5 }) as SubscriberStatus,
        subscribedSince: new Date(now.getTime() - prng.int(5, 180) * DAY).toISOString(),
      });
      ids.push(subscriber.data.id);
    }
    return ids;
  }

  /** 500 ledger entries over 6 months: monthly subscriptions, then tips, messages, pay-per-view and refunds. */
  private async seedEarnings(workspaceId: string, prng: Prng, subscriberIds: string[], now: Date): Promise<void> {
    const subs = await this.dataSource.query(
      'SELECT id, monthly_price AS "monthlyPrice", subscribed_since AS "since" FROM subscribers WHERE id = ANY($1)',
      [subscriberIds],
    );
    const entries: { subscriberId: string; type: EarningType; amount: number; occurredAt: Date }[] = [];
    for (const s of subs as { id: string; monthlyPrice: number; since: Date }[]) {
      for (let at = new Date(s.since).getTime(); at < now.getTime() && entries.length < 300; at += 30 * DAY)
        entries.push({
          subscriberId: s.id,
          type: EarningType.Subscription,
          amount: s.monthlyPrice,
          occurredAt: new Date(at),
        });
    }
    while (entries.length < 500) {
      const s = prng.pick(subs as { id: string; since: Date }[]);
      const since = new Date(s.since).getTime();
      const occurredAt = new Date(since + prng.next() * (now.getTime() - since));
      const type = prng.weighted({ tip: 5, message: 3, pay_per_view: 3, refund: 0.4 }) as EarningType;
      const amount = type === EarningType.Refund ? -prng.int(1, 5) * 100 : prng.int(2, 60) * 100;
      entries.push({ subscriberId: s.id, type, amount, occurredAt });
    }
    entries.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    await inParallel(entries, (entry, i) =>
      this.earnings.record(workspaceId, {
        ...entry,
        occurredAt: entry.occurredAt.toISOString(),
        description: `Demo ${entry.type.replace(/_/g, ' ')}`,
        externalId: `demo-${String(i + 1).padStart(4, '0')}`,
      }),
    );
  }

  private async seedSegments(principal: Principal): Promise<void> {
    await this.segments.create(principal, {
      name: 'Hot leads',
      description: 'Scored 60+ and still open',
      rules: {
        combinator: 'and',
        rules: [
          { field: 'score', operator: 'gte', value: 60 },
          { field: 'status', operator: 'in', value: ['contacted', 'qualified'] },
        ],
      },
    });
    await this.segments.create(principal, {
      name: 'VIP and customers',
      description: 'Tagged vip, or converted',
      rules: {
        combinator: 'or',
        rules: [
          { field: 'tags', operator: 'has_tag', value: 'vip' },
          { field: 'status', operator: 'eq', value: 'converted' },
        ],
      },
    });
    await this.segments.create(principal, {
      name: 'French leads with a budget',
      description: 'Country FR and a budget above 5k',
      rules: {
        combinator: 'and',
        rules: [
          { field: 'customFields.country', operator: 'eq', value: 'FR' },
          { field: 'customFields.budget', operator: 'in', value: ['5k-20k', '20k+'] },
        ],
      },
    });
  }

  /** Created after every lead exists: the rules are not meant to re-process the seed's own events. */
  private async seedAutomation(principal: Principal): Promise<void> {
    await this.automation.create(principal, {
      name: 'Tag hot qualified leads',
      description: 'A lead becoming qualified with a score of 70+ gets the hot tag',
      trigger: { type: AutomationTriggerType.LeadStatusChanged, to: LeadStatus.Qualified },
      conditions: { combinator: 'and', rules: [{ field: 'score', operator: 'gte', value: 70 }] },
      actions: [{ type: AutomationActionType.AddTag, tag: 'hot' }],
    });
    await this.automation.create(principal, {
      name: 'VIP tag boosts score',
      trigger: { type: AutomationTriggerType.LeadTagAdded, tag: 'vip' },
      conditions: null,
      actions: [{ type: AutomationActionType.SetScore, score: 90 }],
    });
    await this.automation.create(principal, {
      name: 'Weekly stale-lead follow-up',
      description: 'Every Monday, new leads never contacted get a follow-up tag (paused in the demo)',
      status: AutomationStatus.Paused,
      trigger: { type: AutomationTriggerType.Schedule, cron: '0 9 * * 1' },
      conditions: {
        combinator: 'and',
        rules: [
          { field: 'status', operator: 'eq', value: 'new' },
          { field: 'lastContactedAt', operator: 'is_empty' },
        ],
      },
      actions: [{ type: AutomationActionType.AddTag, tag: 'follow-up' }],
    });
  }

  /** Auto-reply rules first, so the fans' messages posted next get their automatic answers. */
  private async seedChatbot(principal: Principal, prng: Prng, now: Date): Promise<void> {
    const workspaceId = principal.workspaceId;
    await this.autoReplies.create(workspaceId, {
      name: 'Welcome',
      matchType: 'intent' as MatchType,
      intent: Intent.Greeting,
      replyType: ReplyType.Template,
      template: 'Hi {{name}}! Thanks for subscribing 💕',
      cooldownMinutes: 1440,
      priority: 10,
    });
    await this.autoReplies.create(workspaceId, {
      name: 'Pricing',
      matchType: 'keyword' as MatchType,
      keywords: ['price', 'how much', 'vip'],
      replyType: ReplyType.Template,
      template: 'Hey {{name}}, the VIP tier is $19.99/month and includes weekly exclusives.',
      priority: 5,
    });
    await this.autoReplies.create(workspaceId, {
      name: 'Complaints to a human',
      matchType: 'intent' as MatchType,
      intent: Intent.Complaint,
      replyType: ReplyType.Template,
      template: 'So sorry {{name}}! I have flagged this and will answer personally today.',
      priority: 20,
    });
    for (const [name, body] of [
      ['Thanks', 'Thank you {{name}}, your support means a lot!'],
      ['New drop', 'Hi {{name}}, a new set is out today, check your feed 🔥'],
      ['Custom request', 'Custom videos start at $50, {{name}}: tell me what you have in mind.'],
      ['Renewal reminder', 'Hey {{name}}, your subscription renews soon, thanks for staying!'],
    ])
      // Like AuthService, internal to its module.
      await this.moduleRef.get(CannedResponsesService, { strict: false }).create(workspaceId, { name, body });

    // Messages at past instants, so that the inbox has a history.
    for (let i = 0; i < 12; i++) {
      const platform = [SubscriberPlatform.OnlyFans, SubscriberPlatform.Fansly, SubscriberPlatform.Patreon][i % 3];
      const fanHandle = i < 9 ? data.fanHandles[i] : `newfan_${i}`;
      let at = now.getTime() - prng.int(1, 20) * DAY;
      let conversationId: string | undefined;
      for (let m = 0, n = prng.int(2, 6); m < n; m++) {
        const inbound = m % 2 === 0;
        const posted = await this.conversations.post(
          principal,
          {
            ...(conversationId ? { conversationId } : { platform, fanHandle, fanName: `Fan ${fanHandle}` }),
            direction: inbound ? MessageDirection.Inbound : MessageDirection.Outbound,
            body: inbound
              ? m === 0
                ? data.fanOpeners[i % data.fanOpeners.length]
                : prng.pick(data.fanOpeners)
              : prng.pick(data.memberReplies),
          },
          new Date(at),
        );
        conversationId = posted.data.conversation.id;
        at += prng.int(5, 600) * 60_000;
      }
    }
  }

  /**
   * Moves creation times into the past (services stamp now()): leads over 90 days, their timeline events
   * spread in order between creation and now, enrollment stages likewise, campaigns and subscribers.
   */
  /** 240 AI calls of the members (chat, content ideas, agents), so the dashboard's AI spend has a history. */
  private async seedAiUsage(principal: Principal, prng: Prng): Promise<void> {
    const calls = [
      { provider: 'GPT-4', model: 'gpt-4o', feature: 'chat', price: 0.012 },
      { provider: 'GPT-4', model: 'gpt-4o-mini', feature: 'content-ideas', price: 0.002 },
      { provider: 'Claude', model: 'claude-3-5-sonnet', feature: 'agents', price: 0.009 },
      { provider: 'Claude', model: 'claude-3-5-haiku', feature: 'auto-reply', price: 0.001 },
    ];
    const rows = Array.from({ length: 240 }, () => {
      const call = prng.pick(calls);
      const inputTokens = prng.int(200, 3000);
      const outputTokens = prng.int(50, 900);
      const failed = prng.next() < 0.03;
      return {
        workspaceId: principal.workspaceId,
        userId: principal.userId,
        provider: call.provider,
        model: call.model,
        feature: call.feature,
        inputTokens,
        outputTokens: failed ? 0 : outputTokens,
        costUsd: failed ? 0 : +(((inputTokens + 3 * outputTokens) / 1000) * call.price).toFixed(6),
        latencyMs: prng.int(300, 6000),
        status: failed ? ('error' as const) : ('ok' as const),
        errorCode: failed ? 'PROVIDER_TIMEOUT' : null,
        dataCategories: [] as string[],
      };
    });
    await inParallel(rows, (row) => this.aiUsage.record(row));
  }

  private async backdate(workspaceId: string, leads: SeededLead[], now: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // AI calls spread over the last 90 days, a few more each week (usage grows).
      await manager.query(
        `UPDATE ai_usage u SET created_at = $2::timestamptz - make_interval(secs => 90 * 86400 * sqrt(r.k::float8 / r.n))
           FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n
                   FROM ai_usage WHERE workspace_id = $1) r
          WHERE u.id = r.id`,
        [workspaceId, now],
      );
      await manager.query(
        `UPDATE leads l SET created_at = v.at
           FROM unnest($2::uuid[], $3::timestamptz[]) AS v(id, at)
          WHERE l.id = v.id AND l.workspace_id = $1`,
        [workspaceId, leads.map((l) => l.id), leads.map((l) => l.createdAt)],
      );
      await manager.query(
        `WITH ranked AS (
           SELECT e.id, e.lead_id, row_number() OVER (PARTITION BY e.lead_id ORDER BY e.created_at, e.id) - 1 AS rn,
                  count(*) OVER (PARTITION BY e.lead_id) AS n
             FROM lead_events e WHERE e.workspace_id = $1
         )
         UPDATE lead_events e
            SET created_at = l.created_at + ($2::timestamptz - l.created_at) * (r.rn::float8 / r.n)
           FROM ranked r JOIN leads l ON l.id = r.lead_id
          WHERE e.id = r.id`,
        [workspaceId, now],
      );
      await manager.query(
        `UPDATE leads l
            SET last_contacted_at = CASE WHEN l.last_contacted_at IS NULL THEN NULL
                  ELSE (SELECT max(e.created_at) FROM lead_events e WHERE e.lead_id = l.id) END,
                updated_at = (SELECT max(e.created_at) FROM lead_events e WHERE e.lead_id = l.id)
          WHERE l.workspace_id = $1`,
        [workspaceId],
      );
      await manager.query(
        `UPDATE campaigns SET created_at = coalesce(start_at, $2::timestamptz) - interval '7 days',
                updated_at = least($2::timestamptz, coalesce(end_at, $2::timestamptz))
          WHERE workspace_id = $1`,
        [workspaceId, now],
      );
      // Enrollment at the lead's "enrolled" event, later stages spread between it and now.
      await manager.query(
        `UPDATE campaign_leads cl
            SET enrolled_at = ev.at,
                contacted_at = CASE WHEN cl.contacted_at IS NULL THEN NULL ELSE ev.at + ($2::timestamptz - ev.at) * 0.3 END,
                replied_at = CASE WHEN cl.replied_at IS NULL THEN NULL ELSE ev.at + ($2::timestamptz - ev.at) * 0.5 END,
                converted_at = CASE WHEN cl.converted_at IS NULL THEN NULL ELSE ev.at + ($2::timestamptz - ev.at) * 0.7 END
           FROM (SELECT e.lead_id, e.data->>'campaignId' AS campaign_id, min(e.created_at) AS at
                   FROM lead_events e WHERE e.workspace_id = $1 AND e.type = 'enrolled' GROUP BY 1, 2) ev
          WHERE cl.workspace_id = $1 AND ev.lead_id = cl.lead_id AND ev.campaign_id = cl.campaign_id::text`,
        [workspaceId, now],
      );
      await manager.query('UPDATE subscribers SET created_at = subscribed_since WHERE workspace_id = $1', [
        workspaceId,
      ]);
    });
  }
}
