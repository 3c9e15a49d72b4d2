// `atelier` as a creator runs it: `node bin/atelier.mjs` in a child process, on a temporary data folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeJpeg, makePng, makeTruncated } from '../../tests/fixtures/images';

const BIN = fileURLToPath(new URL('../../bin/atelier.mjs', import.meta.url));
const PASSWORD = 'pw for the cli test';

let dir: string;
let dataDir: string;
/** The current directory of every run: file arguments are relative to it. */
let filesDir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function atelier(args: string[], opts: { password?: string | null; stdin?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ATELIER_PASSWORD;
  delete env.ATELIER_DATA_DIR;
  const password = opts.password === undefined ? PASSWORD : opts.password;
  if (password !== null) env.ATELIER_PASSWORD = password;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: filesDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

function json(run: Run): Record<string, unknown> {
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not one JSON document:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-cli-'));
  dataDir = path.join(dir, 'data');
  filesDir = path.join(dir, 'files');
  await makeJpeg(path.join(filesDir, 'a.jpg'), 320, 200, 1);
  await makePng(path.join(filesDir, 'b.png'), 150, 240, 2);
  await makeTruncated(path.join(filesDir, 'broken.jpg'), 'jpeg');
  await makeJpeg(path.join(filesDir, 'more', 'c.jpg'), 64, 64, 3);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Each test starts several Node processes; a loaded two-core CI machine needs the headroom. */
const CLI_TEST_TIMEOUT_MS = 90_000;

describe('atelier', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('runs the acceptance flow: create a profile, import two good files and a broken one', async () => {
    const created = await atelier(['--data-dir', dataDir, '--json', 'profile', 'create', 'demo']);
    expect(created.code, created.stderr).toBe(0);
    expect(json(created)).toMatchObject({ ok: true, profile: { name: 'demo', lastUnlockedAt: null } });

    const run = await atelier(['--data-dir', dataDir, '--profile', 'demo', '--json', 'assets', 'import', 'a.jpg', 'b.png', 'broken.jpg']);
    expect(run.code, run.stderr).toBe(1);
    const doc = json(run);
    expect(doc).toMatchObject({ ok: false, imported: 2, duplicates: 0, failed: 1, profile: { name: 'demo' } });
    const results = doc.results as Array<Record<string, unknown>>;
    expect(results.map((r) => r.file)).toEqual(['a.jpg', 'b.png', 'broken.jpg']);
    expect(results[0]).toMatchObject({ ok: true, duplicate: false, asset: { width: 320, height: 200, kind: 'image', mime: 'image/jpeg' } });
    expect(results[1]).toMatchObject({ ok: true, duplicate: false, asset: { width: 150, height: 240, mime: 'image/png' } });
    for (const r of results.slice(0, 2)) {
      const asset = r.asset as { id: string; sha256: string; byteSize: number };
      expect(asset.id).toBeTruthy();
      expect(asset.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(asset.byteSize).toBeGreaterThan(0);
    }
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'CORRUPT_FILE' } });
    expect((results[2]!.error as { message: string }).message).toContain('broken.jpg');
    // ok:false always comes with an error, and the message reaches stderr.
    expect(doc.error).toMatchObject({ code: 'CORRUPT_FILE' });
    expect(run.stderr).toContain('broken.jpg');
  });

  it('exits 0 when every file imports, and reports the same bytes again as a duplicate', async () => {
    const run = await atelier(['--data-dir', dataDir, '--profile', 'DEMO', '--json', 'assets', 'import', 'more/c.jpg', path.join(filesDir, 'a.jpg')]);
    expect(run.code, run.stderr).toBe(0);
    const doc = json(run);
    expect(doc).toMatchObject({ ok: true, imported: 1, duplicates: 1, failed: 0 });
    expect(doc.error).toBeUndefined();
    const results = doc.results as Array<Record<string, unknown>>;
    expect(results[0]).toMatchObject({ file: 'more/c.jpg', ok: true, duplicate: false, asset: { width: 64, height: 64 } });
    expect(results[1]).toMatchObject({ file: path.join(filesDir, 'a.jpg'), ok: true, duplicate: true });
  });

  it('lists profiles and assets as JSON, using the only profile when --profile is left out', async () => {
    const profiles = await atelier(['--data-dir', dataDir, '--json', 'profile', 'list'], { password: null });
    expect(profiles.code, profiles.stderr).toBe(0);
    const list = json(profiles);
    expect(list.ok).toBe(true);
    expect((list.profiles as Array<{ name: string }>).map((p) => p.name)).toEqual(['demo']);

    const assets = await atelier(['--data-dir', dataDir, '--json', 'assets', 'list']);
    expect(assets.code, assets.stderr).toBe(0);
    const doc = json(assets);
    expect(doc).toMatchObject({ ok: true, total: 3, profile: { name: 'demo' } });
    expect((doc.assets as Array<{ originalName: string }>).map((a) => a.originalName).sort()).toEqual(['a.jpg', 'b.png', 'c.jpg']);
  });

  it('prints readable lines without --json', async () => {
    const run = await atelier(['--data-dir', dataDir, 'assets', 'list']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^NAME\s+SIZE/);
    expect(run.stdout).toMatch(/a\.jpg\s+320×200\s+image\/jpeg/);

    const imported = await atelier(['--data-dir', dataDir, 'assets', 'import', 'broken.jpg']);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toMatch(/failed\s+broken\.jpg\s+CORRUPT_FILE/);
    expect(imported.stdout).toContain('0 imported, 0 duplicates, 1 failed.');
    // Not a terminal: no progress line.
    expect(imported.stderr).not.toContain('Importing');
  });

  it('reads the password from stdin with --password-stdin', async () => {
    const run = await atelier(['--data-dir', dataDir, '--password-stdin', '--json', 'assets', 'list'], {
      password: 'wrong one in the environment',
      stdin: `${PASSWORD}\nnot the password\n`,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).total).toBe(3);

    const empty = await atelier(['--data-dir', dataDir, '--password-stdin', 'assets', 'list'], { stdin: '' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('No password on standard input');
  });

  it('refuses a wrong or missing password with a message and exit 1', async () => {
    const wrong = await atelier(['--data-dir', dataDir, '--profile', 'demo', '--json', 'assets', 'list'], { password: 'nope' });
    expect(wrong.code).toBe(1);
    expect(json(wrong)).toEqual({ ok: false, error: { code: 'AUTH', message: expect.stringContaining('Wrong password') } });
    expect(wrong.stderr).toContain('Wrong password');

    const missing = await atelier(['--data-dir', dataDir, 'assets', 'list'], { password: null });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ATELIER_PASSWORD');
  });

  it('refuses an unknown profile, and asks to choose when there are several', async () => {
    const unknown = await atelier(['--data-dir', dataDir, '--profile', 'nobody', '--json', 'assets', 'list']);
    expect(unknown.code).toBe(1);
    expect(json(unknown)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(unknown.stderr).toContain('“nobody”');
    expect(unknown.stderr).toContain('“demo”');

    expect((await atelier(['--data-dir', dataDir, 'profile', 'create', 'second'])).code).toBe(0);
    const ambiguous = await atelier(['--data-dir', dataDir, 'assets', 'list']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('--profile');

    const duplicate = await atelier(['--data-dir', dataDir, '--json', 'profile', 'create', 'Demo']);
    expect(duplicate.code).toBe(1);
    expect(json(duplicate)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('answers an unknown command or option with the usage and exit 1', async () => {
    const run = await atelier(['--data-dir', dataDir, 'paint', 'something']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Unknown command "paint something"');
    expect(run.stderr).toContain('Usage: atelier');
    expect(run.stdout).toBe('');

    const asJson = await atelier(['--json', '--frobnicate']);
    expect(asJson.code).toBe(1);
    expect(json(asJson)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('prints help and version', async () => {
    const help = await atelier(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('assets import PATH...');
    const pkg = JSON.parse(await fs.readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
    const version = await atelier(['--version']);
    expect(version.stdout.trim()).toBe(`atelier ${pkg.version}`);
    expect(json(await atelier(['--json', '--version']))).toEqual({ ok: true, version: pkg.version });
  });

  it('reports a data folder that is not a studio as a user error, not a crash', async () => {
    const bogus = path.join(dir, 'bogus');
    await fs.mkdir(bogus, { recursive: true });
    await fs.writeFile(path.join(bogus, 'workstation.db'), 'this is not a database, just text that is long enough to look like one');
    const run = await atelier(['--data-dir', bogus, '--json', 'profile', 'list']);
    expect(run.code).toBe(1);
    expect(json(run)).toMatchObject({ ok: false, error: { code: 'CORRUPT_FILE' } });
    expect(run.stderr).toContain('workstation.db');
  });
});
