import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CreateEarningDto, SubscriberDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { Field, FormError, Notice, SelectField, formatMoney, toMinor } from '../../components';
import { i18n } from '../../i18n';
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
  const [form, setForm] = useState(blank);
  const subscribers = useQuery({
    queryKey: ['subscribers', 'options'],
    queryFn: () => api.listSubscribers({ pageSize: 100, sortBy: 'subscribedSince', order: 'desc' }),
    enabled: !subscriber,
    staleTime: 60_000,
  });
  const record = useMutation({
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: () => {
      const minor = toMinor(form.amount, form.currency);
      const body: CreateEarningDto = {
        type: form.type,
        amount: form.type === 'refund' ? -Math.abs(minor) : minor,
        currency: form.currency.trim() || undefined,
        subscriberId: form.subscriberId || undefined,
        occurredAt: form.occurredAt ? new Date(form.occurredAt).toISOString() : undefined,
        description: form.description.trim() || undefined,
        externalId: form.externalId.trim() || undefined,
      };
      return api.recordEarning(body);
    },
    onSuccess: () => {
      setForm(blank);
      onSaved();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="earning-form">
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
          value={form.type}
          error={record.error}
          onChange={set('type')}
        />
        <Field
          label={i18n.t('earnings.amount')}
          name="amount"
          data-testid="earning-amount"
          placeholder="9.99"
          value={form.amount}
          error={record.error}
          onChange={set('amount')}
          hint={form.type === 'refund' ? i18n.t('earnings.negative') : undefined}
        />
        <Field
          label={i18n.t('earnings.currency')}
          name="currency"
          data-testid="earning-currency"
          value={form.currency}
          error={record.error}
          onChange={set('currency')}
        />
        {!subscriber && (
          <SelectField
            label={i18n.t('earnings.subscriber')}
            name="subscriberId"
            data-testid="earning-subscriber"
            options={(subscribers.data?.data ?? []).map((s) => ({ value: s.id, label: `@${s.handle}` }))}
            placeholder={i18n.t('earnings.none')}
            value={form.subscriberId}
            error={record.error}
            onChange={set('subscriberId')}
          />
        )}
        <Field
          label={i18n.t('earnings.when')}
          name="occurredAt"
          type="datetime-local"
          value={form.occurredAt}
          error={record.error}
          onChange={set('occurredAt')}
          hint={i18n.t('earnings.now')}
        />
        <Field
          label={i18n.t('earnings.description')}
          name="description"
          value={form.description}
          error={record.error}
          onChange={set('description')}
        />
        <Field
          label={i18n.t('earnings.externalId')}
          name="externalId"
          value={form.externalId}
          error={record.error}
          onChange={set('externalId')}
          hint={i18n.t('earnings.externalHint')}
        />
      </div>
      <button className="primary" type="submit" disabled={record.isPending} data-testid="earning-submit">
        {record.isPending ? i18n.t('earnings.recording') : i18n.t('earnings.record')}
      </button>
    </form>
  );
}
