// The model commands of `atelier` run in-process on a real data folder: create → assets → train → versions →
// generate → pricing → subscription → publish check, the quota running out, and bad arguments.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCredentials } from '../../engine/watermark/c2pa';
import { makeDrawing, makeLineArt } from '../../tests/fixtures/images';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_USER_ERROR } from './cli';
import { runAtelier, runAtelierJson, type CliDoc, type CliRun } from '../../tests/fixtures/cli-run';

const PASSWORD = 'pw for the model commands';

type Doc = CliDoc;

let dir: string;
let dataDir: string;
/** The current directory of every run: file arguments are relative to it. */
let filesDir: string;

function atelier(args: string[]): Promise<CliRun> {
  return runAtelier(args, { dataDir, cwd: filesDir, password: PASSWORD });
}

/** Runs with --json, expects exit `code` and returns the one JSON document on stdout. */
function json(args: string[], code = EXIT_OK): Promise<Doc> {
  return runAtelierJson(args, { dataDir, cwd: filesDir, password: PASSWORD }, code);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atelier-cli-models-'));
  dataDir = path.join(dir, 'data');
  filesDir = path.join(dir, 'files');
  // Three 256 px line drawings to train on (small: the engine's real work, kept short), and a reference picture.
  for (const [i, name] of ['rose.png', 'dagger.png', 'swallow.png'].entries()) await makeLineArt(path.join(filesDir, 'set', name), 256, 256, 40 + i);
  await makeDrawing(path.join(filesDir, 'ref.png'), 256, 256, 77);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Training and generating are the engine's real work on a shared two-core machine. */
const STEP_TIMEOUT_MS = 180_000;

describe('atelier model commands', { timeout: STEP_TIMEOUT_MS }, () => {
  let modelId = '';

  it('creates a profile, imports a set and creates a tattoo model', async () => {
    expect((await json(['profile', 'create', 'demo'])).ok).toBe(true);
    const imported = await json(['assets', 'import', 'set', 'ref.png']);
    expect(imported).toMatchObject({ ok: true, imported: 4 });

    const created = await json(['models', 'create', '--subcategory', 'tattoo']);
    expect(created).toMatchObject({ ok: true, profile: { name: 'demo' }, model: { subcategory: 'tattoo', modality: 'image', name: null, activeVersion: null } });
    modelId = created.model.id as string;

    const later = await json(['models', 'create', '--subcategory', 'graphics_design'], EXIT_USER_ERROR);
    expect(later).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('picks assets by file name and by id', async () => {
    const list = await json(['assets', 'list']);
    const assets = list.assets as Array<{ id: string; originalName: string }>;
    const swallow = assets.find((a) => a.originalName.endsWith('swallow.png'))!;
    // Prompts compose from the model's tags: each drawing is tagged with what it shows.
    for (const what of ['rose', 'dagger', 'swallow']) {
      const asset = assets.find((a) => a.originalName.endsWith(`${what}.png`))!;
      expect((await json(['assets', 'tag', asset.id, '--add', `content:${what}`])).changed).toBe(1);
    }
    const picked = await json(['models', 'assets', modelId, '--add', 'ROSE.png', 'dagger.png', swallow.id, 'ref.png', '--remove', 'ref.png']);
    expect(picked.model).toMatchObject({ id: modelId, selection: { mode: 'explicit' }, assetCount: 3 });

    const unknown = await json(['models', 'assets', modelId, '--add', 'nothing.png'], EXIT_USER_ERROR);
    expect(unknown.error.code).toBe('NOT_FOUND');
    expect(unknown.error.message).toContain('nothing.png');
  });

  it('trains, names the model and shows progress on stderr', async () => {
    const run = await atelier(['--json', 'train', modelId]);
    expect(run.code, run.stderr).toBe(EXIT_OK);
    const doc = JSON.parse(run.stdout) as Doc;
    expect(doc).toMatchObject({ ok: true, model: { id: modelId, name: 'Tattoo model 1', activeVersion: 1 }, version: { number: 1, active: true }, run: { state: 'succeeded' } });
    expect(doc.version.assets).toHaveLength(3);
    expect(run.stderr).toContain('Training “Tattoo model 1”');

    // The name now resolves MODEL, in any case.
    const shown = await atelier(['models', 'show', 'tattoo MODEL 1']);
    expect(shown.code, shown.stderr).toBe(EXIT_OK);
    expect(shown.stdout).toMatch(/Name:\s+Tattoo model 1/);
    expect(shown.stdout).toMatch(/Active version:\s+v1 of 1/);
    const listed = await atelier(['models', 'list']);
    expect(listed.stdout).toMatch(/^NAME\s+SUBCATEGORY\s+ASSETS\s+VERSION/);
    expect(listed.stdout).toMatch(/Tattoo model 1\s+tattoo\s+3\s+v1 \(1\)/);

    const versions = await json(['versions', 'list', 'Tattoo model 1']);
    expect((versions.versions as Array<{ number: number; active: boolean }>).map((v) => [v.number, v.active])).toEqual([[1, true]]);
  });

  it('generates from a prompt and from a reference into --out, with provenance beside each picture', async () => {
    const doc = await json(['generate', 'Tattoo model 1', '--prompt', 'a rose with a dagger', '--seed', '5', '--size', '512', '--out', 'out']);
    expect(doc.outputs).toHaveLength(1);
    const file = path.join(filesDir, 'out', 'tattoo-model-1-v1-seed5.png');
    expect(doc.outputs[0]).toMatchObject({ file: path.join('out', 'tattoo-model-1-v1-seed5.png'), provenanceFile: path.join('out', 'tattoo-model-1-v1-seed5.json') });
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 512, 512]);
    const provenance = JSON.parse(await fs.readFile(file.replace(/png$/, 'json'), 'utf8')) as { shares: Array<{ name: string; share: number }>; generation: { seed: number } };
    expect(provenance.generation.seed).toBe(5);
    expect(provenance.shares.length).toBeGreaterThan(0);
    expect(provenance.shares.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 1);
    for (const share of provenance.shares) expect(['set/rose.png', 'set/dagger.png', 'set/swallow.png']).toContain(share.name);

    // The same seed again would overwrite: refused before any work, unless --force.
    const again = await json(['generate', modelId, '--prompt', 'a rose with a dagger', '--seed', '5', '--size', '512', '--out', 'out'], EXIT_USER_ERROR);
    expect(again.error.code).toBe('CONFLICT');
    expect(again.error.message).toContain('--force');

    const human = await atelier(['generate', modelId, '--reference', 'ref.png', '--seed', '9', '--size', '512', '--out', 'out']);
    expect(human.code, human.stderr).toBe(EXIT_OK);
    expect(human.stdout.trim()).toBe(path.join('out', 'tattoo-model-1-v1-seed9.png'));
    const reference = JSON.parse(await fs.readFile(path.join(filesDir, 'out', 'tattoo-model-1-v1-seed9.json'), 'utf8')) as { generation: { mode: string } };
    expect(reference.generation.mode).toBe('reference');

    const gallery = await json(['playground', 'list', modelId]);
    expect(gallery.total).toBe(2);

    // Every picture written by generate carries content credentials signed by this profile; --no-credentials skips them.
    const signed = await readCredentials(new Uint8Array(await fs.readFile(file)));
    expect(signed).toMatchObject({ description: 'AI-generated with Tattoo model 1 by demo', verdict: 'untrusted', atelier: { modelVersion: 'v1' } });
    const bare = await json(['generate', modelId, '--prompt', 'a rose', '--seed', '11', '--size', '512', '--out', 'bare', '--no-credentials']);
    expect(await readCredentials(new Uint8Array(await fs.readFile(path.join(filesDir, String(bare.outputs[0].file)))))).toBeNull();

    // export: one output by id, JPEG from the extension; detect reports its credentials.
    const generationId = String(doc.outputs[0].generation.id);
    const exported = await json(['export', generationId, '--out', 'exports/rose.jpg']);
    expect(exported).toMatchObject({ out: path.join('exports', 'rose.jpg'), mime: 'image/jpeg' });
    expect((await readCredentials(new Uint8Array(await fs.readFile(path.join(filesDir, 'exports', 'rose.jpg')))))?.verdict).toBe('untrusted');
    expect((await json(['export', generationId, '--out', 'exports/rose.jpg'], EXIT_USER_ERROR)).error.code).toBe('CONFLICT');
    const detect = await atelier(['watermark', 'detect', 'exports/rose.jpg']);
    expect(detect.code, detect.stderr).toBe(EXIT_OK);
    expect(detect.stdout).toContain('Content credentials: AI-generated with Tattoo model 1 v1 by demo — signed by this studio (not on a public trust list)');
  });

  it('trains the second free version, then refuses the third with QUOTA_EXCEEDED; rolls back and deletes', async () => {
    const second = await json(['train', modelId]);
    expect(second).toMatchObject({ ok: true, version: { number: 2 }, model: { activeVersion: 2 } });

    const third = await atelier(['--json', 'train', modelId]);
    expect(third.code).toBe(EXIT_USER_ERROR);
    const doc = JSON.parse(third.stdout) as Doc;
    expect(doc).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED' } });
    expect(doc.error.hint).toContain('atelier');
    expect(third.stderr).toContain(doc.error.message as string);

    expect((await json(['versions', 'activate', modelId, '1'])).model.activeVersion).toBe(1);
    const active = await json(['versions', 'delete', modelId, '1'], EXIT_USER_ERROR);
    expect(active.error.code).toBe('CONFLICT');
    expect((await json(['versions', 'delete', modelId, '2'])).model.versionCount).toBe(1);
  });

  it('sets pricing and quotes the 45 s commercial example of a voice-over model', async () => {
    const vo = (await json(['models', 'create', '--subcategory', 'voice_over'])).model as { id: string };
    const set = await json(['pricing', 'set', vo.id, '--scheme', 'base-increment', '--base', '30s:25', '--increment', '10s:6', '--commercial', '10', '--broadcast', '40']);
    expect(set.pricing).toMatchObject({ scheme: 'base-increment', base: { quantity: 30, priceCents: 2500 }, increment: { quantity: 10, priceCents: 600 }, licences: { commercialCents: 1000, broadcastCents: 4000 } });
    // 30 s base + 2 started 10 s increments + the commercial licence.
    const quote = await json(['pricing', 'quote', vo.id, '--quantity', '45s', '--license', 'commercial']);
    expect(quote.quote).toMatchObject({ quantity: 45, licence: 'commercial', totalCents: 2500 + 2 * 600 + 1000 });
    const human = await atelier(['pricing', 'quote', vo.id, '--quantity', '45s', '--license', 'commercial']);
    expect(human.stdout).toContain('$47.00');

    // The studio's validation, each problem named by the option that set it.
    const bad = await atelier(['--json', 'pricing', 'set', modelId, '--price', '0']);
    expect(bad.code).toBe(EXIT_USER_ERROR);
    expect((JSON.parse(bad.stdout) as { error: { code: string } }).error.code).toBe('VALIDATION');

    const tattoo = await json(['pricing', 'set', modelId, '--scheme', 'per-unit', '--price', '120', '--commercial', '40']);
    expect(tattoo.pricing).toMatchObject({ scheme: 'per-unit', unitPriceCents: 12_000 });
    expect((await json(['pricing', 'quote', modelId, '--quantity', '2', '--license', 'commercial'])).quote.totalCents).toBe(28_000);
  });

  it('sets the subscription from the command line and checks publishing', async () => {
    const before = await json(['publish', 'check', modelId]);
    expect(before.check).toMatchObject({ modelId, ready: false });
    expect((before.check.blockers as Array<{ condition: string }>).map((b) => b.condition)).toContain('subscription');

    const active = await json(['subscription', 'set', 'active', '--since', '2026-11-03']);
    expect(active.subscription.state).toEqual({ status: 'active', since: '2026-11-03T00:00:00.000Z', source: 'cli' });
    const cancelled = await json(['subscription', 'set', 'cancelled', '--until', '2026-12-03']);
    expect(cancelled.subscription.state).toMatchObject({ status: 'cancelled', since: '2026-11-03T00:00:00.000Z', until: '2026-12-03T00:00:00.000Z' });
    const shown = await atelier(['subscription', 'show']);
    expect(shown.code, shown.stderr).toBe(EXIT_OK);
    expect(shown.stdout).toContain(cancelled.subscription.line as string);

    const after = await json(['publish', 'check', 'Tattoo model 1']);
    expect((after.check.blockers as Array<{ condition: string }>).map((b) => b.condition)).not.toContain('subscription');
    expect(after.check.ready).toBe(after.check.blockers.length === 0);
    const human = await atelier(['publish', 'check', modelId]);
    expect(human.stdout).toMatch(after.check.ready ? /ready to publish/ : /cannot be published yet/);

    expect((await json(['subscription', 'set', 'none'])).subscription.state).toEqual({ status: 'none' });
  });

  it('answers bad arguments with the usage and exit 1, and unknown models by name', async () => {
    const bad = await atelier(['--json', 'generate', modelId, '--prompt', 'x']);
    expect(bad.code).toBe(EXIT_USER_ERROR);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(bad.stderr).toContain('--out DIR');
    expect(bad.stderr).toContain('Usage: atelier');

    const missing = await json(['models', 'show', 'Illustration model 9'], EXIT_USER_ERROR);
    expect(missing.error.code).toBe('NOT_FOUND');
    expect(missing.error.message).toContain('Tattoo model 1');
    expect(EXIT_INTERRUPTED).toBe(130);
  });
});
