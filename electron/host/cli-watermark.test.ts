// `atelier watermark embed|detect` in-process on a real data folder, and reading their command lines.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { music, writeWav } from '../../tests/fixtures/audio';
import { makeTextFile } from '../../tests/fixtures/images';
import { pngOf } from '../../tests/fixtures/styles';
import { corpusImage } from '../../tests/fixtures/watermark';
import { EXIT_OK, EXIT_USER_ERROR } from './cli';
import { runAtelier, runAtelierJson, type CliDoc, type CliRun } from '../../tests/fixtures/cli-run';
import { parseCliArgs } from './cli-args';

const PASSWORD = 'pw for the watermark commands';
/** Draft 1042, client 77, model number 1 (engine/watermark/payload: 32 + 20 + 12 bits). */
const PAYLOAD = '000004120004d001';

type Doc = CliDoc;

let dir: string;
let dataDir: string;
let filesDir: string;

function atelier(args: string[]): Promise<CliRun> {
  return runAtelier(args, { dataDir, cwd: filesDir, password: PASSWORD });
}

function json(args: string[], code = EXIT_OK): Promise<Doc> {
  return runAtelierJson(args, { dataDir, cwd: filesDir, password: PASSWORD }, code);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-cli-watermark-'));
  dataDir = path.join(dir, 'data');
  filesDir = path.join(dir, 'files');
  await fs.mkdir(filesDir, { recursive: true });
  await fs.writeFile(path.join(filesDir, 'rose.png'), await pngOf(corpusImage(2, 320).image));
  await fs.writeFile(path.join(filesDir, 'jingle.wav'), writeWav([music(5, 22050)], 22050));
  await makeTextFile(path.join(filesDir, 'notes.txt'));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('atelier watermark', { timeout: 90_000 }, () => {
  it('marks a picture into a PNG and detects the draft, client and model it names', async () => {
    expect((await json(['profile', 'create', 'demo'])).ok).toBe(true);
    const embedded = await json(['watermark', 'embed', 'rose.png', '--payload', PAYLOAD, '--out', 'out/rose-draft.png']);
    expect(embedded).toMatchObject({
      ok: true,
      profile: { name: 'demo' },
      file: 'rose.png',
      out: path.join('out', 'rose-draft.png'),
      kind: 'image',
      payload: { draftId: 1042, clientId: 77, modelId: 1 },
      payloadHex: PAYLOAD,
    });
    const meta = await sharp(path.join(filesDir, 'out', 'rose-draft.png')).metadata();
    expect([meta.format, meta.width]).toEqual(['png', 320]);

    const found = await json(['watermark', 'detect', 'out/rose-draft.png']);
    expect(found).toMatchObject({ ok: true, kind: 'image', found: true, payload: { draftId: 1042, clientId: 77, modelId: 1 }, payloadHex: PAYLOAD, model: null });
    expect(found.confidence).toBeGreaterThan(0.999999);

    const human = await atelier(['watermark', 'detect', 'out/rose-draft.png']);
    expect(human.code).toBe(EXIT_OK);
    expect(human.stdout).toContain('carries your mark: draft 1042, client 77');
  });

  it('answers "not found" with exit 0: detection is a query', async () => {
    const plain = await json(['watermark', 'detect', 'rose.png']);
    expect(plain).toMatchObject({ ok: true, found: false, confidence: 0, payload: null, model: null });
    const human = await atelier(['watermark', 'detect', 'rose.png']);
    expect(human.code).toBe(EXIT_OK);
    expect(human.stdout).toContain('No mark of yours was found');
  });

  it('marks a recording into a WAV and detects its draft', async () => {
    const embedded = await json(['watermark', 'embed', 'jingle.wav', '--payload', '00000bb80000c002', '--out', 'jingle-draft.wav', '--kind', 'audio']);
    expect(embedded).toMatchObject({ ok: true, kind: 'audio', mime: 'audio/wav', payload: { draftId: 3000, clientId: 12, modelId: 2 } });
    const found = await json(['watermark', 'detect', 'jingle-draft.wav']);
    expect(found).toMatchObject({ found: true, kind: 'audio', payload: { draftId: 3000, clientId: 12, modelId: 2 } });
  });

  it('refuses to overwrite without --force, and files it cannot mark or check, with exit 1', async () => {
    const again = await json(['watermark', 'embed', 'rose.png', '--payload', PAYLOAD, '--out', 'out/rose-draft.png'], EXIT_USER_ERROR);
    expect(again.error.code).toBe('CONFLICT');
    expect((await json(['watermark', 'embed', 'rose.png', '--payload', PAYLOAD, '--out', 'out/rose-draft.png', '--force'])).ok).toBe(true);
    const text = await json(['watermark', 'detect', 'notes.txt'], EXIT_USER_ERROR);
    expect(text.error).toMatchObject({ code: 'UNSUPPORTED_FILE' });
    expect(text.error.message).toContain('notes.txt');
    const missing = await json(['watermark', 'detect', 'nowhere.png'], EXIT_USER_ERROR);
    expect(missing.error.code).toBe('NOT_FOUND');
  });
});

describe('reading watermark command lines', () => {
  const command = (argv: string[]) => {
    const parsed = parseCliArgs(argv);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.invocation.command;
  };
  const problem = (argv: string[]): string => {
    const parsed = parseCliArgs(argv);
    if (parsed.ok) throw new Error(`expected a problem with ${argv.join(' ')}`);
    return parsed.message;
  };

  it('reads embed and detect', () => {
    expect(command(['watermark', 'embed', 'a.png', '--payload', '0x000004120004D001', '--out', 'b.png'])).toEqual({
      kind: 'watermark-embed',
      file: 'a.png',
      payload: PAYLOAD,
      out: 'b.png',
      force: false,
      as: 'auto',
    });
    expect(command(['watermark', 'embed', 'a.wav', '--payload', PAYLOAD, '--out', 'b.wav', '--kind', 'audio', '--force'])).toMatchObject({ as: 'audio', force: true });
    expect(command(['--json', 'watermark', 'detect', 'a.png'])).toEqual({ kind: 'watermark-detect', file: 'a.png' });
  });

  it('says what is wrong with a bad command line', () => {
    expect(problem(['watermark', 'embed', 'a.png', '--out', 'b.png'])).toContain('--payload HEX');
    expect(problem(['watermark', 'embed', 'a.png', '--payload', '1234', '--out', 'b.png'])).toContain('exactly 16 hex digits');
    expect(problem(['watermark', 'embed', 'a.png', '--payload', PAYLOAD])).toContain('--out FILE');
    expect(problem(['watermark', 'embed', '--payload', PAYLOAD, '--out', 'b.png'])).toContain('Name the file');
    expect(problem(['watermark', 'detect', 'a.png', 'b.png'])).toContain('Name one file');
    expect(problem(['watermark', 'detect', 'a.png', '--payload', PAYLOAD])).toContain('--payload only applies to watermark embed');
    expect(problem(['watermark', 'embed', 'a.png', '--payload', PAYLOAD, '--out', 'b', '--kind', 'text'])).toContain('Unknown --kind "text"');
    expect(problem(['watermark', 'strip', 'a.png'])).toContain('Unknown command "watermark strip"');
  });
});
