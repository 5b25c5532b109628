import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { LeadDetailResponseDto, UpdateLeadDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { LeadPrivacy } from '../privacy/lead-privacy';
import { MemberSelect } from '../team/member-select';
import { useAuth } from '../../auth';
import { Empty, FieldMessage, FormError, Notice, QueryView, TextAreaField, formatDate } from '../../components';
import {
  LeadFields,
  StatusTag,
  eventLabel,
  formToUpdate,
  leadKey,
  leadToForm,
  leadsKey,
  useNicheOptions,
} from '../../crm';

export function LeadDetailPage() {
  useTranslation(); // re-renders the page when the language changes
  const { id = '' } = useParams();
  const lead = useQuery({ queryKey: leadKey(id), queryFn: () => api.getLead(id) });
  return (
    <section>
      <p>
        <Link to="/leads">{i18n.t('leadDetail.back')}</Link>
      </p>
      <QueryView query={lead}>
        {(data) => (
          <>
            <header className="page-header">
              <h1 data-testid="lead-title">
                {data.name} <StatusTag status={data.status} />
              </h1>
              <p className="muted">
                {i18n.t('leadDetail.created', {
                  created: formatDate(data.createdAt),
                  contact: formatDate(data.lastContactedAt, i18n.t('leadDetail.never')),
                })}
              </p>
            </header>
            <div className="columns">
              <LeadEditor lead={data} />
              <Timeline lead={data} />
            </div>
            <LeadPrivacy email={data.email ?? null} />
          </>
        )}
      </QueryView>
    </section>
  );
}

interface CustomRow {
  key: string;
  value: string;
}

const toRows = (fields: Record<string, unknown>): CustomRow[] =>
  Object.entries(fields).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));

/** A typed-looking value keeps its type: 5000 stays a number, true a boolean, {…} an object. */
const parseValue = (value: string): unknown => {
  const trimmed = value.trim();
  if (/^(-?\d+(\.\d+)?|true|false|null|\{.*\}|\[.*\])$/s.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
};

const fromRows = (rows: CustomRow[]): Record<string, unknown> =>
  Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), parseValue(r.value)]));

