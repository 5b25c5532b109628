import { useMutation, useQuery } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import type {
  AutomationActionDto,
  AutomationRuleDto,
  AutomationTriggerDto,
  CreateAutomationRuleDto,
} from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { Field, FieldMessage, FormError, Notice, SelectField, type Option } from '../../components';
import { STATUS_OPTIONS } from '../../crm';
import { i18n } from '../../i18n';
import { RuleGroupEditor, emptyGroup, type RuleGroup } from '../../rule-builder';
import { actionOptions, triggerOptions, type ActionType, type TriggerType } from './automation';

type Action = AutomationActionDto;
interface RuleValues {
  name: string;
  trigger: AutomationTriggerDto;
  useConditions: boolean;
  conditions: RuleGroup;
  actions: Action[];
}

/** Creates or edits an automation rule: trigger, optional conditions, actions. */
export function RuleForm({ rule, onSaved }: { rule?: AutomationRuleDto; onSaved: (r: AutomationRuleDto) => void }) {
  const form = useForm<RuleValues>({
    initialValues: {
      name: rule?.name ?? '',
      trigger: rule?.trigger ?? { type: 'lead.created' },
      useConditions: !!rule?.conditions,
      conditions: (rule?.conditions as RuleGroup | null) ?? emptyGroup(),
      actions: rule?.actions ?? [{ type: 'add_tag', tag: '' }],
    },
  });
  const { name, trigger, useConditions, conditions, actions } = form.values;
  const setName = (value: string) => form.setFieldValue('name', value);
  const setTrigger = (value: AutomationTriggerDto) => form.setFieldValue('trigger', value);
  const setUseConditions = (value: boolean) => form.setFieldValue('useConditions', value);
  const setConditions = (value: RuleGroup) => form.setFieldValue('conditions', value);
  const setActions = (value: Action[]) => form.setFieldValue('actions', value);
  const campaigns = useQuery({
    queryKey: ['campaigns', 'options'],
    queryFn: () => api.listCampaigns({ limit: 100, sortBy: 'name', order: 'asc' }),
    staleTime: 60_000,
  });
  const save = useMutation({
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: () => {
      const body: CreateAutomationRuleDto = {
        name,
        trigger,
        conditions: useConditions ? conditions : null,
        actions,
      };
      return rule ? api.updateAutomationRule(rule.id, body) : api.createAutomationRule(body);
    },
    onSuccess: onSaved,
  });
  const submit = form.onSubmit(() => save.mutate());
  const setAction = (index: number, action: Action) => setActions(actions.map((a, i) => (i === index ? action : a)));
  const statusChoice = (key: 'from' | 'to') => (
    <SelectField
      label={key === 'from' ? i18n.t('automation.fromStatusLabel') : i18n.t('automation.toStatusLabel')}
      name={`trigger.${key}`}
      options={STATUS_OPTIONS}
      placeholder={i18n.t('automation.any')}
      value={trigger[key] ?? ''}
      error={save.error}
      onChange={(e) => setTrigger({ ...trigger, [key]: e.target.value || undefined })}
    />
  );
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="automation-form">
      <h2>{rule ? i18n.t('automation.editTitle') : i18n.t('automation.new')}</h2>
      <FormError error={save.error} testId="automation-form-error" />
      {save.isSuccess && (
        <Notice testId="automation-saved">{i18n.t('automation.saved', { name: save.data.name })}</Notice>
      )}
      <Field
        label={i18n.t('automation.name')}
        name="name"
        required
        data-testid="automation-name"
        value={name}
        error={save.error}
        onChange={(e) => setName(e.target.value)}
      />
      <h3>{i18n.t('automation.when')}</h3>
      <div className="row">
        <SelectField
          label={i18n.t('automation.trigger')}
          name="trigger.type"
          data-testid="automation-trigger"
          options={triggerOptions}
          value={trigger.type}
          error={save.error}
          onChange={(e) => setTrigger({ type: e.target.value as TriggerType })}
        />
        {trigger.type === 'lead.status_changed' && (
          <>
            {statusChoice('from')}
            {statusChoice('to')}
          </>
        )}
        {trigger.type === 'lead.tag_added' && (
          <Field
            label={i18n.t('automation.tag')}
            name="trigger.tag"
            value={trigger.tag ?? ''}
            error={save.error}
            onChange={(e) => setTrigger({ ...trigger, tag: e.target.value || undefined })}
          />
        )}
        {trigger.type === 'schedule' && (
          <Field
            label={i18n.t('automation.cron')}
            name="trigger.cron"
            placeholder="0 9 * * 1"
            data-testid="automation-cron"
            value={trigger.cron ?? ''}
            error={save.error}
            onChange={(e) => setTrigger({ ...trigger, cron: e.target.value })}
            hint={i18n.t('automation.cronHint')}
          />
        )}
      </div>
      <label className="check">
        <input type="checkbox" checked={useConditions} onChange={(e) => setUseConditions(e.target.checked)} />
        {i18n.t('automation.onlyMatching')}
      </label>
      {useConditions && (
        <RuleGroupEditor group={conditions} onChange={setConditions} error={save.error} path="conditions" />
      )}
      <h3>{i18n.t('automation.do')}</h3>
      {actions.map((action, index) => (
        <ActionEditor
          key={index}
          action={action}
          index={index}
          error={save.error}
          campaigns={(campaigns.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          onChange={(a) => setAction(index, a)}
          onRemove={actions.length > 1 ? () => setActions(actions.filter((_, i) => i !== index)) : undefined}
        />
      ))}
      <FieldMessage name="actions" error={save.error} />
      <p>
        <button
          type="button"
          onClick={() => setActions([...actions, { type: 'add_tag', tag: '' }])}
          data-testid="automation-add-action"
        >
          {i18n.t('automation.addAction')}
        </button>
      </p>
      <button className="primary" type="submit" disabled={save.isPending} data-testid="automation-submit">
        {save.isPending ? i18n.t('automation.saving') : rule ? i18n.t('automation.save') : i18n.t('automation.create')}
      </button>
    </form>
  );
}

function ActionEditor({
  action,
  index,
  error,
  campaigns,
  onChange,
  onRemove,
}: {
  action: Action;
  index: number;
  error: unknown;
  campaigns: Option[];
  onChange: (a: Action) => void;
  onRemove?: () => void;
}) {
  const name = (key: string) => `actions.${index}.${key}`;
  const text = (key: 'tag' | 'url' | 'subject' | 'message', label: string) => (
    <Field
      label={label}
      name={name(key)}
      data-testid={`automation-action-${key}`}
      value={action[key] ?? ''}
      error={error}
      onChange={(e) => onChange({ ...action, [key]: e.target.value })}
    />
  );
  return (
    <div className="action-editor" data-testid="automation-action">
      <div className="row">
        <SelectField
          label={i18n.t('automation.actionN', { n: index + 1 })}
          name={name('type')}
          data-testid="automation-action-type"
          options={actionOptions}
          value={action.type}
          error={error}
          onChange={(e) => onChange({ type: e.target.value as ActionType })}
        />
        {(action.type === 'add_tag' || action.type === 'remove_tag') && text('tag', i18n.t('automation.tag'))}
        {action.type === 'change_status' && (
          <SelectField
            label={i18n.t('automation.status')}
            name={name('status')}
            options={STATUS_OPTIONS}
            placeholder={i18n.t('automation.choose')}
            value={action.status ?? ''}
            error={error}
            onChange={(e) => onChange({ ...action, status: (e.target.value || undefined) as Action['status'] })}
          />
        )}
        {action.type === 'set_score' && (
          <Field
            label={i18n.t('automation.score')}
            name={name('score')}
            type="number"
            value={action.score?.toString() ?? ''}
            error={error}
            onChange={(e) => onChange({ ...action, score: e.target.value === '' ? undefined : Number(e.target.value) })}
          />
        )}
        {action.type === 'enroll_in_campaign' && (
          <SelectField
            label={i18n.t('automation.campaign')}
            name={name('campaignId')}
            options={campaigns}
            placeholder={i18n.t('automation.choose')}
            value={action.campaignId ?? ''}
            error={error}
            onChange={(e) => onChange({ ...action, campaignId: e.target.value || undefined })}
          />
        )}
        {action.type === 'call_webhook' && text('url', i18n.t('automation.url'))}
        {action.type === 'notify' && (
          <SelectField
            label={i18n.t('automation.channel')}
            name={name('channel')}
            options={[
              { value: 'email', label: i18n.t('automation.emailMembers') },
              { value: 'audit', label: i18n.t('automation.auditLog') },
            ]}
            placeholder={i18n.t('automation.choose')}
            value={action.channel ?? ''}
            error={error}
            onChange={(e) => onChange({ ...action, channel: (e.target.value || undefined) as Action['channel'] })}
          />
        )}
      </div>
      {action.type === 'notify' && (
        <div className="row">
          {action.channel === 'email' && text('subject', i18n.t('automation.subject'))}
          {text(
            'message',
            i18n.t('automation.message', {
              placeholders: '{{lead.name}}, {{lead.email}}, {{lead.status}}, {{rule.name}}',
              interpolation: { skipOnVariables: true },
            }),
          )}
        </div>
      )}
      {onRemove && (
        <button type="button" className="link" onClick={onRemove}>
          {i18n.t('automation.removeAction')}
        </button>
      )}
    </div>
  );
}
