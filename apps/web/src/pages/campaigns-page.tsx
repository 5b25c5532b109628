import { PageBulkActions, useSelection } from '../features/bulk/bulk';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type {
  CampaignLeadResponseDto,
  CampaignResponseDto,
  CampaignStatsResponseDto,
  CreateCampaignDto,
} from '@crescendo/api-client';
import { api, type CampaignQuery } from '../api/endpoints';
import { useAuth } from '../auth';
import { valuesOf } from '../enums';
import { LineChart } from '../charts';
import {
  ConfirmButton,
  DateCell,
  Field,
  FormError,
  Notice,
  PagedTable,
  QueryView,
  SelectField,
  TextAreaField,
  formatDate,
  formatMoney,
  formatPercent,
  fromMinor,
  humanize,
  toMinor,
  useDebounced,
  useListControls,
  type Column,
  type Option,
  useCursor,
} from '../components';
import { StatusTag, useNicheOptions } from '../crm';

type CampaignStatus = CampaignResponseDto['status'];
type CampaignType = CampaignResponseDto['type'];
type Stage = CampaignLeadResponseDto['stage'];
const STATUSES = valuesOf<CampaignStatus>()('draft', 'scheduled', 'active', 'paused', 'completed', 'archived');
const TYPES = valuesOf<CampaignType>()('email', 'social', 'content', 'outreach');
const STAGES = valuesOf<Stage>()('enrolled', 'contacted', 'replied', 'converted');
const options = (values: string[]): Option[] => values.map((v) => ({ value: v, label: humanize(v) }));

export const campaignsKey = ['campaigns'] as const;
const campaignKey = (id: string) => ['campaign', id] as const;

export function CampaignsPage() {
  const { can } = useAuth();
  const { t } = useTranslation();
  const write = can('campaigns:write');
  const niches = useNicheOptions();
  const [creating, setCreating] = useState(false);
  const { filters, filter, filtered, cursor, setCursor, sort, setSort } = useListControls(
    { q: '', status: '', type: '', channel: '', nicheId: '' },
    { sortBy: 'createdAt', order: 'desc' },
  );
  const q = useDebounced(filters.q.trim(), 300);
  const channel = useDebounced(filters.channel.trim(), 300);
  const query: CampaignQuery = {
    cursor,
    limit: 20,
    q: q || undefined,
    channel: channel || undefined,
    status: (filters.status || undefined) as CampaignQuery['status'],
    type: (filters.type || undefined) as CampaignQuery['type'],
    nicheId: filters.nicheId || undefined,
    sortBy: sort.sortBy as CampaignQuery['sortBy'],
    order: sort.order,
  };
  const campaigns = useQuery({
    queryKey: [...campaignsKey, query],
    queryFn: () => api.listCampaigns(query),
    placeholderData: keepPreviousData,
  });
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: campaignsKey });
  const selection = useSelection();
  // a selection belongs to the page and filters it was made on
  useEffect(() => selection.clear(), [JSON.stringify(query), selection.clear]);
  const columns: Column<CampaignResponseDto>[] = [
    {
      key: 'name',
      header: t('campaigns.colName'),
      sortBy: 'name',
      render: (c) => (
        <Link to={`/campaigns/${c.id}`} data-testid="campaign-link">
          {c.name}
        </Link>
      ),
    },
    { key: 'type', header: t('campaigns.colType'), render: (c) => humanize(c.type) },
    { key: 'channel', header: t('campaigns.colChannel'), render: (c) => c.channel ?? '—' },
    { key: 'status', header: t('campaigns.colStatus'), render: (c) => <CampaignStatusTag status={c.status} /> },
    {
      key: 'startAt',
      header: t('campaigns.colStarts'),
      sortBy: 'startAt',
      render: (c) => <DateCell value={c.startAt} />,
    },
    { key: 'endAt', header: t('campaigns.colEnds'), sortBy: 'endAt', render: (c) => <DateCell value={c.endAt} /> },
    {
      key: 'budget',
      header: t('campaigns.colBudget'),
      className: 'num',
      render: (c) => formatMoney(c.budget, c.currency),
    },
    {
      key: 'createdAt',
      header: t('campaigns.colCreated'),
      sortBy: 'createdAt',
      render: (c) => <DateCell value={c.createdAt} />,
    },
  ];
  return (
    <section>
      <header className="page-header split">
        <div>
          <h1>{t('campaigns.title')}</h1>
          <p className="muted">{t('campaigns.subtitle')}</p>
        </div>
        {write && (
          <button type="button" className="primary" onClick={() => setCreating(!creating)} data-testid="campaign-new">
            {creating ? t('campaigns.close') : t('campaigns.new')}
          </button>
        )}
      </header>
      {creating && write && <CampaignForm niches={niches.options} onSaved={refresh} />}
      <div className="card filters">
        <div className="filter-row">
          <Field
            label={t('campaigns.search')}
            name="q"
            type="search"
            data-testid="campaign-search"
            value={filters.q}
            error={campaigns.error}
            onChange={(e) => filter({ q: e.target.value })}
          />
          <SelectField
            label={t('campaigns.status')}
            name="status"
            options={options(STATUSES)}
            placeholder={t('campaigns.anyStatus')}
            value={filters.status}
            error={campaigns.error}
            onChange={(e) => filter({ status: e.target.value })}
          />
          <SelectField
            label={t('campaigns.type')}
            name="type"
            options={options(TYPES)}
            placeholder={t('campaigns.anyType')}
            value={filters.type}
            error={campaigns.error}
            onChange={(e) => filter({ type: e.target.value })}
          />
          <Field
            label={t('campaigns.channel')}
            name="channel"
            value={filters.channel}
            error={campaigns.error}
            onChange={(e) => filter({ channel: e.target.value })}
          />
          <SelectField
            label={t('campaigns.niche')}
            name="nicheId"
            options={niches.options}
            placeholder={t('campaigns.anyNiche')}
            value={filters.nicheId}
            error={campaigns.error}
            onChange={(e) => filter({ nicheId: e.target.value })}
          />
        </div>
      </div>
      {write && (
        <PageBulkActions
          selection={selection}
          statusOptions={options(STATUSES)}
          setStatus={(id, status) => api.updateCampaignStatus(id, status as CampaignStatus)}
          remove={(id) => api.deleteCampaign(id)}
          onDone={refresh}
        />
      )}
      <div className="card">
        <PagedTable
          query={campaigns}
          selection={write ? selection : undefined}
          rowLabel={(c) => c.name}
          emptyTestId="campaigns-empty"
          empty={
            filtered ? (
              t('campaigns.emptyFiltered')
            ) : (
              <>
                {t('campaigns.empty')}{' '}
                {write && (
                  <span className="empty-actions">
                    <button type="button" className="primary" onClick={() => setCreating(true)}>
                      {t('campaigns.new')}
                    </button>
                  </span>
                )}
              </>
            )
          }
          onCursor={setCursor}
          columns={columns}
          rowKey={(c) => c.id}
          sort={sort}
          onSort={setSort}
          testId="campaigns-table"
          rowTestId="campaign-row"
        />
      </div>
    </section>
  );
}

