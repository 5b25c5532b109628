import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { acceptInvitationByToken } from '@crescendo/api-client';
import '../../api/client';
import { unwrap } from '../../api/errors';
import { Field, FormError, NewPasswordField, Notice, SubmitButton } from '../../components';

/**
 * The mailed invitation link. The token alone joins an existing account; an e-mail without an account
 * (the answer is 400 ACCOUNT_SETUP_REQUIRED) chooses its name and password here.
 */
export function AcceptInvitationPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    meta: { toast: false },
    mutationFn: () =>
      unwrap(
        acceptInvitationByToken({
          body: { token, ...(name ? { name } : {}), ...(password ? { password } : {}) },
        }),
      ),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <div className="brand">{t('app.name')}</div>
        <h1>{t('invitation.title')}</h1>
        {!token ? (
          <div className="alert error" data-testid="invitation-no-token">
            {t('invitation.noToken')}
          </div>
        ) : mutation.isSuccess ? (
          <Notice testId="invitation-accepted">
            {t('invitation.joined', {
              workspace: mutation.data.workspace.name,
              role: i18n.exists(`domain.roles.${mutation.data.role}`)
                ? t(`domain.roles.${mutation.data.role}`)
                : mutation.data.role,
            })}{' '}
            <Link to="/login">{t('invitation.signIn')}</Link>
          </Notice>
        ) : (
          <form onSubmit={submit} noValidate>
            <FormError error={mutation.error} />
            <p className="hint">{t('invitation.hint')}</p>
            <Field
              label={t('invitation.name')}
              name="name"
              maxLength={200}
              value={name}
              error={mutation.error}
              onChange={(e) => setName(e.target.value)}
            />
            <NewPasswordField
              label={t('invitation.password')}
              name="password"
              value={password}
              error={mutation.error}
              onChange={(e) => setPassword(e.target.value)}
            />
            <SubmitButton
              wide
              pending={mutation.isPending}
              label={t('invitation.accept')}
              pendingLabel={t('invitation.joining')}
              testId="invitation-accept"
            />
          </form>
        )}
      </div>
    </div>
  );
}
