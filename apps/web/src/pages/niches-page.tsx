import { useTranslation } from 'react-i18next';
import { notifications } from '@mantine/notifications';
import { i18n } from '../i18n';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type {
  NicheRecommendationsResponseDto,
  NicheResponseDto,
  NicheStatsResponseDto,
  RecommendedActionDto,
} from '@crescendo/api-client';
import { api, type NicheQuery } from '../api/endpoints';
import { useAuth } from '../auth';
import { BarChart } from '../charts';
import {
  ConfirmButton,
  DataTable,
  DateCell,
  Empty,
  Field,
  FormError,
  Notice,
  PagedTable,
  QueryView,
  TagInput,
  TextAreaField,
  formatDate,
  formatNumber,
  formatPercent,
  humanize,
  useDebounced,
  useListControls,
  type Column,
} from '../components';
import { LEAD_STATUSES, StatusTag, nichesKey } from '../crm';

const nicheKey = (id: string) => ['niche', id] as const;

interface NicheForm {
  name: string;
  description: string;
  keywords: string[];
}

export function NichesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const write = can('leads:write');
  const { filters, filter, cursor, setCursor, sort, setSort } = useListControls(
    { search: '' },
    { sortBy: 'name', order: 'asc' },
  );
  const q = useDebounced(filters.search.trim(), 300);
  const query: NicheQuery = {
    cursor,
    limit: 20,
    q: q || undefined,
    sortBy: sort.sortBy as NicheQuery['sortBy'],
    order: sort.order,
  };
  const niches = useQuery({
    queryKey: [...nichesKey, query],
    queryFn: () => api.listNiches(query),
    placeholderData: keepPreviousData,
  });
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: nichesKey });
  const remove = useMutation({ mutationFn: (id: string) => api.deleteNiche(id), onSuccess: refresh });

  const columns: Column<NicheResponseDto>[] = [
    {
      key: 'name',
      header: t('niches.colNiche'),
      sortBy: 'name',
      render: (n) => (
        <Link to={`/niches/${n.id}`} data-testid="niche-link">
          {n.name}
        </Link>
      ),
    },
    { key: 'description', header: t('niches.colDescription'), render: (n) => n.description ?? '—' },
    {
      key: 'keywords',
      header: t('niches.colKeywords'),
      render: (n) => (
        <div className="tags">
          {n.keywords.map((k) => (
            <span className="tag" key={k}>
              {k}
            </span>
          ))}
        </div>
      ),
    },
    {
      key: 'leads',
      header: t('niches.colLeads'),
      className: 'num',
      render: (n) => <Link to={`/leads?nicheId=${n.id}`}>{n.leadCount}</Link>,
    },
    {
      key: 'createdAt',
      header: t('niches.colCreated'),
      sortBy: 'createdAt',
      render: (n) => <DateCell value={n.createdAt} />,
    },
  ];
  if (write) {
    columns.push({
      key: 'actions',
      header: '',
      className: 'actions',
      render: (n) => (
        <ConfirmButton
          label={t('niches.delete')}
          question={n.leadCount ? t('niches.deleteWithLeads', { count: n.leadCount }) : t('niches.deleteQuestion')}
          disabled={remove.isPending}
          onConfirm={() => remove.mutate(n.id)}
          testId="niche-delete"
        />
      ),
    });
  }

  return (
    <section>
      <header className="page-header">
        <h1>{t('pages.nichesTitle')}</h1>
        <p className="muted">{t('pages.nichesSubtitle')}</p>
      </header>
      {write && <NicheEditor onSaved={refresh} />}
      <div className="card">
        <div className="row">
          <Field
            label={t('niches.search')}
            name="q"
            type="search"
            placeholder={t('niches.searchHint')}
            data-testid="niche-search"
            value={filters.search}
            error={niches.error}
            onChange={(e) => filter({ search: e.target.value })}
          />
        </div>
        <FormError error={remove.error} testId="niche-action-error" />
        <PagedTable
          query={niches}
          emptyTestId="niches-empty"
          empty={q ? t('niches.emptyFiltered') : t('niches.empty')}
          onCursor={setCursor}
          columns={columns}
          rowKey={(n) => n.id}
          sort={sort}
          onSort={setSort}
          testId="niches-table"
          rowTestId="niche-row"
        />
      </div>
    </section>
  );
}

