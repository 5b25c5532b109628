import { ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

export const billingCycles = ['monthly', 'yearly'] as const;
export type BillingCycle = (typeof billingCycles)[number];

/** One price of a plan or pack, in minor units. With `stripePriceId` Checkout uses that Stripe price, else inline price data. */
export interface CataloguePrice {
  amount: number;
  currency: string;
  stripePriceId?: string;
}

/** What a plan grants; `null` means no limit. */
export interface PlanLimits {
  aiGenerationsPerMonth: number;
  seats: number | null;
  agents: number | null;
  storageMb: number | null;
}

export interface CataloguePlan {
  id: string;
  name: string;
  /** A cycle without a price cannot be bought (the free plan has none). */
  prices: Partial<Record<BillingCycle, CataloguePrice>>;
  limits: PlanLimits;
}

export interface CatalogueMessagePack {
  id: string;
  name: string;
  /** AI generations the pack adds to the workspace's credit ledger. */
  credits: number;
  price: CataloguePrice;
}

export interface BillingCatalogue {
  plans: CataloguePlan[];
  messagePacks: CatalogueMessagePack[];
}

export const FREE_PLAN = 'free';

/** The settings the default catalogue reads (the AI_QUOTA_* variables keep their meaning). */
export interface BillingCatalogueEnv {
  AI_QUOTA_FREE: number;
  AI_QUOTA_PRO: number;
  AI_QUOTA_ENTERPRISE: number;
  BILLING_PLANS?: CataloguePlan[] | null;
  BILLING_MESSAGE_PACKS?: CatalogueMessagePack[] | null;
}

const usd = (amount: number): CataloguePrice => ({ amount, currency: 'usd' });

/** The plans when BILLING_PLANS is not set. */
export function defaultPlans(env: Pick<BillingCatalogueEnv, 'AI_QUOTA_FREE' | 'AI_QUOTA_PRO' | 'AI_QUOTA_ENTERPRISE'>) {
  const plans: CataloguePlan[] = [
    {
      id: FREE_PLAN,
      name: 'Free',
      prices: {},
      limits: { aiGenerationsPerMonth: env.AI_QUOTA_FREE, seats: 10, agents: 30, storageMb: 1024 },
    },
    {
      id: 'pro',
      name: 'Pro',
      prices: { monthly: usd(1900), yearly: usd(19000) },
      limits: { aiGenerationsPerMonth: env.AI_QUOTA_PRO, seats: 25, agents: 100, storageMb: 10240 },
    },
    {
      id: 'viral',
      name: 'Viral',
      prices: { monthly: usd(3900), yearly: usd(39000) },
      limits: { aiGenerationsPerMonth: 2000, seats: 50, agents: 250, storageMb: 51200 },
    },
    {
      id: 'enterprise',
      name: 'Enterprise',
      prices: { monthly: usd(9900), yearly: usd(99000) },
      limits: { aiGenerationsPerMonth: env.AI_QUOTA_ENTERPRISE, seats: null, agents: null, storageMb: null },
    },
  ];
  return plans;
}

export const defaultMessagePacks: CatalogueMessagePack[] = [
  { id: 'messages-100', name: '100 AI generations', credits: 100, price: usd(500) },
  { id: 'messages-500', name: '500 AI generations', credits: 500, price: usd(2000) },
];

const catalogues = new WeakMap<object, BillingCatalogue>();

/** The plan catalogue in force: BILLING_PLANS / BILLING_MESSAGE_PACKS, or the defaults. */
export function billingCatalogue(env: BillingCatalogueEnv): BillingCatalogue {
  let catalogue = catalogues.get(env);
  if (!catalogue) {
    catalogue = {
      plans: env.BILLING_PLANS?.length ? env.BILLING_PLANS : defaultPlans(env),
      messagePacks: env.BILLING_MESSAGE_PACKS?.length ? env.BILLING_MESSAGE_PACKS : defaultMessagePacks,
    };
    catalogues.set(env, catalogue);
  }
  return catalogue;
}

/** A plan of the catalogue by id (`business` is read as `enterprise`); unknown ids: undefined. */
export function findPlan(catalogue: BillingCatalogue, planId: string): CataloguePlan | undefined {
  const id = planId.toLowerCase() === 'business' ? 'enterprise' : planId.toLowerCase();
  return catalogue.plans.find((p) => p.id === id);
}

/** The plan a workspace's `plan` value grants; anything unknown gets the free plan's limits. */
export function effectivePlan(catalogue: BillingCatalogue, planId: string): CataloguePlan {
  return findPlan(catalogue, planId) ?? findPlan(catalogue, FREE_PLAN) ?? catalogue.plans[0];
}

const INVALID = Symbol('invalid JSON');

/** Transform of BILLING_PLANS and BILLING_MESSAGE_PACKS: JSON text to an array (or a marker the validator names). */
export function parseJsonArray({ value }: { value: unknown }): unknown {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return INVALID;
  }
}

const ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;

function priceProblem(where: string, price: unknown): string | null {
  const p = price as Partial<CataloguePrice> | undefined;
  if (!p || typeof p !== 'object') return `${where} must be an object {amount, currency, stripePriceId?}`;
  if (!Number.isInteger(p.amount) || (p.amount as number) <= 0)
    return `${where}.amount must be a positive integer (minor units)`;
  if (typeof p.currency !== 'string' || !/^[a-z]{3}$/.test(p.currency))
    return `${where}.currency must be a lower-case ISO code`;
  if (p.stripePriceId !== undefined && (typeof p.stripePriceId !== 'string' || !p.stripePriceId)) {
    return `${where}.stripePriceId must be a non-empty string`;
  }
  return null;
}

const limitOk = (v: unknown, nullable: boolean) =>
  (nullable && v === null) || (Number.isInteger(v) && (v as number) >= 0);

export function billingPlansProblem(value: unknown): string | null {
  if (value === null) return null;
  if (value === INVALID || !Array.isArray(value))
    return 'BILLING_PLANS must be a JSON array of plans (see .env.example)';
  const seen = new Set<string>();
  for (const [i, raw] of value.entries()) {
    const plan = raw as Partial<CataloguePlan>;
    const at = `BILLING_PLANS[${i}]`;
    if (!plan || typeof plan !== 'object') return `${at} must be an object`;
    if (typeof plan.id !== 'string' || !ID.test(plan.id)) return `${at}.id must match ${ID}`;
    if (seen.has(plan.id)) return `${at}.id ${plan.id} is listed twice`;
    seen.add(plan.id);
    if (typeof plan.name !== 'string' || !plan.name) return `${at}.name is required`;
    if (!plan.prices || typeof plan.prices !== 'object') return `${at}.prices must be an object (monthly?, yearly?)`;
    for (const [cycle, price] of Object.entries(plan.prices)) {
      if (!(billingCycles as readonly string[]).includes(cycle))
        return `${at}.prices.${cycle} is not monthly or yearly`;
      const problem = priceProblem(`${at}.prices.${cycle}`, price);
      if (problem) return problem;
    }
    const limits = plan.limits as Partial<PlanLimits> | undefined;
    if (!limits || typeof limits !== 'object') return `${at}.limits is required`;
    if (!limitOk(limits.aiGenerationsPerMonth, false))
      return `${at}.limits.aiGenerationsPerMonth must be an integer ≥ 0`;
    for (const key of ['seats', 'agents', 'storageMb'] as const) {
      if (!limitOk(limits[key], true)) return `${at}.limits.${key} must be an integer ≥ 0 or null (no limit)`;
    }
  }
  if (!seen.has(FREE_PLAN)) return 'BILLING_PLANS must include the free plan (id "free")';
  return null;
}

export function messagePacksProblem(value: unknown): string | null {
  if (value === null) return null;
  if (value === INVALID || !Array.isArray(value)) {
    return 'BILLING_MESSAGE_PACKS must be a JSON array of packs (see .env.example)';
  }
  const seen = new Set<string>();
  for (const [i, raw] of value.entries()) {
    const pack = raw as Partial<CatalogueMessagePack>;
    const at = `BILLING_MESSAGE_PACKS[${i}]`;
    if (!pack || typeof pack !== 'object') return `${at} must be an object`;
    if (typeof pack.id !== 'string' || !ID.test(pack.id)) return `${at}.id must match ${ID}`;
    if (seen.has(pack.id)) return `${at}.id ${pack.id} is listed twice`;
    seen.add(pack.id);
    if (typeof pack.name !== 'string' || !pack.name) return `${at}.name is required`;
    if (!Number.isInteger(pack.credits) || (pack.credits as number) <= 0)
      return `${at}.credits must be a positive integer`;
    const problem = priceProblem(`${at}.price`, pack.price);
    if (problem) return problem;
  }
  return null;
}

@ValidatorConstraint({ name: 'billingPlansValid' })
export class BillingPlansValid implements ValidatorConstraintInterface {
  private problem = '';
  validate(value: unknown): boolean {
    this.problem = billingPlansProblem(value) ?? '';
    return this.problem === '';
  }
  defaultMessage(): string {
    return this.problem;
  }
}

@ValidatorConstraint({ name: 'messagePacksValid' })
export class MessagePacksValid implements ValidatorConstraintInterface {
  private problem = '';
  validate(value: unknown): boolean {
    this.problem = messagePacksProblem(value) ?? '';
    return this.problem === '';
  }
  defaultMessage(): string {
    return this.problem;
  }
}
