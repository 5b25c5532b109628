import type { SegmentConditionDto, SegmentRuleGroupDto } from '@crescendo/api-client';
import { ApiError } from './api/errors';
import { valuesOf } from './enums';
import { LEAD_STATUSES, useNicheOptions } from './crm';
import { humanize, type Option } from './components';

/**
 * The rule tree editor of segments and automation conditions: groups (all / any) of conditions
 * {field, operator, value}, nested up to the API's depth. The API checks the tree; its 400 details
 * name the path of each bad rule (`rules.rules[1].value`), shown under that rule.
 */

export type Condition = SegmentConditionDto;
export type RuleGroup = SegmentRuleGroupDto;
export type Operator = Condition['operator'];
type Value = Condition['value'];
type Scalar = string | number;

const MAX_DEPTH = 3;
const CUSTOM = 'customFields.';

export const OPERATORS = valuesOf<Operator>()(
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
);

type FieldType = 'text' | 'status' | 'number' | 'niche' | 'uuid' | 'tags' | 'date' | 'custom';

/* The lead fields a rule may test and the operators of each type (the API's segment-rules catalogue). */
const FIELDS: { value: string; label: string; type: FieldType }[] = [
  { value: 'name', label: 'Name', type: 'text' },
  { value: 'email', label: 'E-mail', type: 'text' },
  { value: 'company', label: 'Company', type: 'text' },
  { value: 'jobTitle', label: 'Job title', type: 'text' },
  { value: 'source', label: 'Source', type: 'text' },
  { value: 'status', label: 'Status', type: 'status' },
  { value: 'score', label: 'Score', type: 'number' },
  { value: 'nicheId', label: 'Niche', type: 'niche' },
  { value: 'ownerId', label: 'Owner id', type: 'uuid' },
  { value: 'tags', label: 'Tags', type: 'tags' },
  { value: 'createdAt', label: 'Created', type: 'date' },
  { value: 'lastContactedAt', label: 'Last contact', type: 'date' },
  { value: CUSTOM, label: 'Custom field…', type: 'custom' },
];

