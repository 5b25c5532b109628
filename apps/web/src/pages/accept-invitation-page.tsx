import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { acceptInvitationByToken } from '@crescendo/api-client';
import '../api/client';
import { unwrap } from '../api/errors';
import { Field, FormError, Notice } from '../components';

/**
 * The mailed invitation link. The token alone joins an existing account; an e-mail without an account
 * (the answer is 400 ACCOUNT_SETUP_REQUIRED) chooses its name and password here.
 */
export function AcceptInvitationPage() {
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
        <div className="brand">Crescendo</div>
        <h1>Join a workspace</h1>
        {!token ? (
          <div className="alert error" data-testid="invitation-no-token">
            This link has no invitation token.
          </div>
        ) : mutation.isSuccess ? (
          <Notice testId="invitation-accepted">
            You joined {mutation.data.workspace.name} as {mutation.data.role}. <Link to="/login">Sign in</Link>.
          </Notice>
        ) : (
          <form onSubmit={submit} noValidate>
            <FormError error={mutation.error} />
            <p className="hint">Nothing changes until you accept. New to Crescendo? Choose your name and password.</p>
            <Field
              label="Your name (new account only)"
              name="name"
              maxLength={200}
              value={name}
              error={mutation.error}
              onChange={(e) => setName(e.target.value)}
            />
            <Field
              label="Password (new account only)"
              name="password"
              type="password"
              autoComplete="new-password"
              minLength={8}
              maxLength={128}
              value={password}
              error={mutation.error}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button
              className="primary wide"
              type="submit"
              disabled={mutation.isPending}
              data-testid="invitation-accept"
            >
              {mutation.isPending ? 'Joining…' : 'Accept the invitation'}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
