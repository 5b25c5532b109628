import { useTranslation } from 'react-i18next';
import { notifications } from '@mantine/notifications';
import { i18n } from '../../i18n';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { NicheResponseDto } from '@crescendo/api-client';
import { api, type NicheQuery } from '../../api/endpoints';
import { useAuth } from '../../auth';
import {
  ConfirmButton,
  DateCell,
  deleteColumn,
  Field,
  FilterBar,
  FormError,
  Notice,
  PagedTable,
  QueryView,
  TagInput,
  TextAreaField,
  type Column,
  useDebounced,
  useFormMutation,
  useListControls,
} from '../../components';
import { nichesKey } from '../../crm';
import { Recommendations, Stats } from './niche-insights';

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
    columns.push(
      deleteColumn({
        label: t('niches.delete'),
        question: (n) =>
          n.leadCount ? t('niches.deleteWithLeads', { count: n.leadCount }) : t('niches.deleteQuestion'),
        disabled: remove.isPending,
        onConfirm: (n) => remove.mutate(n.id),
        testId: 'niche-delete',
      }),
    );
  }

  return (
    <section>
      <header className="page-header">
        <h1>{t('pages.nichesTitle')}</h1>
        <p className="muted">{t('pages.nichesSubtitle')}</p>
      </header>
      {write && <NicheEditor onSaved={refresh} />}
      <div className="card">
        <FilterBar
          className="row"
          filters={filters}
          filter={filter}
          error={niches.error}
          fields={[
            {
              key: 'search',
              name: 'q',
              label: t('niches.search'),
              search: true,
              placeholder: t('niches.searchHint'),
              testId: 'niche-search',
            },
          ]}
        />
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
  const form = useForm<NicheForm>({ initialValues: toForm(niche) });
  const save = useFormMutation(form, {
    meta: { toast: false },
    mutationFn: (values: NicheForm) => {
      const body = { name: values.name, description: values.description.trim() || null, keywords: values.keywords };
      return niche ? api.updateNiche(niche.id, body) : api.createNiche(body);
    },
    onSuccess: (saved) => {
      // a new form after a creation; the stored values after an edit
      form.setValues(toForm(niche && saved));
      notifications.show({ color: 'green', message: i18n.t('niches.saved', { name: saved.name }) });
      onSaved(saved);
    },
  });
  return (
    <form
      className="card"
      onSubmit={form.onSubmit((values) => save.mutate(values))}
      noValidate
      data-testid="niche-form"
    >
      <h2>{niche ? i18n.t('niche.editTitle') : i18n.t('niche.newTitle')}</h2>
      <FormError error={save.error} testId="niche-form-error" />
      {save.isSuccess && (
        <Notice testId="niche-saved">
          {niche ? i18n.t('niche.savedShort') : <Link to={`/niches/${save.data.id}`}>{save.data.name}</Link>}
          {niche ? null : i18n.t('niche.created')}
        </Notice>
      )}
      <div className="row">
        <Field
          label={i18n.t('niche.name')}
          name="name"
          required
          data-testid="niche-name"
          {...form.getInputProps('name')}
        />
        <TagInput
          label={i18n.t('niche.keywords')}
          name="keywords"
          placeholder={i18n.t('niche.keywordHint')}
          value={form.values.keywords}
          onChange={(keywords) => form.setFieldValue('keywords', keywords)}
          error={form.errors.keywords}
        />
      </div>
      <TextAreaField
        label={i18n.t('niche.description')}
        name="description"
        rows={2}
        data-testid="niche-description"
        {...form.getInputProps('description')}
      />
      <button className="primary" type="submit" disabled={save.isPending} data-testid="niche-submit">
        {save.isPending ? i18n.t('niche.saving') : niche ? i18n.t('niche.save') : i18n.t('niche.create')}
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
    meta: { toast: 'toast.deleted' },
    mutationFn: () => api.deleteNiche(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: nichesKey });
      navigate('/niches');
    },
  });
  return (
    <section>
      <p>
        <Link to="/niches">{i18n.t('niche.back')}</Link>
      </p>
      <QueryView query={niche}>
        {(data) => (
          <>
            <header className="page-header split">
              <div>
                <h1 data-testid="niche-title">{data.name}</h1>
                <p className="muted">
                  {data.description ?? i18n.t('niche.noDescription')} ·{' '}
                  <Link to={`/leads?nicheId=${data.id}`}>{i18n.t('niche.itsLeads')}</Link>
                </p>
              </div>
              {can('leads:write') && (
                <ConfirmButton
                  label={i18n.t('niche.deleteNiche')}
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
        <h2>{i18n.t('niche.figures')}</h2>
        <QueryView query={stats}>{(data) => <Stats stats={data} />}</QueryView>
      </div>
      <div className="card" data-testid="niche-recommendations">
        <h2>{i18n.t('niche.recommendations')}</h2>
        <QueryView query={advice}>{(data) => <Recommendations advice={data} />}</QueryView>
      </div>
    </section>
  );
}
