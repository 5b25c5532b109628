import type { UseFormReturnType } from '@mantine/form';
import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import { ApiError } from '../api/errors';

/**
 * A mutation that sends a @mantine/form form: the API's field messages land in the form's errors, so each field
 * built with `form.getInputProps` shows its own.
 */
export function useFormMutation<TData, TVariables>(
  form: UseFormReturnType<any>,
  options: UseMutationOptions<TData, Error, TVariables>,
) {
  return useMutation({
    ...options,
    onError: (error, ...rest) => {
      if (error instanceof ApiError) form.setErrors(error.fieldErrors());
      return options.onError?.(error, ...rest);
    },
  });
}
