import { usePageIntent } from '../../app/page-intent';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import { DateField } from '../../ui/date-field';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { notifications } from '@mantine/notifications';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import type { LeadResponseDto } from '@crescendo/api-client';
import { api, type LeadQuery, type LeadStatus } from '../../api/endpoints';
import { useAuth } from '../../auth';
import {
  DateCell,
  Field,
  FormError,
  Notice,
  PagedTable,
  SelectField,
  useCursor,
  useDebounced,
  type Column,
  type Sort,
} from '../../components';
import { ExportLeads } from './leads-export';
import { LeadsBulk } from './leads-bulk';
import { useSelection } from '../bulk/bulk';
import { ImportLeads } from './leads-import';
import {
  LeadFields,
  STATUS_OPTIONS,
  StatusTag,
  emptyLeadForm,
  formToCreate,
  leadKey,
  leadsKey,
  useNicheOptions,
} from '../../crm';

/** The filters the URL carries (so a reload, a shared link or an export keeps them). */
const FILTERS = [
  'status',
  'nicheId',
  'campaignId',
  'tag',
  'source',
  'scoreMin',
  'scoreMax',
  'createdFrom',
  'createdTo',
  'q',
] as const;
type FilterName = (typeof FILTERS)[number];

/** Local midnight of a yyyy-mm-dd day as ISO 8601, `days` later. */
const dayStart = (day: string, days = 0) => {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + days);
  return Number.isNaN(date.getTime()) ? day : date.toISOString();
};

/** The API query of the URL's filters: the created range's end day is included. */
export function leadQueryOf(params: URLSearchParams): LeadQuery {
  const query: LeadQuery = {};
  const text = (name: FilterName) => params.get(name)?.trim() || undefined;
  const status = text('status');
  if (status) query.status = status as LeadStatus;
  query.nicheId = text('nicheId');
  query.campaignId = text('campaignId');
  query.tag = text('tag');
  query.source = text('source');
  query.q = text('q');
  const min = text('scoreMin');
  const max = text('scoreMax');
  if (min) query.scoreMin = Number(min);
  if (max) query.scoreMax = Number(max);
  const from = text('createdFrom');
  const to = text('createdTo');
  if (from) query.createdFrom = dayStart(from);
  if (to) query.createdTo = dayStart(to, 1);
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as LeadQuery;
}

