// Builds `window.api` method by method over a transport (IPC in Electron, fetch
// over the loopback bridge). Named methods only: the page never gets a generic
// invoke(channel) (architecture.md; Bruno's preload is the counterexample). A
// failed call arrives as an ApiResult envelope and is thrown here as an Error
// with the service's name, message and code.

import type { ApiFailure, ApiResult } from '../../shared/api/apiResult.ts';
import type { ApiMethod, AppApi, MenuCommand } from '../../shared/api/contract.ts';

export type ApiTransport = (method: ApiMethod, args: unknown[]) => Promise<ApiResult>;
export type MenuSubscription = (listener: (command: MenuCommand) => void) => () => void;

export class ApiCallError extends Error {
  readonly code?: string;
  constructor(failure: ApiFailure) {
    super(failure.message);
    this.name = failure.name;
    if (failure.code !== undefined) this.code = failure.code;
  }
}

export function buildAppApi(transport: ApiTransport, subscribe: MenuSubscription): AppApi {
  async function call<T>(method: ApiMethod, args: unknown[]): Promise<T> {
    const result = await transport(method, args);
    if (result.ok) return result.value as T;
    throw new ApiCallError(result.error);
  }
  return {
    getAppInfo: () => call('getAppInfo', []),
    getSession: () => call('getSession', []),
    newProject: (path, name) => call('newProject', [path, name]),
    openProject: (path) => call('openProject', [path]),
    openSampleProject: () => call('openSampleProject', []),
    saveProjectAs: (path) => call('saveProjectAs', [path]),
    getVariant: (variantId) => call('getVariant', [variantId]),
    createVariant: (name, fromVariantId, lab) => call('createVariant', [name, fromVariantId, lab]),
    renameVariant: (variantId, name) => call('renameVariant', [variantId, name]),
    deleteVariant: (variantId) => call('deleteVariant', [variantId]),
    applyEdit: (variantId, baseRevision, edit) => call('applyEdit', [variantId, baseRevision, edit]),
    undo: (variantId) => call('undo', [variantId]),
    redo: (variantId) => call('redo', [variantId]),
    readTextFile: (path) => call('readTextFile', [path]),
    readSnapshotFolder: (path) => call('readSnapshotFolder', [path]),
    exportVariant: (request) => call('exportVariant', [request]),
    showOpenDialog: (options) => call('showOpenDialog', [options]),
    showSaveDialog: (options) => call('showSaveDialog', [options]),
    onMenuCommand: (listener) => subscribe(listener),
  } satisfies AppApi;
}

/** IPC channel of a method; equal to API_CHANNELS[method] (a test checks it; the preload may not import shared/ values). */
export function channelOf(method: ApiMethod): string {
  return `virtwall:${method}`;
}

export const MENU_CHANNEL = 'virtwall:menuCommand';