const toForm = (niche?: NicheResponseDto): NicheForm =>
  niche
    ? { name: niche.name, description: niche.description ?? '', keywords: niche.keywords }
    : { name: '', description: '', keywords: [] };

/** Create a niche, or edit one when `niche` is given. */
function NicheEditor({ niche, onSaved }: { niche?: NicheResponseDto; onSaved: (niche: NicheResponseDto) => void }) {
  const [form, setForm] = useState<NicheForm>(() => toForm(niche));
  const save = useMutation({
    mutationFn: () => {
      const body = { name: form.name, description: form.description.trim() || null, keywords: form.keywords };
      return niche ? api.updateNiche(niche.id, body) : api.createNiche(body);
    },
    onSuccess: (saved) => {
      // a new form after a creation; the stored values after an edit
      setForm(toForm(niche && saved));
      notifications.show({ color: 'green', message: i18n.t('niches.saved', { name: saved.name }) });
      onSaved(saved);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="niche-form">
      <h2>{niche ? 'Edit the niche' : 'New niche'}</h2>
      <FormError error={save.error} testId="niche-form-error" />
      {save.isSuccess && (
        <Notice testId="niche-saved">
          {niche ? 'Saved.' : <Link to={`/niches/${save.data.id}`}>{save.data.name}</Link>}
          {niche ? null : ' created.'}
        </Notice>
      )}
      <div className="row">
        <Field
          label="Name"
          name="name"
          required
          data-testid="niche-name"
          value={form.name}
          error={save.error}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <TagInput
          label="Keywords"
          name="keywords"
          placeholder="Add a keyword and press Enter"
          value={form.keywords}
          error={save.error}
          onChange={(keywords) => setForm({ ...form, keywords })}
        />
      </div>
      <TextAreaField
        label="Description"
        name="description"
        rows={2}
        data-testid="niche-description"
        value={form.description}
        error={save.error}
        onChange={(e) => setForm({ ...form, description: e.target.value })}
      />
      <button className="primary" type="submit" disabled={save.isPending} data-testid="niche-submit">
        {save.isPending ? 'Saving…' : niche ? 'Save' : 'Create niche'}
      </button>
    </form>
  );
}

export function NicheDetailPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const niche = useQuery({ queryKey: nicheKey(id), queryFn: () => api.getNiche(id) });
  const stats = useQuery({ queryKey: [...nicheKey(id), 'stats'], queryFn: () => api.getNicheStats(id) });
  const advice = useQuery({
    queryKey: [...nicheKey(id), 'recommendations'],
    queryFn: () => api.getNicheRecommendations(id),
  });
  const remove = useMutation({
    mutationFn: () => api.deleteNiche(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: nichesKey });
      navigate('/niches');
    },
  });
  return (
    <section>
      <p>
        <Link to="/niches">← Niches</Link>
      </p>
      <QueryView query={niche}>
        {(data) => (
          <>
            <header className="page-header split">
              <div>
                <h1 data-testid="niche-title">{data.name}</h1>
                <p className="muted">
                  {data.description ?? 'No description.'} · <Link to={`/leads?nicheId=${data.id}`}>its leads</Link>
                </p>
              </div>
              {can('leads:write') && (
                <ConfirmButton
                  label="Delete the niche"
                  onConfirm={() => remove.mutate()}
                  testId="niche-detail-delete"
                />
              )}
            </header>
            <FormError error={remove.error} />
            {can('leads:write') && (
              <NicheEditor
                niche={data}
                onSaved={(saved) => {
                  queryClient.setQueryData(nicheKey(id), saved);
                  void queryClient.invalidateQueries({ queryKey: nichesKey });
                }}
              />
            )}
          </>
        )}
      </QueryView>
      <div className="card" data-testid="niche-stats">
        <h2>Figures</h2>
        <QueryView query={stats}>{(data) => <Stats stats={data} />}</QueryView>
      </div>
      <div className="card" data-testid="niche-recommendations">
        <h2>Recommendations</h2>
        <QueryView query={advice}>{(data) => <Recommendations advice={data} />}</QueryView>
      </div>
    </section>
  );
}

