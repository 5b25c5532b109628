import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { CreateWebhookEndpointDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { Field, FieldMessage, FormError, useFormMutation } from '../../components';
import { valuesOf } from '../../enums';
import { eventKey } from '../../i18n/domain';
import { OnceSecret } from './once-secret';

type EventChoice = CreateWebhookEndpointDto['events'][number];
const EVENTS = valuesOf<EventChoice>()(
  '*',
  'lead.created',
  'lead.updated',
  'lead.status_changed',
  'lead.tag_added',
  'lead.deleted',
  'campaign.status_changed',
  'import.completed',
  'webhook.received',
  'job.completed',
  'job.failed',
  'ai.quota_reached',
  'automation.run_failed',
);

/** Adds an outgoing endpoint; its signing secret shows once after. */
export function EndpointForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const form = useForm({ initialValues: { url: '', description: '', events: ['lead.created'] as EventChoice[] } });
  const create = useFormMutation(form, {
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: ({ url, events, description }: typeof form.values) =>
      api.createWebhookEndpoint({ url, events, description: description.trim() || null }),
    onSuccess: () => {
      form.reset();
      onCreated();
    },
  });
  const events = form.values.events;
  const toggle = (event: EventChoice) =>
    form.setFieldValue('events', events.includes(event) ? events.filter((e) => e !== event) : [...events, event]);
  return (
    <>
      {create.isSuccess && (
        <OnceSecret secret={create.data.secret} label={t('webhooks.signingSecret')} testId="webhook-secret" />
      )}
      <form
        className="card"
        onSubmit={form.onSubmit((values) => create.mutate(values))}
        noValidate
        data-testid="webhook-form"
      >
        <h2>{t('webhooks.addTitle')}</h2>
        <FormError error={create.error} testId="webhook-form-error" />
        <div className="row">
          <Field
            label={t('webhooks.url')}
            required
            type="url"
            placeholder="https://hooks.example.com/crescendo"
            {...form.getInputProps('url')}
            name="url"
            data-testid="webhook-url"
          />
          <Field label={t('webhooks.description')} {...form.getInputProps('description')} name="description" />
        </div>
        <fieldset className="scopes">
          <legend>
            {t('webhooks.events')}
            <abbr className="required-mark" title={t('common.required')}>
              *
            </abbr>
          </legend>
          <div className="tags">
            {EVENTS.map((event) => (
              <label key={event} className="check">
                <input
                  type="checkbox"
                  checked={events.includes(event)}
                  onChange={() => toggle(event)}
                  data-testid={`webhook-event-${event}`}
                />
                {event === '*' ? t('webhooks.everyEvent') : t(eventKey(event))}
              </label>
            ))}
          </div>
          <FieldMessage name="events" error={form.errors.events} />
        </fieldset>
        <button className="primary" type="submit" disabled={create.isPending} data-testid="webhook-submit">
          {create.isPending ? t('webhooks.adding') : t('webhooks.add')}
        </button>
      </form>
    </>
  );
}
