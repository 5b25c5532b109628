import { i18n } from '../../i18n';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { SegmentDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/errors';
import { useAuth } from '../../auth';
import {
  DateCell,
  deleteColumn,
  Field,
  FormError,
  Notice,
  PagedTable,
  PageHeader,
  QueryView,
  TextAreaField,
  type Column,
  useCursor,
  useDebounced,
  useFormatTotal,
} from '../../components';
import { StatusTag } from '../../crm';
import { RuleGroupEditor, emptyGroup, type RuleGroup } from '../../rule-builder';

export const segmentsKey = ['segments'] as const;
const segmentKey = (id: string) => ['segment', id] as const;

export function SegmentsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const write = can('leads:write');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const { cursor, setCursor } = useCursor();
  const formatTotal = useFormatTotal();
  const segments = useQuery({
    queryKey: [...segmentsKey, q, cursor],
    queryFn: () => api.listSegments({ cursor, pageSize: 20, q: q || undefined }),
    placeholderData: keepPreviousData,
  });
  const queryClient = useQueryClient();
  const remove = useMutation({
    meta: { toast: 'toast.deleted' },
    mutationFn: (id: string) => api.deleteSegment(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: segmentsKey }),
  });
  const columns: Column<SegmentDto>[] = [
    {
      key: 'name',
      header: i18n.t('segments.colSegment'),
      render: (s) => (
        <Link to={`/segments/${s.id}`} data-testid="segment-link">
          {s.name}
        </Link>
      ),
    },
    { key: 'description', header: i18n.t('segments.colDescription'), render: (s) => s.description ?? '—' },
    {
      key: 'count',
      header: i18n.t('segments.colLeadsNow'),
      className: 'num',
      render: (s) => <span data-testid="segment-count">{formatTotal(s.leadCount, s.leadCountIsEstimate)}</span>,
    },
    { key: 'updatedAt', header: i18n.t('segments.colChanged'), render: (s) => <DateCell value={s.updatedAt} /> },
  ];
  if (write) {
    columns.push(
      deleteColumn({
        label: i18n.t('segments.delete'),
        onConfirm: (s) => remove.mutate(s.id),
        testId: 'segment-delete',
      }),
    );
  }
  return (
    <section>
      <PageHeader title={t('pages.segmentsTitle')} subtitle={t('pages.segmentsSubtitle')}>
        {write && (
          <Link to="/segments/new" className="button primary" data-testid="segment-new">
            {i18n.t('segments.new')}
          </Link>
        )}
      </PageHeader>
      <div className="card">
        <div className="filter-row">
          <Field
            label={i18n.t('segments.search')}
            name="q"
            type="search"
            value={search}
            error={segments.error}
            onChange={(e) => {
              setSearch(e.target.value);
              setCursor(null);
            }}
          />
        </div>
        <FormError error={remove.error} />
        <PagedTable
          query={segments}
          emptyTestId="segments-empty"
          empty={q ? i18n.t('segments.emptyFiltered') : i18n.t('segments.empty')}
          onCursor={setCursor}
          columns={columns}
          rowKey={(s) => s.id}
          testId="segments-table"
          rowTestId="segment-row"
        />
      </div>
    </section>
  );
}

/** /segments/new and /segments/:id: the editor, the live count, and (saved) the segment's leads. */
export function SegmentDetailPage() {
  const { id = 'new' } = useParams();
  const segment = useQuery({
    queryKey: segmentKey(id),
    queryFn: () => api.getSegment(id),
    enabled: id !== 'new',
  });
  return (
    <section>
      <p>
        <Link to="/segments">{i18n.t('segments.back')}</Link>
      </p>
      {id === 'new' ? (
        <SegmentEditor />
      ) : (
        <QueryView query={segment}>
          {(s) => (
            <>
              <SegmentEditor key={s.id} segment={s} />
              <SegmentLeads segment={s} />
            </>
          )}
        </QueryView>
      )}
    </section>
  );
}

