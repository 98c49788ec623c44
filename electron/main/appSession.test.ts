// Session hardening with Electron mocked: permissions denied, the app protocol
// serves the renderer with the CSP header and nothing outside it.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const state: {
  protocolHandler?: (request: { url: string }) => Promise<Response>;
  permissionRequest?: (contents: unknown, permission: string, callback: (ok: boolean) => void) => void;
  permissionCheck?: () => boolean;
  schemes?: unknown;
  download?: (event: { preventDefault(): void }) => void;
} = {};

vi.mock('electron', () => ({
  protocol: { registerSchemesAsPrivileged: (schemes: unknown) => (state.schemes = schemes) },
  session: {
    defaultSession: {
      protocol: { handle: (_scheme: string, handler: typeof state.protocolHandler) => (state.protocolHandler = handler) },
      setPermissionRequestHandler: (h: typeof state.permissionRequest) => (state.permissionRequest = h),
      setPermissionCheckHandler: (h: typeof state.permissionCheck) => (state.permissionCheck = h),
      on: (_event: string, h: typeof state.download) => (state.download = h),
    },
  },
}));

const { hardenDefaultSession, registerAppScheme } = await import('./appSession.ts');
const dir = mkdtempSync(join(tmpdir(), 'vw-session-'));
mkdirSync(join(dir, 'renderer/assets'), { recursive: true });
writeFileSync(join(dir, 'renderer/index.html'), '<!doctype html><title>virtwall</title>');
writeFileSync(join(dir, 'secret.txt'), 'outside');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('session hardening', () => {
  registerAppScheme();
  hardenDefaultSession(join(dir, 'renderer'));

  it('registers app:// as a standard, secure scheme', () => {
    expect(state.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('denies every permission request and check', () => {
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) state.permissionRequest!(null, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false, false]);
    expect(state.permissionCheck!()).toBe(false);
  });

  it('serves the renderer with the CSP header and refuses files outside it', async () => {
    const index = await state.protocolHandler!({ url: 'app://virtwall/index.html' });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toContain('<title>virtwall</title>');
    expect((await state.protocolHandler!({ url: 'app://virtwall/..%2fsecret.txt' })).status).toBe(404);
    expect((await state.protocolHandler!({ url: 'app://virtwall/missing.js' })).status).toBe(404);
    expect((await state.protocolHandler!({ url: 'app://elsewhere/index.html' })).status).toBe(404);
  });

  it('cancels downloads', () => {
    const event = { preventDefault: vi.fn() };
    state.download!(event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});
