// The app's own settings file (USERDATA/settings.json): recent projects, the
// last window bounds and the language the user picked. Its absence is what
// "first start" means (the UI then opens the sample lab). Written atomically
// (temp file + rename) so a crash never leaves half a JSON file; a damaged
// file is set aside as settings.json.damaged and the app starts with defaults
// instead of refusing to start.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const MAX_RECENT = 10;

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface SettingsData {
  recent: string[];
  window?: WindowBounds;
  /** 'en' | 'de' when the user switched; absent = follow the OS locale. */
  locale?: string;
}

function sanitize(raw: unknown): SettingsData {
  const data: SettingsData = { recent: [] };
  if (typeof raw !== 'object' || raw === null) return data;
  const o = raw as Record<string, unknown>;
  if (Array.isArray(o.recent)) data.recent = o.recent.filter((p): p is string => typeof p === 'string' && p.length > 0).slice(0, MAX_RECENT);
  const w = o.window as Record<string, unknown> | undefined;
  if (w && Number.isFinite(w.width) && Number.isFinite(w.height)) {
    data.window = {
      width: Number(w.width),
      height: Number(w.height),
      maximized: w.maximized === true,
      ...(Number.isFinite(w.x) && Number.isFinite(w.y) ? { x: Number(w.x), y: Number(w.y) } : {}),
    };
  }
  if (typeof o.locale === 'string') data.locale = o.locale;
  return data;
}

export class SessionSettings {
  readonly path: string;
  /** True when no settings file existed when the app started. */
  readonly firstStart: boolean;
  private data: SettingsData;

  constructor(userDataDir: string) {
    this.path = join(userDataDir, 'settings.json');
    this.firstStart = !existsSync(this.path);
    this.data = this.firstStart ? { recent: [] } : this.load();
  }

  get recent(): string[] {
    return [...this.data.recent];
  }

  get window(): WindowBounds | undefined {
    return this.data.window;
  }

  get locale(): string | undefined {
    return this.data.locale;
  }

  /** Moves `path` to the top of the recent list. */
  addRecent(path: string): void {
    this.data.recent = [path, ...this.data.recent.filter((p) => p !== path)].slice(0, MAX_RECENT);
    this.save();
  }

  removeRecent(path: string): void {
    this.data.recent = this.data.recent.filter((p) => p !== path);
    this.save();
  }

  clearRecent(): void {
    this.data.recent = [];
    this.save();
  }

  setWindow(bounds: WindowBounds): void {
    this.data.window = bounds;
    this.save();
  }

  /** Writes the file even when nothing changed: after the first start it is no longer the first. */
  save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(this.data, null, 2) + '\n');
    renameSync(temp, this.path);
  }

  private load(): SettingsData {
    try {
      return sanitize(JSON.parse(readFileSync(this.path, 'utf8')));
    } catch {
      try {
        renameSync(this.path, `${this.path}.damaged`);
      } catch {
        // Unreadable and immovable: defaults are still better than not starting.
      }
      return { recent: [] };
    }
  }
}
