import { useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useForm } from '@mantine/form';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ManagementSettingsDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/errors';
import { useAuth } from '../../auth';
import {
  Empty,
  Field,
  FormError,
  Loading,
  NewPasswordField,
  Notice,
  SelectField,
  SubmitButton,
  useFormMutation,
} from '../../components';
import { SETTINGS_KEY, useSavePreferences } from '../../app/preferences';
import { LANGUAGES, roleLabel, toLanguage } from '../../i18n';

const notLanded = (error: unknown) => error instanceof ApiError && error.status === 404;

export function ProfilePage() {
  const { me } = useAuth();
  const { t } = useTranslation();
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{t('profile.title')}</h1>
          <p className="muted">
            {me?.user.email} · {me?.workspace.name} ({me && roleLabel(me.workspace.role)})
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
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const profile = useQuery({ queryKey: ['profile'], queryFn: api.getProfile, retry: false });
  const form = useForm({ initialValues: { name: '', bio: '', timezone: '' } });
  const { setValues } = form;
  useEffect(() => {
    const p = profile.data;
    setValues({
      name: p?.name ?? me?.user.name ?? '',
      bio: p?.bio ?? '',
      timezone: p?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
  }, [profile.data, me?.user.name, setValues]);
  const save = useFormMutation(form, {
    meta: { toast: false },
    mutationFn: (values: typeof form.values) =>
      api.updateProfile({ ...values, bio: values.bio.trim() === '' ? null : values.bio }),
    onSuccess: (data) => {
      queryClient.setQueryData(['profile'], data);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      notifications.show({ color: 'green', message: t('profile.profileSaved') });
    },
    onError: () => notifications.show({ color: 'red', message: t('toast.saveFailed') }),
  });
  if (profile.isPending)
    return (
      <div className="card">
        <Loading />
      </div>
    );
  if (notLanded(profile.error)) {
    return (
      <div className="card">
        <h2>{t('profile.profile')}</h2>
        <Empty testId="profile-unavailable">{t('profile.unavailable')}</Empty>
      </div>
    );
  }
  return (
    <form
      className="card"
      onSubmit={form.onSubmit((values) => save.mutate(values))}
      noValidate
      data-testid="profile-form"
    >
      <h2>{t('profile.profile')}</h2>
      {profile.isError && <FormError error={profile.error} />}
      <FormError error={save.error} />
      {save.isSuccess && <Notice>{t('profile.profileSaved')}</Notice>}
      <div className="row">
        <Field
          label={t('profile.name')}
          name="name"
          required
          data-testid="profile-name"
          {...form.getInputProps('name')}
        />
        <Field
          label={t('profile.timezone')}
          name="timezone"
          placeholder="Europe/Paris"
          data-testid="profile-timezone"
          {...form.getInputProps('timezone')}
        />
      </div>
      <label className="field">
        <span>{t('profile.bio')}</span>
        <textarea
          name="bio"
          rows={3}
          data-testid="profile-bio"
          value={form.values.bio}
          onChange={(e) => form.setFieldValue('bio', e.target.value)}
        />
        {form.errors.bio && <small className="field-error">{form.errors.bio}</small>}
      </label>
      <SubmitButton pending={save.isPending} label={t('profile.saveProfile')} pendingLabel={t('common.saving')} />
    </form>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const form = useForm({ initialValues: { currentPassword: '', newPassword: '' } });
  const mutation = useFormMutation(form, {
    mutationFn: (values: typeof form.values) => api.updatePassword(values.currentPassword, values.newPassword),
    onSuccess: () => form.reset(),
  });
  return (
    <form
      className="card"
      onSubmit={form.onSubmit((values) => mutation.mutate(values))}
      noValidate
      data-testid="password-form"
    >
      <h2>{t('profile.password')}</h2>
      <FormError error={mutation.error} />
      {mutation.isSuccess && <Notice testId="password-changed">{t('profile.passwordChanged')}</Notice>}
      <div className="row">
        <Field
          label={t('profile.currentPassword')}
          required
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          {...form.getInputProps('currentPassword')}
        />
        <NewPasswordField
          label={t('profile.newPassword')}
          required
          name="newPassword"
          hint={t('profile.passwordHint')}
          {...form.getInputProps('newPassword')}
        />
      </div>
      <SubmitButton
        pending={mutation.isPending}
        label={t('profile.changePassword')}
        pendingLabel={t('profile.changing')}
      />
    </form>
  );
}

const THEMES: ManagementSettingsDto['theme'][] = ['system', 'light', 'dark'];
const THEME_LABELS = { system: 'profile.themeSystem', light: 'profile.themeLight', dark: 'profile.themeDark' } as const;
type Switch = 'emailNotifications' | 'pushNotifications' | 'marketingEmails' | 'compactMode' | 'forumMentions';
const SWITCHES: Switch[] = [
  'emailNotifications',
  'pushNotifications',
  'marketingEmails',
  'compactMode',
  'forumMentions',
];

/** The signed-in user's preferences (GET/PUT /api/management/settings); the layout applies them. */
function ManagementSettingsForm() {
  const { t } = useTranslation();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: api.getManagementSettings, retry: false });
  const [draft, setDraft] = useState<ManagementSettingsDto | null>(null);
  useEffect(() => setDraft(settings.data ?? null), [settings.data]);
  const save = useSavePreferences();
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
    if (draft)
      save.mutate({
        theme: draft.theme,
        language: draft.language,
        emailNotifications: draft.emailNotifications,
        pushNotifications: draft.pushNotifications,
        marketingEmails: draft.marketingEmails,
        compactMode: draft.compactMode,
        forumMentions: draft.forumMentions,
      });
  };
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="management-settings-form">
      <h2>{t('profile.preferences')}</h2>
      <FormError error={settings.error ?? save.error} />
      {!draft ? (
        <Empty>{t('profile.noPreferences')}</Empty>
      ) : (
        <>
          <div className="row">
            <SelectField
              label={t('profile.theme')}
              name="theme"
              data-testid="settings-theme"
              value={draft.theme}
              error={save.error}
              options={THEMES.map((value) => ({ value, label: t(THEME_LABELS[value]) }))}
              onChange={(e) => setDraft({ ...draft, theme: e.target.value as ManagementSettingsDto['theme'] })}
            />
            <SelectField
              label={t('profile.language')}
              name="language"
              data-testid="settings-language"
              value={toLanguage(draft.language)}
              error={save.error}
              options={LANGUAGES.map((value) => ({ value, label: t(`languages.${value}`) }))}
              onChange={(e) => setDraft({ ...draft, language: e.target.value })}
            />
          </div>
          {SWITCHES.map((key) => (
            <label className="check" key={key}>
              <input
                type="checkbox"
                name={key}
                data-testid={`settings-${key}`}
                checked={draft[key]}
                onChange={(e) => setDraft({ ...draft, [key]: e.target.checked })}
              />
              {t(`profile.${key}`)}
            </label>
          ))}
          <button className="primary" type="submit" disabled={save.isPending} data-testid="settings-save">
            {save.isPending ? t('common.saving') : t('profile.savePreferences')}
          </button>
        </>
      )}
    </form>
  );
}
