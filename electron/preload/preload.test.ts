// The preload with Electron mocked: named methods only (exactly the contract's),
// each invoking its own channel, failures thrown as errors with the service's
// name and code, and menu subscriptions that can be undone.
import { describe, expect, it, vi } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- the test checks the preload against the contract's channel table (runtime values)
import { API_CHANNELS, MENU_COMMAND_CHANNEL, type AppApi, type MenuCommand } from '../../shared/api/contract.ts';

const exposed: Record<string, unknown> = {};
const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
const invoke = vi.fn(async (channel: string, ...args: unknown[]) => {
  if (channel === 'virtwall:undo') return { ok: false, error: { name: 'StoreError', message: 'nothing to undo', code: 'nothing-to-undo' } };
  return { ok: true, value: { channel, args } };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => invoke(channel, ...args),
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.set(channel, listener),
    removeListener: (channel: string, listener: unknown) => listeners.get(channel) === listener && listeners.delete(channel),
  },
}));

await import('./index.ts');
const api = exposed.api as AppApi;

describe('Electron preload', () => {
  it('exposes window.api with exactly the contract’s methods, all functions', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(API_CHANNELS), 'onMenuCommand'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
  });

  it('sends each method on its own channel with its arguments', async () => {
    await api.applyEdit('v1', 3, { label: 'x', patch: [{ op: 'remove', path: '/a' }] });
    expect(invoke).toHaveBeenLastCalledWith(API_CHANNELS.applyEdit, 'v1', 3, { label: 'x', patch: [{ op: 'remove', path: '/a' }] });
    for (const method of Object.keys(API_CHANNELS) as (keyof typeof API_CHANNELS)[]) {
      invoke.mockClear();
      await (api[method] as (...a: unknown[]) => Promise<unknown>)(...[]).catch(() => undefined);
      expect(invoke.mock.calls[0]?.[0], method).toBe(API_CHANNELS[method]);
    }
  });

  it('throws a failed call as an error with the service’s name, message and code', async () => {
    const err = await api.undo('v1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'StoreError', message: 'nothing to undo', code: 'nothing-to-undo' });
  });

  it('delivers menu commands and unsubscribes', () => {
    const got: MenuCommand[] = [];
    const off = api.onMenuCommand((c) => got.push(c));
    listeners.get(MENU_COMMAND_CHANNEL)!({}, 'edit.redo');
    expect(got).toEqual(['edit.redo']);
    off();
    expect(listeners.has(MENU_COMMAND_CHANNEL)).toBe(false);
  });
});
