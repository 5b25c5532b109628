import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import type { ManagementSettingsDto } from '@crescendo/api-client';
import { api } from '../api/endpoints';
import { ApiError } from '../api/errors';
import { useAuth } from '../auth';
import { Empty, Field, FormError, Loading, Notice } from '../components';

const notLanded = (error: unknown) => error instanceof ApiError && error.status === 404;

export function ProfilePage() {
  const { me } = useAuth();
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>Profile &amp; settings</h1>
          <p className="muted">
            {me?.user.email} · {me?.workspace.name} ({me?.workspace.role})
          </p>
        </div>
      </header>
      <ProfileForm />
      <PasswordForm />
      <ManagementSettingsForm />
    </section>
  );
}

function ProfileForm() {
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const profile = useQuery({ queryKey: ['profile'], queryFn: api.getProfile, retry: false });
  const [form, setForm] = useState({ name: '', bio: '', timezone: '' });
  useEffect(() => {
    const p = profile.data;
    setForm({
      name: p?.name ?? me?.user.name ?? '',
      bio: p?.bio ?? '',
      timezone: p?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
  }, [profile.data, me?.user.name]);
  const save = useMutation({
    mutationFn: () => api.updateProfile({ ...form, bio: form.bio.trim() === '' ? null : form.bio }),
    onSuccess: (data) => {
      queryClient.setQueryData(['profile'], data);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  if (profile.isPending)
    return (
      <div className="card">
        <Loading />
      </div>
    );
  if (notLanded(profile.error)) {
    return (
      <div className="card">
        <h2>Profile</h2>
        <Empty testId="profile-unavailable">Profile editing is not available on this server yet.</Empty>
      </div>
    );
  }
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="profile-form">
      <h2>Profile</h2>
      {profile.isError && <FormError error={profile.error} />}
      <FormError error={save.error} />
      {save.isSuccess && <Notice>Profile saved.</Notice>}
      <div className="row">
        <Field
          label="Name"
          name="name"
          data-testid="profile-name"
          value={form.name}
          error={save.error}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <Field
          label="Time zone"
          name="timezone"
          placeholder="Europe/Paris"
          data-testid="profile-timezone"
          value={form.timezone}
          error={save.error}
          onChange={(e) => setForm({ ...form, timezone: e.target.value })}
        />
      </div>
      <label className="field">
        <span>Bio</span>
        <textarea
          name="bio"
          rows={3}
          data-testid="profile-bio"
          value={form.bio}
          onChange={(e) => setForm({ ...form, bio: e.target.value })}
        />
        {save.error instanceof ApiError && save.error.fieldError('bio') && (
          <small className="field-error">{save.error.fieldError('bio')}</small>
        )}
      </label>
      <button className="primary" type="submit" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save profile'}
      </button>
    </form>
  );
}

function PasswordForm() {
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' });
  const mutation = useMutation({
    mutationFn: () => api.updatePassword(form.currentPassword, form.newPassword),
    onSuccess: () => setForm({ currentPassword: '', newPassword: '' }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="password-form">
      <h2>Password</h2>
      <FormError error={mutation.error} />
      {mutation.isSuccess && <Notice testId="password-changed">Password changed.</Notice>}
      <div className="row">
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={form.currentPassword}
          error={mutation.error}
          onChange={(e) => setForm({ ...form, currentPassword: e.target.value })}
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={8}
          maxLength={128}
          hint="8 to 128 characters"
          value={form.newPassword}
          error={mutation.error}
          onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
        />
      </div>
      <button className="primary" type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

const THEMES: ManagementSettingsDto['theme'][] = ['system', 'light', 'dark'];
type Switch = 'emailNotifications' | 'pushNotifications' | 'marketingEmails' | 'compactMode';
const SWITCHES: [Switch, string][] = [
  ['emailNotifications', 'Notification e-mails'],
  ['pushNotifications', 'Push notifications'],
  ['marketingEmails', 'Product news and offers'],
  ['compactMode', 'Compact tables and lists'],
];

/** The signed-in user's preferences (GET/PUT /api/management/settings). */
function ManagementSettingsForm() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['management-settings'], queryFn: api.getManagementSettings, retry: false });
  const [draft, setDraft] = useState<ManagementSettingsDto | null>(null);
  useEffect(() => setDraft(settings.data ?? null), [settings.data]);
  const save = useMutation({
    mutationFn: (body: ManagementSettingsDto) =>
      api.updateManagementSettings({
        theme: body.theme,
        language: body.language,
        emailNotifications: body.emailNotifications,
        pushNotifications: body.pushNotifications,
        marketingEmails: body.marketingEmails,
        compactMode: body.compactMode,
      }),
    onSuccess: (data) => queryClient.setQueryData(['management-settings'], data),
  });
  if (settings.isPending) {
    return (
      <div className="card">
        <Loading />
      </div>
    );
  }
  if (notLanded(settings.error)) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="management-settings-form">
      <h2>Preferences</h2>
      <FormError error={settings.error ?? save.error} />
      {save.isSuccess && <Notice>Preferences saved.</Notice>}
      {!draft ? (
        <Empty>No preferences to change.</Empty>
      ) : (
        <>
          <div className="row">
            <label className="field">
              <span>Theme</span>
              <select
                name="theme"
                value={draft.theme}
                onChange={(e) => setDraft({ ...draft, theme: e.target.value as ManagementSettingsDto['theme'] })}
              >
                {THEMES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <Field
              label="Language"
              name="language"
              value={draft.language}
              error={save.error}
              onChange={(e) => setDraft({ ...draft, language: e.target.value })}
            />
          </div>
          {SWITCHES.map(([key, text]) => (
            <label className="check" key={key}>
              <input
                type="checkbox"
                name={key}
                checked={draft[key]}
                onChange={(e) => setDraft({ ...draft, [key]: e.target.checked })}
              />
              {text}
            </label>
          ))}
          <button className="primary" type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save preferences'}
          </button>
        </>
      )}
    </form>
  );
}
