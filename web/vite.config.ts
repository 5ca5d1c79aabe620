// The SPA is served by the stack's gateway at `/` on the same origin as the APIs; `npm run dev`
// proxies the API prefixes (and /config.json) to the dev stack so the same relative URLs work.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const stack = process.env.SUPABASE_URL ?? 'http://127.0.0.1:54321';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/auth', '/rest', '/storage', '/functions', '/config.json'].map((p) => [p, stack])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
});
