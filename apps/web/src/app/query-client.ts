import { notifications } from '@mantine/notifications';
import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/errors';
import { i18n } from '../i18n';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /**
       * The toast after the mutation: a message key for success (default "Changes saved"), or false when
       * the page shows the outcome itself (sign-in, a job's progress, an undo banner, its own toast).
       */
      toast?: string | false;
    };
  }
}

/** A refusal the form shows next to its fields needs no toast on top. */
const shownInPlace = (error: unknown) =>
  error instanceof ApiError && error.status === 400 && error.details.some((d) => d.field);

/**
 * Feedback everywhere, in one place: every mutation toasts its success or failure (unless it opts out),
 * and every list and detail refetches after it, so no page keeps a stale row ("Last run: Never").
 * The refetch waits for the mutation's own handlers (a page that navigates away first has nothing to refetch).
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    mutationCache: new MutationCache({
      onSuccess: (_data, _variables, _context, mutation) => {
        const toast = mutation.meta?.toast;
        if (toast !== false) notifications.show({ color: 'green', message: i18n.t(toast ?? 'toast.saved') });
        setTimeout(() => void client.invalidateQueries(), 0);
      },
      onError: (error, _variables, _context, mutation) => {
        if (mutation.meta?.toast === false || shownInPlace(error)) return;
        const message = error instanceof ApiError ? error.humanMessage() : i18n.t('common.failed');
        notifications.show({ color: 'red', title: i18n.t('toast.saveFailed'), message });
      },
    }),
    defaultOptions: {
      queries: {
        // 4xx answers are final; retry only what may be transient
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}
