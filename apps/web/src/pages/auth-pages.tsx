import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api/endpoints';
import { useAuth } from '../auth';
import { Field, FormError, Notice } from '../components';

function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <div className="brand">Crescendo</div>
        <h1>{title}</h1>
        {children}
      </div>
    </div>
  );
}

export function LoginPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [form, setForm] = useState({ email: '', password: '', rememberMe: false });
  const mutation = useMutation({
    mutationFn: () => signIn(form.email, form.password, form.rememberMe),
    onSuccess: () => navigate(from, { replace: true }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <AuthCard title="Sign in">
      {notice && <Notice testId="login-notice">{notice}</Notice>}
      <form onSubmit={submit} noValidate>
        <FormError error={mutation.error} testId="login-error" />
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          data-testid="login-email"
          value={form.email}
          error={mutation.error}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-testid="login-password"
          value={form.password}
          error={mutation.error}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={form.rememberMe}
            onChange={(e) => setForm({ ...form, rememberMe: e.target.checked })}
          />
          Keep me signed in
        </label>
        <button className="primary wide" type="submit" disabled={mutation.isPending} data-testid="login-submit">
          {mutation.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="links">
        <Link to="/forgot-password">Forgot your password?</Link> · <Link to="/register">Create an account</Link>
      </p>
    </AuthCard>
  );
}

export function RegisterPage() {
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const mutation = useMutation({
    mutationFn: () => api.register(form),
    onSuccess: () =>
      navigate('/login', { state: { notice: 'Your account is ready: sign in to continue.' }, replace: true }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <AuthCard title="Create your account">
      <form onSubmit={submit} noValidate>
        <FormError error={mutation.error} testId="register-error" />
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          required
          data-testid="register-name"
          value={form.name}
          error={mutation.error}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          data-testid="register-email"
          value={form.email}
          error={mutation.error}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint="8 to 128 characters"
          data-testid="register-password"
          value={form.password}
          error={mutation.error}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <button className="primary wide" type="submit" disabled={mutation.isPending} data-testid="register-submit">
          {mutation.isPending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="links">
        Already registered? <Link to="/login">Sign in</Link>
      </p>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const mutation = useMutation({ mutationFn: () => api.requestPasswordReset(email) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <AuthCard title="Reset your password">
      {mutation.isSuccess ? (
        <Notice testId="forgot-sent">
          If an account uses {email}, a reset link is on its way. It is valid one hour.
        </Notice>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormError error={mutation.error} />
          <Field
            label="E-mail"
            name="email"
            type="email"
            autoComplete="email"
            required
            data-testid="forgot-email"
            value={email}
            error={mutation.error}
            onChange={(e) => setEmail(e.target.value)}
          />
          <button className="primary wide" type="submit" disabled={mutation.isPending} data-testid="forgot-submit">
            {mutation.isPending ? 'Sending…' : 'Send the reset link'}
          </button>
        </form>
      )}
      <p className="links">
        <Link to="/login">Back to sign in</Link>
      </p>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const mutation = useMutation({
    mutationFn: () => api.confirmPasswordReset(token, password),
    onSuccess: () =>
      navigate('/login', { state: { notice: 'Your password was changed: sign in with the new one.' }, replace: true }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== confirm);
    if (password === confirm) mutation.mutate();
  };
  return (
    <AuthCard title="Choose a new password">
      {!token ? (
        <div className="alert error" data-testid="reset-no-token">
          This link has no token. Ask for a <Link to="/forgot-password">new reset link</Link>.
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormError error={mutation.error} />
          {mutation.error && mutation.error instanceof Error && /token/i.test(mutation.error.message) && (
            <p className="hint">
              <Link to="/forgot-password">Ask for a new link</Link>
            </p>
          )}
          <Field
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            maxLength={128}
            hint="8 to 128 characters"
            data-testid="reset-password"
            value={password}
            error={mutation.error}
            onChange={(e) => setPassword(e.target.value)}
          />
          <label className="field">
            <span>Repeat it</span>
            <input
              type="password"
              autoComplete="new-password"
              data-testid="reset-confirm"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
            {mismatch && <small className="field-error">The two passwords differ.</small>}
          </label>
          <button className="primary wide" type="submit" disabled={mutation.isPending} data-testid="reset-submit">
            {mutation.isPending ? 'Saving…' : 'Set the new password'}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
