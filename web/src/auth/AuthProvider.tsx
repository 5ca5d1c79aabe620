// The signed-in session: supabase-js keeps and refreshes it; this provider exposes it to React
// and clears every cached query when the person changes, so no data survives a sign-out.
import type { Session } from '@supabase/supabase-js';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { toApiError } from '../lib/errors';
import { supabase } from '../lib/supabase';

interface AuthState {
  session: Session | null;
  /** False until the stored session has been read (avoids a flash of the sign-in screen). */
  ready: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  signInWithMicrosoft(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [ready, setReady] = useState(false);
  const queryClient = useQueryClient();
  const userId = useRef<string | null>(null);

  useEffect(() => {
    const client = supabase();
    void client.auth.getSession().then(({ data }) => {
      setSession(data.session);
      userId.current = data.session?.user.id ?? null;
      setReady(true);
    });
    const { data } = client.auth.onAuthStateChange((_event, next) => {
      const nextId = next?.user.id ?? null;
      if (nextId !== userId.current) queryClient.clear();
      userId.current = nextId;
      setSession(next);
    });
    return () => data.subscription.unsubscribe();
  }, [queryClient]);

  const value = useMemo<AuthState>(() => ({
    session,
    ready,
    async signIn(email, password) {
      const { error } = await supabase().auth.signInWithPassword({ email: email.trim(), password });
      if (error) throw toApiError(error);
    },
    async signOut() {
      await supabase().auth.signOut({ scope: 'local' });
      queryClient.clear();
    },
    async signInWithMicrosoft() {
      const { error } = await supabase().auth.signInWithOAuth({
        provider: 'azure',
        options: { scopes: 'email', redirectTo: `${window.location.origin}/` },
      });
      if (error) throw toApiError(error);
    },
  }), [session, ready, queryClient]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
