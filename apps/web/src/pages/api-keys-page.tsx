import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ApiKeyResponseDto, CreatedApiKeyResponseDto } from '@crescendo/api-client';
import { api, type PermissionName } from '../api/endpoints';
import { ApiError } from '../api/errors';
import { useAuth } from '../auth';
import { Empty, Field, FormError, Loading, formatDate } from '../components';

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
      {created && <SecretOnce created={created} onDone={() => setCreated(null)} />}
      <CreateKeyForm onCreated={setCreated} />
      <div className="card">
        <h2>Keys of this workspace</h2>
        {keys.isPending ? (
          <Loading />
        ) : keys.isError ? (
          <FormError error={keys.error} />
        ) : keys.data.length === 0 ? (
          <Empty testId="apikeys-empty">No API keys yet. Create one above.</Empty>
        ) : (
          <KeysTable keys={keys.data} />
        )}
      </div>
    </section>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKeyResponseDto) => void }) {
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const permissions = useQuery({ queryKey: ['permissions'], queryFn: api.listPermissions, staleTime: 10 * 60_000 });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<PermissionName[]>([]);
  const [expiry, setExpiry] = useState('');
  const mutation = useMutation({
    mutationFn: () =>
      api.createApiKey({
        name: name.trim(),
        scopes,
        ...(expiry ? { expiresAt: new Date(`${expiry}T23:59:59`).toISOString() } : {}),
      }),
    onSuccess: (key) => {
      onCreated(key);
      setName('');
      setScopes([]);
      setExpiry('');
      void queryClient.invalidateQueries({ queryKey: KEYS });
    },
  });
  const mine = new Set(me?.permissions ?? []);
  const toggle = (scope: PermissionName) =>
    setScopes((current) => (current.includes(scope) ? current.filter((s) => s !== scope) : [...current, scope]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  const scopesMessage = mutation.error instanceof ApiError ? mutation.error.fieldError('scopes') : undefined;
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="apikey-form">
      <h2>Create a key</h2>
      <FormError error={mutation.error} testId="apikey-error" />
      <div className="row">
        <Field
          label="Name"
          name="name"
          required
          placeholder="Zapier import"
          maxLength={100}
          data-testid="apikey-name"
          value={name}
          error={mutation.error}
          onChange={(e) => setName(e.target.value)}
        />
        <Field
          label="Expires on (optional)"
          name="expiresAt"
          type="date"
          data-testid="apikey-expiry"
          min={new Date().toISOString().slice(0, 10)}
          value={expiry}
          error={mutation.error}
          onChange={(e) => setExpiry(e.target.value)}
        />
      </div>
      <fieldset className="scopes">
        <legend>Scopes</legend>
        {permissions.isPending ? (
          <Loading label="Loading permissions…" />
        ) : permissions.isError ? (
          <FormError error={permissions.error} />
        ) : (
          permissions.data.map((p) => (
            <label key={p.name} className={`check scope${mine.has(p.name) ? '' : ' disabled'}`} title={p.description}>
              <input
                type="checkbox"
                data-testid={`apikey-scope-${p.name}`}
                disabled={!mine.has(p.name)}
                checked={scopes.includes(p.name)}
                onChange={() => toggle(p.name)}
              />
              <code>{p.name}</code>
              <span className="muted">{p.description}</span>
            </label>
          ))
        )}
        {scopesMessage && (
          <small className="field-error" data-testid="error-scopes">
            {scopesMessage}
          </small>
        )}
      </fieldset>
      <button className="primary" type="submit" disabled={mutation.isPending} data-testid="apikey-create">
        {mutation.isPending ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}

function SecretOnce({ created, onDone }: { created: CreatedApiKeyResponseDto; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div className="card secret" data-testid="apikey-secret-panel">
      <h2>Key “{created.name}” created</h2>
      <p>Copy the secret now: it is shown only this once and cannot be recovered.</p>
      <div className="secret-row">
        <code data-testid="apikey-secret">{created.key}</code>
        <button type="button" onClick={copy} data-testid="apikey-copy">
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'no' && (
        <small className="field-error">The browser refused the clipboard: select the key and copy it.</small>
      )}
      <button type="button" className="link" onClick={onDone} data-testid="apikey-done">
        I have stored it
      </button>
    </div>
  );
}

function KeysTable({ keys }: { keys: ApiKeyResponseDto[] }) {
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
            <th>Name</th>
            <th>Key</th>
            <th>Scopes</th>
            <th>Last used</th>
            <th>Expires</th>
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
                      <span className="tag" key={s}>
                        {s}
                      </span>
                    ))}
                  </div>
                </td>
                <td>{formatDate(key.lastUsedAt, 'Never')}</td>
                <td>
                  {formatDate(key.expiresAt, 'Never')}
                  {expired && <span className="tag warn">expired</span>}
                </td>
                <td className="actions">
                  {key.revokedAt ? (
                    <span className="tag">revoked</span>
                  ) : confirming === key.id ? (
                    <span className="confirm">
                      Revoke “{key.name}”?{' '}
                      <button
                        type="button"
                        className="danger"
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate(key.id)}
                        data-testid="apikey-revoke-confirm"
                      >
                        Revoke
                      </button>
                      <button type="button" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="danger-outline"
                      onClick={() => setConfirming(key.id)}
                      data-testid="apikey-revoke"
                    >
                      Revoke
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
