// Liveness of the edge-function runtime, and who the platform says is calling: GET /health.
// GET /health/ready checks what every function needs (settings, the database through the REST
// API) — see _shared/probes.ts, which every function uses for its own /health and /ready.
import { corsHeaders, errorResponse, json, jwtClaims } from '../_shared/http.ts';
import { withProbes } from '../_shared/probes.ts';

Deno.serve(withProbes('health', (req) => {
  if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders });
  if (req.method !== 'GET') return errorResponse(405, 'method_not_allowed', 'Use GET');
  const claims = jwtClaims(req);
  return json({
    status: 'ok',
    service: 'functions',
    time: new Date().toISOString(),
    caller: { role: claims?.role ?? null, user_id: claims?.sub ?? null },
    request_id: req.headers.get('x-request-id'),
  });
}));
