// The one window factory (architecture.md "Electron hardening"): every
// security-relevant preference set explicitly, navigation and new windows
// refused, external links only to https after parsing, the window's bounds
// remembered. Permission and protocol handling are per session (appSession.ts).

import { BrowserWindow, screen, shell } from 'electron';
import { APP_ENTRY_URL, externalHttpsUrl, isAppUrl } from './appOrigin.ts';
import type { WindowBounds } from './services/appBackend/sessionSettings.ts';
import { initialBounds, MIN_SIZE } from './windowBounds.ts';

export interface MainWindowOptions {
  preloadPath: string;
  iconPath?: string;
  savedBounds: WindowBounds | undefined;
  saveBounds(bounds: WindowBounds): void;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const bounds = initialBounds(
    options.savedBounds,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'virtwall',
    backgroundColor: '#1e1e1e',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click must not open links in new windows (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalHttpsUrl(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  let timer: NodeJS.Timeout | undefined;
  const remember = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (win.isDestroyed() || win.isMinimized()) return;
      const b = win.getNormalBounds();
      options.saveBounds({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
    }, 400);
  };
  win.on('resize', remember);
  win.on('move', remember);
  win.on('maximize', remember);
  win.on('unmaximize', remember);
  win.on('close', () => {
    clearTimeout(timer);
    const b = win.getNormalBounds();
    options.saveBounds({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  });

  void win.loadURL(APP_ENTRY_URL);
  return win;
}
