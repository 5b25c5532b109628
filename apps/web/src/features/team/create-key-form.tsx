import { useForm } from '@mantine/form';
import { DateField } from '../../ui/date-field';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CreatedApiKeyResponseDto } from '@crescendo/api-client';
import { api, type PermissionName } from '../../api/endpoints';
import { useAuth } from '../../auth';
import { Field, FieldMessage, FormError, Loading, useFormMutation } from '../../components';
import { permissionKey } from '../../i18n/domain';

interface Values {
  name: string;
  scopes: PermissionName[];
  expiresAt: string;
}

/** Creates an API key with the scopes the caller has; the secret shows once after (onCreated). */
export function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKeyResponseDto) => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const permissions = useQuery({ queryKey: ['permissions'], queryFn: api.listPermissions, staleTime: 10 * 60_000 });
  const form = useForm<Values>({ initialValues: { name: '', scopes: [], expiresAt: '' } });
  const mutation = useFormMutation(form, {
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: ({ name, scopes, expiresAt }: Values) =>
      api.createApiKey({
        name: name.trim(),
        scopes,
        ...(expiresAt ? { expiresAt: new Date(`${expiresAt}T23:59:59`).toISOString() } : {}),
      }),
    onSuccess: (key) => {
      onCreated(key);
      form.reset();
    },
  });
  const mine = new Set(me?.permissions ?? []);
  const scopes = form.values.scopes;
  const toggle = (scope: PermissionName) =>
    form.setFieldValue('scopes', scopes.includes(scope) ? scopes.filter((s) => s !== scope) : [...scopes, scope]);
  return (
    <form
      className="card"
      onSubmit={form.onSubmit((values) => mutation.mutate(values))}
      noValidate
      data-testid="apikey-form"
    >
      <h2>{t('team.createTitle')}</h2>
      <FormError error={mutation.error} testId="apikey-error" />
      <div className="row">
        <Field
          label={t('team.name')}
          required
          placeholder={t('team.namePlaceholder')}
          maxLength={100}
          {...form.getInputProps('name')}
          name="name"
          data-testid="apikey-name"
        />
        <DateField
          label={t('team.expiresOn')}
          minDate={new Date().toISOString().slice(0, 10)}
          name="expiresAt"
          testId="apikey-expiry"
          value={form.values.expiresAt}
          onChange={(expiresAt) => form.setFieldValue('expiresAt', expiresAt)}
          error={form.errors.expiresAt}
        />
      </div>
      <fieldset className="scopes">
        <legend>
          {t('team.scopes')}
          <abbr className="required-mark" title={t('common.required')}>
            *
          </abbr>
        </legend>
        {permissions.isPending ? (
          <Loading label={t('team.loadingPermissions')} />
        ) : permissions.isError ? (
          <FormError error={permissions.error} />
        ) : (
          permissions.data.map((p) => (
            <label key={p.name} className={`check scope${mine.has(p.name) ? '' : ' disabled'}`}>
              <input
                type="checkbox"
                data-testid={`apikey-scope-${p.name}`}
                disabled={!mine.has(p.name)}
                checked={scopes.includes(p.name)}
                onChange={() => toggle(p.name)}
              />
              <code>{p.name}</code>
              <span className="muted">{t(permissionKey(p.name))}</span>
            </label>
          ))
        )}
        <FieldMessage name="scopes" error={form.errors.scopes} />
      </fieldset>
      <button className="primary" type="submit" disabled={mutation.isPending} data-testid="apikey-create">
        {mutation.isPending ? t('team.creating') : t('team.create')}
      </button>
    </form>
  );
}
