// The Electron preload (sandboxed, bundled to CJS as index.cjs — sandboxed
// preloads cannot be ESM, architecture.md trap 4). Exposes `window.api` with
// named methods over ipcRenderer.invoke; the main process checks the sender
// and validates every argument again.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiResult } from '../../shared/api/apiResult.ts';
import type { MenuCommand } from '../../shared/api/contract.ts';
import { buildAppApi, channelOf, MENU_CHANNEL } from './appApiObject.ts';

const api = buildAppApi(
  (method, args) => ipcRenderer.invoke(channelOf(method), ...args) as Promise<ApiResult>,
  (listener) => {
    const handler = (_event: IpcRendererEvent, command: MenuCommand) => listener(command);
    ipcRenderer.on(MENU_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(MENU_CHANNEL, handler);
    };
  },
);

contextBridge.exposeInMainWorld('api', api);
