import { isUUID } from 'class-validator';
import { containsPattern, ErrorDetail } from '@crescendo/platform';
import { leadStatuses } from '@crescendo/leads';

/** A rule tree over leads: `{combinator, rules: [condition | nested group]}`. */
export type SegmentCombinator = 'and' | 'or';
export interface SegmentCondition {
  field: string;
  operator: SegmentOperator;
  value?: unknown;
}
export interface SegmentRuleGroup {
  combinator: SegmentCombinator;
  rules: SegmentRuleNode[];
}
export type SegmentRuleNode = SegmentCondition | SegmentRuleGroup;

export const MAX_RULE_DEPTH = 3;
export const MAX_RULES = 50;
export const MAX_LIST = 100;
const MAX_TEXT = 500;

export const segmentOperators = [
  'eq',
  'neq',
  'contains',
  'starts_with',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'is_empty',
  'is_not_empty',
  'has_tag',
  'has_any_tag',
  'has_all_tags',
  'before',
  'after',
  'within_last_days',
] as const;
export type SegmentOperator = (typeof segmentOperators)[number];

/**
 * The operators whose value is a list (1 to MAX_LIST values): the validator checks it, and
 * GET /marketing/segments/fields serves it (`listOperators`) so forms know which values to edit as lists.
 */
export const segmentListOperators: readonly SegmentOperator[] = ['in', 'not_in', 'has_any_tag', 'has_all_tags'];
/** The operators that take no value (served as `noValueOperators`). */
export const segmentNoValueOperators: readonly SegmentOperator[] = ['is_empty', 'is_not_empty'];
/** The operators whose value is a [from, to] pair (served as `pairOperators`). */
export const segmentPairOperators: readonly SegmentOperator[] = ['between'];

export const segmentFieldTypes = ['text', 'status', 'number', 'uuid', 'tags', 'date', 'custom'] as const;
export type SegmentFieldType = (typeof segmentFieldTypes)[number];
type FieldType = SegmentFieldType;

/** The lead fields a rule can test, with their column (snake_case, as in the leads table) and a label for forms. */
export const segmentFields: Record<string, { column: string; type: FieldType; label: string }> = {
  name: { column: 'name', type: 'text', label: 'Name' },
  email: { column: 'email', type: 'text', label: 'E-mail' },
  company: { column: 'company', type: 'text', label: 'Company' },
  jobTitle: { column: 'job_title', type: 'text', label: 'Job title' },
  source: { column: 'source', type: 'text', label: 'Source' },
  status: { column: 'status', type: 'status', label: 'Status' },
  score: { column: 'score', type: 'number', label: 'Score' },
  nicheId: { column: 'niche_id', type: 'uuid', label: 'Niche' },
  ownerId: { column: 'owner_id', type: 'uuid', label: 'Owner id' },
  tags: { column: 'tags', type: 'tags', label: 'Tags' },
  createdAt: { column: 'created_at', type: 'date', label: 'Created' },
  lastContactedAt: { column: 'last_contacted_at', type: 'date', label: 'Last contact' },
};

export const CUSTOM_FIELD_PREFIX = 'customFields.';
/** What a custom field key may be in a rule (`customFields.<key>`). */
export const CUSTOM_FIELD_KEY = /^[A-Za-z0-9_\-.]{1,64}$/;