const OPERATORS_BY_TYPE: Record<FieldType, Operator[]> = {
  text: ['eq', 'neq', 'contains', 'starts_with', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  status: ['eq', 'neq', 'in', 'not_in'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'not_in'],
  niche: ['eq', 'neq', 'in', 'not_in', 'is_empty', 'is_not_empty'],
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

const OPERATOR_LABELS: Record<Operator, string> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  starts_with: 'starts with',
  in: 'is one of',
  not_in: 'is none of',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  between: 'between',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  has_tag: 'has the tag',
  has_any_tag: 'has any tag of',
  has_all_tags: 'has all the tags',
  before: 'before',
  after: 'after',
  within_last_days: 'in the last (days)',
};

const LIST_OPERATORS: Operator[] = ['in', 'not_in', 'has_any_tag', 'has_all_tags'];
const NO_VALUE: Operator[] = ['is_empty', 'is_not_empty'];

const isGroup = (node: Condition | RuleGroup): node is RuleGroup => 'combinator' in node;
const fieldType = (field: string): FieldType =>
  field.startsWith(CUSTOM) ? 'custom' : (FIELDS.find((f) => f.value === field)?.type ?? 'text');

export const emptyCondition = (): Condition => ({ field: 'score', operator: 'gte', value: 50 });
export const emptyGroup = (): RuleGroup => ({ combinator: 'and', rules: [emptyCondition()] });

/** Numbers where the field is numeric (and custom values that read as numbers), text otherwise. */
function parseScalar(type: FieldType, text: string): Scalar {
  const trimmed = text.trim();
  if (type === 'number') return trimmed === '' ? '' : Number(trimmed);
  if (type === 'custom' && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

/** The API's messages about one rule (its path and below). */
function messagesAt(error: unknown, path: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.details.filter((d) => d.field === path || d.field?.startsWith(`${path}.`)).map((d) => d.message);
}

export function RuleGroupEditor({
  group,
  onChange,
  error,
  path = 'rules',
  depth = 1,
  onRemove,
  disabled,
}: {
  group: RuleGroup;
  onChange: (group: RuleGroup) => void;
  error?: unknown;
  path?: string;
  depth?: number;
  onRemove?: () => void;
  disabled?: boolean;
}) {
  const niches = useNicheOptions();
  const set = (index: number, node: Condition | RuleGroup) =>
    onChange({ ...group, rules: group.rules.map((r, i) => (i === index ? node : r)) });
  const remove = (index: number) => onChange({ ...group, rules: group.rules.filter((_, i) => i !== index) });
  const own = messagesAt(error, path).filter(() => group.rules.length === 0);
  return (
    <fieldset className={`rule-group depth-${depth}`} disabled={disabled} data-testid="rule-group">
      <div className="rule-group-head">
        <select
          aria-label="Match"
          value={group.combinator}
          onChange={(e) => onChange({ ...group, combinator: e.target.value as 'and' | 'or' })}
          data-testid="rule-combinator"
        >
          <option value="and">All of</option>
          <option value="or">Any of</option>
        </select>
        <span className="muted small">these conditions</span>
        {onRemove && (
          <button type="button" className="link" onClick={onRemove}>
            Remove the group
          </button>
        )}
      </div>
      {group.rules.map((node, index) =>
        isGroup(node) ? (
          <RuleGroupEditor
            key={index}
            group={node}
            onChange={(g) => set(index, g)}
            error={error}
            path={`${path}.rules[${index}]`}
            depth={depth + 1}
            onRemove={() => remove(index)}
            disabled={disabled}
          />
        ) : (
          <ConditionEditor
            key={index}
            condition={node}
            onChange={(c) => set(index, c)}
            onRemove={() => remove(index)}
            messages={messagesAt(error, `${path}.rules[${index}]`)}
            niches={niches.options}
          />
        ),
      )}
      {own.map((m) => (
        <small className="field-error" key={m}>
          {m}
        </small>
      ))}
      <div className="rule-actions">
        <button
          type="button"
          onClick={() => onChange({ ...group, rules: [...group.rules, emptyCondition()] })}
          data-testid="rule-add"
        >
          Add a condition
        </button>
        {depth < MAX_DEPTH && (
          <button
            type="button"
            onClick={() => onChange({ ...group, rules: [...group.rules, emptyGroup()] })}
            data-testid="rule-add-group"
          >
            Add a group
          </button>
        )}
      </div>
    </fieldset>
  );
}

function ConditionEditor({
  condition,
  onChange,
  onRemove,
  messages,
  niches,
}: {
  condition: Condition;
  onChange: (c: Condition) => void;
  onRemove: () => void;
  messages: string[];
  niches: Option[];
}) {
  const type = fieldType(condition.field);
  const operators = OPERATORS_BY_TYPE[type];
  const custom = condition.field.startsWith(CUSTOM);
  const changeField = (field: string) => {
    const next = fieldType(field);
    const operator = OPERATORS_BY_TYPE[next].includes(condition.operator)
      ? condition.operator
      : OPERATORS_BY_TYPE[next][0];
    onChange({ field, operator, value: next === fieldType(condition.field) ? condition.value : undefined });
  };
  return (
    <div className="rule" data-testid="rule">
      <div className="rule-row">
        <select
          aria-label="Field"
          value={custom ? CUSTOM : condition.field}
          onChange={(e) => changeField(e.target.value)}
          data-testid="rule-field"
        >
          {FIELDS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        {custom && (
          <input
            aria-label="Custom field name"
            placeholder="budget"
            value={condition.field.slice(CUSTOM.length)}
            onChange={(e) => onChange({ ...condition, field: `${CUSTOM}${e.target.value}` })}
            data-testid="rule-custom-key"
          />
        )}
        <select
          aria-label="Operator"
          value={condition.operator}
          onChange={(e) => {
            const operator = e.target.value as Operator;
            onChange({ ...condition, operator, value: NO_VALUE.includes(operator) ? undefined : condition.value });
          }}
          data-testid="rule-operator"
        >
          {operators.map((o) => (
            <option key={o} value={o}>
              {OPERATOR_LABELS[o]}
            </option>
          ))}
        </select>
        <ValueInput
          condition={condition}
          type={type}
          onChange={(value) => onChange({ ...condition, value })}
          niches={niches}
        />
        <button type="button" aria-label="Remove the condition" onClick={onRemove} data-testid="rule-remove">
          ×
        </button>
      </div>
      {messages.map((m) => (
        <small className="field-error" key={m} data-testid="rule-error">
          {m}
        </small>
      ))}
    </div>
  );
}

function ValueInput({
  condition,
  type,
  onChange,
  niches,
}: {
  condition: Condition;
  type: FieldType;
  onChange: (value: Value) => void;
  niches: Option[];
}) {
  const { operator, value } = condition;
  if (NO_VALUE.includes(operator)) return null;
  const choices: Option[] | null =
    type === 'status' ? LEAD_STATUSES.map((s) => ({ value: s, label: humanize(s) })) : type === 'niche' ? niches : null;
  if (LIST_OPERATORS.includes(operator)) {
    const list = Array.isArray(value) ? value.map(String) : [];
    if (choices) {
      return (
        <select
          multiple
          aria-label="Values"
          className="rule-multi"
          value={list}
          onChange={(e) => onChange(Array.from(e.target.selectedOptions, (o) => o.value))}
          data-testid="rule-value"
        >
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      );
    }
    return (
      <input
        aria-label="Values, comma-separated"
        placeholder="a, b, c"
        defaultValue={list.join(', ')}
        onChange={(e) =>
          onChange(
            e.target.value
              .split(',')
              .map((v) => v.trim())
              .filter(Boolean)
              .map((v) => parseScalar(type, v)),
          )
        }
        data-testid="rule-value"
      />
    );
  }
  if (operator === 'between') {
    const pair: Scalar[] = Array.isArray(value) ? value : ['', ''];
    const inputType = type === 'date' ? 'date' : type === 'number' ? 'number' : 'text';
    const set = (i: number, text: string) => {
      const next = [...pair];
      next[i] = type === 'date' ? text : parseScalar(type, text);
      onChange(next);
    };
    return (
      <span className="rule-between">
        <input
          aria-label="From"
          type={inputType}
          value={String(pair[0] ?? '')}
          onChange={(e) => set(0, e.target.value)}
          data-testid="rule-value"
        />
        and
        <input
          aria-label="To"
          type={inputType}
          value={String(pair[1] ?? '')}
          onChange={(e) => set(1, e.target.value)}
          data-testid="rule-value-to"
        />
      </span>
    );
  }
  if (choices) {
    return (
      <select
        aria-label="Value"
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value)}
        data-testid="rule-value"
      >
        <option value="" disabled>
          Choose…
        </option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  if (operator === 'within_last_days') {
    return (
      <input
        aria-label="Days"
        type="number"
        min={1}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        data-testid="rule-value"
      />
    );
  }
  return (
    <input
      aria-label="Value"
      type={type === 'date' ? 'date' : type === 'number' ? 'number' : 'text'}
      value={String(value ?? '')}
      onChange={(e) => onChange(type === 'date' ? e.target.value : parseScalar(type, e.target.value))}
      data-testid="rule-value"
    />
  );
}
