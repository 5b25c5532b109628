import { useQuery } from '@tanstack/react-query';
import type { CreateLeadDto, LeadEventResponseDto, LeadResponseDto, UpdateLeadDto } from '@crescendo/api-client';
import { api, type LeadStatus } from './api/endpoints';
import { valuesOf } from './enums';
import { Field, SelectField, TagInput, formatDate, humanize, type Option } from './components';
import { compareText, i18n } from './i18n';

/** Shared pieces of the CRM pages: lead statuses, niche options, the lead form fields, timeline labels. */

export const LEAD_STATUSES = valuesOf<LeadStatus>()('new', 'contacted', 'qualified', 'converted', 'lost');
/** Labels read at render time, in the UI's language. */
export const STATUS_OPTIONS: Option[] = LEAD_STATUSES.map((s) => ({
  value: s,
  get label() {
    return i18n.t(`lead.status_${s}`);
  },
}));
export const statusLabel = (status: string) =>
  i18n.exists(`lead.status_${status}`) ? i18n.t(`lead.status_${status}`) : humanize(status);

export const leadsKey = ['leads'] as const;
export const leadKey = (id: string) => ['lead', id] as const;
export const nichesKey = ['niches'] as const;

export function StatusTag({ status }: { status: string }) {
  return (
    <span className={`tag lead-${status}`} data-testid="status-tag">
      {statusLabel(status)}
    </span>
  );
}

/** The workspace's niches as select options (the first 100 by name), and a lookup of their names. */
export function useNicheOptions() {
  const niches = useQuery({
    queryKey: [...nichesKey, 'options'],
    queryFn: () => api.listNiches({ limit: 100, sortBy: 'name', order: 'asc' }),
    staleTime: 60_000,
  });
  // the API orders names byte by byte: accented names are sorted again as people read them
  const options: Option[] = (niches.data?.data ?? [])
    .map((n) => ({ value: n.id, label: n.name }))
    .sort((a, b) => compareText(a.label, b.label));
  const nameOf = (id: string | null) => (id ? (options.find((o) => o.value === id)?.label ?? '—') : '—');
  return { options, nameOf, query: niches };
}

/** The editable fields of a lead, as the form holds them (text inputs). */
export interface LeadForm {
  name: string;
  email: string;
  phone: string;
  company: string;
  jobTitle: string;
  source: string;
  status: LeadStatus;
  nicheId: string;
  score: string;
  tags: string[];
}

export const emptyLeadForm: LeadForm = {
  name: '',
  email: '',
  phone: '',
  company: '',
  jobTitle: '',
  source: '',
  status: 'new',
  nicheId: '',
  score: '',
  tags: [],
};

export function leadToForm(lead: LeadResponseDto): LeadForm {
  return {
    name: lead.name,
    email: lead.email ?? '',
    phone: lead.phone ?? '',
    company: lead.company ?? '',
    jobTitle: lead.jobTitle ?? '',
    source: lead.source ?? '',
    status: lead.status,
    nicheId: lead.nicheId ?? '',
    score: String(lead.score),
    tags: lead.tags,
  };
}

const TEXT_FIELDS = ['email', 'phone', 'company', 'jobTitle', 'source', 'nicheId'] as const;

/** A create body: empty text fields are left out, the API's defaults apply. */
export function formToCreate(form: LeadForm): CreateLeadDto {
  const body: CreateLeadDto = { name: form.name, status: form.status, tags: form.tags };
  for (const key of TEXT_FIELDS) if (form[key].trim()) body[key] = form[key].trim();
  if (form.score.trim()) body.score = Number(form.score);
  return body;
}

/** An update body with only what changed; a cleared text field is sent as null. */
export function formToUpdate(form: LeadForm, lead: LeadResponseDto): UpdateLeadDto {
  const body: UpdateLeadDto = {};
  if (form.name !== lead.name) body.name = form.name;
  for (const key of TEXT_FIELDS) {
    const value = form[key].trim() || null;
    if (value !== (lead[key] ?? null)) body[key] = value;
  }
  if (form.status !== lead.status) body.status = form.status;
  if (form.score !== String(lead.score)) body.score = form.score.trim() === '' ? 0 : Number(form.score);
  if (form.tags.join('\n') !== lead.tags.join('\n')) body.tags = form.tags;
  return body;
}