function LeadEditor({ lead }: { lead: LeadDetailResponseDto }) {
  const { can } = useAuth();
  const write = can('leads:write');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const niches = useNicheOptions();
  // the lead's fields, its notes, owner and custom fields, as the form shows them
  const toValues = (l: LeadDetailResponseDto) => ({
    ...leadToForm(l),
    notes: l.notes ?? '',
    ownerId: l.ownerId ?? '',
    custom: toRows(l.customFields),
  });
  const form = useForm({ initialValues: toValues(lead) });
  const { notes, ownerId, custom } = form.values;
  const setCustom = (rows: CustomRow[]) => form.setFieldValue('custom', rows);

  const body = (): UpdateLeadDto => {
    const changes = formToUpdate(form.values, lead);
    if ((notes.trim() || null) !== lead.notes) changes.notes = notes.trim() || null;
    if ((ownerId || null) !== lead.ownerId) changes.ownerId = ownerId || null;
    const fields = fromRows(custom);
    if (JSON.stringify(fields) !== JSON.stringify(lead.customFields)) changes.customFields = fields;
    return changes;
  };
  const save = useMutation({
    meta: { toast: false },
    mutationFn: () => api.updateLead(lead.id, body()),
    onSuccess: (saved) => {
      // the form shows what the API stored (tags lower-cased, trimmed text)
      form.setValues(toValues(saved));
      queryClient.setQueryData(leadKey(lead.id), saved);
      void queryClient.invalidateQueries({ queryKey: leadsKey });
      notifications.show({ color: 'green', message: i18n.t('leadDetail.toastSaved', { name: saved.name }) });
    },
    onError: () => notifications.show({ color: 'red', message: i18n.t('toast.saveFailed') }),
  });
  const remove = useMutation({
    meta: { toast: false },
    mutationFn: () => api.deleteLead(lead.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: leadsKey });
      queryClient.removeQueries({ queryKey: leadKey(lead.id) });
      navigate('/leads', { state: { deleted: { id: lead.id, name: lead.name } } });
    },
  });
  const setRow = (index: number, row: CustomRow) => setCustom(custom.map((r, i) => (i === index ? row : r)));

  return (
    <form className="card" onSubmit={form.onSubmit(() => save.mutate())} noValidate data-testid="lead-edit-form">
      <h2>{i18n.t('leadDetail.details')}</h2>
      <FormError error={save.error ?? remove.error} testId="lead-edit-error" />
      {save.isSuccess && <Notice testId="lead-saved">{i18n.t('leadDetail.saved')}</Notice>}
      <fieldset disabled={!write} className="plain">
        <LeadFields
          form={form.values}
          onChange={form.setValues}
          error={save.error}
          niches={niches.options}
          prefix="edit"
        />
        {/* the owner is picked among the members, for those who may list them */}
        {can('users:read') && (
          <MemberSelect
            label={i18n.t('leadDetail.owner')}
            name="ownerId"
            testId="edit-owner"
            placeholder={i18n.t('leadDetail.nobody')}
            value={ownerId}
            error={save.error}
            onChange={(id) => form.setFieldValue('ownerId', id)}
          />
        )}
        <TextAreaField
          label={i18n.t('leadDetail.notes')}
          name="notes"
          data-testid="edit-notes"
          value={notes}
          error={save.error}
          onChange={(e) => form.setFieldValue('notes', e.target.value)}
        />
        <div className="field">
          <span>{i18n.t('leadDetail.customFields')}</span>
          {custom.length === 0 && <small className="muted">{i18n.t('leadTools.noCustomFields')}</small>}
          {custom.map((row, index) => (
            <div className="custom-row" key={index} data-testid="custom-field">
              <input
                aria-label={i18n.t('leadDetail.fieldName')}
                placeholder={i18n.t('leadTools.customName')}
                value={row.key}
                data-testid="custom-key"
                onChange={(e) => setRow(index, { ...row, key: e.target.value })}
              />
              <input
                aria-label={i18n.t('leadDetail.fieldValue')}
                placeholder={i18n.t('leadTools.customValue')}
                value={row.value}
                data-testid="custom-value"
                onChange={(e) => setRow(index, { ...row, value: e.target.value })}
              />
              <button
                type="button"
                aria-label={i18n.t('leadDetail.remove', { name: row.key })}
                onClick={() => setCustom(custom.filter((_, i) => i !== index))}
              >
                ×
              </button>
            </div>
          ))}
          <FieldMessage name="customFields" error={save.error} />
          <div>
            <button
              type="button"
              onClick={() => setCustom([...custom, { key: '', value: '' }])}
              data-testid="custom-add"
            >
              {i18n.t('leadDetail.addField')}
            </button>
          </div>
        </div>
      </fieldset>
      {write && (
        <div className="form-actions">
          <button className="primary" type="submit" disabled={save.isPending} data-testid="lead-save">
            {save.isPending ? i18n.t('leadDetail.saving') : i18n.t('leadDetail.save')}
          </button>
          <button
            type="button"
            className="danger-outline"
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
            data-testid="lead-detail-delete"
          >
            {i18n.t('leadDetail.delete')}
          </button>
        </div>
      )}
    </form>
  );
}

function Timeline({ lead }: { lead: LeadDetailResponseDto }) {
  return (
    <div className="card">
      <h2>{i18n.t('leadDetail.timeline')}</h2>
      {lead.timeline.length === 0 ? (
        <Empty>{i18n.t('leadDetail.nothing')}</Empty>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {lead.timeline.map((event) => (
            <li key={event.id} data-testid="timeline-event" data-type={event.type}>
              <span className={`dot event-${event.type}`} aria-hidden />
              <div>
                <div>{eventLabel(event)}</div>
                <small className="muted">{formatDate(event.createdAt)}</small>
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