/** The operators each field type takes. */
export const operatorsByType: Record<FieldType, readonly SegmentOperator[]> = {
  text: ['eq', 'neq', 'contains', 'starts_with', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  status: ['eq', 'neq', 'in', 'not_in'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'not_in'],
  uuid: ['eq', 'neq', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  tags: ['has_tag', 'has_any_tag', 'has_all_tags', 'is_empty', 'is_not_empty'],
  date: ['before', 'after', 'between', 'within_last_days', 'is_empty', 'is_not_empty'],
  custom: [
    'eq',
    'neq',
    'contains',
    'starts_with',
    'in',
    'not_in',
    'gt',
    'gte',
    'lt',
    'lte',
    'between',
    'is_empty',
    'is_not_empty',
  ],
};

function fieldType(field: string): FieldType | undefined {
  if (field.startsWith(CUSTOM_FIELD_PREFIX))
    return CUSTOM_FIELD_KEY.test(field.slice(CUSTOM_FIELD_PREFIX.length)) ? 'custom' : undefined;
  return Object.hasOwn(segmentFields, field) ? segmentFields[field].type : undefined;
}

const isGroup = (node: SegmentRuleNode): node is SegmentRuleGroup =>
  typeof node === 'object' && node !== null && 'combinator' in node;

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isIsoDate = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !isNaN(Date.parse(v));
const isScalar = (v: unknown) => isText(v) || isNumber(v) || typeof v === 'boolean';
const listOf = (v: unknown, each: (x: unknown) => boolean) =>
  Array.isArray(v) && v.length > 0 && v.length <= MAX_LIST && v.every(each);
const order = (x: unknown) => (typeof x === 'string' ? Date.parse(x) : (x as number));
const pairOf = (v: unknown, each: (x: unknown) => boolean) =>
  Array.isArray(v) && v.length === 2 && v.every(each) && !(order(v[0]) > order(v[1]));

/** What value an operator takes on a type, as a check and a phrase for the error message. */
function valueRule(type: FieldType, operator: SegmentOperator): [(v: unknown) => boolean, string] {
  const status = (v: unknown) => typeof v === 'string' && (leadStatuses as string[]).includes(v);
  const uuid = (v: unknown) => typeof v === 'string' && isUUID(v);
  if (segmentNoValueOperators.includes(operator)) return [(v) => v === undefined || v === null, 'no value'];
  if (operator === 'within_last_days')
    return [(v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 36500, 'a whole number of days'];
  const list = segmentListOperators.includes(operator);
  const one: Record<FieldType, [(v: unknown) => boolean, string]> = {
    text: [isText, 'text'],
    status: [status, `a status (${leadStatuses.join(', ')})`],
    number: [isNumber, 'a number'],
    uuid: [uuid, 'a UUID'],
    tags: [(v) => isText(v) && v.length <= 50, 'a tag'],
    date: [isIsoDate, 'an ISO 8601 date'],
    custom: [
      operator === 'contains' || operator === 'starts_with'
        ? isText
        : ['gt', 'gte', 'lt', 'lte', 'between'].includes(operator)
          ? isNumber
          : isScalar,
      operator === 'contains' || operator === 'starts_with'
        ? 'text'
        : ['gt', 'gte', 'lt', 'lte', 'between'].includes(operator)
          ? 'a number'
          : 'text, a number or a boolean',
    ],
  };
  const [check, phrase] = one[type];
  if (list) return [(v) => listOf(v, check), `a list of 1 to ${MAX_LIST} values, each ${phrase}`];
  if (segmentPairOperators.includes(operator))
    return [(v) => pairOf(v, check), `[from, to] with from ≤ to, each ${phrase}`];
  return [check, phrase];
}

/**
 * Checks a rule tree (shape, depth, count, field, operator and value type) and returns one detail per
 * bad rule, its `field` being the path of that rule (e.g. `rules.rules[1].rules[0].value`).
 */
export function validateRuleTree(tree: unknown, path = 'rules'): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  let count = 0;
  const visit = (node: unknown, at: string, depth: number) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      problems.push({ field: at, message: 'must be a rule {field, operator, value} or a group {combinator, rules}' });
      return;
    }
    const record = node as Record<string, unknown>;
    if ('combinator' in record || 'rules' in record) {
      if (depth > MAX_RULE_DEPTH) {
        problems.push({ field: at, message: `groups nest at most ${MAX_RULE_DEPTH} deep` });
        return;
      }
      const extra = Object.keys(record).filter((k) => k !== 'combinator' && k !== 'rules');
      if (extra.length) problems.push({ field: at, message: `unknown properties: ${extra.join(', ')}` });
      if (record.combinator !== 'and' && record.combinator !== 'or')
        problems.push({ field: `${at}.combinator`, message: 'must be and or or' });
      if (!Array.isArray(record.rules) || record.rules.length === 0) {
        problems.push({ field: `${at}.rules`, message: 'must be a non-empty list' });
        return;
      }
      record.rules.forEach((child, i) => visit(child, `${at}.rules[${i}]`, depth + 1));
      return;
    }
    count += 1;
    const extra = Object.keys(record).filter((k) => k !== 'field' && k !== 'operator' && k !== 'value');
    if (extra.length) problems.push({ field: at, message: `unknown properties: ${extra.join(', ')}` });
    const type = typeof record.field === 'string' ? fieldType(record.field) : undefined;
    if (!type) {
      problems.push({
        field: `${at}.field`,
        message: `unknown field; one of ${Object.keys(segmentFields).join(', ')} or customFields.<key>`,
      });
      return;
    }
    const allowed = operatorsByType[type];
    if (!allowed.includes(record.operator as SegmentOperator)) {
      problems.push({
        field: `${at}.operator`,
        message: `for ${record.field as string}: one of ${allowed.join(', ')}`,
      });
      return;
    }
    const [check, phrase] = valueRule(type, record.operator as SegmentOperator);
    if (!check(record.value))
      problems.push({ field: `${at}.value`, message: `${record.operator as string} takes ${phrase}` });
  };
  visit(tree, path, 1);
  if (typeof tree === 'object' && tree !== null && !('combinator' in tree))
    problems.unshift({ field: path, message: 'the root must be a group {combinator, rules}' });
  if (count > MAX_RULES) problems.push({ field: path, message: `at most ${MAX_RULES} rules in a tree` });
  return problems;
}

