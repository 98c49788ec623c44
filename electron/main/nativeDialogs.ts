// Native open/save dialogs per purpose, attached to the window (sheet on macOS).

import { dialog, type BrowserWindow, type FileFilter } from 'electron';
import type { FileDialogOptions } from '../../shared/api/contract.ts';
import type { BackendDialogs } from './services/appBackend/backendTypes.ts';

const PROJECT: FileFilter[] = [{ name: 'virtwall project', extensions: ['virtwall'] }];

function filtersFor(purpose: FileDialogOptions['purpose']): FileFilter[] {
  switch (purpose) {
    case 'open-project':
    case 'save-project':
      return PROJECT;
    case 'import-network-xml':
      return [{ name: 'libvirt network XML', extensions: ['xml'] }, { name: 'All files', extensions: ['*'] }];
    case 'import-ruleset':
      return [{ name: 'iptables-save / nft ruleset', extensions: ['txt', 'rules', 'nft', 'v4', 'v6', 'sh'] }, { name: 'All files', extensions: ['*'] }];
    default:
      return [];
  }
}

export function nativeDialogs(window: () => BrowserWindow | null): BackendDialogs {
  return {
    async showOpenDialog(options) {
      const folder = options.purpose === 'import-snapshot' || options.purpose === 'export-folder';
      const props: ('openFile' | 'openDirectory' | 'createDirectory')[] = folder ? ['openDirectory', 'createDirectory'] : ['openFile'];
      const win = window();
      const opts = { properties: props, filters: filtersFor(options.purpose), ...(options.defaultPath ? { defaultPath: options.defaultPath } : {}) };
      const result = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
    },
    async showSaveDialog(options) {
      const win = window();
      const opts = { filters: filtersFor(options.purpose), ...(options.defaultPath ? { defaultPath: options.defaultPath } : {}) };
      const result = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      if (result.canceled || !result.filePath) return null;
      // The save dialog does not add the extension on Linux; a project without it would not open by double-click.
      return options.purpose === 'save-project' && !result.filePath.endsWith('.virtwall') ? `${result.filePath}.virtwall` : result.filePath;
    },
  };
}
