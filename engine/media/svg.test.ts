// sanitizeSvg on hostile and broken SVG, and SVG import end to end: no script runs, nothing is fetched.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billionLaughsSvg, drawingSvg, externalEntitySvg, hostileSvg, makeSvgText } from '../../tests/fixtures/images';
import { ingestImage, makeImagePreview, SVG_RASTER_LONG_SIDE } from './image';
import { MAX_SVG_BYTES, MAX_SVG_DEPTH, sanitizeCss, sanitizeSvg } from './svg';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';

let dir: string;
let server: http.Server;
let origin: string;
const requests: string[] = [];
let tinyPng: string;

const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-svg-'));
  tinyPng = (await sharp({ create: { width: 4, height: 4, channels: 3, background: '#00ff00' } }).png().toBuffer()).toString('base64');
  // A real server on loopback that counts every request: any fetch the SVG provokes would show up here.
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.from(tinyPng, 'base64'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(dir, { recursive: true, force: true });
});

describe('sanitizeSvg', () => {
  it('removes scripts, handlers, foreignObject and every outside reference, and keeps the drawing', () => {
    const clean = text(sanitizeSvg(utf8(hostileSvg(origin, tinyPng)), 'hostile.svg'));
    expect(clean).not.toContain(origin);
    expect(clean).not.toMatch(/<(svg:)?script/i);
    expect(clean).not.toMatch(/\son[a-z]+=/i);
    expect(clean).not.toMatch(/foreignObject/i);
    expect(clean).not.toMatch(/javascript:/i);
    expect(clean).not.toMatch(/@import/i);
    expect(clean).not.toMatch(/xml-stylesheet/i);
    expect(clean).not.toContain('data:image/svg+xml');
    expect(clean).not.toContain('\\');
    expect(clean).not.toMatch(/<set\b/);
    // What is safe stays: the gradient fill by #fragment, the embedded PNG, the shapes and the link's text.
    expect(clean).toContain('url(#grad)');
    expect(clean).toContain(`data:image/png;base64,${tinyPng}`);
    expect(clean).toContain('<linearGradient id="grad">');
    expect(clean).toContain('>link</text>');
    expect(clean.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  });

  it('gives the same bytes for the same file (deterministic) and keeps a clean drawing intact', () => {
    const svg = drawingSvg(200, 150, 4);
    const once = sanitizeSvg(utf8(svg), 'a.svg');
    expect(sanitizeSvg(utf8(svg), 'a.svg')).toEqual(once);
    expect(text(once)).toContain('<path d="M');
    expect(text(sanitizeSvg(once, 'a.svg'))).toBe(text(once));
  });

  it('refuses a DOCTYPE with entities (billion laughs, XXE) as UNSUPPORTED_FILE, saying why', () => {
    for (const svg of [billionLaughsSvg(), externalEntitySvg()]) {
      const error = thrownAtelierError(() => sanitizeSvg(utf8(svg), 'laughs.svg'));
      expect(error.code).toBe('UNSUPPORTED_FILE');
      expect(error.message).toContain('“laughs.svg”');
      expect(error.message).toMatch(/DOCTYPE/);
    }
  });

  it('refuses XML that is not well-formed as CORRUPT_FILE with the line', () => {
    const cases = [
      '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" width="2"/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><rect width=1/></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg">&nbsp;</svg>',
      '<svg xmlns="http://www.w3.org/2000/svg">\n<rect/>\n</svg><svg/>',
      '<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>',
      '<svg xmlns="http://www.w3.org/2000/svg"><!-- never closed',
      '<svg xmlns="http://www.w3.org/2000/svg"><text>&#0;</text></svg>',
    ];
    for (const svg of cases) {
      const error = thrownAtelierError(() => sanitizeSvg(utf8(svg), 'bad.svg'));
      expect(error.code, svg).toBe('CORRUPT_FILE');
      expect(error.message).toMatch(/“bad\.svg” is an SVG drawing but its XML is broken \(line \d+/);
    }
  });

  it('refuses bytes that are not valid UTF-8, a non-SVG root, and huge or deeply nested files', () => {
    expect(thrownAtelierError(() => sanitizeSvg(Uint8Array.from([0x3c, 0x73, 0x76, 0x67, 0xff, 0xfe, 0x3e]), 'x.svg')).code).toBe('CORRUPT_FILE');
    expect(thrownAtelierError(() => sanitizeSvg(utf8('<html><svg/></html>'), 'page.svg')).code).toBe('UNSUPPORTED_FILE');
    expect(thrownAtelierError(() => sanitizeSvg(new Uint8Array(MAX_SVG_BYTES + 1), 'big.svg')).code).toBe('TOO_LARGE');
    const deep = `<svg xmlns="http://www.w3.org/2000/svg">${'<g>'.repeat(MAX_SVG_DEPTH + 1)}${'</g>'.repeat(MAX_SVG_DEPTH + 1)}</svg>`;
    expect(thrownAtelierError(() => sanitizeSvg(utf8(deep), 'deep.svg')).code).toBe('TOO_LARGE');
  });

  it('reads UTF-16 and decodes entities before checking links', () => {
    const sneaky = `<svg xmlns="http://www.w3.org/2000/svg"><image href="&#104;ttp://example.invalid/x.png"/><a href="jav&#x61;script:x()"/></svg>`;
    const clean = text(sanitizeSvg(utf8(sneaky), 's.svg'));
    expect(clean).not.toContain('example.invalid');
    expect(clean).not.toMatch(/javascript/i);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="3" height="3"/></svg>', 'utf16le')]);
    expect(text(sanitizeSvg(utf16, 'wide.svg'))).toContain('<rect width="3" height="3"/>');
  });

  it('neutralises CSS that reaches outside', () => {
    expect(sanitizeCss('fill: url(http://x/y.svg#a) red')).toBe('fill: none red');
    expect(sanitizeCss("fill: url( '#ok' )")).toBe("fill: url( '#ok' )");
    expect(sanitizeCss('@import "http://x/a.css"; .a{fill:red}')).toBe(' .a{fill:red}');
    expect(sanitizeCss('fill: u\\72l(http://x)')).toBe('');
    expect(sanitizeCss('background: image-set("http://x/a.png" 1x)')).toBe('');
  });
});

describe('SVG import', () => {
  it('imports a hostile SVG rasterised from the sanitised drawing, running no script and fetching nothing', async () => {
    const file = await makeSvgText(path.join(dir, 'hostile.svg'), hostileSvg(origin, tinyPng));
    requests.length = 0;
    const result = await ingestImage({ path: file, name: 'hostile.svg' }, ctx());
    expect(result).toMatchObject({ format: 'svg', mime: 'image/svg+xml', ext: 'svg', width: SVG_RASTER_LONG_SIDE, height: 768 });
    expect((await sharp(result.thumbnail).metadata()).format).toBe('webp');
    const preview = await makeImagePreview({ path: file, name: 'hostile.svg' }, 512);
    expect(await sharp(preview).metadata()).toMatchObject({ format: 'webp', width: 512, height: 384 });
    // Give any stray request time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toEqual([]);
    // The stored original stays the creator's file: the hash is of the bytes on disk.
    expect(result.byteSize).toBe((await fs.stat(file)).size);
    // A vector drawing has no resolution problem.
    expect(result.report.findings.map((f) => f.check)).not.toContain('resolution');
  });

  it('renders a small SVG up to ≈1024 px and reports that size', async () => {
    const file = await makeSvgText(path.join(dir, 'icon.svg'), drawingSvg(64, 48, 3));
    const result = await ingestImage({ path: file, name: 'icon.svg' }, ctx());
    expect([result.width, result.height]).toEqual([1024, 768]);
    expect(result.report.image.suggestedCrop).toMatchObject({ y: 0, size: 768 });
  });

  it('refuses a billion-laughs SVG at import with UNSUPPORTED_FILE', async () => {
    const file = await makeSvgText(path.join(dir, 'laughs.svg'), billionLaughsSvg());
    await expect(ingestImage({ path: file, name: 'laughs.svg' }, ctx())).rejects.toMatchObject({ code: 'UNSUPPORTED_FILE' });
  });
});