function SegmentEditor({ segment }: { segment?: SegmentDto }) {
  const { can } = useAuth();
  const write = can('leads:write');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      name: segment?.name ?? '',
      description: segment?.description ?? '',
      rules: (segment?.rules as RuleGroup | undefined) ?? emptyGroup(),
    },
  });
  const { rules } = form.values;
  // the count follows the rules being edited, after a pause in typing
  const settled = useDebounced(JSON.stringify(rules), 400);
  const preview = useQuery({
    queryKey: [...segmentsKey, 'preview', settled],
    queryFn: () => api.previewSegment(JSON.parse(settled) as RuleGroup, 5),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const save = useMutation({
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: ({ name, description }: typeof form.values) => {
      const body = { name, description: description.trim() || null, rules };
      return segment ? api.updateSegment(segment.id, body) : api.createSegment(body);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: segmentsKey });
      queryClient.setQueryData(segmentKey(saved.id), saved);
      if (!segment) navigate(`/segments/${saved.id}`, { replace: true });
    },
  });
  const error = save.error ?? preview.error;
  return (
    <div className="columns">
      <form
        className="card"
        onSubmit={form.onSubmit((values) => save.mutate(values))}
        noValidate
        data-testid="segment-form"
      >
        <h1>{segment ? segment.name : i18n.t('segments.new')}</h1>
        <FormError error={save.error} testId="segment-form-error" />
        {save.isSuccess && <Notice testId="segment-saved">{i18n.t('segments.saved')}</Notice>}
        <fieldset className="plain" disabled={!write}>
          <Field
            label={i18n.t('segments.name')}
            name="name"
            required
            data-testid="segment-name"
            value={form.values.name}
            error={save.error}
            onChange={(e) => form.setFieldValue('name', e.target.value)}
          />
          <TextAreaField
            label={i18n.t('segments.description')}
            name="description"
            rows={2}
            value={form.values.description}
            error={save.error}
            onChange={(e) => form.setFieldValue('description', e.target.value)}
          />
          <div className="field">
            <span>{i18n.t('segments.rules')}</span>
            <RuleGroupEditor group={rules} onChange={(group) => form.setFieldValue('rules', group)} error={error} />
          </div>
        </fieldset>
        {write && (
          <button className="primary" type="submit" disabled={save.isPending} data-testid="segment-submit">
            {save.isPending ? i18n.t('segments.saving') : segment ? i18n.t('segments.save') : i18n.t('segments.create')}
          </button>
        )}
      </form>
      <div className="card" data-testid="segment-preview">
        <h2>{i18n.t('segments.matchingNow')}</h2>
        {preview.isPending ? null : preview.isError ? (
          preview.error instanceof ApiError && preview.error.details.some((d) => d.field?.startsWith('rules')) ? (
            <p className="field-error" data-testid="segment-preview-invalid">
              {i18n.t('segments.fixRules')}
            </p>
          ) : (
            <FormError error={preview.error} testId="segment-preview-error" />
          )
        ) : (
          <>
            <p className="big-count">
              <strong data-testid="segment-preview-count">{preview.data.count}</strong>{' '}
              {preview.data.count === 1 ? 'lead' : 'leads'}
              {preview.isFetching && <span className="spinner" aria-hidden />}
            </p>
            <ul className="plain-list">
              {preview.data.leads.map((lead) => (
                <li key={lead.id}>
                  <Link to={`/leads/${lead.id}`}>{lead.name}</Link> <StatusTag status={lead.status} />{' '}
                  <span className="muted small">score {lead.score}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

function SegmentLeads({ segment }: { segment: SegmentDto }) {
  const { cursor, setCursor } = useCursor();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const leads = useQuery({
    queryKey: [...segmentKey(segment.id), 'leads', cursor, q],
    queryFn: () => api.listSegmentLeads(segment.id, { cursor, pageSize: 20, q: q || undefined }),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="card" data-testid="segment-leads">
      <h2>{i18n.t('segments.leadsOf')}</h2>
      <div className="filter-row">
        <Field
          label={i18n.t('segments.search')}
          name="q"
          type="search"
          value={search}
          error={leads.error}
          onChange={(e) => {
            setSearch(e.target.value);
            setCursor(null);
          }}
        />
      </div>
      <PagedTable
        query={leads}
        empty={i18n.t('segments.noLead')}
        onCursor={setCursor}
        rowKey={(l) => l.id}
        rowTestId="segment-lead-row"
        columns={[
          {
            key: 'name',
            header: i18n.t('segments.colLead'),
            render: (l) => <Link to={`/leads/${l.id}`}>{l.name}</Link>,
          },
          { key: 'status', header: i18n.t('segments.colStatus'), render: (l) => <StatusTag status={l.status} /> },
          { key: 'score', header: i18n.t('segments.colScore'), className: 'num', render: (l) => l.score },
          { key: 'createdAt', header: i18n.t('segments.colCreated'), render: (l) => <DateCell value={l.createdAt} /> },
        ]}
      />
    </div>
  );
}
