// The loopback bridge over the real backend: 127.0.0.1 only, the per-run token
// on every request, same-origin JSON API calls, static files from the renderer
// folder only, dialogs and menu commands driven by the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackend } from '../appBackend/backend.testkit.ts';
import { startLoopbackBridge, type LoopbackBridge } from './loopbackBridgeServer.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(bridge: LoopbackBridge, path: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const url = new URL(bridge.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, method, headers: { host: url.host, ...headers } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const kit = testBackend();
const dir = mkdtempSync(join(tmpdir(), 'vw-bridge-'));
let bridge: LoopbackBridge;
const auth = () => ({ 'x-virtwall-token': bridge.token });
const json = (args: unknown) => ({ method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(args) });

beforeAll(async () => {
  mkdirSync(join(dir, 'renderer/assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer/index.html'), '<!doctype html><html><head><meta charset="UTF-8" /></head><body></body></html>');
  writeFileSync(join(dir, 'renderer/assets/app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'outside.txt'), 'secret');
  bridge = await startLoopbackBridge({ backend: kit.backend, dialogs: kit.dialogs, rendererDir: join(dir, 'renderer'), preloadScript: 'window.api = {};' });
});
afterAll(async () => {
  await bridge.close();
  kit.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('loopback bridge', () => {
  it('listens on 127.0.0.1 with a long random token', () => {
    expect(new URL(bridge.url).hostname).toBe('127.0.0.1');
    expect(bridge.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('refuses every request without the token, and the wrong token', async () => {
    expect((await call(bridge, '/')).status).toBe(403);
    expect((await call(bridge, '/assets/app.js')).status).toBe(403);
    expect((await call(bridge, '/api/call/getSession', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status).toBe(403);
    expect((await call(bridge, '/', { headers: { 'x-virtwall-token': 'f'.repeat(48) } })).status).toBe(403);
    expect((await call(bridge, `/?token=${'0'.repeat(48)}`)).status).toBe(403);
  });

  it('turns the entry URL into an HttpOnly SameSite=Strict cookie that then opens the page', async () => {
    const entry = await call(bridge, `/?token=${bridge.token}`);
    expect(entry.status).toBe(302);
    const cookie = String(entry.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await call(bridge, '/', { headers: { cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    // The bridge's window.api script comes after the CSP-carrying head content, before the app.
    expect(page.body).toContain('<script src="/__bridge/preload.js"></script>');
    expect((await call(bridge, '/__bridge/preload.js', { headers: { cookie: cookie.split(';')[0] } })).body).toBe('window.api = {};');
  });

  it('refuses another Host (DNS rebinding) and cross-origin API calls', async () => {
    expect((await call(bridge, '/', { headers: { ...auth(), host: 'evil.example:80' } })).status).toBe(421);
    const cross = await call(bridge, '/api/call/getSession', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json', origin: 'https://evil.example' }, body: '[]' });
    expect(cross.status).toBe(403);
    const form = await call(bridge, '/api/call/getSession', { method: 'POST', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, body: '[]' });
    expect(form.status).toBe(415);
  });

  it('runs API calls on the real backend with validation', async () => {
    const opened = JSON.parse((await call(bridge, '/api/call/openSampleProject', json([]))).body);
    expect(opened.ok).toBe(true);
    expect(opened.value.variants).toHaveLength(4);
    const bad = JSON.parse((await call(bridge, '/api/call/getVariant', json([7]))).body);
    expect(bad).toEqual({ ok: false, error: { name: 'ApiArgumentError', message: 'getVariant: variantId must be a string' } });
    const unknown = JSON.parse((await call(bridge, '/api/call/__proto__', json([]))).body);
    expect(unknown.ok).toBe(false);
  });

  it('serves renderer files and nothing outside the folder', async () => {
    expect((await call(bridge, '/assets/app.js', { headers: auth() })).headers['content-type']).toMatch(/javascript/);
    expect((await call(bridge, '/../outside.txt', { headers: auth() })).status).toBe(404);
    expect((await call(bridge, '/assets/..%2f..%2foutside.txt', { headers: auth() })).status).toBe(404);
  });

  it('answers dialogs from the queue and records what was asked', async () => {
    await call(bridge, '/__test/dialog', json({ answer: '/tmp/x.xml' }));
    const first = JSON.parse((await call(bridge, '/api/call/showOpenDialog', json([{ purpose: 'import-network-xml' }]))).body);
    expect(first).toEqual({ ok: true, value: '/tmp/x.xml' });
    const second = JSON.parse((await call(bridge, '/api/call/showSaveDialog', json([{ purpose: 'save-project' }]))).body);
    expect(second).toEqual({ ok: true, value: null });
    expect(kit.dialogs.asked.map((a) => [a.kind, a.purpose, a.queued])).toEqual([
      ['open', 'import-network-xml', true],
      ['save', 'save-project', false],
    ]);
  });

  it('streams menu commands to the page as server-sent events', async () => {
    const url = new URL(bridge.url);
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: url.port, path: '/api/events', headers: { host: url.host, ...auth() } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (chunk.includes('data:')) {
            resolve(chunk);
            req.destroy();
          }
        });
        void call(bridge, '/__test/menu', json({ command: 'edit.undo' }));
      });
      req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : reject(e)));
      req.end();
    });
    expect(await received).toContain('data: {"command":"edit.undo"}');
  });
});
