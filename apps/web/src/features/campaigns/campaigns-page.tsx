import { i18n } from '../../i18n';
import { usePageIntent } from '../../app/page-intent';
import { PageBulkActions, useSelection } from '../bulk/bulk';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import { DateTimeField } from '../../ui/date-field';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type {
  CampaignLeadResponseDto,
  CampaignResponseDto,
  CampaignStatsResponseDto,
  CreateCampaignDto,
} from '@crescendo/api-client';
import { api, type CampaignQuery } from '../../api/endpoints';
import { useAuth } from '../../auth';
import { valuesOf } from '../../enums';
import { LineChart } from '../../charts';
import {
  ConfirmButton,
  CreateToggle,
  DateCell,
  Field,
  FilterBar,
  formatDate,
  formatMoney,
  formatPercent,
  FormError,
  fromMinor,
  humanize,
  ListEmpty,
  Notice,
  PagedTable,
  PageHeader,
  QueryView,
  SelectField,
  TextAreaField,
  toMinor,
  type Column,
  type Option,
  useCursor,
  useDebounced,
  useListControls,
} from '../../components';
import { StatusTag, useNicheOptions } from '../../crm';

type CampaignStatus = CampaignResponseDto['status'];
type CampaignType = CampaignResponseDto['type'];
type Stage = CampaignLeadResponseDto['stage'];
const STATUSES = valuesOf<CampaignStatus>()('draft', 'scheduled', 'active', 'paused', 'completed', 'archived');
const TYPES = valuesOf<CampaignType>()('email', 'social', 'content', 'outreach');
const STAGES = valuesOf<Stage>()('enrolled', 'contacted', 'replied', 'converted');
/** A status, type or stage in the UI's language. */
const valueLabel = (value: string) =>
  i18n.exists(`campaign.values.${value}`) ? i18n.t(`campaign.values.${value}`) : humanize(value);
/** Labels read at render time, in the UI's language. */
const options = (values: string[]): Option[] =>
  values.map((value) => ({
    value,
    get label() {
      return valueLabel(value);
    },
  }));

export const campaignsKey = ['campaigns'] as const;
const campaignKey = (id: string) => ['campaign', id] as const;

