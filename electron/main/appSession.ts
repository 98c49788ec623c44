// Session-wide hardening: the app:// protocol that serves the built renderer
// (with the CSP as a header as well as the meta tag), every permission request
// and check denied (virtwall needs no camera, notifications, geolocation, ...),
// and no downloads.

import { protocol, session } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_CSP, APP_SCHEME } from './appOrigin.ts';
import { appFileFor, contentTypeOf } from './appProtocolFiles.ts';

/** Must run before app 'ready'. `standard` gives app://virtwall a real origin (module workers, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function hardenDefaultSession(rendererDir: string): void {
  const ses = session.defaultSession;
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const file = appFileFor(rendererDir, request.url);
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: { 'Content-Type': contentTypeOf(file), 'Content-Security-Policy': APP_CSP, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
}
