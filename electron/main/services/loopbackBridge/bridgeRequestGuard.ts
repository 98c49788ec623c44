// Who may talk to the loopback bridge: only a client that presents this run's
// random token (a cookie set by the first page load, or a header for the test
// runner), addressed to 127.0.0.1:PORT exactly (a DNS-rebinding page has
// another Host), and for API calls from the bridge's own origin with a JSON
// body (a cross-site form cannot send that).

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'virtwall_bridge';
export const TOKEN_HEADER = 'x-virtwall-token';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface GuardVerdict {
  ok: boolean;
  status?: number;
  reason?: string;
}

export function checkBridgeRequest(req: IncomingMessage, token: string, origin: string, { api }: { api: boolean }): GuardVerdict {
  if (req.headers.host !== new URL(origin).host) return { ok: false, status: 421, reason: `wrong Host ${JSON.stringify(req.headers.host)}` };
  const presented = (req.headers[TOKEN_HEADER] as string | undefined) ?? cookieValue(req.headers.cookie, TOKEN_COOKIE);
  if (!presented || !sameSecret(presented, token)) return { ok: false, status: 403, reason: 'missing or wrong token' };
  if (api) {
    const from = req.headers.origin;
    if (from !== undefined && from !== origin) return { ok: false, status: 403, reason: `cross-origin call from ${from}` };
    if (req.method !== 'POST') return { ok: false, status: 405, reason: 'API calls are POST' };
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return { ok: false, status: 415, reason: 'API calls send application/json' };
  }
  return { ok: true };
}

/** The first page load carries the token in the query (`/?token=…`); it becomes a cookie. */
export function tokenFromQuery(url: URL, token: string): boolean {
  const given = url.searchParams.get('token');
  return given !== null && sameSecret(given, token);
}
