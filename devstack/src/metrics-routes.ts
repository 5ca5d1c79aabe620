// The `route` label of the gateway's request metrics: the path with everything that varies per
// record taken out, so the number of series stays bounded whatever clients send.
//
//   /rest/v1/proposals?id=eq.5            → /rest/v1/proposals
//   /rest/v1/rpc/request_proposal         → /rest/v1/rpc/request_proposal
//   /storage/v1/object/sign/proposals/a/b → /storage/v1/object/sign/:bucket/*
//   /auth/v1/admin/users/<uuid>           → /auth/v1/admin/users/:id
//   /functions/v1/chat/upload             → /functions/v1/chat/upload
//   /assets/index-3f9a.js                 → /static
//
// Names (tables, functions, RPCs) are kept only while they look like names; the number of
// distinct routes is capped, and anything past the cap counts as "other".

const NAME = /^[a-z_][a-z0-9_-]{0,62}$/i;
const API_PREFIXES = ['/auth/v1', '/rest/v1', '/storage/v1', '/functions/v1'];
const OWN_ROUTES = new Set(['/health', '/health/pg_net', '/ready', '/metrics', '/config.json']);
const STORAGE_OBJECT_WORDS = new Set(['public', 'sign', 'authenticated', 'info', 'upload', 'list', 'move', 'copy']);
export const MAX_ROUTES = 300;

/** A path segment that names a kind of thing stays; ids, hashes and file names become :id. */
function segment(s: string): string {
  return NAME.test(s) && !/\d{3,}/.test(s) ? s : ':id';
}

function storageRoute(rest: string[]): string {
  // /object/<word>/<bucket>/<key…> or /object/<bucket>/<key…>; /bucket/<id>
  if (rest[0] === 'object') {
    const word = STORAGE_OBJECT_WORDS.has(rest[1] ?? '') ? `/${rest[1]}` : '';
    const after = word ? rest.slice(2) : rest.slice(1);
    if (after.length === 0) return `/storage/v1/object${word}`;
    return `/storage/v1/object${word}/:bucket${after.length > 1 ? '/*' : ''}`;
  }
  if (rest[0] === 'bucket') return `/storage/v1/bucket${rest.length > 1 ? '/:bucket' : ''}${rest.length > 2 ? `/${segment(rest[2])}` : ''}`;
  return `/storage/v1/${rest.map(segment).join('/')}`;
}

/** The route template of a gateway path (no query string). */
export function routeTemplate(pathname: string): string {
  if (OWN_ROUTES.has(pathname)) return pathname;
  const prefix = API_PREFIXES.find((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!prefix) return '/static';
  const rest = pathname.slice(prefix.length).split('/').filter(Boolean).slice(0, 4);
  if (prefix === '/storage/v1') return storageRoute(rest);
  return rest.length ? `${prefix}/${rest.map(segment).join('/')}` : prefix;
}

function notFoundRoute(pathname: string): string {
  const prefix = API_PREFIXES.find((p) => pathname === p || pathname.startsWith(`${p}/`));
  return prefix ? `${prefix}/:not_found` : '/static';
}

/** Keeps the label set bounded: the first MAX_ROUTES templates seen, then "other". */
export class RouteLabels {
  private seen = new Set<string>();

  constructor(private readonly max = MAX_ROUTES) {}

  /** A 404 names nothing that exists: it is counted under its API prefix only. */
  of(pathname: string, status: number): string {
    const route = status === 404 ? notFoundRoute(pathname) : routeTemplate(pathname);
    if (this.seen.has(route)) return route;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(route);
    return route;
  }
}
