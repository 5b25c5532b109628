import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AgentResponseDto, CreateAgentDto } from '@crescendo/api-client';
import { aiApi } from '../../api/ai-endpoints';
import { EditorForm, Field, FieldMessage, SelectField, TextAreaField } from '../../components';
import { eventKey } from '../../i18n/domain';
import { AGENT_EVENTS, AGENT_TOOLS, AGENT_TYPES, AGENTS_KEY } from './agents';

type Trigger = CreateAgentDto['trigger'];
interface Values {
  name: string;
  type: CreateAgentDto['type'];
  provider: string;
  model: string;
  systemPrompt: string;
  tools: string[];
  trigger: { type: Trigger['type']; schedule: string; eventType: string };
  limits: { runsPerDay: number | string; tokensPerRun: number | string };
}

const valuesOf = (agent: AgentResponseDto | null): Values => ({
  name: agent?.name ?? '',
  type: agent?.type ?? 'lead_qualifier',
  provider: agent?.provider ?? '',
  model: agent?.model ?? '',
  systemPrompt: agent?.systemPrompt ?? '',
  tools: agent?.tools ?? ['read_leads'],
  trigger: {
    type: agent?.trigger.type ?? 'manual',
    schedule: agent?.trigger.schedule ?? '0 * * * *',
    eventType: agent?.trigger.eventType ?? 'lead.created',
  },
  limits: { runsPerDay: agent?.limits.runsPerDay ?? 24, tokensPerRun: agent?.limits.tokensPerRun ?? 4000 },
});

function bodyOf(v: Values): CreateAgentDto {
  return {
    name: v.name.trim(),
    type: v.type,
    ...(v.provider ? { provider: v.provider } : {}),
    ...(v.model ? { model: v.model } : {}),
    ...(v.systemPrompt.trim() ? { systemPrompt: v.systemPrompt } : {}),
    tools: v.tools as CreateAgentDto['tools'],
    trigger:
      v.trigger.type === 'schedule'
        ? { type: 'schedule', schedule: v.trigger.schedule }
        : v.trigger.type === 'event'
          ? { type: 'event', eventType: v.trigger.eventType as (typeof AGENT_EVENTS)[number] }
          : { type: 'manual' },
    limits: { runsPerDay: Number(v.limits.runsPerDay), tokensPerRun: Number(v.limits.tokensPerRun) },
  };
}

/** Creates or edits an agent; the API validates (its messages land on the fields). */
export function AgentForm({ agent, onDone }: { agent: AgentResponseDto | null; onDone: () => void }) {
  const { t } = useTranslation();
  const providers = useQuery({ queryKey: ['ai', 'providers'], queryFn: aiApi.listProviders, staleTime: 60_000 });
  const form = useForm<Values>({ initialValues: valuesOf(agent) });
  const { values } = form;
  const models = providers.data?.find((p) => p.name === values.provider)?.models ?? [];
  const save = () => {
    const body = bodyOf(form.getValues());
    return agent ? aiApi.updateAgent(agent.id, body) : aiApi.createAgent(body);
  };
  return (
    <EditorForm
      title={agent ? t('agents.editTitle', { name: agent.name }) : t('agents.new')}
      testId="agent"
      listKey={AGENTS_KEY}
      save={save}
      form={form}
      onDone={onDone}
      submitLabel={agent ? t('common.save') : t('agents.create')}
    >
      {(err) => (
        <>
          <div className="row">
            <Field
              label={t('agents.name')}
              required
              {...form.getInputProps('name')}
              name="name"
              data-testid="agent-name"
            />
            <SelectField
              label={t('agents.type')}
              {...form.getInputProps('type')}
              name="type"
              options={AGENT_TYPES.map((type) => ({ value: type, label: t(`agents.types.${type}`) }))}
              data-testid="agent-type"
            />
            <SelectField
              label={t('agents.provider')}
              {...form.getInputProps('provider')}
              name="provider"
              placeholder={t('agents.providerDefault')}
              options={(providers.data ?? []).map((p) => ({ value: p.name, label: p.name }))}
              onChange={(e) => form.setValues({ provider: e.target.value, model: '' })}
            />
            <SelectField
              label={t('agents.model')}
              {...form.getInputProps('model')}
              name="model"
              placeholder={t('agents.modelDefault')}
              options={models.map((m) => ({ value: m, label: m }))}
            />
          </div>
          <TextAreaField label={t('agents.prompt')} {...form.getInputProps('systemPrompt')} name="systemPrompt" />
          <fieldset>
            <legend>{t('agents.tools')}</legend>
            {AGENT_TOOLS.map((tool) => (
              <label className="check" key={tool}>
                <input
                  type="checkbox"
                  checked={values.tools.includes(tool)}
                  onChange={() =>
                    form.setFieldValue(
                      'tools',
                      values.tools.includes(tool) ? values.tools.filter((x) => x !== tool) : [...values.tools, tool],
                    )
                  }
                />
                {t(`agents.toolNames.${tool}`)}
              </label>
            ))}
            <FieldMessage name="tools" error={form.errors.tools ?? err} />
          </fieldset>
          <div className="row">
            <SelectField
              label={t('agents.trigger')}
              {...form.getInputProps('trigger.type')}
              name="trigger.type"
              options={[
                { value: 'manual', label: t('agents.manual') },
                { value: 'schedule', label: t('agents.schedule') },
                { value: 'event', label: t('agents.event') },
              ]}
            />
            {values.trigger.type === 'schedule' && (
              <Field
                label={t('agents.cron')}
                hint={t('agents.cronHint')}
                {...form.getInputProps('trigger.schedule')}
                name="trigger.schedule"
              />
            )}
            {values.trigger.type === 'event' && (
              <SelectField
                label={t('agents.event')}
                {...form.getInputProps('trigger.eventType')}
                name="trigger.eventType"
                options={AGENT_EVENTS.map((e) => ({ value: e, label: t(eventKey(e)) }))}
              />
            )}
            <Field
              label={t('agents.runsPerDay')}
              type="number"
              {...form.getInputProps('limits.runsPerDay')}
              name="limits.runsPerDay"
            />
            <Field
              label={t('agents.tokensPerRun')}
              type="number"
              {...form.getInputProps('limits.tokensPerRun')}
              name="limits.tokensPerRun"
            />
          </div>
        </>
      )}
    </EditorForm>
  );
}
