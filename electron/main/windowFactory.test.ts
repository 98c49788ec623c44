// The window factory with Electron mocked (never require the real package:
// it would try to download the binary, architecture.md trap 1).
import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: FakeWindow[] = [];
const openExternal = vi.fn();

class FakeContents {
  handlers = new Map<string, (...args: unknown[]) => void>();
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, handler);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
}

class FakeWindow {
  webContents = new FakeContents();
  loaded: string | null = null;
  events = new Map<string, () => void>();
  constructor(readonly options: Record<string, unknown>) {
    created.push(this);
  }
  maximize() {}
  once(event: string, handler: () => void) {
    this.events.set(event, handler);
  }
  on(event: string, handler: () => void) {
    this.events.set(event, handler);
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 1, y: 2, width: 1000, height: 700 };
  }
}

vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  shell: { openExternal: (url: string) => openExternal(url) },
}));

const { createMainWindow } = await import('./windowFactory.ts');

function make() {
  const saveBounds = vi.fn();
  createMainWindow({ preloadPath: '/app/out/preload/index.cjs', savedBounds: undefined, saveBounds });
  return { win: created.at(-1)!, saveBounds };
}

describe('createMainWindow (hardening checklist)', () => {
  beforeEach(() => {
    created.length = 0;
    openExternal.mockReset();
  });

  it('sets every security preference explicitly and loads the app origin', () => {
    const { win } = make();
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(win.loaded).toBe('app://virtwall/index.html');
  });

  it('denies every new window and opens only https links outside', () => {
    const { win } = make();
    expect(win.webContents.openHandler!({ url: 'https://libvirt.org/formatnetwork.html' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://libvirt.org/formatnetwork.html');
    expect(win.webContents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(win.webContents.openHandler!({ url: 'http://example.org/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('prevents navigation and redirects away from the app, and webviews', () => {
    const { win } = make();
    for (const event of ['will-navigate', 'will-redirect']) {
      const away = { preventDefault: vi.fn() };
      win.webContents.handlers.get(event)!(away, 'https://evil.example/');
      expect(away.preventDefault, event).toHaveBeenCalled();
      const inside = { preventDefault: vi.fn() };
      win.webContents.handlers.get(event)!(inside, 'app://virtwall/index.html');
      expect(inside.preventDefault, event).not.toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    win.webContents.handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('remembers the bounds when the window closes', () => {
    const { win, saveBounds } = make();
    win.events.get('close')!();
    expect(saveBounds).toHaveBeenCalledWith({ x: 1, y: 2, width: 1000, height: 700, maximized: false });
  });
});
