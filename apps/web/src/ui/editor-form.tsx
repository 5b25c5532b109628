import type { UseFormReturnType } from '@mantine/form';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { ApiError } from '../api/errors';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from './feedback';

/**
 * The create/edit form of a list page: `save` sends it, then the list under `listKey` refetches and the form
 * closes. The API's refusal shows at the top; `children` get it to show each field's message in place.
 * With a @mantine/form `form`, its validation runs first and the API's field messages land in its errors
 * (so each field built with `form.getInputProps` shows its own).
 * Test ids: `<testId>-form`, `<testId>-error`, `<testId>-save`.
 */
export function EditorForm({
  title,
  testId,
  listKey,
  save,
  onDone,
  submitLabel,
  form,
  children,
}: {
  title: string;
  testId: string;
  listKey: QueryKey;
  save: () => Promise<unknown>;
  onDone: () => void;
  submitLabel: string;
  form?: UseFormReturnType<any>;
  children: (error: unknown) => ReactNode;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: listKey });
      onDone();
    },
    onError: (error) => {
      if (form && error instanceof ApiError) form.setErrors(error.fieldErrors());
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form?.validate().hasErrors) return;
    mutation.mutate();
  };
  return (
    <form className="card" onSubmit={submit} noValidate data-testid={`${testId}-form`}>
      <h2>{title}</h2>
      <FormError error={mutation.error} testId={`${testId}-error`} />
      {children(mutation.error)}
      <div className="actions">
        <button className="primary" type="submit" disabled={mutation.isPending} data-testid={`${testId}-save`}>
          {mutation.isPending ? t('common.saving') : submitLabel}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
