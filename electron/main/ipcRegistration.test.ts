// IPC handlers: one per API channel, each refusing calls that do not come from
// our own top frame, validating arguments and answering with an ApiResult.
import { describe, expect, it, vi } from 'vitest';
import { API_CHANNELS } from '../../shared/api/contract.ts';
import type { ApiResult } from '../../shared/api/apiResult.ts';
import type { BackendApi } from './services/appBackend/backendTypes.ts';

vi.mock('electron', () => ({}));
const { isTrustedSender, registerApiHandlers } = await import('./ipcRegistration.ts');

type Handler = (event: unknown, ...args: unknown[]) => Promise<ApiResult>;

function setup() {
  const handlers = new Map<string, Handler>();
  const backend = { getVariant: vi.fn(async (id: string) => ({ id })), undo: vi.fn(async () => { throw Object.assign(new Error('nothing to undo in variant "a"'), { name: 'StoreError', code: 'nothing-to-undo' }); }) } as unknown as BackendApi;
  registerApiHandlers({ handle: (channel: string, h: Handler) => handlers.set(channel, h) } as never, backend);
  return { handlers, backend };
}

const top = (url: string) => ({ senderFrame: { url, parent: null } });

describe('registerApiHandlers', () => {
  it('registers exactly the channels of the contract', () => {
    expect([...setup().handlers.keys()].sort()).toEqual(Object.values(API_CHANNELS).sort());
  });

  it('runs calls from the app page', async () => {
    const { handlers, backend } = setup();
    expect(await handlers.get('virtwall:getVariant')!(top('app://virtwall/index.html'), 'v1')).toEqual({ ok: true, value: { id: 'v1' } });
    expect(backend.getVariant).toHaveBeenCalledWith('v1');
  });

  it('refuses other origins, subframes and destroyed frames before the backend is reached', async () => {
    const { handlers, backend } = setup();
    for (const event of [top('https://evil.example/'), top('app://evil/index.html'), { senderFrame: { url: 'app://virtwall/index.html', parent: {} } }, { senderFrame: null }]) {
      const result = await handlers.get('virtwall:getVariant')!(event, 'v1');
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.name).toBe('ForbiddenSender');
    }
    expect(backend.getVariant).not.toHaveBeenCalled();
  });

  it('validates arguments and passes service errors with their code', async () => {
    const { handlers, backend } = setup();
    const bad = await handlers.get('virtwall:getVariant')!(top('app://virtwall/index.html'), 42);
    expect(bad).toEqual({ ok: false, error: { name: 'ApiArgumentError', message: 'getVariant: variantId must be a string' } });
    expect(backend.getVariant).not.toHaveBeenCalled();
    const failed = await handlers.get('virtwall:undo')!(top('app://virtwall/index.html'), 'a');
    expect(failed).toEqual({ ok: false, error: { name: 'StoreError', message: 'nothing to undo in variant "a"', code: 'nothing-to-undo' } });
  });

  it('isTrustedSender compares the parsed origin, not a prefix', () => {
    expect(isTrustedSender(top('app://virtwall/index.html') as never)).toBe(true);
    expect(isTrustedSender(top('app://virtwall.evil/index.html') as never)).toBe(false);
  });
});
