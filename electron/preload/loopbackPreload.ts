// The loopback bridge's stand-in for the Electron preload (Actual Budget's
// browser-preload pattern): served as /__bridge/preload.js before the app's
// module script when the renderer runs in a plain browser for end-to-end tests.
// Same named methods, over fetch to the bridge's own origin (the token travels
// as an HttpOnly cookie set by the first page load); menu commands arrive as
// server-sent events.

import type { ApiResult } from '../../shared/api/apiResult.ts';
import type { AppApi, MenuCommand } from '../../shared/api/contract.ts';
import { buildAppApi } from './appApiObject.ts';

declare global {
  interface Window {
    api: AppApi;
  }
}

const listeners = new Set<(command: MenuCommand) => void>();
let source: EventSource | null = null;

function ensureEvents(): void {
  if (source) return;
  source = new EventSource('/api/events');
  source.onmessage = (event: MessageEvent<string>) => {
    const { command } = JSON.parse(event.data) as { command: MenuCommand };
    for (const listener of listeners) listener(command);
  };
}

window.api = buildAppApi(
  async (method, args) => {
    const response = await fetch(`/api/call/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
      credentials: 'same-origin',
    });
    if (!response.ok) return { ok: false, error: { name: 'BridgeError', message: `loopback bridge: HTTP ${response.status} ${await response.text()}` } };
    return (await response.json()) as ApiResult;
  },
  (listener) => {
    ensureEvents();
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
);
