import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * The open conversation of a list-and-conversation page, kept in the URL (`?conversation=<id>`): a link,
 * a reload or the browser's back button reopens the same one.
 */
export function useConversationParam(): [string | null, (id: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const selected = params.get('conversation');
  const select = useCallback(
    (id: string | null) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (id) next.set('conversation', id);
        else next.delete('conversation');
        return next;
      }),
    [setParams],
  );
  return [selected, select];
}

/** The phone's way back from an open conversation to the list (hidden on wider screens, which show both). */
export function BackToList({ onBack, label }: { onBack: () => void; label: string }) {
  return (
    <button type="button" className="link back-to-list" onClick={onBack} data-testid="back-to-list">
      ← {label}
    </button>
  );
}