/** The fields a lead form shows, with the API's message under each. */
export function LeadFields({
  form,
  onChange,
  error,
  niches,
  prefix,
}: {
  form: LeadForm;
  onChange: (form: LeadForm) => void;
  error: unknown;
  niches: Option[];
  /** Test id prefix: `lead` gives `lead-name`, `lead-email`, … */
  prefix: string;
}) {
  const text = (key: keyof LeadForm, label: string, type = 'text') => (
    <Field
      label={label}
      name={key}
      type={type}
      required={key === 'name'}
      data-testid={`${prefix}-${key}`}
      value={form[key] as string}
      error={error}
      onChange={(e) => onChange({ ...form, [key]: e.target.value })}
    />
  );
  return (
    <>
      <div className="grid">
        {text('name', i18n.t('lead.name'))}
        {text('email', i18n.t('lead.email'), 'email')}
        {text('phone', i18n.t('lead.phone'), 'tel')}
        {text('company', i18n.t('lead.company'))}
        {text('jobTitle', i18n.t('lead.jobTitle'))}
        {text('source', i18n.t('lead.source'))}
        <SelectField
          label={i18n.t('lead.status')}
          name="status"
          data-testid={`${prefix}-status`}
          options={STATUS_OPTIONS}
          value={form.status}
          error={error}
          onChange={(e) => onChange({ ...form, status: e.target.value as LeadStatus })}
        />
        <SelectField
          label={i18n.t('lead.niche')}
          name="nicheId"
          data-testid={`${prefix}-niche`}
          options={niches}
          placeholder={i18n.t('lead.noNiche')}
          value={form.nicheId}
          error={error}
          onChange={(e) => onChange({ ...form, nicheId: e.target.value })}
        />
        {text('score', i18n.t('lead.score'), 'number')}
      </div>
      <TagInput
        label={i18n.t('lead.tags')}
        name="tags"
        value={form.tags}
        error={error}
        onChange={(tags) => onChange({ ...form, tags })}
      />
    </>
  );
}

/** A changed value in words: lists joined, ISO dates as local dates, nothing as ∅. */
const show = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '∅';
  if (Array.isArray(value)) return value.length ? value.map(show).join(', ') : '∅';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDate(value);
  return String(value);
};

/** A timeline entry in words: "Status changed from New to Contacted", "Changed score: 10 → 40". */
export function eventLabel(event: LeadEventResponseDto): string {
  const data = event.data;
  const t = i18n.t.bind(i18n);
  switch (event.type) {
    case 'created':
      return typeof data.status === 'string'
        ? t('domain.timeline.createdAs', { status: statusLabel(data.status) })
        : t('domain.timeline.created');
    case 'status_changed':
      return t('domain.timeline.statusChanged', {
        from: statusLabel(String(data.from)),
        to: statusLabel(String(data.to)),
      });
    case 'updated': {
      const changes = (data.changes ?? {}) as Record<string, { from?: unknown; to?: unknown }>;
      const parts = Object.entries(changes).map(
        ([field, change]) => `${fieldLabel(field)} ${show(change?.from)} → ${show(change?.to)}`,
      );
      return parts.length ? t('domain.timeline.changed', { changes: parts.join('; ') }) : t('domain.timeline.updated');
    }
    case 'deleted':
      return t('domain.timeline.deleted');
    case 'restored':
      return t('domain.timeline.restored');
    case 'automation':
      return t('domain.automation', { action: humanize(String(data.action ?? '')) });
    default:
      return humanize(String(event.type));
  }
}

/** A lead field's label in the UI's language, when the lead form has one. */
function fieldLabel(field: string): string {
  const key = `lead.${field}`;
  return i18n.exists(key) ? i18n.t(key).toLowerCase() : humanize(field).toLowerCase();
}
