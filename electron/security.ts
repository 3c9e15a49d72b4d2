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

// ---------------------------------------------------------------------------------------------------
// The desktop window's policy (applied by electron/main.ts and electron/ipc.ts)

/** Our pages live at app://studio/…; a standard, secure scheme so the page gets a real origin. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True for a URL on our own app:// origin. The host is compared exactly and credentials or a port are
 * refused, so look-alikes such as app://studio@evil/ or app://studio.evil/ do not pass.
 */
export function isAppUrl(url: string): boolean {
  const u = parseUrl(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname.toLowerCase() === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

/** The http(s) origin of the electron-vite dev server, or null when the value is not one. */
function devOrigin(devServerUrl: string | undefined): string | null {
  const u = parseUrl(devServerUrl);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  return u.origin;
}

/** Whose page a URL belongs to: 'app', 'dev' (the dev server), or null for anything else. */
function trustedOriginOf(url: string, devServerUrl: string | undefined): 'app' | 'dev' | null {
  if (isAppUrl(url)) return 'app';
  const dev = devOrigin(devServerUrl);
  const u = parseUrl(url);
  if (dev && u && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === dev) return 'dev';
  return null;
}

export interface TrustOptions {
  /** ELECTRON_RENDERER_URL while running `electron-vite dev`; absent in a built app. */
  devServerUrl?: string;
}

/**
 * A page may move only within its own trusted origin (our app:// pages, or the dev server's pages in
 * development). Everything else — other sites, file://, data:, javascript: — is refused.
 */
export function isAllowedNavigation(from: string, to: string, opts: TrustOptions = {}): boolean {
  const target = trustedOriginOf(to, opts.devServerUrl);
  if (target === null) return false;
  // The very first load has no `from` (about:blank); it may go to a trusted page only.
  const source = parseUrl(from);
  if (source === null || from === 'about:blank') return true;
  return trustedOriginOf(from, opts.devServerUrl) === target;
}

/** IPC is answered only for frames showing our own pages (app:// or, in development, the dev server). */
export function isTrustedSender(frameUrl: string | null | undefined, opts: TrustOptions = {}): boolean {
  if (typeof frameUrl !== 'string') return false;
  return trustedOriginOf(frameUrl, opts.devServerUrl) !== null;
}

/**
 * Web permissions the studio grants. Empty on purpose: the studio needs no camera, microphone,
 * notifications, clipboard reading, geolocation, MIDI, HID, serial or USB access. File import uses
 * <input type=file> and drag-and-drop, which need no permission. To allow one later, add it here with
 * the feature that needs it; it is still granted only to our own app:// origin.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

/** Deny by default: only a listed permission asked for by our own origin is granted. */
export function decidePermission(permission: string, origin: string | null | undefined, opts: TrustOptions = {}): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission)) return false;
  return typeof origin === 'string' && trustedOriginOf(origin, opts.devServerUrl) !== null;
}

/** Longest link handed to the OS browser; longer ones are refused rather than truncated. */
export const EXTERNAL_URL_MAX = 2048;

export interface WindowOpenDecision {
  /** The studio never opens a second Electron window. */
  action: 'deny';
  /** Set when the link is a plain https:// address the OS browser may open instead. */
  openExternally: string | null;
}

/**
 * window.open and target=_blank links: always denied inside the app. A plain https:// link with a host
 * and no embedded credentials is handed to the OS browser; every other scheme (file:, smb:, custom
 * protocol handlers…) could launch local programs, so it is dropped.
 */
export function windowOpenDecision(url: string): WindowOpenDecision {
  const u = typeof url === 'string' && url.length <= EXTERNAL_URL_MAX ? parseUrl(url) : null;
  const safe = u !== null && u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '';
  return { action: 'deny', openExternally: safe ? u.href : null };
}
