import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { setAccessToken, setSessionLostHandler } from './api/client';
import { api, type Me } from './api/endpoints';
import { ApiError } from './api/errors';

interface AuthState {
  me: Me | null;
  loading: boolean;
  signIn: (email: string, password: string, rememberMe: boolean) => Promise<void>;
  signOut: () => Promise<void>;
  can: (permission: Me['permissions'][number]) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);
export const ME_KEY = ['me'] as const;

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

  useEffect(() => {
    setSessionLostHandler(() => {
      setAccessToken(null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, null);
    });
  }, [queryClient]);

  const signIn = useCallback(
    async (email: string, password: string, rememberMe: boolean) => {
      const tokens = await api.login({ email, password, rememberMe });
      setAccessToken(tokens.accessToken);
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
    setAccessToken(null);
    queryClient.clear();
    queryClient.setQueryData(ME_KEY, null);
  }, [queryClient]);

  const me = meQuery.data ?? null;
  const value = useMemo<AuthState>(
    () => ({
      me,
      loading: meQuery.isPending,
      signIn,
      signOut,
      can: (permission) => !!me?.permissions.includes(permission),
    }),
    [me, meQuery.isPending, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
