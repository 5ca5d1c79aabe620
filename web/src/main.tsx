// Entry point: read the runtime config, create the API client, then render the app.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { isPermissionError } from './lib/errors';
import { loadRuntimeConfig } from './lib/config';
import { initSupabase } from './lib/supabase';
import './styles/tokens.css';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused permission will not change by retrying.
      retry: (count, error) => !isPermissionError(error) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

loadRuntimeConfig()
  .then((cfg) => {
    initSupabase(cfg);
    root.render(
      <StrictMode>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </StrictMode>,
    );
  })
  .catch((e: Error) => {
    root.render(
      <div className="auth-screen">
        <div className="card auth-card" role="alert">
          <h1>The app cannot start</h1>
          <p className="muted">{e.message}</p>
        </div>
      </div>,
    );
  });
