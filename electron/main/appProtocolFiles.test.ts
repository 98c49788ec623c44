import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { appFileFor, contentTypeOf } from './appProtocolFiles.ts';

const root = resolve('/opt/virtwall/out/renderer');

describe('appFileFor: app:// requests map into the renderer folder only', () => {
  it('serves index.html for / and files below the folder', () => {
    expect(appFileFor(root, 'app://virtwall/')).toBe(join(root, 'index.html'));
    expect(appFileFor(root, 'app://virtwall/assets/index-x.js')).toBe(join(root, 'assets/index-x.js'));
  });

  it('keeps dot segments inside the folder (the URL parser resolves them first)', () => {
    expect(appFileFor(root, 'app://virtwall/../../etc/passwd')).toBe(join(root, 'etc/passwd'));
    expect(appFileFor(root, 'app://virtwall/%2e%2e/%2e%2e/etc/passwd')).toBe(join(root, 'etc/passwd'));
  });

  it('refuses traversal, encoded separators, NUL and other origins', () => {
    for (const url of [
      'app://virtwall/assets/..%2f..%2f..%2fetc%2fpasswd',
      'app://virtwall/assets%5c..%5c..%5cwin.ini',
      'app://virtwall/index.html%00.png',
      'app://other/index.html',
    ]) {
      expect(appFileFor(root, url), url).toBeNull();
    }
  });

  it('names content types so nosniff does not block scripts', () => {
    expect(contentTypeOf('a/b.js')).toMatch(/javascript/);
    expect(contentTypeOf('index.html')).toMatch(/html/);
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
