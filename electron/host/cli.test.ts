// `atelier` as a creator runs it: `node bin/atelier.mjs` in a child process, on a temporary data folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { padSilence, sine, writeFixture, writeWav } from '../../tests/fixtures/audio';
import { makeJpeg, makePng, makeTruncated } from '../../tests/fixtures/images';
import { FINDING_CHECKS } from '../../preload/contract';

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
  // A portfolio folder: nested folders and a hidden file (skipped by the walk).
  await makeJpeg(path.join(filesDir, 'portfolio', 'big.jpg'), 1200, 1200, 10);
  await makePng(path.join(filesDir, 'portfolio', 'flash', 'rose.png'), 150, 240, 11);
  await makeJpeg(path.join(filesDir, 'portfolio', 'flash', 'deep', 'lily.jpg'), 400, 300, 12);
  await makePng(path.join(filesDir, 'portfolio', '.hidden.png'), 64, 64, 13);
  await makeJpeg(path.join(filesDir, 'loose.jpg'), 300, 300, 14);
  // 12 s of tone between 2 s of silence at each end: long enough to keep, padded enough to trim.
  const rate = 22_050;
  await fs.mkdir(path.join(filesDir, 'audio'), { recursive: true });
  writeFixture(path.join(filesDir, 'audio'), 'tone.wav', writeWav([padSilence(sine(220, 12, rate, -20), rate, 2, 2)], rate));
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
    expect(run.stdout).toMatch(/^NAME\s+KIND\s+SIZE\s+SOURCE\s+HEALTH\s+PROBLEMS\s+TAGS\s+ID/);
    expect(run.stdout).toMatch(/a\.jpg\s+image\s+320×200\s+upload\s+\w+/);

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

/** The fields every finding carries, with their types (docs/cli.md "Finding"). */
function expectFinding(f: Record<string, unknown>): void {
  expect(FINDING_CHECKS).toContain(f.check);
  expect(['info', 'warning', 'error']).toContain(f.severity);
  expect(typeof f.metric).toBe('number');
  expect(typeof f.unit).toBe('string');
  expect(typeof f.threshold).toBe('string');
  expect(typeof f.reason).toBe('string');
  expect((f.reason as string).length).toBeGreaterThan(0);
}

