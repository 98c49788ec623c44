// The loopback bridge (architecture.md "Processes and the API"): the built
// renderer served to a real Chromium over http://127.0.0.1, with `window.api`
// defined by a small script (/__bridge/preload.js, Actual Budget's
// browser-preload pattern) that calls the same AppBackend main uses, over
// fetch. Menu commands arrive as server-sent events. Test-only routes queue
// dialog answers and fire menu commands, as a user would from the menu bar.

import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { MenuCommand } from '../../../../shared/api/contract.ts';
import { dispatchApiCall } from '../appBackend/apiDispatch.ts';
import type { BackendApi } from '../appBackend/backendTypes.ts';
import { checkBridgeRequest, TOKEN_COOKIE, tokenFromQuery } from './bridgeRequestGuard.ts';
import type { QueuedDialogs } from './queuedDialogs.ts';

const MAX_BODY = 80 * 1024 * 1024;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface LoopbackBridgeOptions {
  backend: BackendApi;
  dialogs: QueuedDialogs;
  /** out/renderer: index.html and assets/. */
  rendererDir: string;
  /** The bundled loopback preload (IIFE) defining window.api. */
  preloadScript: string;
  token?: string;
}

export interface LoopbackBridge {
  url: string;
  token: string;
  /** The address to open first: sets the token cookie and redirects to the app. */
  entryUrl: string;
  sendMenuCommand(command: MenuCommand): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}

export async function startLoopbackBridge(options: LoopbackBridgeOptions, port = 0): Promise<LoopbackBridge> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const rendererDir = resolve(options.rendererDir);
  // After the CSP meta (so the policy covers it too); a classic script still runs
  // before the app's module script, which is deferred.
  const indexHtml = readFileSync(join(rendererDir, 'index.html'), 'utf8').replace('</head>', '  <script src="/__bridge/preload.js"></script>\n  </head>');
  const events = new Set<ServerResponse>();
  let origin = '';

  const serveStatic = (res: ServerResponse, pathname: string): void => {
    if (pathname === '/' || pathname === '/index.html') return send(res, 200, indexHtml, MIME['.html']);
    if (pathname === '/__bridge/preload.js') return send(res, 200, options.preloadScript, MIME['.js']);
    const file = normalize(join(rendererDir, decodeURIComponent(pathname)));
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, 'not found');
    try {
      if (!statSync(file).isFile()) return send(res, 404, 'not found');
      res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'X-Content-Type-Options': 'nosniff' });
      res.end(readFileSync(file));
    } catch {
      send(res, 404, 'not found');
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!tokenFromQuery(url, token)) return send(res, 403, 'loopback bridge: wrong token');
      return send(res, 302, '', 'text/plain', { Location: '/', 'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` });
    }
    const api = url.pathname.startsWith('/api/call/') || url.pathname.startsWith('/__test/');
    const verdict = checkBridgeRequest(req, token, origin, { api });
    if (!verdict.ok) return send(res, verdict.status ?? 403, `loopback bridge: ${verdict.reason}`);

    if (url.pathname.startsWith('/api/call/')) {
      let args: unknown;
      try {
        args = JSON.parse(await readBody(req));
      } catch (err) {
        return send(res, 400, JSON.stringify({ ok: false, error: { name: 'ApiArgumentError', message: `bad request body: ${(err as Error).message}` } }), MIME['.json']);
      }
      const result = await dispatchApiCall(options.backend, url.pathname.slice('/api/call/'.length), args);
      return send(res, 200, JSON.stringify(result), MIME['.json']);
    }
    if (url.pathname === '/api/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      events.add(res);
      req.on('close', () => events.delete(res));
      return;
    }
    if (url.pathname === '/__test/dialog') {
      const { answer } = JSON.parse(await readBody(req)) as { answer: string | null };
      options.dialogs.queue(answer);
      return send(res, 200, '{}', MIME['.json']);
    }
    if (url.pathname === '/__test/menu') {
      const { command } = JSON.parse(await readBody(req)) as { command: MenuCommand };
      bridge.sendMenuCommand(command);
      return send(res, 200, JSON.stringify({ listeners: events.size }), MIME['.json']);
    }
    if (url.pathname === '/__test/dialogs-asked') return send(res, 200, JSON.stringify(options.dialogs.asked), MIME['.json']);
    if (req.method !== 'GET') return send(res, 405, 'method not allowed');
    serveStatic(res, url.pathname);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, `loopback bridge: ${err.message}`);
      else res.end();
    });
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    // 127.0.0.1 only: the bridge is never reachable from another machine.
    server.listen(port, '127.0.0.1', () => ready());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const bridge: LoopbackBridge = {
    url: origin,
    token,
    entryUrl: `${origin}/?token=${token}`,
    sendMenuCommand(command) {
      for (const res of events) res.write(`data: ${JSON.stringify({ command })}\n\n`);
    },
    close() {
      for (const res of events) res.end();
      events.clear();
      return new Promise((done) => server.close(() => done()));
    },
  };
  return bridge;
}