function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  return (
    <span className={`tag campaign-${status}`} data-testid="campaign-status">
      {humanize(status)}
    </span>
  );
}

interface CampaignFormState {
  name: string;
  type: CampaignType;
  channel: string;
  description: string;
  startAt: string;
  endAt: string;
  budget: string;
  currency: string;
  targetLeads: string;
  targetConversions: string;
  targetRevenue: string;
  targetNicheIds: string[];
}

/** ISO → the value of a datetime-local input (local time, minutes). */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

const toForm = (c?: CampaignResponseDto): CampaignFormState => ({
  name: c?.name ?? '',
  type: c?.type ?? 'email',
  channel: c?.channel ?? '',
  description: c?.description ?? '',
  startAt: toLocalInput(c?.startAt ?? null),
  endAt: toLocalInput(c?.endAt ?? null),
  budget: c?.budget != null && c.currency ? fromMinor(c.budget, c.currency) : '',
  currency: c?.currency ?? '',
  targetLeads: c?.goals.targetLeads?.toString() ?? '',
  targetConversions: c?.goals.targetConversions?.toString() ?? '',
  targetRevenue: c?.goals.targetRevenue != null && c.currency ? fromMinor(c.goals.targetRevenue, c.currency) : '',
  targetNicheIds: c?.targetNicheIds ?? [],
});

