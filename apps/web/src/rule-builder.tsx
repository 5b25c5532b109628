import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { SegmentConditionDto, SegmentFieldCatalogueDto, SegmentRuleGroupDto } from '@crescendo/api-client';
import { api } from './api/endpoints';
import { ApiError } from './api/errors';
import { statusLabel, useNicheOptions } from './crm';
import { QueryView, type Option } from './components';
import { i18n } from './i18n';
import { InlineDate } from './ui/date-field';

/**
 * The rule tree editor of segments and automation conditions: groups (all / any) of conditions
 * {field, operator, value}, nested up to the API's depth. The fields, their types and operators (and which
 * operators take a list) come from the API (GET /api/marketing/segments/fields), which checks the tree; its
 * 400 details name the path of each bad rule (`rules.rules[1].value`), shown under that rule.
 */

export type Condition = SegmentConditionDto;
export type RuleGroup = SegmentRuleGroupDto;
export type Operator = Condition['operator'];
type Value = Condition['value'];
type Scalar = string | number;
type Catalogue = SegmentFieldCatalogueDto;
type FieldType = Catalogue['fields'][number]['type'];

const MAX_DEPTH = 3;

const operatorLabel = (o: Operator) => i18n.t(`segments.operators.${o}`);
/** The catalogue's field label in the UI's language (the API names them in English). */
const fieldLabel = (field: string, label: string) =>
  i18n.exists(`segments.fields.${field}`) ? i18n.t(`segments.fields.${field}`) : label;

const isGroup = (node: Condition | RuleGroup): node is RuleGroup => 'combinator' in node;
const fieldType = (catalogue: Catalogue, field: string): FieldType =>
  field.startsWith(catalogue.customFieldPrefix)
    ? 'custom'
    : (catalogue.fields.find((f) => f.field === field)?.type ?? 'text');
const operatorsOf = (catalogue: Catalogue, type: FieldType): Operator[] =>
  catalogue.types.find((t) => t.type === type)?.operators ?? [];

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

/** `path`: where the tree sits in the request body, to find the API's messages about it (default `rules`). */
export function RuleGroupEditor({
  path = 'rules',
  ...props
}: {
  group: RuleGroup;
  onChange: (group: RuleGroup) => void;
  error?: unknown;
  path?: string;
  disabled?: boolean;
}) {
  const catalogue = useQuery({
    queryKey: ['segment-fields'],
    queryFn: () => api.listSegmentFields(),
    staleTime: 60_000,
  });
  const niches = useNicheOptions();
  return (
    <QueryView query={catalogue}>
      {(data) => <GroupEditor {...props} catalogue={data} niches={niches.options} path={path} depth={1} />}
    </QueryView>
  );
}