export function LeadsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const write = can('leads:write');
  const [params, setParams] = useSearchParams();
  const [panel, setPanel] = useState<'create' | 'import' | 'export' | null>(null);
  usePageIntent('create', () => setPanel('create'));
  usePageIntent('import', () => setPanel('import'));
  const location = useLocation();
  const navigate = useNavigate();
  const [deleted, setDeleted] = useState<Pick<LeadResponseDto, 'id' | 'name'> | null>(
    (location.state as { deleted?: Pick<LeadResponseDto, 'id' | 'name'> } | null)?.deleted ?? null,
  );

  const { cursor, setCursor } = useCursor(true);
  const sort: Sort = {
    sortBy: params.get('sortBy') ?? 'createdAt',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
  const query: LeadQuery = {
    ...leadQueryOf(params),
    cursor,
    limit: 20,
    sortBy: sort.sortBy as LeadQuery['sortBy'],
    order: sort.order,
  };
  const leads = useQuery({
    queryKey: [...leadsKey, query],
    queryFn: () => api.listLeads(query),
    placeholderData: keepPreviousData,
  });
  const niches = useNicheOptions();
  const selection = useSelection();
  const filterKey = JSON.stringify(leadQueryOf(params));
  // a selection belongs to the filters it was made under
  useEffect(() => selection.clear(), [filterKey, selection.clear]);

  /** Changes URL parameters (filters, sort): back to the first page. */
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete('page');
    next.delete('cursor');
    setParams(next, { replace: true });
  };

  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: leadsKey });
  const changeStatus = useMutation({
    meta: { toast: false },
    mutationFn: ({ id, status }: { id: string; status: LeadStatus }) => api.updateLead(id, { status }),
    onSuccess: (lead) => {
      queryClient.setQueryData(leadKey(lead.id), lead);
      notifications.show({ color: 'green', message: t('lead.statusSaved', { name: lead.name }) });
      refresh();
    },
    onError: () => notifications.show({ color: 'red', message: t('toast.saveFailed') }),
  });
  const remove = useMutation({
    meta: { toast: false },
    mutationFn: (lead: LeadResponseDto) => api.deleteLead(lead.id),
    onSuccess: (_, lead) => {
      setDeleted({ id: lead.id, name: lead.name });
      refresh();
    },
  });
  const restore = useMutation({
    meta: { toast: 'toast.restored' },
    mutationFn: (id: string) => api.restoreLead(id),
    onSuccess: () => {
      setDeleted(null);
      refresh();
    },
  });
  // the undo offer from the detail page is read once; a reload must not show it again
  useEffect(() => {
    if ((location.state as { deleted?: unknown } | null)?.deleted) {
      navigate({ pathname: location.pathname, search: location.search }, { replace: true, state: null });
    }
  }, [location, navigate]);

  const columns: Column<LeadResponseDto>[] = [
    {
      key: 'name',
      header: t('lead.colName'),
      sortBy: 'name',
      render: (lead) => (
        <>
          <Link to={`/leads/${lead.id}`} data-testid="lead-link">
            {lead.name}
          </Link>
          {lead.email && <div className="muted small">{lead.email}</div>}
        </>
      ),
    },
    { key: 'company', header: t('lead.colCompany'), render: (lead) => lead.company ?? '—' },
    {
      key: 'status',
      header: t('lead.colStatus'),
      render: (lead) =>
        write ? (
          <select
            aria-label={t('lead.statusOf', { name: lead.name })}
            className={`status-select lead-${lead.status}`}
            data-testid="lead-status-select"
            value={lead.status}
            disabled={changeStatus.isPending && changeStatus.variables?.id === lead.id}
            onChange={(e) => changeStatus.mutate({ id: lead.id, status: e.target.value as LeadStatus })}
          >
            {STATUS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        ) : (
          <StatusTag status={lead.status} />
        ),
    },
    { key: 'score', header: t('lead.colScore'), sortBy: 'score', className: 'num', render: (lead) => lead.score },
    { key: 'niche', header: t('lead.colNiche'), render: (lead) => niches.nameOf(lead.nicheId) },
    {
      key: 'tags',
      header: t('lead.colTags'),
      render: (lead) => (
        <div className="tags">
          {lead.tags.map((t) => (
            <span className="tag" key={t}>
              {t}
            </span>
          ))}
        </div>
      ),
    },
    { key: 'source', header: t('lead.colSource'), render: (lead) => lead.source ?? '—' },
    {
      key: 'createdAt',
      header: t('lead.colCreated'),
      sortBy: 'createdAt',
      render: (lead) => <DateCell value={lead.createdAt} />,
    },
  ];
  if (write) {
    columns.push({
      key: 'actions',
      header: '',
      className: 'actions',
      render: (lead) => (
        <button
          type="button"
          className="danger-outline"
          disabled={remove.isPending}
          onClick={() => remove.mutate(lead)}
          data-testid="lead-delete"
        >
          {t('lead.delete')}
        </button>
      ),
    });
  }

  return (
    <section>
      <header className="page-header split">
        <div>
          <h1>{t('lead.title')}</h1>
          <p className="muted">{t('lead.subtitle')}</p>
        </div>
        <div className="header-actions">
          <button
            type="button"
            onClick={() => setPanel(panel === 'export' ? null : 'export')}
            data-testid="lead-export-open"
          >
            {t('lead.export')}
          </button>
          {write && (
            <button
              type="button"
              onClick={() => setPanel(panel === 'import' ? null : 'import')}
              data-testid="lead-import-open"
            >
              {t('lead.import')}
            </button>
          )}
          {write && (
            <button
              type="button"
              className="primary"
              onClick={() => setPanel(panel === 'create' ? null : 'create')}
              data-testid="lead-new"
            >
              {panel === 'create' ? t('lead.close') : t('lead.new')}
            </button>
          )}
        </div>
      </header>
      {panel === 'create' && write && <CreateLeadForm niches={niches.options} onCreated={refresh} />}
      {panel === 'import' && write && <ImportLeads onClose={() => setPanel(null)} />}
      {panel === 'export' && (
        <ExportLeads
          query={{ ...leadQueryOf(params), sortBy: query.sortBy, order: query.order }}
          onClose={() => setPanel(null)}
        />
      )}
      {deleted && (
        <Notice testId="lead-deleted">
          {t('lead.deleted', { name: deleted.name })}{' '}
          <button
            type="button"
            className="link"
            disabled={restore.isPending}
            onClick={() => restore.mutate(deleted.id)}
            data-testid="lead-undo"
          >
            {t('lead.undo')}
          </button>
        </Notice>
      )}
      <FormError error={changeStatus.error ?? remove.error ?? restore.error} testId="lead-action-error" />
      <Filters params={params} update={update} niches={niches.options} error={leads.error} />
      {write && (
        <LeadsBulk
          selection={selection}
          query={{ ...leadQueryOf(params), sortBy: query.sortBy, order: query.order }}
          total={leads.data?.pagination.total ?? 0}
          pageSize={leads.data?.data.length ?? 0}
        />
      )}
      <div className="card">
        <PagedTable
          query={leads}
          selection={write ? selection : undefined}
          rowLabel={(lead) => lead.name}
          emptyTestId="leads-empty"
          empty={
            FILTERS.some((f) => params.get(f)) ? (
              t('lead.emptyFiltered')
            ) : (
              <>
                {t('lead.empty')}{' '}
                {write && (
                  <span className="empty-actions">
                    <button type="button" className="primary" onClick={() => setPanel('create')}>
                      {t('lead.new')}
                    </button>
                    <button type="button" onClick={() => setPanel('import')}>
                      {t('lead.import')}
                    </button>
                  </span>
                )}
              </>
            )
          }
          onCursor={setCursor}
          columns={columns}
          rowKey={(lead) => lead.id}
          sort={sort}
          onSort={(next) => update({ sortBy: next.sortBy, order: next.order })}
          testId="leads-table"
          rowTestId="lead-row"
        />
      </div>
    </section>
  );
}