export function CampaignsPage() {
  const { can } = useAuth();
  const { t } = useTranslation();
  const write = can('campaigns:write');
  const niches = useNicheOptions();
  const [creating, setCreating] = useState(false);
  usePageIntent('create', () => setCreating(true));
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
    { key: 'type', header: t('campaigns.colType'), render: (c) => valueLabel(c.type) },
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
      <PageHeader title={t('campaigns.title')} subtitle={t('campaigns.subtitle')}>
        {write && (
          <CreateToggle
            open={creating}
            onToggle={setCreating}
            newLabel={t('campaigns.new')}
            closeLabel={t('campaigns.close')}
            testId="campaign-new"
          />
        )}
      </PageHeader>
      {creating && write && <CampaignForm niches={niches.options} onSaved={refresh} />}
      <div className="card filters">
        <FilterBar
          filters={filters}
          filter={filter}
          error={campaigns.error}
          fields={[
            { key: 'q', label: t('campaigns.search'), search: true, testId: 'campaign-search' },
            { key: 'status', label: t('campaigns.status'), options: options(STATUSES), any: t('campaigns.anyStatus') },
            { key: 'type', label: t('campaigns.type'), options: options(TYPES), any: t('campaigns.anyType') },
            { key: 'channel', label: t('campaigns.channel') },
            { key: 'nicheId', label: t('campaigns.niche'), options: niches.options, any: t('campaigns.anyNiche') },
          ]}
        />
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
            <ListEmpty
              filtered={filtered}
              filteredText={t('campaigns.emptyFiltered')}
              emptyText={t('campaigns.empty')}
              action={write ? { label: t('campaigns.new'), onClick: () => setCreating(true) } : undefined}
            />
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
      {valueLabel(status)}
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

const toForm = (c?: CampaignResponseDto): CampaignFormState => ({
  name: c?.name ?? '',
  type: c?.type ?? 'email',
  channel: c?.channel ?? '',
  description: c?.description ?? '',
  // ISO instants: the date-time fields show them in the UI language and the browser's time zone
  startAt: c?.startAt ?? '',
  endAt: c?.endAt ?? '',
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
    startAt: form.startAt || clear,
    endAt: form.endAt || clear,
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
  const form = useForm({ initialValues: toForm(campaign) });
  const save = useMutation({
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: (values: CampaignFormState) =>
      campaign ? api.updateCampaign(campaign.id, toBody(values, true)) : api.createCampaign(toBody(values, false)),
    onSuccess: (saved) => {
      form.setValues(toForm(campaign && saved));
      onSaved(saved);
    },
  });
  const text = (key: Exclude<keyof CampaignFormState, 'targetNicheIds'>, label: string, type = 'text') => (
    <Field
      label={label}
      name={key}
      type={type}
      data-testid={`campaign-${key}`}
      value={form.values[key]}
      error={save.error}
      onChange={(e) => form.setFieldValue(key, e.target.value)}
    />
  );
  const toggleNiche = (id: string) =>
    form.setFieldValue('targetNicheIds', (ids) => (ids.includes(id) ? ids.filter((n) => n !== id) : [...ids, id]));
  return (
    <form
      className="card"
      onSubmit={form.onSubmit((values) => save.mutate(values))}
      noValidate
      data-testid="campaign-form"
    >
      <h2>{campaign ? i18n.t('campaign.details') : i18n.t('campaign.newTitle')}</h2>
      <FormError error={save.error} testId="campaign-form-error" />
      {save.isSuccess && (
        <Notice testId="campaign-saved">
          {campaign ? i18n.t('campaign.saved') : <Link to={`/campaigns/${save.data.id}`}>{save.data.name}</Link>}
          {campaign ? null : i18n.t('campaign.createdDraft')}
        </Notice>
      )}
      <div className="grid">
        {text('name', i18n.t('campaign.name'))}
        <SelectField
          label={i18n.t('campaign.type')}
          name="type"
          data-testid="campaign-type"
          options={options(TYPES)}
          value={form.values.type}
          error={save.error}
          onChange={(e) => form.setFieldValue('type', e.target.value as CampaignType)}
        />
        {text('channel', i18n.t('campaign.channel'))}
        {(['startAt', 'endAt'] as const).map((key) => (
          <DateTimeField
            key={key}
            label={i18n.t(key === 'startAt' ? 'campaign.starts' : 'campaign.ends')}
            name={key}
            testId={`campaign-${key}`}
            value={form.values[key]}
            error={save.error}
            onChange={(value) => form.setFieldValue(key, value)}
          />
        ))}
        {text('budget', i18n.t('campaign.budget'))}
        {text('currency', i18n.t('campaign.currency'))}
        {text('targetLeads', i18n.t('campaign.goalLeads'), 'number')}
        {text('targetConversions', i18n.t('campaign.goalConversions'), 'number')}
        {text('targetRevenue', i18n.t('campaign.goalRevenue'))}
      </div>
      <TextAreaField
        label={i18n.t('campaign.description')}
        name="description"
        rows={2}
        value={form.values.description}
        error={save.error}
        onChange={(e) => form.setFieldValue('description', e.target.value)}
      />
      {niches.length > 0 && (
        <fieldset className="scopes">
          <legend>{i18n.t('campaign.targetNiches')}</legend>
          <div className="tags">
            {niches.map((n) => (
              <label key={n.value} className="check">
                <input
                  type="checkbox"
                  checked={form.values.targetNicheIds.includes(n.value)}
                  onChange={() => toggleNiche(n.value)}
                />
                {n.label}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <button className="primary" type="submit" disabled={save.isPending} data-testid="campaign-submit">
        {save.isPending ? i18n.t('campaign.saving') : campaign ? i18n.t('campaign.save') : i18n.t('campaign.create')}
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
    meta: { toast: 'toast.deleted' },
    mutationFn: () => api.deleteCampaign(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: campaignsKey });
      navigate('/campaigns');
    },
  });
  return (
    <section>
      <p>
        <Link to="/campaigns">{i18n.t('campaign.back')}</Link>
      </p>
      <QueryView query={campaign}>
        {(c) => (
          <>
            <header className="page-header split">
              <div>
                <h1 data-testid="campaign-title">
                  {c.name} <CampaignStatusTag status={c.status} />
                </h1>
                <p className="muted" data-testid="campaign-when">
                  {valueLabel(c.type)}
                  {c.channel && ` · ${c.channel}`} · {formatDate(c.startAt, i18n.t('campaign.noStart'))} →{' '}
                  {formatDate(c.endAt, i18n.t('campaign.noEnd'))}
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
                      {i18n.t(`campaign.transitions.${next}`)}
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
              <ConfirmButton
                label={i18n.t('campaign.deleteCampaign')}
                onConfirm={() => remove.mutate()}
                testId="campaign-delete"
              />
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}

function CampaignStats({ id, currency }: { id: string; currency: string | null }) {
  const stats = useQuery({ queryKey: [...campaignKey(id), 'stats'], queryFn: () => api.getCampaignStats(id) });
  return (
    <div className="card" data-testid="campaign-stats">
      <h2>{i18n.t('campaign.results')}</h2>
      <QueryView query={stats}>{(data) => <StatsView stats={data} currency={currency} />}</QueryView>
    </div>
  );
}

function StatsView({ stats, currency }: { stats: CampaignStatsResponseDto; currency: string | null }) {
  const funnel: [string, number][] = [
    [valueLabel('enrolled'), stats.enrolled],
    [valueLabel('contacted'), stats.contacted],
    [valueLabel('replied'), stats.replied],
    [valueLabel('converted'), stats.converted],
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
          <dt>{i18n.t('campaign.conversion')}</dt>
          <dd>{formatPercent(stats.conversionRate)}</dd>
        </div>
        <div>
          <dt>{i18n.t('campaign.revenue')}</dt>
          <dd>{formatMoney(stats.attributedRevenue, stats.currency ?? currency)}</dd>
        </div>
      </dl>
      <LineChart
        title={i18n.t('campaign.daily', { from: stats.from, to: stats.to })}
        testId="campaign-chart"
        labels={stats.series.map((d) => d.date.slice(5))}
        series={(['enrolled', 'contacted', 'replied', 'converted'] as const).map((key) => ({
          name: valueLabel(key),
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
      header: i18n.t('campaign.colLead'),
      render: (l) => (
        <>
          <Link to={`/leads/${l.leadId}`}>{l.name}</Link>
          {l.company && <div className="muted small">{l.company}</div>}
        </>
      ),
    },
    { key: 'status', header: i18n.t('campaign.colLeadStatus'), render: (l) => <StatusTag status={l.leadStatus} /> },
    {
      key: 'stage',
      header: i18n.t('campaign.colStage'),
      render: (l) =>
        write && l.stage !== 'converted' ? (
          <select
            aria-label={i18n.t('campaign.stageOf', { name: l.name })}
            data-testid="campaign-lead-stage"
            value={l.stage}
            disabled={advance.isPending}
            onChange={(e) => advance.mutate({ leadId: l.leadId, body: { stage: e.target.value as Stage } })}
          >
            {/* forward only: the current stage and the ones after it */}
            {STAGES.slice(STAGES.indexOf(l.stage)).map((s) => (
              <option key={s} value={s}>
                {valueLabel(s)}
              </option>
            ))}
          </select>
        ) : (
          valueLabel(l.stage)
        ),
    },
    { key: 'enrolledAt', header: i18n.t('campaign.colEnrolled'), render: (l) => <DateCell value={l.enrolledAt} /> },
    {
      key: 'revenue',
      header: i18n.t('campaign.colRevenue'),
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
        <ConfirmButton
          label={i18n.t('campaign.remove')}
          onConfirm={() => unenroll.mutate(l.leadId)}
          testId="campaign-lead-remove"
        />
      ),
    });
  }
  return (
    <div className="card" data-testid="campaign-leads">
      <h2>{i18n.t('campaign.enrolledLeads')}</h2>
      {write && campaign.acceptsEnrollments && <EnrollLeads campaignId={campaign.id} onDone={refresh} />}
      <FormError error={advance.error ?? unenroll.error} />
      <div className="filter-row">
        <SelectField
          label={i18n.t('campaign.stage')}
          name="stage"
          options={options(STAGES)}
          placeholder={i18n.t('campaign.anyStage')}
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
        empty={i18n.t('campaign.noEnrolled')}
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
        label={i18n.t('campaign.find')}
        name="leadIds"
        type="search"
        placeholder={i18n.t('campaign.findHint')}
        data-testid="campaign-enroll-search"
        value={search}
        error={enroll.error}
        onChange={(e) => setSearch(e.target.value)}
      />
      <QueryView query={found} empty={i18n.t('campaign.noMatch')} isEmpty={(r) => r.data.length === 0}>
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
