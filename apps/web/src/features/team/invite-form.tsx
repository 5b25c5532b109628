import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { api, type AssignableRole } from '../../api/endpoints';
import { Field, FormError, Notice, SelectField, useFormMutation } from '../../components';

/** Invites a member by e-mail with a role; the API validates (its messages land on the fields). */
export function InviteForm({ roles }: { roles: AssignableRole[] }) {
  const { t } = useTranslation();
  const form = useForm({ initialValues: { email: '', name: '', role: 'member' as AssignableRole } });
  const mutation = useFormMutation(form, {
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: (values: typeof form.values) => api.createUser(values),
    onSuccess: (_, values) => form.setValues({ email: '', name: '', role: values.role }),
  });
  return (
    <form className="card" onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
      <h2>{t('team.inviteTitle')}</h2>
      <FormError error={mutation.error} testId="invite-error" />
      {mutation.isSuccess && <Notice testId="invite-done">{t('team.invitationSent')}</Notice>}
      <div className="row">
        <Field label={t('team.name')} required {...form.getInputProps('name')} name="name" data-testid="invite-name" />
        <Field
          label={t('team.email')}
          required
          type="email"
          {...form.getInputProps('email')}
          name="email"
          data-testid="invite-email"
        />
        <SelectField
          label={t('team.role')}
          {...form.getInputProps('role')}
          name="role"
          options={roles.map((r) => ({ value: r, label: t(`domain.roles.${r}`) }))}
          data-testid="invite-role"
        />
      </div>
      <button className="primary" type="submit" disabled={mutation.isPending} data-testid="invite-submit">
        {mutation.isPending ? t('team.inviting') : t('team.invite')}
      </button>
    </form>
  );
}