function Stats({ stats }: { stats: NicheStatsResponseDto }) {
  return (
    <div className="stats-layout">
      <dl className="kpis">
        <div>
          <dt>Leads</dt>
          <dd data-testid="stat-total">{formatNumber(stats.total)}</dd>
        </div>
        <div>
          <dt>Conversion rate</dt>
          <dd data-testid="stat-conversion">{formatPercent(stats.conversionRate)}</dd>
        </div>
        <div>
          <dt>Average score</dt>
          <dd>{formatNumber(stats.averageScore, 2)}</dd>
        </div>
      </dl>
      <BarChart
        title="Leads by status"
        testId="status-chart"
        bars={LEAD_STATUSES.map((s) => ({ label: humanize(s), value: stats.byStatus[s] }))}
      />
    </div>
  );
}

/** A figure in words: rates as percentages, lead ids as links. */
function Figure({ name, value }: { name: string; value: unknown }) {
  if (/rate$/i.test(name) && typeof value === 'number') return <>{formatPercent(value)}</>;
  if (/leadid$/i.test(name) && typeof value === 'string') return <Link to={`/leads/${value}`}>open the lead</Link>;
  if (value === null) return <>none</>;
  return <>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</>;
}

function Action({ action }: { action: RecommendedActionDto }) {
  return (
    <li className={`action priority-${action.priority}`} data-testid="recommendation">
      <div className="action-head">
        <span className={`tag priority-${action.priority}`}>{action.priority}</span>
        <strong>{humanize(action.type)}</strong>
      </div>
      <p>{action.message}</p>
      <dl className="figures" data-testid="recommendation-figures">
        {Object.entries(action.figures).map(([name, value]) => (
          <div key={name}>
            <dt>{humanize(name)}</dt>
            <dd>
              <Figure name={name} value={value} />
            </dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

function Recommendations({ advice }: { advice: NicheRecommendationsResponseDto }) {
  return (
    <>
      <p className="muted small">
        Computed {formatDate(advice.generatedAt)} from the niche’s {advice.stats.total} leads; a lead is stale after{' '}
        {advice.staleAfterDays} days without contact.
      </p>
      {advice.actions.length === 0 ? (
        <Empty testId="recommendations-empty">Nothing to recommend: the figures look healthy.</Empty>
      ) : (
        <ol className="actions-list">
          {advice.actions.map((a, i) => (
            <Action key={`${a.type}-${i}`} action={a} />
          ))}
        </ol>
      )}
      <div className="columns">
        <div>
          <h3>Best sources</h3>
          {advice.bestSources.length === 0 ? (
            <Empty>No source data yet.</Empty>
          ) : (
            <DataTable
              testId="best-sources"
              rowKey={(s) => s.source ?? '(none)'}
              rows={advice.bestSources}
              columns={[
                { key: 'source', header: 'Source', render: (s) => s.source ?? '(none)' },
                { key: 'total', header: 'Leads', className: 'num', render: (s) => s.total },
                { key: 'converted', header: 'Converted', className: 'num', render: (s) => s.converted },
                { key: 'rate', header: 'Rate', className: 'num', render: (s) => formatPercent(s.conversionRate) },
                { key: 'score', header: 'Avg score', className: 'num', render: (s) => formatNumber(s.averageScore, 2) },
              ]}
            />
          )}
        </div>
        <div>
          <h3>Stale leads ({advice.staleLeadCount})</h3>
          {advice.staleLeads.length === 0 ? (
            <Empty>No open lead waits for a contact.</Empty>
          ) : (
            <DataTable
              testId="stale-leads"
              rowKey={(l) => l.id}
              rows={advice.staleLeads}
              columns={[
                { key: 'name', header: 'Lead', render: (l) => <Link to={`/leads/${l.id}`}>{l.name}</Link> },
                { key: 'status', header: 'Status', render: (l) => <StatusTag status={l.status} /> },
                { key: 'score', header: 'Score', className: 'num', render: (l) => l.score },
                { key: 'days', header: 'Days', className: 'num', render: (l) => l.daysSinceContact },
              ]}
            />
          )}
        </div>
      </div>
    </>
  );
}