/** Gives a value a placeholder: `$n` for raw SQL, `:name` for a TypeORM query builder. */
export type ParamBinder = (value: unknown) => string;

/** A binder producing `$1, $2, …` (after `offset` parameters already in the query) and the values. */
export function positionalParams(offset = 0): { bind: ParamBinder; values: unknown[] } {
  const values: unknown[] = [];
  return {
    values,
    bind: (value) => {
      values.push(value);
      return `$${offset + values.length}`;
    },
  };
}

/** A binder for TypeORM query builders: `:seg_0, :seg_1, …` and the parameters object. */
export function namedParams(prefix = 'seg'): { bind: ParamBinder; values: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  let n = 0;
  return {
    values,
    bind: (value) => {
      const key = `${prefix}_${n++}`;
      values[key] = value;
      return `:${key}`;
    },
  };
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const prefixPattern = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Compiles a validated rule tree to a SQL boolean expression over the leads table aliased `alias`.
 * Every value, and every custom field key, goes through `bind`: nothing the caller sent is pasted into SQL.
 */
export function compileRuleTree(tree: SegmentRuleGroup, bind: ParamBinder, alias = 'l'): string {
  const compileNode = (node: SegmentRuleNode): string => {
    if (isGroup(node)) {
      const parts = node.rules.map(compileNode);
      return `(${parts.join(node.combinator === 'and' ? ' AND ' : ' OR ')})`;
    }
    return compileCondition(node, bind, alias);
  };
  return compileNode(tree);
}

function compileCondition(rule: SegmentCondition, bind: ParamBinder, alias: string): string {
  const { operator, value } = rule;
  if (rule.field.startsWith(CUSTOM_FIELD_PREFIX)) return compileCustom(rule, bind, alias);
  const { column, type } = segmentFields[rule.field];
  const col = `${alias}.${column}`;
  const text = type === 'text';
  // Text compares case-insensitively; other types as they are.
  const subject = text ? `lower(${col})` : col;
  const v = (x: unknown) => bind(text ? lower(x) : x);
  const arrayType = type === 'number' ? 'numeric[]' : type === 'uuid' ? 'uuid[]' : 'text[]';
  switch (operator) {
    case 'eq':
      return `${subject} = ${v(value)}`;
    case 'neq':
      return `${subject} IS DISTINCT FROM ${v(value)}`;
    case 'contains':
      return `${col} ILIKE ${bind(containsPattern(value as string))}`;
    case 'starts_with':
      return `${col} ILIKE ${bind(prefixPattern(value as string))}`;
    case 'in':
      return `${subject} = ANY(CAST(${bind((value as unknown[]).map(lower))} AS ${arrayType}))`;
    case 'not_in':
      return `(${col} IS NULL OR NOT (${subject} = ANY(CAST(${bind((value as unknown[]).map(lower))} AS ${arrayType}))))`;
    case 'gt':
      return `${col} > ${bind(value)}`;
    case 'gte':
      return `${col} >= ${bind(value)}`;
    case 'lt':
      return `${col} < ${bind(value)}`;
    case 'lte':
      return `${col} <= ${bind(value)}`;
    case 'between': {
      const [from, to] = value as unknown[];
      const cast = (x: unknown) => (type === 'date' ? `CAST(${bind(x)} AS timestamptz)` : bind(x));
      return `${col} BETWEEN ${cast(from)} AND ${cast(to)}`;
    }
    case 'before':
      return `${col} < CAST(${bind(value)} AS timestamptz)`;
    case 'after':
      return `${col} > CAST(${bind(value)} AS timestamptz)`;
    case 'within_last_days':
      return `${col} >= now() - make_interval(days => CAST(${bind(value)} AS int))`;
    case 'has_tag':
      return `${col} @> ARRAY[CAST(${bind(lower(value))} AS text)]`;
    case 'has_any_tag':
      return `${col} && CAST(${bind((value as unknown[]).map(lower))} AS text[])`;
    case 'has_all_tags':
      return `${col} @> CAST(${bind((value as unknown[]).map(lower))} AS text[])`;
    case 'is_empty':
      return type === 'tags' ? `cardinality(${col}) = 0` : text ? `coalesce(${col}, '') = ''` : `${col} IS NULL`;
    case 'is_not_empty':
      return type === 'tags' ? `cardinality(${col}) > 0` : text ? `coalesce(${col}, '') <> ''` : `${col} IS NOT NULL`;
  }
  throw new Error(`Operator ${operator as string} on ${rule.field} passed validation but has no SQL`);
}

/** `customFields.<key>`: text compares on `->>`, numbers only where the JSON value is a number. */
function compileCustom(rule: SegmentCondition, bind: ParamBinder, alias: string): string {
  const key = bind(rule.field.slice(CUSTOM_FIELD_PREFIX.length));
  const raw = `${alias}.custom_fields ->> ${key}`;
  const text = `lower(${raw})`;
  // A CASE, so a non-numeric value is no match instead of a cast error.
  const num = `(CASE WHEN jsonb_typeof(${alias}.custom_fields -> ${key}) = 'number' THEN (${raw})::numeric END)`;
  const { operator, value } = rule;
  const scalar = (x: unknown) =>
    typeof x === 'number' ? `${num} = ${bind(x)}` : `${text} = ${bind(String(lower(x)))}`;
  switch (operator) {
    case 'eq':
      return scalar(value);
    case 'neq':
      return `NOT coalesce(${scalar(value)}, false)`;
    case 'contains':
      return `${raw} ILIKE ${bind(containsPattern(value as string))}`;
    case 'starts_with':
      return `${raw} ILIKE ${bind(prefixPattern(value as string))}`;
    case 'in':
      return `(${(value as unknown[]).map(scalar).join(' OR ')})`;
    case 'not_in':
      return `NOT coalesce((${(value as unknown[]).map(scalar).join(' OR ')}), false)`;
    case 'gt':
      return `${num} > ${bind(value)}`;
    case 'gte':
      return `${num} >= ${bind(value)}`;
    case 'lt':
      return `${num} < ${bind(value)}`;
    case 'lte':
      return `${num} <= ${bind(value)}`;
    case 'between': {
      const [from, to] = value as unknown[];
      return `${num} BETWEEN ${bind(from)} AND ${bind(to)}`;
    }
    case 'is_empty':
      return `coalesce(${raw}, '') = ''`;
    case 'is_not_empty':
      return `coalesce(${raw}, '') <> ''`;
  }
  throw new Error(`Operator ${operator} on ${rule.field} passed validation but has no SQL`);
}

/** Every id a (validated) rule tree compares `field` with, e.g. the niche ids of `nicheId` rules. */
export function ruleTreeIds(tree: SegmentRuleGroup, field: string): string[] {
  const ids = new Set<string>();
  const walk = (node: SegmentRuleNode) => {
    if ('rules' in node) return node.rules.forEach(walk);
    if (node.field !== field) return;
    for (const value of Array.isArray(node.value) ? node.value : [node.value]) {
      if (typeof value === 'string') ids.add(value);
    }
  };
  walk(tree);
  return [...ids];
}
