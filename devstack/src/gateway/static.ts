// Serves the built SPA (web/dist) at `/`, with index.html for client-side routes, or a short
// placeholder page until the web app has been built.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { repoRoot } from '../config.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.map': 'application/json',
};

const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MMG Sales Platform</title>
<style>body{font-family:system-ui;background:#05060a;color:#e6ecff;display:grid;place-items:center;height:100vh;margin:0}
main{max-width:36rem}code{color:#5ee7ff}</style></head><body><main><h1>MMG Sales Platform</h1>
<p>The API is running. The web app has not been built yet: run <code>npm run build --prefix web</code>.</p>
</main></body></html>`;

export function serveSpa(req: IncomingMessage, res: ServerResponse, pathname: string): void {
  const dist = join(repoRoot, 'web/dist');
  if (!existsSync(join(dist, 'index.html'))) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PLACEHOLDER);
    return;
  }
  let file = normalize(join(dist, decodeURIComponent(pathname)));
  if (!file.startsWith(dist + sep) || !existsSync(file) || statSync(file).isDirectory()) {
    file = join(dist, 'index.html');
  }
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
