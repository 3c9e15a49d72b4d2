// The window's security policy: what a hostile page, link or request path can and cannot reach.
import path from 'node:path';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  decidePermission,
  isAllowedNavigation,
  isAppUrl,
  isTrustedSender,
  mimeFor,
  resolveInside,
  windowOpenDecision,
} from './security';

const root = path.join(os.tmpdir(), 'atelier-renderer');
const DEV = 'http://localhost:5173';

describe('resolveInside', () => {
  it('maps the root and ordinary paths to files inside the folder', () => {
    expect(resolveInside(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/app-1a2b.js')).toBe(path.join(root, 'assets', 'app-1a2b.js'));
    expect(resolveInside(root, '/fonts/Inter%20Bold.woff2')).toBe(path.join(root, 'fonts', 'Inter Bold.woff2'));
  });

  it('refuses every way of climbing out of the folder', () => {
    for (const attempt of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/assets/..%2f..%2fsecret.txt',
      '/..\\secret.txt',
      '/assets%5c..%5c..%5csecret.txt',
      '/index.html%00.png',
      '/index.html\0',
      '/%E0%A4%A', // malformed percent-encoding
    ]) {
      expect(resolveInside(root, attempt), attempt).toBeNull();
    }
  });

  it('never returns a path outside the folder, even for absolute-looking requests', () => {
    const result = resolveInside(root, '//etc/passwd');
    expect(result === null || result.startsWith(root + path.sep)).toBe(true);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows scripts from our own origin only, with no eval and no inline script', () => {
    const csp = contentSecurityPolicy();
    const script = csp.split('; ').find((d) => d.startsWith('script-src '));
    expect(script).toBe("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('loosens scripts for the dev server only in dev mode, and never allows eval', () => {
    const dev = contentSecurityPolicy({ dev: true, connect: ['ws://localhost:5173'] });
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(dev).not.toContain('unsafe-eval');
  });
});

describe('mimeFor', () => {
  it('names the types the renderer build produces and falls back to octet-stream', () => {
    expect(mimeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeFor('a/B.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeFor('logo.svg')).toBe('image/svg+xml');
    expect(mimeFor('notes.exe')).toBe('application/octet-stream');
  });
});

describe('isAppUrl', () => {
  it('accepts our own pages', () => {
    expect(isAppUrl('app://studio/')).toBe(true);
    expect(isAppUrl('app://studio/index.html#/assets')).toBe(true);
    expect(isAppUrl('app://STUDIO/index.html')).toBe(true);
  });

  it('refuses look-alikes and other schemes', () => {
    for (const url of [
      'app://studio.evil.com/',
      'app://evil/',
      'app://studio@evil/',
      'app://user:pw@studio/',
      'app://studio:8080/',
      'apps://studio/',
      'https://studio/',
      'file:///studio/index.html',
      'javascript:alert(1)',
      '',
      'not a url',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('isAllowedNavigation', () => {
  it('lets our pages move within the app', () => {
    expect(isAllowedNavigation('app://studio/index.html', 'app://studio/index.html#/models')).toBe(true);
    expect(isAllowedNavigation('', 'app://studio/index.html')).toBe(true);
    expect(isAllowedNavigation('about:blank', 'app://studio/')).toBe(true);
  });

  it('blocks leaving the app for websites, files and scripts', () => {
    for (const to of [
      'https://example.com/',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'javascript:alert(1)',
      'app://other/',
      'chrome://settings',
    ]) {
      expect(isAllowedNavigation('app://studio/index.html', to), to).toBe(false);
    }
  });

  it('allows the dev server only while developing, and only within it', () => {
    expect(isAllowedNavigation(`${DEV}/`, `${DEV}/index.html`, { devServerUrl: DEV })).toBe(true);
    expect(isAllowedNavigation(`${DEV}/`, 'http://localhost:5174/', { devServerUrl: DEV })).toBe(false);
    expect(isAllowedNavigation(`${DEV}/`, 'https://example.com/', { devServerUrl: DEV })).toBe(false);
    // A built app has no dev server: the same URL is foreign there.
    expect(isAllowedNavigation('app://studio/', `${DEV}/`)).toBe(false);
    // Crossing between the two origins is refused even in development.
    expect(isAllowedNavigation('app://studio/', `${DEV}/`, { devServerUrl: DEV })).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts frames that show our pages', () => {
    expect(isTrustedSender('app://studio/index.html')).toBe(true);
    expect(isTrustedSender(`${DEV}/`, { devServerUrl: DEV })).toBe(true);
  });

  it('refuses every other frame, a missing frame, and the dev server in a built app', () => {
    for (const url of [null, undefined, '', 'about:blank', 'https://evil.example/', 'file:///tmp/x.html', 'app://evil/', `${DEV}/`]) {
      expect(isTrustedSender(url), String(url)).toBe(false);
    }
    expect(isTrustedSender('http://localhost:5174/', { devServerUrl: DEV })).toBe(false);
    // A dev server URL that is not http(s) trusts nothing.
    expect(isTrustedSender('file:///x', { devServerUrl: 'file:///x' })).toBe(false);
  });
});

describe('decidePermission', () => {
  it('denies every permission, to our own pages and to anyone else', () => {
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'clipboard-sanitized-write',
      'fullscreen',
      'openExternal',
      'hid',
      'serial',
      'usb',
      'midiSysex',
      'unknown',
    ]) {
      expect(decidePermission(permission, 'app://studio'), permission).toBe(false);
      expect(decidePermission(permission, 'https://evil.example'), permission).toBe(false);
      expect(decidePermission(permission, null), permission).toBe(false);
    }
  });
});

describe('windowOpenDecision', () => {
  it('never opens an Electron window', () => {
    for (const url of ['https://example.com/', 'app://studio/', 'about:blank', 'file:///etc/passwd']) {
      expect(windowOpenDecision(url).action).toBe('deny');
    }
  });

  it('hands plain https links to the OS browser', () => {
    expect(windowOpenDecision('https://atelier.example/help?x=1').openExternally).toBe('https://atelier.example/help?x=1');
  });

  it('drops links that could launch local programs or smuggle credentials', () => {
    for (const url of [
      'http://example.com/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://server/share',
      'ms-settings:privacy',
      'javascript:alert(1)',
      'https://user:pw@example.com/',
      `https://example.com/${'a'.repeat(3000)}`,
      'not a url',
    ]) {
      expect(windowOpenDecision(url).openExternally, url).toBeNull();
    }
  });
});
