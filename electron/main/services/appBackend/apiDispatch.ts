// One API call from an untrusted caller (the renderer over IPC, a page over the
// loopback bridge): check the method name and its arguments with the shared
// validators, run it, and answer with an ApiResult envelope so the error's
// name, code and message reach the renderer intact.

import { API_CHANNELS, type ApiMethod } from '../../../../shared/api/contract.ts';
import type { ApiResult } from '../../../../shared/api/apiResult.ts';
import { validateApiArguments } from '../../../../shared/api/validators.ts';
import type { BackendApi } from './backendTypes.ts';

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(API_CHANNELS, name);
}

export function toApiFailure(err: unknown): ApiResult {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { ok: false, error: { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) } };
  }
  return { ok: false, error: { name: 'Error', message: String(err) } };
}

export async function dispatchApiCall(backend: BackendApi, method: string, args: unknown): Promise<ApiResult> {
  try {
    if (!isApiMethod(method)) return { ok: false, error: { name: 'ApiArgumentError', message: `unknown API method ${JSON.stringify(method)}` } };
    if (!Array.isArray(args)) return { ok: false, error: { name: 'ApiArgumentError', message: `${method}: arguments must be an array` } };
    validateApiArguments(method, args);
    const call = backend[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await call.apply(backend, args);
    return { ok: true, value: value === undefined ? null : value };
  } catch (err) {
    return toApiFailure(err);
  }
}
