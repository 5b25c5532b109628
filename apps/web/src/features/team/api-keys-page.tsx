import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiKeyResponseDto, CreatedApiKeyResponseDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { Empty, FormError, Loading, formatDate } from '../../components';
import { CreateKeyForm } from './create-key-form';
import { KeySecret } from './key-secret';
import { permissionKey } from '../../i18n/domain';

const KEYS = ['api-keys'] as const;

export function ApiKeysPage() {
  const { t } = useTranslation();
  const keys = useQuery({ queryKey: KEYS, queryFn: api.listApiKeys });
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
        {keys.isPending ? (
          <Loading />
        ) : keys.isError ? (
          <FormError error={keys.error} />
        ) : keys.data.length === 0 ? (
          <Empty testId="apikeys-empty">{t('team.noKeys')}</Empty>
        ) : (
          <KeysTable keys={keys.data} />
        )}
      </div>
    </section>
  );
}

function KeysTable({ keys }: { keys: ApiKeyResponseDto[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<string | null>(null);
  const revoke = useMutation({
    meta: { toast: 'toast.revoked' },
    mutationFn: (id: string) => api.revokeApiKey(id),
    onSuccess: () => {
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: KEYS });
    },
  });
  return (
    <>
      <FormError error={revoke.error} />
      <table data-testid="apikeys-table">
        <thead>
          <tr>
            <th>{t('team.colName')}</th>
            <th>{t('team.colKey')}</th>
            <th>{t('team.colScopes')}</th>
            <th>{t('team.colLastUsed')}</th>
            <th>{t('team.colExpires')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const expired = !!key.expiresAt && new Date(key.expiresAt) < new Date();
            return (
              <tr key={key.id} data-testid="apikey-row" className={key.revokedAt ? 'revoked' : undefined}>
                <td>{key.name}</td>
                <td>
                  <code data-testid="apikey-prefix">{key.prefix}…</code>
                </td>
                <td>
                  <div className="tags">
                    {key.scopes.map((s) => (
                      <span className="tag" key={s} title={t(permissionKey(s))}>
                        {s}
                      </span>
                    ))}
                  </div>
                </td>
                <td>{formatDate(key.lastUsedAt, t('team.never'))}</td>
                <td>
                  {formatDate(key.expiresAt, t('team.never'))}
                  {expired && <span className="tag warn">{t('team.expired')}</span>}
                </td>
                <td className="actions">
                  {key.revokedAt ? (
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
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
