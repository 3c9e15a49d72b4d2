// Serves the built renderer (out/renderer) at app://studio/… with the CSP as a response header; no file://.
import { readFile, stat } from 'node:fs/promises';
import { APP_HOST, APP_SCHEME, contentSecurityPolicy, mimeFor, resolveInside } from './security';

/** What one app:// request becomes, decided without touching the disk. */
export interface AppResponsePlan {
  status: 200 | 400 | 404 | 405;
  headers: Record<string, string>;
  /** The file to send for a 200; null for every refusal. */
  file: string | null;
}

/** Sent with every answer, refusals included, so no app:// response is ever without a policy. */
function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

function refusal(status: 400 | 404 | 405): AppResponsePlan {
  return { status, headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' }, file: null };
}

/**
 * Maps a request to a file inside `rendererRoot`: only GET/HEAD, only our host, only paths that stay
 * inside the folder (resolveInside checks traversal, encoded separators, backslashes and NUL).
 */
export function planAppResponse(url: string, rendererRoot: string, method = 'GET'): AppResponsePlan {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refusal(400);
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname.toLowerCase() !== APP_HOST || parsed.port !== '') {
    return refusal(404);
  }
  if (method !== 'GET' && method !== 'HEAD') return refusal(405);
  const file = resolveInside(rendererRoot, parsed.pathname);
  if (file === null) return refusal(404);
  return { status: 200, headers: { ...baseHeaders(), 'Content-Type': mimeFor(file) }, file };
}

const STATUS_TEXT: Record<AppResponsePlan['status'], string> = {
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

/**
 * Answers one app:// request from `rendererRoot`. Never throws: a missing file, a folder or an
 * unreadable file is a 404, so a broken build shows a blank page rather than crashing the main process.
 */
export async function serveAppRequest(request: { url: string; method: string }, rendererRoot: string): Promise<Response> {
  const plan = planAppResponse(request.url, rendererRoot, request.method);
  const answer = (p: AppResponsePlan, body: Uint8Array | null) =>
    new Response(body === null || request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), {
      status: p.status,
      statusText: STATUS_TEXT[p.status],
      headers: p.headers,
    });
  if (plan.file === null) return answer(plan, new TextEncoder().encode(STATUS_TEXT[plan.status]));
  try {
    const info = await stat(plan.file);
    if (!info.isFile()) return answer(refusal(404), new TextEncoder().encode(STATUS_TEXT[404]));
    const body = await readFile(plan.file);
    return answer(plan, new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  } catch {
    return answer(refusal(404), new TextEncoder().encode(STATUS_TEXT[404]));
  }
}
