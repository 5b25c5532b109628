import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { LANGUAGES, setLanguage, toLanguage } from '../../i18n';
import { api } from '../../api/endpoints';
import { useAuth } from '../../auth';
import { Field, FormError, NewPasswordField, Notice, SubmitButton, useFormMutation } from '../../components';

/** The e-mail box of the sign-in cards. */
function EmailField(props: Partial<Parameters<typeof Field>[0]>) {
  const { t } = useTranslation();
  return <Field label={t('auth.email')} name="email" type="email" autoComplete="email" required {...props} />;
}

function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <div className="auth-top">
          <div className="brand">{t('app.name')}</div>
          <select
            aria-label={t('authPages.language')}
            value={toLanguage(i18n.language)}
            onChange={(e) => setLanguage(e.target.value)}
            data-testid="auth-language"
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </div>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const form = useForm({ initialValues: { email: '', password: '', rememberMe: false } });
  const mutation = useFormMutation(form, {
    meta: { toast: false },
    mutationFn: (values: typeof form.values) => signIn(values.email, values.password, values.rememberMe),
    onSuccess: () => navigate(from, { replace: true }),
  });
  const submit = form.onSubmit((values) => mutation.mutate(values));
  return (
    <AuthCard title={t('auth.signInTitle')}>
      {notice && <Notice testId="login-notice">{notice}</Notice>}
      <form onSubmit={submit} noValidate>
        <FormError error={mutation.error} testId="login-error" />
        <EmailField data-testid="login-email" {...form.getInputProps('email')} />
        <Field
          label={t('auth.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-testid="login-password"
          {...form.getInputProps('password')}
        />
        <label className="check">
          <input type="checkbox" {...form.getInputProps('rememberMe', { type: 'checkbox' })} />
          {t('auth.rememberMe')}
        </label>
        <SubmitButton
          wide
          pending={mutation.isPending}
          label={t('auth.signIn')}
          pendingLabel={t('auth.signingIn')}
          testId="login-submit"
        />
      </form>
      <p className="links">
        <Link to="/forgot-password">{t('auth.forgot')}</Link> · <Link to="/register">{t('auth.createAccount')}</Link>
      </p>
    </AuthCard>
  );
}

export function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useForm({ initialValues: { name: '', email: '', password: '' } });
  const mutation = useFormMutation(form, {
    meta: { toast: false },
    mutationFn: (values: typeof form.values) => api.register(values),
    onSuccess: () => navigate('/login', { state: { notice: t('authPages.ready') }, replace: true }),
  });
  const submit = form.onSubmit((values) => mutation.mutate(values));
  return (
    <AuthCard title={t('authPages.registerTitle')}>
      <form onSubmit={submit} noValidate>
        <FormError error={mutation.error} testId="register-error" />
        <Field
          label={t('auth.name')}
          name="name"
          autoComplete="name"
          required
          data-testid="register-name"
          {...form.getInputProps('name')}
        />
        <EmailField data-testid="register-email" {...form.getInputProps('email')} />
        <NewPasswordField
          label={t('auth.password')}
          name="password"
          required
          hint={t('authPages.passwordHint')}
          data-testid="register-password"
          {...form.getInputProps('password')}
        />
        <SubmitButton
          wide
          pending={mutation.isPending}
          label={t('authPages.createAccount')}
          pendingLabel={t('authPages.creating')}
          testId="register-submit"
        />
      </form>
      <p className="links">
        {t('authPages.already')} <Link to="/login">{t('authPages.signIn')}</Link>
      </p>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const form = useForm({ initialValues: { email: '' } });
  const mutation = useFormMutation(form, {
    meta: { toast: false },
    mutationFn: (email: string) => api.requestPasswordReset(email),
  });
  const submit = form.onSubmit((values) => mutation.mutate(values.email));
  return (
    <AuthCard title={t('authPages.resetTitle')}>
      {mutation.isSuccess ? (
        <Notice testId="forgot-sent">{t('authPages.resetSent', { email: form.values.email })}</Notice>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormError error={mutation.error} />
          <EmailField data-testid="forgot-email" {...form.getInputProps('email')} />
          <SubmitButton
            wide
            pending={mutation.isPending}
            label={t('authPages.sendLink')}
            pendingLabel={t('authPages.sending')}
            testId="forgot-submit"
          />
        </form>
      )}
      <p className="links">
        <Link to="/login">{t('authPages.back')}</Link>
      </p>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: { confirm: (confirm, values) => (confirm === values.password ? null : t('authPages.differ')) },
  });
  const mutation = useFormMutation(form, {
    meta: { toast: false },
    mutationFn: (password: string) => api.confirmPasswordReset(token, password),
    onSuccess: () => navigate('/login', { state: { notice: t('authPages.passwordChanged') }, replace: true }),
  });
  const submit = form.onSubmit((values) => mutation.mutate(values.password));
  return (
    <AuthCard title={t('authPages.newPasswordTitle')}>
      {!token ? (
        <div className="alert error" data-testid="reset-no-token">
          {t('invitation.resetNoToken')} <Link to="/forgot-password">{t('invitation.askNewLink')}</Link>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormError error={mutation.error} />
          {mutation.error && mutation.error instanceof Error && /token/i.test(mutation.error.message) && (
            <p className="hint">
              <Link to="/forgot-password">{t('invitation.askNewLink')}</Link>
            </p>
          )}
          <NewPasswordField
            label={t('authPages.newPassword')}
            name="password"
            hint={t('authPages.passwordHint')}
            data-testid="reset-password"
            {...form.getInputProps('password')}
          />
          <label className="field">
            <span>{t('authPages.repeat')}</span>
            <input
              type="password"
              autoComplete="new-password"
              data-testid="reset-confirm"
              value={form.values.confirm}
              onChange={(e) => form.setFieldValue('confirm', e.target.value)}
            />
            {form.errors.confirm && <small className="field-error">{form.errors.confirm}</small>}
          </label>
          <SubmitButton
            wide
            pending={mutation.isPending}
            label={t('authPages.setPassword')}
            pendingLabel={t('authPages.saving')}
            testId="reset-submit"
          />
        </form>
      )}
    </AuthCard>
  );
}
