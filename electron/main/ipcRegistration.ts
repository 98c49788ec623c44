// One IPC handler per entry of API_CHANNELS. Each checks that the call comes
// from our own page (the sender frame's URL parsed and compared with
// app://virtwall; a frame that navigated away or an injected frame is refused)
// and then validates the arguments and runs the backend (apiDispatch.ts).

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ApiResult } from '../../shared/api/apiResult.ts';
import { API_CHANNELS, type ApiMethod } from '../../shared/api/contract.ts';
import { isAppUrl } from './appOrigin.ts';
import { dispatchApiCall } from './services/appBackend/apiDispatch.ts';
import type { BackendApi } from './services/appBackend/backendTypes.ts';

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  // Only the top frame of our page talks to main; senderFrame is null when the frame is gone.
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

export function registerApiHandlers(ipcMain: Pick<IpcMain, 'handle'>, backend: BackendApi): void {
  for (const [method, channel] of Object.entries(API_CHANNELS) as [ApiMethod, string][]) {
    ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<ApiResult> => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { name: 'ForbiddenSender', message: `${method}: refused a call from ${event.senderFrame?.url ?? 'a destroyed frame'}` } };
      }
      return dispatchApiCall(backend, method, args);
    });
  }
}