describe('atelier assets: curation', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let curDir: string;
  /** originalName → id, from the import. */
  const ids = new Map<string, string>();
  const id = (file: string): string => ids.get(file) ?? expect.fail(`no asset for ${file}`);
  const run = (args: string[], opts?: { password?: string | null; stdin?: string }): Promise<Run> => atelier(['--data-dir', curDir, ...args], opts);

  beforeAll(async () => {
    curDir = path.join(dir, 'curation');
    const created = await run(['profile', 'create', 'mira']);
    expect(created.code, created.stderr).toBe(0);
  });

  it('imports a nested folder and a file as work samples, each result with its quality report', async () => {
    const imported = await run(['--json', 'assets', 'import', 'portfolio', 'loose.jpg', '--source', 'work-sample', '--delivered-at', '2024-05-01']);
    expect(imported.code, imported.stderr).toBe(0);
    const doc = json(imported);
    expect(doc).toMatchObject({ ok: true, imported: 4, duplicates: 0, failed: 0 });
    const results = doc.results as Array<Record<string, unknown>>;
    // Folder files are named by their path inside the folder; the hidden file is skipped.
    // A folder's files: the folder as given joined with the path inside it; the hidden file is skipped.
    expect(results.map((r) => r.file)).toEqual(['portfolio/big.jpg', 'portfolio/flash/deep/lily.jpg', 'portfolio/flash/rose.png', 'loose.jpg']);
    expect(results.find((r) => r.file === 'portfolio/flash/rose.png')?.given).toBe('portfolio');
    expect(results.find((r) => r.file === 'loose.jpg')?.given).toBe('loose.jpg');
    for (const r of results) {
      const asset = r.asset as { id: string; originalName: string; source: string; deliveredAt: string };
      expect(asset.source).toBe('work-sample');
      expect(asset.deliveredAt).toBe(new Date(2024, 4, 1).toISOString());
      ids.set(asset.originalName, asset.id);
      expect(['ok', 'info', 'warning', 'error']).toContain(r.health);
      expect(Array.isArray(r.problems)).toBe(true);
      const report = r.report as { kind: string; findings: Array<Record<string, unknown>>; image: { width: number }; suggestedTags: unknown[] };
      expect(report.kind).toBe('image');
      expect(Array.isArray(report.suggestedTags)).toBe(true);
      report.findings.forEach(expectFinding);
    }
    // 150 × 240 is under the 256 px minimum: an error finding with the measured short side.
    const rose = results.find((r) => r.file === 'portfolio/flash/rose.png')!;
    expect(rose.health).toBe('error');
    expect(rose.problems).toContain('resolution');
    const resolution = (rose.report as { findings: Array<Record<string, unknown>> }).findings.find((f) => f.check === 'resolution');
    expect(resolution).toMatchObject({ severity: 'error', metric: 150, unit: 'px' });
    expect((rose.report as { image: { width: number; height: number } }).image).toMatchObject({ width: 150, height: 240 });
  });

  it('shows an asset with its report, as JSON and as a readable table', async () => {
    const shown = await run(['--json', 'assets', 'show', id('portfolio/flash/rose.png')]);
    expect(shown.code, shown.stderr).toBe(0);
    const asset = json(shown).asset as Record<string, unknown> & { report: { findings: Array<Record<string, unknown>>; image: unknown } };
    expect(asset).toMatchObject({ id: id('portfolio/flash/rose.png'), kind: 'image', width: 150, height: 240, health: 'error', archived: false });
    expect(asset.problems).toContain('resolution');
    asset.report.findings.forEach(expectFinding);
    expect(asset.report.image).toMatchObject({ width: 150, height: 240 });

    const human = await run(['assets', 'show', id('portfolio/flash/rose.png')]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Name:\s+portfolio\/flash\/rose\.png/);
    expect(human.stdout).toMatch(/SEVERITY\s+CHECK\s+MEASURED\s+THRESHOLD\s+REASON/);
    expect(human.stdout).toMatch(/error\s+resolution\s+150 px/);
    expect(human.stdout).toContain('Measurements:');
  });

  it('filters the list by kind, source, problem, search and paging', async () => {
    const list = async (...args: string[]): Promise<{ total: number; names: string[] }> => {
      const r = await run(['--json', 'assets', 'list', ...args]);
      expect(r.code, r.stderr).toBe(0);
      const doc = json(r) as { total: number; assets: Array<{ originalName: string }> };
      return { total: doc.total, names: doc.assets.map((a) => a.originalName).sort() };
    };
    expect((await list('--kind', 'image', '--source', 'work-sample')).total).toBe(4);
    expect((await list('--kind', 'audio')).total).toBe(0);
    expect((await list('--source', 'portfolio')).total).toBe(0);
    const small = await list('--problem', 'resolution');
    expect(small.names).toContain('portfolio/flash/rose.png');
    expect(small.names).not.toContain('portfolio/big.jpg');
    expect((await list('--search', 'ROSE')).names).toEqual(['portfolio/flash/rose.png']);
    const page = await list('--limit', '1', '--offset', '1');
    expect(page).toMatchObject({ total: 4 });
    expect(page.names).toHaveLength(1);

    const human = await run(['assets', 'list', '--problem', 'any']);
    expect(human.stdout).toMatch(/^NAME\s+KIND\s+SIZE\s+SOURCE\s+HEALTH\s+PROBLEMS\s+TAGS\s+ID/);
    expect(human.stdout).toMatch(/flash\/rose\.png\s+image\s+150×240\s+work-sample\s+error\s+\S*resolution/);
  });

  it('adds and removes tags on several assets', async () => {
    const added = await run(['--json', 'assets', 'tag', id('portfolio/big.jpg'), id('loose.jpg'), '--add', 'style:Line Art', '--add', 'sketchy']);
    expect(added.code, added.stderr).toBe(0);
    expect(json(added)).toMatchObject({ ok: true, changed: 2 });
    const tagged = json(await run(['--json', 'assets', 'list', '--tag', 'line art'])) as { total: number };
    expect(tagged.total).toBe(2);

    const removed = await run(['--json', 'assets', 'tag', id('loose.jpg'), '--remove', 'style:line art']);
    expect(json(removed)).toMatchObject({ ok: true, changed: 1 });
    const shown = json(await run(['--json', 'assets', 'show', id('loose.jpg')])) as { asset: { tags: unknown[] } };
    expect(shown.asset.tags).toEqual([{ kind: 'free', value: 'sketchy' }]);
    expect((json(await run(['--json', 'assets', 'list', '--tag', 'line art'])) as { total: number }).total).toBe(1);
  });

  it('sets and clears a crop, and refuses crops and trims that do not fit', async () => {
    const cropped = await run(['--json', 'assets', 'crop', id('portfolio/big.jpg'), '100', '50', '800']);
    expect(cropped.code, cropped.stderr).toBe(0);
    expect(json(cropped)).toMatchObject({ ok: true, asset: { id: id('portfolio/big.jpg'), crop: { x: 100, y: 50, size: 800 } } });
    const cleared = await run(['--json', 'assets', 'crop', id('portfolio/big.jpg'), '--clear']);
    expect(json(cleared)).toMatchObject({ ok: true, asset: { crop: null } });

    const outside = await run(['--json', 'assets', 'crop', id('portfolio/big.jpg'), '600', '600', '800']);
    expect(outside.code).toBe(1);
    expect(json(outside)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const trimImage = await run(['--json', 'assets', 'trim', id('portfolio/big.jpg'), '0', '1000']);
    expect(trimImage.code).toBe(1);
    expect(json(trimImage)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('reports set health and applies a one-click fix', async () => {
    const all = [id('portfolio/big.jpg'), id('portfolio/flash/rose.png'), id('portfolio/flash/deep/lily.jpg'), id('loose.jpg')];
    const health = await run(['--json', 'assets', 'health', ...all]);
    expect(health.code, health.stderr).toBe(0);
    const report = json(health).health as {
      count: number;
      kind: string;
      findings: Array<Record<string, unknown>>;
      perAsset: Record<string, Array<Record<string, unknown>>>;
      fixes: Array<{ fix: string; assetIds: string[]; label: string }>;
    };
    expect(report).toMatchObject({ count: 4, kind: 'image' });
    report.findings.forEach(expectFinding);
    // Four images are under the 10–50 recommendation.
    expect(report.findings.map((f) => f.check)).toContain('set-size');
    const crops = report.fixes.find((f) => f.fix === 'apply-suggested-crops');
    expect(crops?.assetIds).toContain(id('portfolio/flash/rose.png'));

    const library = await run(['--json', 'assets', 'health', '--all-work-samples', 'image', '--subcategory', 'tattoo']);
    expect(library.code, library.stderr).toBe(0);
    expect(json(library)).toMatchObject({ ok: true, health: { count: 4 } });

    const human = await run(['assets', 'health', '--library', 'image']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Set of 4 image assets');
    // The 150 px image is left out of training sets: 3 usable images.
    expect(human.stdout).toMatch(/warning\s+set-size\s+3\s+10–50/);
    expect(human.stdout).toContain('atelier assets fix apply-suggested-crops');

    const fixed = await run(['--json', 'assets', 'fix', 'apply-suggested-crops', id('portfolio/flash/rose.png')]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(json(fixed)).toMatchObject({ ok: true, fix: 'apply-suggested-crops', changed: 1 });
    const shown = json(await run(['--json', 'assets', 'show', id('portfolio/flash/rose.png')])) as { asset: { crop: { size: number } | null } };
    expect(shown.asset.crop?.size).toBe(150);
  });

  it('archives and restores', async () => {
    const archived = await run(['--json', 'assets', 'archive', id('loose.jpg')]);
    expect(archived.code, archived.stderr).toBe(0);
    expect(json(archived)).toMatchObject({ ok: true, archived: true, changed: 1 });
    expect((json(await run(['--json', 'assets', 'list'])) as { total: number }).total).toBe(3);
    const hidden = json(await run(['--json', 'assets', 'list', '--archived'])) as { assets: Array<{ id: string }> };
    expect(hidden.assets.map((a) => a.id)).toEqual([id('loose.jpg')]);
    expect(json(await run(['--json', 'assets', 'restore', id('loose.jpg')]))).toMatchObject({ ok: true, archived: false, changed: 1 });
    expect((json(await run(['--json', 'assets', 'list'])) as { total: number }).total).toBe(4);
  });

  it('gives a clear error and exit 1 for unknown ids, bad tags and bad dates', async () => {
    const unknown = await run(['--json', 'assets', 'show', 'no-such-asset']);
    expect(unknown.code).toBe(1);
    expect(json(unknown)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(unknown.stderr).toMatch(/^atelier: /);

    for (const args of [
      ['assets', 'tag', 'no-such-asset', '--add', 'ink'],
      ['assets', 'fix', 'drop-duplicates', 'no-such-asset'],
      ['assets', 'archive', 'no-such-asset'],
      ['assets', 'health', 'no-such-asset'],
    ]) {
      const r = await run(['--json', ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(json(r), args.join(' ')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }

    const badTag = await run(['--json', 'assets', 'tag', id('portfolio/big.jpg'), '--add', 'colour:red']);
    expect(badTag.code).toBe(1);
    expect(json(badTag)).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('Unknown tag kind "colour"') } });
    expect(badTag.stderr).toContain('style, content, detail, free');

    const badDate = await run(['assets', 'import', 'loose.jpg', '--source', 'work-sample', '--delivered-at', '2024-02-30']);
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toContain('--delivered-at "2024-02-30" is not a real date');

    // A folder with nothing to import and a path that does not exist fail on their own; the rest imports.
    await fs.mkdir(path.join(filesDir, 'empty', '.git'), { recursive: true });
    const mixed = await run(['--json', 'assets', 'import', 'empty', 'nowhere.png', 'loose.jpg']);
    expect(mixed.code).toBe(1);
    const doc = json(mixed);
    expect(doc).toMatchObject({ ok: false, imported: 0, duplicates: 1, failed: 2 });
    const results = doc.results as Array<Record<string, unknown>>;
    expect(results.map((r) => [r.file, r.ok])).toEqual([
      ['empty', false],
      ['nowhere.png', false],
      ['loose.jpg', true],
    ]);
    expect(results[0]).toMatchObject({ error: { code: 'UNSUPPORTED_FILE', message: expect.stringContaining('“empty”') } });
    expect((results[1]!.error as { message: string }).message).toContain('nowhere.png');
  });

  it('imports a recording, trims its silence with the one-click fix, and trims it by hand', async () => {
    const imported = await run(['--json', 'assets', 'import', 'audio/tone.wav']);
    expect(imported.code, imported.stderr).toBe(0);
    const result = (json(imported).results as Array<Record<string, unknown>>)[0]!;
    const asset = result.asset as { id: string; kind: string; durationMs: number };
    expect(asset).toMatchObject({ kind: 'audio' });
    expect(asset.durationMs).toBeGreaterThan(15_000);
    const report = result.report as { kind: string; audio: { leadingSilenceMs: number }; findings: Array<Record<string, unknown>> };
    expect(report.kind).toBe('audio');
    report.findings.forEach(expectFinding);
    expect(report.audio.leadingSilenceMs).toBeGreaterThan(1500);
    expect((json(await run(['--json', 'assets', 'list', '--kind', 'audio'])) as { total: number }).total).toBe(1);

    // The fix first: a recording the creator has trimmed by hand is not offered it.
    const health = json(await run(['--json', 'assets', 'health', asset.id])) as { health: { fixes: Array<{ fix: string; assetIds: string[] }> } };
    expect(health.health.fixes.find((f) => f.fix === 'trim-silence')?.assetIds).toEqual([asset.id]);
    const fixed = await run(['--json', 'assets', 'fix', 'trim-silence', asset.id]);
    expect(json(fixed)).toMatchObject({ ok: true, changed: 1 });
    const shown = json(await run(['--json', 'assets', 'show', asset.id])) as { asset: { trim: { startMs: number; endMs: number } } };
    expect(shown.asset.trim.startMs).toBeGreaterThan(1500);
    expect(shown.asset.trim.endMs).toBeLessThan(asset.durationMs - 1500);

    const trimmed = await run(['--json', 'assets', 'trim', asset.id, '1000', '5000']);
    expect(trimmed.code, trimmed.stderr).toBe(0);
    expect(json(trimmed)).toMatchObject({ ok: true, asset: { trim: { startMs: 1000, endMs: 5000 } } });
    const human = await run(['assets', 'show', asset.id]);
    expect(human.stdout).toMatch(/Trim:\s+1 s to 5 s \(4 s\)/);
    const tooLong = await run(['--json', 'assets', 'trim', asset.id, '0', '999000']);
    expect(tooLong.code).toBe(1);
    expect(json(tooLong)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const cropAudio = await run(['--json', 'assets', 'crop', asset.id, '0', '0', '10']);
    expect(cropAudio.code).toBe(1);
  });
});
