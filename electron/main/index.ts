// Main process entry: single instance, hardened session and window, IPC for the
// AppApi over the real backend, the menu, and projects opened from the file
// manager. The backend (electron/main/services/appBackend) is Electron-free;
// this file only connects it to Electron.

import { app, BrowserWindow, ipcMain, Menu, shell } from 'electron';
import Database from 'better-sqlite3-electron';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { MenuCommand } from '../../shared/api/contract.ts';
import { MENU_COMMAND_CHANNEL } from '../../shared/api/contract.ts';
import { externalHttpsUrl } from './appOrigin.ts';
import { appMenuTemplate } from './appMenu.ts';
import { hardenDefaultSession, registerAppScheme } from './appSession.ts';
import { registerApiHandlers } from './ipcRegistration.ts';
import { nativeDialogs } from './nativeDialogs.ts';
import { projectFileInArgs } from './projectArguments.ts';
import { AppBackend } from './services/appBackend/appBackend.ts';
import { SessionSettings } from './services/appBackend/sessionSettings.ts';
import { ProjectStore } from './services/store/projectStore.ts';
import type { SqliteDriver } from './services/store/sqliteDriver.ts';
import { createMainWindow } from './windowFactory.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/index.cjs');

registerAppScheme();
// End-to-end tests of the real window start every run with a fresh user data folder.
if (process.env.VIRTWALL_USER_DATA_DIR) app.setPath('userData', process.env.VIRTWALL_USER_DATA_DIR);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let pendingFile: string | null = projectFileInArgs(process.argv, process.cwd());
  let backend: AppBackend | null = null;
  let settings: SessionSettings | null = null;

  const send = (command: MenuCommand) => window?.webContents.send(MENU_COMMAND_CHANNEL, command);
  const openExternal = (url: string) => {
    const safe = externalHttpsUrl(url);
    if (safe) void shell.openExternal(safe);
  };
  const rebuildMenu = () => {
    if (!settings) return;
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate({
          platform: process.platform,
          locale: settings.locale ?? app.getLocale(),
          recent: settings.recent,
          send,
          openRecent: (path) => void openFromOutside(path),
          clearRecent: () => {
            settings?.clearRecent();
            rebuildMenu();
          },
          openExternal,
        }),
      ),
    );
  };
  /** A project opened by the OS or the menu: open it here, then tell the renderer to reload. */
  const openFromOutside = async (path: string) => {
    if (!backend) {
      pendingFile = path;
      return;
    }
    try {
      await backend.openProject(path);
      send('project.opened');
    } catch {
      // The renderer shows the error when it tries the same path (Open Recent asks it to).
      send('file.open');
    }
  };

  app.on('second-instance', (_event, argv, cwd) => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
    const file = projectFileInArgs(argv, cwd);
    if (file) void openFromOutside(file);
  });
  // macOS delivers files opened from Finder as an event, possibly before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    void openFromOutside(path);
  });

  app.whenReady().then(async () => {
    hardenDefaultSession(rendererDir);
    const userDataDir = app.getPath('userData');
    settings = new SessionSettings(userDataDir);
    const s = settings;
    backend = new AppBackend({
      store: new ProjectStore({ driver: Database as unknown as SqliteDriver, appVersion: app.getVersion() }),
      settings: s,
      userDataDir,
      dialogs: nativeDialogs(() => window),
      appInfo: { version: app.getVersion(), locale: s.locale ?? app.getLocale(), platform: process.platform, nativeMenu: true },
      onSessionChanged: () => rebuildMenu(),
    });
    registerApiHandlers(ipcMain, backend);
    if (pendingFile) {
      const file = pendingFile;
      pendingFile = null;
      // Opened before the page loads: the renderer finds it in getSession().
      await backend.openProject(file).catch(() => undefined);
    }
    rebuildMenu();
    // The window icon during development; packaged builds get theirs from the desktop entry.
    const devIcon = join(here, '../../build/icon.png');
    window = createMainWindow({ preloadPath, savedBounds: s.window, saveBounds: (b) => s.setWindow(b), ...(existsSync(devIcon) ? { iconPath: devIcon } : {}) });
    window.on('closed', () => (window = null));
  });

  app.on('window-all-closed', () => {
    backend?.close();
    app.quit();
  });
}
