import { describe, expect, it } from 'vitest';
import { APP_CSP, externalHttpsUrl, isAppUrl } from './appOrigin.ts';

describe('isAppUrl: only our own page counts as the app', () => {
  it('accepts app://virtwall pages', () => {
    expect(isAppUrl('app://virtwall/index.html')).toBe(true);
    expect(isAppUrl('app://virtwall/assets/index-abc.js?x=1#y')).toBe(true);
  });

  it('refuses other hosts, schemes, credentials, ports and garbage', () => {
    for (const url of [
      'app://evil/index.html',
      'app://virtwall.evil.com/index.html',
      'app://user@virtwall/index.html',
      'app://virtwall:8080/index.html',
      'http://127.0.0.1:5173/',
      'file:///work/main/out/renderer/index.html',
      'https://virtwall/',
      'javascript:alert(1)',
      'not a url',
      '',
      null,
      undefined,
    ]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });
});

describe('externalHttpsUrl: shell.openExternal gets only https after parsing', () => {
  it('passes https URLs normalised', () => {
    expect(externalHttpsUrl('https://libvirt.org/formatnetwork.html')).toBe('https://libvirt.org/formatnetwork.html');
  });

  it('refuses http, file, custom schemes, credentials and strings that only look like https', () => {
    for (const url of ['http://libvirt.org/', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'https://user:pw@example.org/', ' https', 'https:']) {
      expect(externalHttpsUrl(url), url).toBeNull();
    }
  });
});

describe('APP_CSP', () => {
  it('allows scripts only from the app itself and no plugins, frames or forms', () => {
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).not.toMatch(/script-src[^;]*unsafe/);
    expect(APP_CSP).toContain("object-src 'none'");
    expect(APP_CSP).toContain("frame-ancestors 'none'");
    expect(APP_CSP).toContain("connect-src 'self'");
  });
});
