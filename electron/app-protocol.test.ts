// app:// serving: the renderer's files come back with the CSP header; nothing outside the build folder does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAppResponse, serveAppRequest } from './app-protocol';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'atelier-app-protocol-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Atelier</title>');
  writeFileSync(path.join(root, 'assets', 'main-abc.js'), 'console.log("studio")');
  writeFileSync(path.join(root, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  // A file right next to the build folder: the classic traversal target.
  writeFileSync(path.join(base, 'secret.txt'), 'the creator’s secret');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('planAppResponse', () => {
  it('serves the page at the root with the CSP as a response header', () => {
    const plan = planAppResponse('app://studio/', root);
    expect(plan.status).toBe(200);
    expect(plan.file).toBe(path.join(root, 'index.html'));
    expect(plan.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(plan.headers['Content-Security-Policy']).toContain("script-src 'self'");
    expect(plan.headers['Content-Security-Policy']).not.toContain('unsafe-eval');
    expect(plan.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('ignores the query and fragment when finding the file', () => {
    const plan = planAppResponse('app://studio/assets/main-abc.js?v=2#x', root);
    expect(plan).toMatchObject({ status: 200, file: path.join(root, 'assets', 'main-abc.js') });
    expect(plan.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses traversal, other hosts and writes, still with the CSP header', () => {
    const cases: Array<[string, string, number]> = [
      ['app://studio/..%2fsecret.txt', 'GET', 404],
      ['app://studio/assets/..%2F..%2Fsecret.txt', 'GET', 404],
      ['app://studio/%2e%2e%5csecret.txt', 'GET', 404],
      ['app://studio/index.html%00.js', 'GET', 404],
      ['app://other/index.html', 'GET', 404],
      ['app://studio:81/index.html', 'GET', 404],
      ['https://studio/index.html', 'GET', 404],
      ['app://studio/index.html', 'POST', 405],
      ['not a url', 'GET', 400],
    ];
    for (const [url, method, status] of cases) {
      const plan = planAppResponse(url, root, method);
      expect(plan.status, url).toBe(status);
      expect(plan.file, url).toBeNull();
      expect(plan.headers['Content-Security-Policy'], url).toContain("default-src 'none'");
    }
  });
});

describe('serveAppRequest', () => {
  it('returns the file bytes with their type and the CSP', async () => {
    const res = await serveAppRequest({ url: 'app://studio/assets/logo.png', method: 'GET' }, root);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('answers HEAD without a body', async () => {
    const res = await serveAppRequest({ url: 'app://studio/index.html', method: 'HEAD' }, root);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('gives 404 for a missing file, a folder, and a traversal attempt — never the secret', async () => {
    for (const url of ['app://studio/missing.js', 'app://studio/assets', 'app://studio/..%2fsecret.txt', 'app://studio/%2e%2e/secret.txt']) {
      const res = await serveAppRequest({ url, method: 'GET' }, root);
      expect(res.status, url).toBe(404);
      const text = await res.text();
      expect(text, url).not.toContain('secret');
      expect(res.headers.get('content-security-policy'), url).toContain("default-src 'none'");
    }
  });

  it('gives 404 when the build folder does not exist at all', async () => {
    const res = await serveAppRequest({ url: 'app://studio/', method: 'GET' }, path.join(base, 'nowhere'));
    expect(res.status).toBe(404);
  });
});