/** The workspace's campaigns as filter options (for those who may read campaigns). */
function useCampaignOptions() {
  const { can } = useAuth();
  const campaigns = useQuery({
    queryKey: ['campaigns', 'options'],
    queryFn: () => api.listCampaigns({ limit: 100, sortBy: 'name', order: 'asc' }),
    enabled: can('campaigns:read'),
    staleTime: 60_000,
  });
  return (campaigns.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }));
}

function Filters({
  params,
  update,
  niches,
  error,
}: {
  params: URLSearchParams;
  update: (changes: Record<string, string | undefined>) => void;
  niches: { value: string; label: string }[];
  error: unknown;
}) {
  const { t } = useTranslation();
  const campaigns = useCampaignOptions();
  // The search box and the free-text filters apply after a pause in typing.
  const [text, setText] = useState(() => ({
    q: params.get('q') ?? '',
    tag: params.get('tag') ?? '',
    source: params.get('source') ?? '',
    scoreMin: params.get('scoreMin') ?? '',
    scoreMax: params.get('scoreMax') ?? '',
  }));
  const settled = useDebounced(text, 350);
  useEffect(() => {
    const changed = Object.entries(settled).filter(([key, value]) => (params.get(key) ?? '') !== value);
    if (changed.length) update(Object.fromEntries(changed));
    // only a settled change of the text writes the URL (not a change of the URL itself)
  }, [settled]);
  const input = (name: keyof typeof text, label: string, type = 'text', placeholder?: string) => (
    <Field
      label={label}
      name={name}
      type={type}
      placeholder={placeholder}
      data-testid={`filter-${name}`}
      value={text[name]}
      error={error}
      min={type === 'number' ? 0 : undefined}
      max={type === 'number' ? 100 : undefined}
      onChange={(e) => setText({ ...text, [name]: e.target.value })}
    />
  );
  const reset = () => {
    setText({ q: '', tag: '', source: '', scoreMin: '', scoreMax: '' });
    update(Object.fromEntries(FILTERS.map((f) => [f, undefined])));
  };
  return (
    <form className="card filters" onSubmit={(e: FormEvent) => e.preventDefault()} data-testid="lead-filters">
      <div className="filter-row">
        {input('q', t('lead.search'), 'search', t('lead.searchHint'))}
        <SelectField
          label={t('lead.status')}
          name="status"
          data-testid="filter-status"
          options={STATUS_OPTIONS}
          placeholder={t('lead.anyStatus')}
          value={params.get('status') ?? ''}
          error={error}
          onChange={(e) => update({ status: e.target.value })}
        />
        <SelectField
          label={t('lead.niche')}
          name="nicheId"
          data-testid="filter-niche"
          options={niches}
          placeholder={t('lead.anyNiche')}
          value={params.get('nicheId') ?? ''}
          error={error}
          onChange={(e) => update({ nicheId: e.target.value })}
        />
        {campaigns.length > 0 && (
          <SelectField
            label={t('lead.campaign')}
            name="campaignId"
            data-testid="filter-campaign"
            options={campaigns}
            placeholder={t('lead.anyCampaign')}
            value={params.get('campaignId') ?? ''}
            error={error}
            onChange={(e) => update({ campaignId: e.target.value })}
          />
        )}
        {input('tag', t('lead.tag'))}
        {input('source', t('lead.source'))}
      </div>
      <div className="filter-row">
        {input('scoreMin', t('lead.scoreFrom'), 'number')}
        {input('scoreMax', t('lead.scoreTo'), 'number')}
        <DateField
          label={t('lead.createdFrom')}
          name="createdFrom"
          testId="filter-createdFrom"
          value={params.get('createdFrom') ?? ''}
          error={error}
          onChange={(createdFrom) => update({ createdFrom })}
        />
        <DateField
          label={t('lead.createdTo')}
          name="createdTo"
          testId="filter-createdTo"
          value={params.get('createdTo') ?? ''}
          error={error}
          onChange={(createdTo) => update({ createdTo })}
        />
        <div className="field filter-reset">
          <span>&nbsp;</span>
          <button type="button" onClick={reset} data-testid="filter-reset">
            {t('lead.clearFilters')}
          </button>
        </div>
      </div>
    </form>
  );
}

