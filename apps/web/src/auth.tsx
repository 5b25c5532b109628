import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setAccessToken, setSessionLostHandler } from './api/client';
import { api, type Me } from './api/endpoints';
import { ApiError } from './api/errors';

interface AuthState {
  me: Me | null;
  loading: boolean;
  signIn: (email: string, password: string, rememberMe: boolean) => Promise<void>;
  signOut: () => Promise<void>;
  /** The session was ended (here or in another tab): the login page starts afresh, not at the last page. */
  signedOut: boolean;
  can: (permission: Me['permissions'][number]) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);
export const ME_KEY = ['me'] as const;
export type Permission = Me['permissions'][number];

/** Tells the other tabs of this browser that the session ended, so that they drop it too. */
const CHANNEL = 'crescendo-session';
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);

/** Loads the session from the refresh cookie on start (through the client's 401 → refresh → retry). */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const meQuery = useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api.me();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    retry: false,
    staleTime: 5 * 60_000,
  });

  const [signedOut, setSignedOut] = useState(false);

  /**
   * Drops the session here: `me` becomes null first (on the query its observer follows, so the layout
   * leaves at once), then every other query is cancelled and removed, so nothing refetches behind a 401.
   */
  const dropSession = useCallback(() => {
    // without a session (a visitor on the register page) there is nothing to leave
    const hadSession = !!queryClient.getQueryData(ME_KEY);
    setAccessToken(null);
    queryClient.setQueryData(ME_KEY, null);
    const others = { predicate: (q: { queryKey: readonly unknown[] }) => q.queryKey[0] !== ME_KEY[0] };
    void queryClient.cancelQueries(others);
    queryClient.removeQueries(others);
    queryClient.getMutationCache().clear();
    if (hadSession) setSignedOut(true);
  }, [queryClient]);

  useEffect(() => {
    setSessionLostHandler(dropSession);
    const onMessage = (event: MessageEvent) => {
      if (event.data === 'signed-out') dropSession();
    };
    channel?.addEventListener('message', onMessage);
    return () => channel?.removeEventListener('message', onMessage);
  }, [dropSession]);

  const signIn = useCallback(
    async (email: string, password: string, rememberMe: boolean) => {
      const tokens = await api.login({ email, password, rememberMe });
      setAccessToken(tokens.accessToken);
      setSignedOut(false);
      await queryClient.fetchQuery({ queryKey: ME_KEY, queryFn: () => api.me() });
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // the session is dropped locally either way
    }
    dropSession();
    channel?.postMessage('signed-out');
  }, [dropSession]);

  const me = meQuery.data ?? null;
  const value = useMemo<AuthState>(
    () => ({
      me,
      loading: meQuery.isPending,
      signIn,
      signOut,
      signedOut,
      can: (permission) => !!me?.permissions.includes(permission),
    }),
    [me, meQuery.isPending, signIn, signOut, signedOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
