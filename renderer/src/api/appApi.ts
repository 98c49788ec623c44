// The renderer's only way out: window.api (the Electron preload, or the
// loopback bridge's script in browser tests). Both satisfy AppApi.

import type { AppApi } from '../../../shared/api/contract.ts';

declare global {
  interface Window {
    api?: AppApi;
  }
}

export class MissingApiError extends Error {
  constructor() {
    super('window.api is missing: start virtwall with `npm start`, or the end-to-end tests through the loopback bridge');
    this.name = 'MissingApiError';
  }
}

export function appApi(): AppApi {
  if (!window.api) throw new MissingApiError();
  return window.api;
}

/** The message of an error from the API, for the user (the services already name what and why). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