/** A full body: on an update every field is sent, cleared ones as null, so the form is the truth. */
function toBody(form: CampaignFormState, update: boolean): CreateCampaignDto {
  const clear = update ? null : undefined;
  const text = (v: string) => v.trim() || clear;
  const int = (v: string) => (v.trim() ? Number(v) : undefined);
  const currency = form.currency.trim().toUpperCase();
  const goals = {
    targetLeads: int(form.targetLeads),
    targetConversions: int(form.targetConversions),
    targetRevenue: form.targetRevenue.trim() ? toMinor(form.targetRevenue, currency || 'USD') : undefined,
  };
  return {
    name: form.name,
    type: form.type,
    channel: text(form.channel),
    description: text(form.description),
    startAt: form.startAt ? new Date(form.startAt).toISOString() : clear,
    endAt: form.endAt ? new Date(form.endAt).toISOString() : clear,
    budget: form.budget.trim() ? toMinor(form.budget, currency || 'USD') : clear,
    currency: currency || clear,
    goals: Object.fromEntries(Object.entries(goals).filter(([, v]) => v !== undefined)),
    targetNicheIds: form.targetNicheIds,
  };
}

function CampaignForm({
  campaign,
  niches,
  onSaved,
}: {
  campaign?: CampaignResponseDto;
  niches: Option[];
  onSaved: (c: CampaignResponseDto) => void;
}) {
  const [form, setForm] = useState(() => toForm(campaign));
  const save = useMutation({
    mutationFn: () =>
      campaign ? api.updateCampaign(campaign.id, toBody(form, true)) : api.createCampaign(toBody(form, false)),
    onSuccess: (saved) => {
      setForm(toForm(campaign && saved));
      onSaved(saved);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const text = (key: Exclude<keyof CampaignFormState, 'targetNicheIds'>, label: string, type = 'text') => (
    <Field
      label={label}
      name={key}
      type={type}
      data-testid={`campaign-${key}`}
      value={form[key]}
      error={save.error}
      onChange={(e) => setForm({ ...form, [key]: e.target.value })}
    />
  );
  const toggleNiche = (id: string) =>
    setForm({
      ...form,
      targetNicheIds: form.targetNicheIds.includes(id)
        ? form.targetNicheIds.filter((n) => n !== id)
        : [...form.targetNicheIds, id],
    });
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="campaign-form">
      <h2>{campaign ? 'Details' : 'New campaign'}</h2>
      <FormError error={save.error} testId="campaign-form-error" />
      {save.isSuccess && (
        <Notice testId="campaign-saved">
          {campaign ? 'Saved.' : <Link to={`/campaigns/${save.data.id}`}>{save.data.name}</Link>}
          {campaign ? null : ' created as a draft.'}
        </Notice>
      )}
      <div className="grid">
        {text('name', 'Name')}
        <SelectField
          label="Type"
          name="type"
          data-testid="campaign-type"
          options={options(TYPES)}
          value={form.type}
          error={save.error}
          onChange={(e) => setForm({ ...form, type: e.target.value as CampaignType })}
        />
        {text('channel', 'Channel')}
        {text('startAt', 'Starts', 'datetime-local')}
        {text('endAt', 'Ends', 'datetime-local')}
        {text('budget', 'Budget')}
        {text('currency', 'Currency')}
        {text('targetLeads', 'Goal: leads', 'number')}
        {text('targetConversions', 'Goal: conversions', 'number')}
        {text('targetRevenue', 'Goal: revenue')}
      </div>
      <TextAreaField
        label="Description"
        name="description"
        rows={2}
        value={form.description}
        error={save.error}
        onChange={(e) => setForm({ ...form, description: e.target.value })}
      />
      {niches.length > 0 && (
        <fieldset className="scopes">
          <legend>Target niches</legend>
          <div className="tags">
            {niches.map((n) => (
              <label key={n.value} className="check">
                <input
                  type="checkbox"
                  checked={form.targetNicheIds.includes(n.value)}
                  onChange={() => toggleNiche(n.value)}
                />
                {n.label}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <button className="primary" type="submit" disabled={save.isPending} data-testid="campaign-submit">
        {save.isPending ? 'Saving…' : campaign ? 'Save' : 'Create campaign'}
      </button>
    </form>
  );
}

export function CampaignDetailPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const write = can('campaigns:write');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const niches = useNicheOptions();
  const campaign = useQuery({ queryKey: campaignKey(id), queryFn: () => api.getCampaign(id) });
  const saved = (c: CampaignResponseDto) => {
    queryClient.setQueryData(campaignKey(id), c);
    void queryClient.invalidateQueries({ queryKey: campaignsKey });
  };
  const setStatus = useMutation({
    mutationFn: (status: CampaignStatus) => api.updateCampaignStatus(id, status),
    onSuccess: saved,
  });
  const remove = useMutation({
    mutationFn: () => api.deleteCampaign(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: campaignsKey });
      navigate('/campaigns');
    },
  });
  return (
    <section>
      <p>
        <Link to="/campaigns">← Campaigns</Link>
      </p>
      <QueryView query={campaign}>
        {(c) => (
          <>
            <header className="page-header split">
              <div>
                <h1 data-testid="campaign-title">
                  {c.name} <CampaignStatusTag status={c.status} />
                </h1>
                <p className="muted">
                  {humanize(c.type)}
                  {c.channel && ` · ${c.channel}`} · {formatDate(c.startAt, 'no start')} →{' '}
                  {formatDate(c.endAt, 'no end')}
                </p>
              </div>
              {write && c.allowedTransitions.length > 0 && (
                <div className="status-control" data-testid="campaign-transitions">
                  {c.allowedTransitions.map((next) => (
                    <button
                      key={next}
                      type="button"
                      disabled={setStatus.isPending}
                      onClick={() => setStatus.mutate(next)}
                      data-testid={`campaign-to-${next}`}
                    >
                      {TRANSITION_LABELS[next]}
                    </button>
                  ))}
                </div>
              )}
            </header>
            <FormError error={setStatus.error ?? remove.error} testId="campaign-status-error" />
            <CampaignStats id={c.id} currency={c.currency} />
            <CampaignLeads campaign={c} write={write} />
            {write && <CampaignForm key={c.id} campaign={c} niches={niches.options} onSaved={saved} />}
            {write && c.canDelete && (
              <ConfirmButton label="Delete the campaign" onConfirm={() => remove.mutate()} testId="campaign-delete" />
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}

const TRANSITION_LABELS: Record<CampaignStatus, string> = {
  draft: 'Back to draft',
  scheduled: 'Schedule',
  active: 'Start',
  paused: 'Pause',
  completed: 'Complete',
  archived: 'Archive',
};

function CampaignStats({ id, currency }: { id: string; currency: string | null }) {
  const stats = useQuery({ queryKey: [...campaignKey(id), 'stats'], queryFn: () => api.getCampaignStats(id) });
  return (
    <div className="card" data-testid="campaign-stats">
      <h2>Results</h2>
      <QueryView query={stats}>{(data) => <StatsView stats={data} currency={currency} />}</QueryView>
    </div>
  );
}

function StatsView({ stats, currency }: { stats: CampaignStatsResponseDto; currency: string | null }) {
  const funnel: [string, number][] = [
    ['Enrolled', stats.enrolled],
    ['Contacted', stats.contacted],
    ['Replied', stats.replied],
    ['Converted', stats.converted],
  ];
  return (
    <>
      <dl className="kpis">
        {funnel.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd data-testid={`campaign-kpi-${label.toLowerCase()}`}>{value}</dd>
          </div>
        ))}
        <div>
          <dt>Conversion</dt>
          <dd>{formatPercent(stats.conversionRate)}</dd>
        </div>
        <div>
          <dt>Revenue</dt>
          <dd>{formatMoney(stats.attributedRevenue, stats.currency ?? currency)}</dd>
        </div>
      </dl>
      <LineChart
        title={`Daily results from ${stats.from} to ${stats.to}`}
        testId="campaign-chart"
        labels={stats.series.map((d) => d.date.slice(5))}
        series={(['enrolled', 'contacted', 'replied', 'converted'] as const).map((key) => ({
          name: humanize(key),
          points: stats.series.map((d) => d[key]),
        }))}
      />
    </>
  );
}

function CampaignLeads({ campaign, write }: { campaign: CampaignResponseDto; write: boolean }) {
  const queryClient = useQueryClient();
  const { cursor, setCursor } = useCursor();
  const [stage, setStage] = useState('');
  const key = [...campaignKey(campaign.id), 'leads', cursor, stage];
  const leads = useQuery({
    queryKey: key,
    queryFn: () =>
      api.listCampaignLeads(campaign.id, { cursor, limit: 20, stage: (stage || undefined) as Stage | undefined }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: campaignKey(campaign.id) });
  const advance = useMutation({
    mutationFn: ({ leadId, body }: { leadId: string; body: { stage?: Stage; revenue?: number } }) =>
      api.updateCampaignLead(campaign.id, leadId, body),
    onSuccess: refresh,
  });
  const unenroll = useMutation({
    mutationFn: (leadId: string) => api.unenrollCampaignLead(campaign.id, leadId),
    onSuccess: refresh,
  });
  const columns: Column<CampaignLeadResponseDto>[] = [
    {
      key: 'name',
      header: 'Lead',
      render: (l) => (
        <>
          <Link to={`/leads/${l.leadId}`}>{l.name}</Link>
          {l.company && <div className="muted small">{l.company}</div>}
        </>
      ),
    },
    { key: 'status', header: 'Lead status', render: (l) => <StatusTag status={l.leadStatus} /> },
    {
      key: 'stage',
      header: 'Stage',
      render: (l) =>
        write && l.stage !== 'converted' ? (
          <select
            aria-label={`Stage of ${l.name}`}
            data-testid="campaign-lead-stage"
            value={l.stage}
            disabled={advance.isPending}
            onChange={(e) => advance.mutate({ leadId: l.leadId, body: { stage: e.target.value as Stage } })}
          >
            {/* forward only: the current stage and the ones after it */}
            {STAGES.slice(STAGES.indexOf(l.stage)).map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        ) : (
          humanize(l.stage)
        ),
    },
    { key: 'enrolledAt', header: 'Enrolled', render: (l) => <DateCell value={l.enrolledAt} /> },
    {
      key: 'revenue',
      header: 'Revenue',
      className: 'num',
      render: (l) => formatMoney(l.revenue, campaign.currency),
    },
  ];
  if (write) {
    columns.push({
      key: 'actions',
      header: '',
      className: 'actions',
      render: (l) => (
        <ConfirmButton label="Remove" onConfirm={() => unenroll.mutate(l.leadId)} testId="campaign-lead-remove" />
      ),
    });
  }
  return (
    <div className="card" data-testid="campaign-leads">
      <h2>Enrolled leads</h2>
      {write && campaign.acceptsEnrollments && <EnrollLeads campaignId={campaign.id} onDone={refresh} />}
      <FormError error={advance.error ?? unenroll.error} />
      <div className="filter-row">
        <SelectField
          label="Stage"
          name="stage"
          options={options(STAGES)}
          placeholder="Any stage"
          value={stage}
          error={leads.error}
          onChange={(e) => {
            setStage(e.target.value);
            setCursor(null);
          }}
        />
      </div>
      <PagedTable
        query={leads}
        emptyTestId="campaign-leads-empty"
        empty="No lead enrolled yet."
        onCursor={setCursor}
        columns={columns}
        rowKey={(l) => l.leadId}
        testId="campaign-leads-table"
        rowTestId="campaign-lead-row"
      />
    </div>
  );
}

/** Search the workspace's leads and enroll the ones ticked. */
function EnrollLeads({ campaignId, onDone }: { campaignId: string; onDone: () => void }) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [picked, setPicked] = useState<string[]>([]);
  const found = useQuery({
    queryKey: ['leads', 'pick', q],
    queryFn: () => api.listLeads({ q: q || undefined, limit: 10, sortBy: 'createdAt', order: 'desc' }),
  });
  const enroll = useMutation({
    mutationFn: () => api.enrollCampaignLeads(campaignId, picked),
    onSuccess: () => {
      setPicked([]);
      onDone();
    },
  });
  return (
    <div className="enroll" data-testid="campaign-enroll">
      <FormError error={enroll.error} />
      {enroll.isSuccess && (
        <Notice testId="campaign-enrolled">
          {enroll.data.enrolled} enrolled, {enroll.data.skipped} already there.
        </Notice>
      )}
      <Field
        label="Find leads to enroll"
        name="leadIds"
        type="search"
        placeholder="Name, e-mail or company"
        data-testid="campaign-enroll-search"
        value={search}
        error={enroll.error}
        onChange={(e) => setSearch(e.target.value)}
      />
      <QueryView query={found} empty="No lead matches." isEmpty={(r) => r.data.length === 0}>
        {(result) => (
          <ul className="pick-list">
            {result.data.map((lead) => (
              <li key={lead.id} data-testid="campaign-enroll-option">
                <label className="check">
                  <input
                    type="checkbox"
                    data-testid="campaign-enroll-pick"
                    checked={picked.includes(lead.id)}
                    onChange={() =>
                      setPicked(picked.includes(lead.id) ? picked.filter((p) => p !== lead.id) : [...picked, lead.id])
                    }
                  />
                  {lead.name} <span className="muted small">{lead.email ?? lead.company ?? ''}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <button
        type="button"
        className="primary"
        disabled={picked.length === 0 || enroll.isPending}
        onClick={() => enroll.mutate()}
        data-testid="campaign-enroll-submit"
      >
        Enroll {picked.length || ''} {picked.length === 1 ? 'lead' : 'leads'}
      </button>
    </div>
  );
}
