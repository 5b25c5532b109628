import { useQuery } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import type { CreateEarningDto, SubscriberDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { Field, formatMoney, FormError, Notice, SelectField, toMinor, useFormMutation } from '../../components';
import { i18n } from '../../i18n';
import { DateTimeField } from '../../ui/date-field';
import { TYPE_OPTIONS, type EarningType } from './earning-types';

/** Records an earning; a refund's amount is entered positive and sent negative, as the API wants. */
export function RecordEarningForm({ subscriber, onSaved }: { subscriber?: SubscriberDto; onSaved: () => void }) {
  const blank = {
    type: 'subscription' as EarningType,
    amount: '',
    currency: subscriber?.currency ?? 'USD',
    subscriberId: subscriber?.id ?? '',
    occurredAt: '',
    description: '',
    externalId: '',
  };
  const form = useForm({ initialValues: blank });
  const subscribers = useQuery({
    queryKey: ['subscribers', 'options'],
    queryFn: () => api.listSubscribers({ pageSize: 100, sortBy: 'subscribedSince', order: 'desc' }),
    enabled: !subscriber,
    staleTime: 60_000,
  });
  const record = useFormMutation(form, {
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: (values: typeof blank) => {
      const minor = toMinor(values.amount, values.currency);
      const body: CreateEarningDto = {
        type: values.type,
        amount: values.type === 'refund' ? -Math.abs(minor) : minor,
        currency: values.currency.trim() || undefined,
        subscriberId: values.subscriberId || undefined,
        occurredAt: values.occurredAt || undefined,
        description: values.description.trim() || undefined,
        externalId: values.externalId.trim() || undefined,
      };
      return api.recordEarning(body);
    },
    onSuccess: () => {
      form.setValues(blank);
      onSaved();
    },
  });
  return (
    <form
      className="card"
      onSubmit={form.onSubmit((values) => record.mutate(values))}
      noValidate
      data-testid="earning-form"
    >
      <h2>{i18n.t('earnings.recordTitle')}</h2>
      <FormError error={record.error} testId="earning-form-error" />
      {record.isSuccess && (
        <Notice testId="earning-saved">
          {i18n.t('earnings.recorded', { amount: formatMoney(record.data.amount, record.data.currency) })}
        </Notice>
      )}
      <div className="grid">
        <SelectField
          label={i18n.t('earnings.type')}
          name="type"
          data-testid="earning-type"
          options={TYPE_OPTIONS}
          {...form.getInputProps('type')}
        />
        <Field
          label={i18n.t('earnings.amount')}
          name="amount"
          data-testid="earning-amount"
          placeholder="9.99"
          {...form.getInputProps('amount')}
          hint={form.values.type === 'refund' ? i18n.t('earnings.negative') : undefined}
        />
        <Field
          label={i18n.t('earnings.currency')}
          name="currency"
          data-testid="earning-currency"
          {...form.getInputProps('currency')}
        />
        {!subscriber && (
          <SelectField
            label={i18n.t('earnings.subscriber')}
            name="subscriberId"
            data-testid="earning-subscriber"
            options={(subscribers.data?.data ?? []).map((s) => ({ value: s.id, label: `@${s.handle}` }))}
            placeholder={i18n.t('earnings.none')}
            {...form.getInputProps('subscriberId')}
          />
        )}
        <DateTimeField
          label={i18n.t('earnings.when')}
          name="occurredAt"
          testId="earning-occurredAt"
          value={form.values.occurredAt}
          onChange={(value) => form.setFieldValue('occurredAt', value)}
          error={form.errors.occurredAt}
          hint={i18n.t('earnings.now')}
        />
        <Field label={i18n.t('earnings.description')} name="description" {...form.getInputProps('description')} />
        <Field
          label={i18n.t('earnings.externalId')}
          name="externalId"
          {...form.getInputProps('externalId')}
          hint={i18n.t('earnings.externalHint')}
        />
      </div>
      <button className="primary" type="submit" disabled={record.isPending} data-testid="earning-submit">
        {record.isPending ? i18n.t('earnings.recording') : i18n.t('earnings.record')}
      </button>
    </form>
  );
}