function CreateLeadForm({ niches, onCreated }: { niches: { value: string; label: string }[]; onCreated: () => void }) {
  const { t } = useTranslation();
  const form = useForm({ initialValues: emptyLeadForm });
  const formRef = useRef<HTMLFormElement>(null);
  // opened from the keyboard or the mouse, typing starts in the first field
  useEffect(() => formRef.current?.querySelector<HTMLInputElement>('input')?.focus(), []);
  const create = useMutation({
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: (values: typeof emptyLeadForm) => api.createLead(formToCreate(values)),
    onSuccess: () => {
      form.setValues(emptyLeadForm);
      onCreated();
    },
  });
  return (
    <form
      className="card"
      onSubmit={form.onSubmit((values) => create.mutate(values))}
      noValidate
      data-testid="lead-form"
      ref={formRef}
    >
      <h2>{t('lead.newTitle')}</h2>
      <FormError error={create.error} testId="lead-form-error" />
      {create.isSuccess && (
        <Notice testId="lead-created">
          <Trans i18nKey="lead.created" values={{ name: create.data.name }}>
            Lead <Link to={`/leads/${create.data.id}`}>{create.data.name}</Link> created.
          </Trans>
        </Notice>
      )}
      <LeadFields form={form.values} onChange={form.setValues} error={create.error} niches={niches} prefix="lead" />
      <button className="primary" type="submit" disabled={create.isPending} data-testid="lead-submit">
        {create.isPending ? t('lead.creating') : t('lead.create')}
      </button>
    </form>
  );
}
