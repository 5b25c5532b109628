import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api, type ManagementSettings } from '../api/endpoints';
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
      name: (p?.name as string | undefined) ?? me?.user.name ?? '',
      bio: (p?.bio as string | null | undefined) ?? '',
      timezone: (p?.timezone as string | null | undefined) ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
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

type Primitive = string | number | boolean;
const isPrimitive = (v: unknown): v is Primitive => ['string', 'number', 'boolean'].includes(typeof v);
const THEMES = ['system', 'light', 'dark'];
const LABELS: Record<string, string> = {
  theme: 'Theme',
  language: 'Language',
  emailNotifications: 'Notification e-mails',
  pushNotifications: 'Push notifications',
  marketingEmails: 'Product news and offers',
  compactMode: 'Compact tables and lists',
};
const label = (key: string) => LABELS[key] ?? key.replace(/([A-Z])/g, ' $1').toLowerCase();

/** The signed-in user's preferences (GET/PUT /api/management/settings), whatever flat values they hold. */
function ManagementSettingsForm() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['management-settings'], queryFn: api.getManagementSettings, retry: false });
  const [draft, setDraft] = useState<ManagementSettings>({});
  useEffect(() => setDraft(settings.data ?? {}), [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      api.updateManagementSettings(Object.fromEntries(Object.entries(draft).filter(([, v]) => isPrimitive(v)))),
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
  const entries = Object.entries(draft).filter(([, v]) => isPrimitive(v)) as [string, Primitive][];
  const texts = entries.filter(([, v]) => typeof v !== 'boolean');
  const switches = entries.filter(([, v]) => typeof v === 'boolean') as [string, boolean][];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="management-settings-form">
      <h2>Preferences</h2>
      <FormError error={settings.error ?? save.error} />
      {save.isSuccess && <Notice>Preferences saved.</Notice>}
      {entries.length === 0 ? (
        <Empty>No preferences to change.</Empty>
      ) : (
        <>
          <div className="row">
            {texts.map(([key, value]) =>
              key === 'theme' ? (
                <label className="field" key={key}>
                  <span>{label(key)}</span>
                  <select value={String(value)} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}>
                    {Array.from(new Set([String(value), ...THEMES])).map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </label>
              ) : (
                <Field
                  key={key}
                  label={label(key)}
                  name={key}
                  type={typeof value === 'number' ? 'number' : 'text'}
                  value={String(value)}
                  error={save.error}
                  onChange={(e) =>
                    setDraft({ ...draft, [key]: typeof value === 'number' ? Number(e.target.value) : e.target.value })
                  }
                />
              ),
            )}
          </div>
          {switches.map(([key, value]) => (
            <label className="check" key={key}>
              <input
                type="checkbox"
                checked={value}
                onChange={(e) => setDraft({ ...draft, [key]: e.target.checked })}
              />
              {label(key)}
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
