// Which file an app://virtwall/… request maps to, inside the built renderer
// folder and nowhere else (no `..`, no encoded separators, no absolute paths).

import { extname, join, normalize, resolve, sep } from 'node:path';
import { isAppUrl } from './appOrigin.ts';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The absolute path to serve, or null for anything outside the renderer folder. */
export function appFileFor(rendererDir: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(rendererDir);
  const file = normalize(join(root, pathname === '/' ? '/index.html' : pathname));
  return file.startsWith(root + sep) ? file : null;
}
