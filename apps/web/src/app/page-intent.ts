import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import type { PageIntent } from './navigation';

/**
 * Runs `act` when the page is reached with `intent` in its route state (the command palette's "New
 * lead"), also when the page is already open; the state is then cleared, so a reload does not repeat it.
 */
export function usePageIntent(intent: PageIntent, act: () => void): void {
  const location = useLocation();
  const navigate = useNavigate();
  const latest = useRef(act);
  latest.current = act;
  const asked = (location.state as { intent?: PageIntent } | null)?.intent === intent;
  useEffect(() => {
    if (!asked) return;
    latest.current();
    navigate({ pathname: location.pathname, search: location.search }, { replace: true, state: null });
  }, [asked, location.key, location.pathname, location.search, navigate]);
}