function GroupEditor({
  group,
  onChange,
  error,
  path,
  depth,
  onRemove,
  disabled,
  catalogue,
  niches,
}: {
  group: RuleGroup;
  onChange: (group: RuleGroup) => void;
  error?: unknown;
  path: string;
  depth: number;
  onRemove?: () => void;
  disabled?: boolean;
  catalogue: Catalogue;
  niches: Option[];
}) {
  const set = (index: number, node: Condition | RuleGroup) =>
    onChange({ ...group, rules: group.rules.map((r, i) => (i === index ? node : r)) });
  const remove = (index: number) => onChange({ ...group, rules: group.rules.filter((_, i) => i !== index) });
  const own = messagesAt(error, path).filter(() => group.rules.length === 0);
  return (
    <fieldset className={`rule-group depth-${depth}`} disabled={disabled} data-testid="rule-group">
      <div className="rule-group-head">
        <select
          aria-label={i18n.t('segments.match')}
          value={group.combinator}
          onChange={(e) => onChange({ ...group, combinator: e.target.value as 'and' | 'or' })}
          data-testid="rule-combinator"
        >
          <option value="and">{i18n.t('segments.allOf')}</option>
          <option value="or">{i18n.t('segments.anyOf')}</option>
        </select>
        <span className="muted small">{i18n.t('segments.theseConditions')}</span>
        {onRemove && (
          <button type="button" className="link" onClick={onRemove}>
            {i18n.t('segments.removeGroup')}
          </button>
        )}
      </div>
      {group.rules.map((node, index) =>
        isGroup(node) ? (
          <GroupEditor
            key={index}
            group={node}
            onChange={(g) => set(index, g)}
            error={error}
            path={`${path}.rules[${index}]`}
            depth={depth + 1}
            onRemove={() => remove(index)}
            disabled={disabled}
            catalogue={catalogue}
            niches={niches}
          />
        ) : (
          <ConditionEditor
            key={index}
            condition={node}
            onChange={(c) => set(index, c)}
            onRemove={() => remove(index)}
            messages={messagesAt(error, `${path}.rules[${index}]`)}
            catalogue={catalogue}
            niches={niches}
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
          {i18n.t('segments.addCondition')}
        </button>
        {depth < MAX_DEPTH && (
          <button
            type="button"
            onClick={() => onChange({ ...group, rules: [...group.rules, emptyGroup()] })}
            data-testid="rule-add-group"
          >
            {i18n.t('segments.addGroup')}
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
  catalogue,
  niches,
}: {
  condition: Condition;
  onChange: (c: Condition) => void;
  onRemove: () => void;
  messages: string[];
  catalogue: Catalogue;
  niches: Option[];
}) {
  const keyListId = useId();
  const prefix = catalogue.customFieldPrefix;
  const type = fieldType(catalogue, condition.field);
  const operators = operatorsOf(catalogue, type);
  const custom = condition.field.startsWith(prefix);
  const changeField = (field: string) => {
    const next = fieldType(catalogue, field);
    const allowed = operatorsOf(catalogue, next);
    const operator = allowed.includes(condition.operator) ? condition.operator : allowed[0];
    onChange({ field, operator, value: next === type ? condition.value : undefined });
  };
  const known = catalogue.fields.find((f) => f.field === condition.field);
  const choices: Option[] | null = known?.values
    ? known.values.map((v) => ({ value: v, label: statusLabel(v) }))
    : condition.field === 'nicheId'
      ? niches
      : null;
  return (
    <div className="rule" data-testid="rule">
      <div className="rule-row">
        <select
          aria-label={i18n.t('segments.field')}
          value={custom ? prefix : condition.field}
          onChange={(e) => changeField(e.target.value)}
          data-testid="rule-field"
        >
          {catalogue.fields.map((f) => (
            <option key={f.field} value={f.field}>
              {fieldLabel(f.field, f.label)}
            </option>
          ))}
          <option value={prefix}>{i18n.t('segments.customField')}</option>
        </select>
        {custom && (
          <>
            <input
              aria-label={i18n.t('segments.customFieldName')}
              placeholder={i18n.t('segments.customFieldPlaceholder')}
              list={keyListId}
              value={condition.field.slice(prefix.length)}
              onChange={(e) => onChange({ ...condition, field: `${prefix}${e.target.value}` })}
              data-testid="rule-custom-key"
            />
            <datalist id={keyListId}>
              {catalogue.customFields.map((key) => (
                <option key={key} value={key} />
              ))}
            </datalist>
          </>
        )}
        <select
          aria-label={i18n.t('segments.operator')}
          value={condition.operator}
          onChange={(e) => {
            const operator = e.target.value as Operator;
            const value = catalogue.noValueOperators.includes(operator) ? undefined : condition.value;
            onChange({ ...condition, operator, value });
          }}
          data-testid="rule-operator"
        >
          {operators.map((o) => (
            <option key={o} value={o}>
              {operatorLabel(o)}
            </option>
          ))}
        </select>
        <ValueInput
          condition={condition}
          type={type}
          shapes={catalogue}
          onChange={(value) => onChange({ ...condition, value })}
          choices={choices}
        />
        <button
          type="button"
          aria-label={i18n.t('segments.removeCondition')}
          onClick={onRemove}
          data-testid="rule-remove"
        >
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
  shapes,
  onChange,
  choices,
}: {
  condition: Condition;
  type: FieldType;
  /** Which operators take a list, no value or a [from, to] pair (the API's catalogue). */
  shapes: Pick<Catalogue, 'listOperators' | 'noValueOperators' | 'pairOperators'>;
  onChange: (value: Value) => void;
  /** The values to pick from (status, niche), else typed in. */
  choices: Option[] | null;
}) {
  const { operator, value } = condition;
  if (shapes.noValueOperators.includes(operator)) return null;
  if (shapes.listOperators.includes(operator)) {
    const list = Array.isArray(value) ? value.map(String) : [];
    if (choices) {
      return (
        <select
          multiple
          aria-label={i18n.t('segments.values')}
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
        aria-label={i18n.t('segments.valuesComma')}
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
  if (shapes.pairOperators.includes(operator)) {
    const pair: Scalar[] = Array.isArray(value) ? value : ['', ''];
    const inputType = type === 'number' ? 'number' : 'text';
    const set = (i: number, text: string) => {
      const next = [...pair];
      next[i] = type === 'date' ? text : parseScalar(type, text);
      onChange(next);
    };
    if (type === 'date') {
      return (
        <span className="rule-between">
          <InlineDate
            label={i18n.t('segments.from')}
            value={String(pair[0] ?? '')}
            onChange={(v) => set(0, v)}
            testId="rule-value"
          />
          {i18n.t('segments.and')}
          <InlineDate
            label={i18n.t('segments.to')}
            value={String(pair[1] ?? '')}
            onChange={(v) => set(1, v)}
            testId="rule-value-to"
          />
        </span>
      );
    }
    return (
      <span className="rule-between">
        <input
          aria-label={i18n.t('segments.from')}
          type={inputType}
          value={String(pair[0] ?? '')}
          onChange={(e) => set(0, e.target.value)}
          data-testid="rule-value"
        />
        {i18n.t('segments.and')}
        <input
          aria-label={i18n.t('segments.to')}
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
        aria-label={i18n.t('segments.value')}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value)}
        data-testid="rule-value"
      >
        <option value="" disabled>
          {i18n.t('segments.choose')}
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
        aria-label={i18n.t('segments.days')}
        type="number"
        min={1}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        data-testid="rule-value"
      />
    );
  }
  if (type === 'date') {
    return (
      <InlineDate
        label={i18n.t('segments.value')}
        value={String(value ?? '')}
        onChange={(v) => onChange(v)}
        testId="rule-value"
      />
    );
  }
  return (
    <input
      aria-label={i18n.t('segments.value')}
      type={type === 'number' ? 'number' : 'text'}
      value={String(value ?? '')}
      onChange={(e) => onChange(parseScalar(type, e.target.value))}
      data-testid="rule-value"
    />
  );
}
