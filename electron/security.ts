// The studio's security policy as small pure functions; electron/main.ts and electron/host apply them.
import path from 'node:path';

/**
 * Maps a request path (URL pathname, still percent-encoded) to a file inside `root`, or null when it would
 * leave `root` (path traversal, encoded separators, NUL bytes). '/' maps to index.html.
 */
export function resolveInside(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '' || decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const target = path.resolve(base, relative);
  if (target !== base && !target.startsWith(base + path.sep)) return null;
  return target;
}

/**
 * The Content-Security-Policy sent as a response header with every page. Scripts only from our own origin;
 * no inline script, no eval. Images may be blob: (thumbnails arrive as bytes) and data: (tiny icons).
 * `connect` lists the extra origins the page may talk to (the loopback host's WebSocket).
 */
export function contentSecurityPolicy(opts: { connect?: string[]; dev?: boolean } = {}): string {
  const connect = ["'self'", ...(opts.connect ?? [])];
  // Vite's dev server injects an inline preamble for React fast refresh; only allowed in dev mode.
  const script = opts.dev ? "'self' 'unsafe-inline'" : "'self'";
  return [
    "default-src 'none'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

export const MIME_BY_EXT: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

export function mimeFor(file: string): string {
  return MIME_BY_EXT[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
