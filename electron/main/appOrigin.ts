// The renderer's one origin: app://virtwall, served by our custom protocol
// (preferred over file://, architecture.md "Electron hardening"). Pure, so the
// sender and navigation checks are unit-tested without Electron.
//
// Why not `new URL(x).origin === APP_ORIGIN`: for a scheme the URL standard does
// not know, Node's URL reports the origin as the opaque "null" for every such
// URL, so an origin comparison would accept app://anything. Compare the parsed
// scheme and host instead.

export const APP_SCHEME = 'app';
export const APP_HOST = 'virtwall';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '' && parsed.port === '';
}

/** shell.openExternal only for https URLs, parsed first (a string check can be fooled). */
export function externalHttpsUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname !== '' && parsed.username === '' && parsed.password === '' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** CSP for every response of the app protocol (the meta tag in index.html says the same minus the bridge). */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Svelte, @xyflow and CodeMirror set inline style attributes / style elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
