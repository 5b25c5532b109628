import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiKeyResponseDto, CreatedApiKeyResponseDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { FormError, PagedTable, formatDate, useCursor, type Column } from '../../components';
import { CreateKeyForm } from './create-key-form';
import { KeySecret } from './key-secret';
import { permissionKey } from '../../i18n/domain';

const KEYS = ['api-keys'] as const;
const PAGE_SIZE = 20;

export function ApiKeysPage() {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedApiKeyResponseDto | null>(null);
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{t('pages.apiKeysTitle')}</h1>
          <p className="muted">{t('pages.apiKeysSubtitle')}</p>
        </div>
      </header>
      {created && <KeySecret created={created} onDone={() => setCreated(null)} />}
      <CreateKeyForm onCreated={setCreated} />
      <div className="card">
        <h2>{t('team.keysTitle')}</h2>
        <KeysTable />
      </div>
    </section>
  );
}

function KeysTable() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { cursor, setCursor } = useCursor();
  const keys = useQuery({
    queryKey: [...KEYS, cursor],
    queryFn: () => api.listApiKeys({ cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const [confirming, setConfirming] = useState<string | null>(null);
  const revoke = useMutation({
    meta: { toast: 'toast.revoked' },
    mutationFn: (id: string) => api.revokeApiKey(id),
    onSuccess: () => {
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: KEYS });
    },
  });
  const columns: Column<ApiKeyResponseDto>[] = [
    { key: 'name', header: t('team.colName'), render: (key) => key.name },
    {
      key: 'prefix',
      header: t('team.colKey'),
      render: (key) => <code data-testid="apikey-prefix">{key.prefix}…</code>,
    },
    {
      key: 'scopes',
      header: t('team.colScopes'),
      render: (key) => (
        <div className="tags">
          {key.scopes.map((s) => (
            <span className="tag" key={s} title={t(permissionKey(s))}>
              {s}
            </span>
          ))}
        </div>
      ),
    },
    { key: 'lastUsedAt', header: t('team.colLastUsed'), render: (key) => formatDate(key.lastUsedAt, t('team.never')) },
    {
      key: 'expiresAt',
      header: t('team.colExpires'),
      render: (key) => (
        <>
          {formatDate(key.expiresAt, t('team.never'))}
          {!!key.expiresAt && new Date(key.expiresAt) < new Date() && (
            <span className="tag warn">{t('team.expired')}</span>
          )}
        </>
      ),
    },
    {
      key: 'manage',
      header: '',
      className: 'actions',
      render: (key) =>
        key.revokedAt ? (
          <span className="tag">{t('team.revoked')}</span>
        ) : confirming === key.id ? (
          <span className="confirm">
            {t('team.revokeQuestion', { name: key.name })}{' '}
            <button
              type="button"
              className="danger"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(key.id)}
              data-testid="apikey-revoke-confirm"
            >
              {t('team.revoke')}
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              {t('common.cancel')}
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="danger-outline"
            onClick={() => setConfirming(key.id)}
            data-testid="apikey-revoke"
          >
            {t('team.revoke')}
          </button>
        ),
    },
  ];
  return (
    <>
      <FormError error={revoke.error} />
      <PagedTable
        query={keys}
        empty={t('team.noKeys')}
        emptyTestId="apikeys-empty"
        onCursor={setCursor}
        columns={columns}
        rowKey={(key) => key.id}
        rowClassName={(key) => (key.revokedAt ? 'revoked' : undefined)}
        testId="apikeys-table"
        rowTestId="apikey-row"
      />
    </>
  );
}
