// Reading the issue-5 command lines (models, train, versions, generate, pricing, subscription, publish) and their mistakes.
import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseInstant, USAGE, type CliCommand } from './cli-args';

function command(argv: string[]): CliCommand {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) throw new Error(`expected success, got: ${parsed.message}`);
  return parsed.invocation.command;
}

function problem(argv: string[]): string {
  const parsed = parseCliArgs(argv);
  if (parsed.ok) throw new Error(`expected a problem with ${argv.join(' ')}`);
  return parsed.message;
}

describe('models commands', () => {
  it('reads create, list, show, rename, publish, withdraw and delete', () => {
    expect(command(['models', 'create', '--subcategory', 'tattoo'])).toEqual({ kind: 'models-create', subcategory: 'tattoo' });
    // A "later" subcategory reaches the studio, which refuses it with its own message.
    expect(command(['models', 'create', '--subcategory', 'graphics_design'])).toEqual({ kind: 'models-create', subcategory: 'graphics_design' });
    expect(command(['models', 'list', '--json'])).toEqual({ kind: 'models-list' });
    expect(command(['models', 'show', 'Tattoo model 1'])).toEqual({ kind: 'models-show', model: 'Tattoo model 1' });
    expect(command(['models', 'rename', 'm1', 'Fine line'])).toEqual({ kind: 'models-rename', model: 'm1', name: 'Fine line' });
    expect(command(['models', 'publish', 'm1'])).toEqual({ kind: 'models-activate', model: 'm1', active: true });
    expect(command(['models', 'withdraw', 'm1'])).toEqual({ kind: 'models-activate', model: 'm1', active: false });
    expect(command(['models', 'delete', 'm1'])).toEqual({ kind: 'models-delete', model: 'm1' });
  });

  it('refuses a missing or unknown subcategory, naming the available ones', () => {
    expect(problem(['models', 'create'])).toContain('tattoo|illustration|childrens_book|voice_over|jingles');
    expect(problem(['models', 'create', '--subcategory', 'tatoo'])).toMatch(/Unknown --subcategory "tatoo". Use tattoo, illustration/);
    expect(problem(['models', 'rename', 'm1'])).toContain('Name the NAME');
    expect(problem(['models', 'rename', 'm1', 'a', 'b'])).toContain('Too many arguments ("b")');
    expect(problem(['models', 'show'])).toContain('Name the MODEL');
    expect(problem(['models', 'fly', 'm1'])).toContain('Unknown command "models fly m1"');
  });

  it('gives every asset after --add or --remove to that option, in command-line order', () => {
    expect(command(['models', 'assets', 'm1', '--add', 'a.png', 'b.png', '--remove', 'c.png', 'd.png'])).toEqual({
      kind: 'models-assets',
      model: 'm1',
      add: ['a.png', 'b.png'],
      remove: ['c.png', 'd.png'],
      allRecent: false,
    });
    expect(command(['--json', 'models', 'assets', 'm1', '--remove=x', '--add', 'y', 'z'])).toMatchObject({ add: ['y', 'z'], remove: ['x'] });
    expect(command(['models', 'assets', 'm1', '--all-recent'])).toEqual({ kind: 'models-assets', model: 'm1', add: [], remove: [], allRecent: true });
    // A global option between the assets ends the list: what follows has no option to belong to.
    expect(problem(['models', 'assets', 'm1', '--add', 'a', '--json', 'b'])).toContain('Put "b" after --add or --remove');
    expect(problem(['models', 'assets', 'm1'])).toContain('Say which assets');
    expect(problem(['models', 'assets', 'm1', '--all-recent', '--add', 'a'])).toContain('not both');
  });
});

describe('train and versions', () => {
  it('reads them', () => {
    expect(command(['train', 'Tattoo model 1'])).toEqual({ kind: 'train', model: 'Tattoo model 1' });
    expect(command(['versions', 'list', 'm1'])).toEqual({ kind: 'versions-list', model: 'm1' });
    expect(command(['versions', 'activate', 'm1', '2'])).toEqual({ kind: 'versions-activate', model: 'm1', version: 2 });
    expect(command(['versions', 'delete', 'm1', 'v1'])).toEqual({ kind: 'versions-delete', model: 'm1', version: 1 });
  });

  it('refuses a version that is not a positive whole number and a missing model', () => {
    expect(problem(['versions', 'activate', 'm1', '0'])).toContain('N must be a whole number of at least 1, not "0"');
    expect(problem(['versions', 'delete', 'm1', '1.5'])).toContain('not "1.5"');
    expect(problem(['versions', 'activate', 'm1'])).toContain('Name the version number N');
    expect(problem(['train'])).toContain('Name the MODEL: atelier train MODEL');
    expect(problem(['train', 'a', 'b'])).toContain('Too many arguments');
  });
});

describe('generate', () => {
  it('reads every option with its default', () => {
    expect(command(['generate', 'm1', '--prompt', 'a rose', '--out', 'out'])).toEqual({
      kind: 'generate',
      model: 'm1',
      out: 'out',
      force: false,
      credentials: true,
      request: { prompt: 'a rose', reference: null, variation: null, seed: null, size: null, count: 1, lengthS: null },
    });
    expect(command(['generate', 'm1', '--prompt', 'a rose', '--out', 'out', '--no-credentials'])).toMatchObject({ credentials: false });
    expect(
      command(['generate', 'm1', '--reference', 'ref.png', '--variation', 'rose.png', '--seed', '7', '--size', '512px', '--count', '3', '--out', 'o', '--force']),
    ).toMatchObject({ force: true, request: { reference: 'ref.png', variation: 'rose.png', seed: 7, size: 512, count: 3 } });
    expect(command(['generate', 'jingle', '--prompt', 'bright', '--length', '30s', '--out', 'o'])).toMatchObject({ request: { lengthS: 30 } });
    expect(command(['generate', 'jingle', '--prompt', 'bright', '--length', '2.5', '--out', 'o'])).toMatchObject({ request: { lengthS: 2.5 } });
  });

  it('refuses out-of-range numbers, a missing --out and nothing to generate from', () => {
    expect(problem(['generate', 'm1', '--prompt', 'x'])).toContain('--out DIR');
    expect(problem(['generate', 'm1', '--out', 'o'])).toContain('--prompt TEXT, --reference FILE and/or --variation ASSET');
    expect(problem(['generate', 'm1', '--prompt', 'x', '--out', 'o', '--size', '256'])).toContain('--size must be a whole number from 512 to 2048');
    expect(problem(['generate', 'm1', '--prompt', 'x', '--out', 'o', '--count', '9'])).toContain('--count must be a whole number from 1 to 8');
    expect(problem(['generate', 'm1', '--prompt', 'x', '--out', 'o', '--seed', '-1'])).toContain('--seed');
    expect(problem(['generate', 'm1', '--prompt', 'x', '--out', 'o', '--seed', '2147483648'])).toContain('from 0 to 2147483647');
    expect(problem(['generate', 'm1', '--prompt', 'x', '--out', 'o', '--length', '0.5'])).toContain('--length must be 1 to 300 seconds');
    expect(problem(['generate', 'm1', '--prompt', 'x', '--out', 'o', '--length', 'long'])).toContain('not "long"');
    // Options of other commands are refused by name.
    expect(problem(['train', 'm1', '--seed', '3'])).toBe('--seed only applies to generate.');
    expect(problem(['models', 'list', '--price', '3'])).toBe('--price only applies to pricing set.');
  });
});

describe('export', () => {
  it('reads the output id and --out; the format follows the extension', () => {
    expect(command(['export', 'g1', '--out', 'rose.png'])).toEqual({ kind: 'export', generation: 'g1', out: 'rose.png', force: false, format: 'png' });
    expect(command(['export', 'g1', '--out', 'Rose.JPG', '--force'])).toEqual({ kind: 'export', generation: 'g1', out: 'Rose.JPG', force: true, format: 'jpeg' });
    expect(command(['export', 'g1', '--out', 'rose.jpeg'])).toMatchObject({ format: 'jpeg' });
  });

  it('refuses a missing output id, a missing --out and options of other commands', () => {
    expect(problem(['export', '--out', 'x.png'])).toContain('Name the GENERATION');
    expect(problem(['export', 'g1'])).toContain('--out FILE');
    expect(problem(['export', 'g1', 'g2', '--out', 'x.png'])).toContain('Too many arguments');
    expect(problem(['export', 'g1', '--out', 'x.png', '--no-credentials'])).toBe('--no-credentials only applies to generate.');
    expect(problem(['train', 'm1', '--no-credentials'])).toBe('--no-credentials only applies to generate.');
  });
});

describe('pricing', () => {
  it('reads per-unit and base-increment pricing in cents, quantities as typed', () => {
    expect(command(['pricing', 'set', 'm1', '--scheme', 'per-unit', '--price', '120', '--commercial', '$50.50'])).toEqual({
      kind: 'pricing-set',
      model: 'm1',
      pricing: { scheme: 'per-unit', unitPriceCents: 12_000, licences: { commercialCents: 5050 } },
    });
    expect(command(['pricing', 'set', 'vo', '--scheme', 'base-increment', '--base', '30s:25', '--increment', '10s:6.00', '--broadcast', '1,000'])).toEqual({
      kind: 'pricing-set',
      model: 'vo',
      pricing: { scheme: 'base-increment', base: { quantity: '30s', priceCents: 2500 }, increment: { quantity: '10s', priceCents: 600 }, licences: { broadcastCents: 100_000 } },
    });
    // The last colon splits: 1:30 is a minute and a half.
    expect(command(['pricing', 'set', 'vo', '--base', '1:30:40', '--increment', '10s:6'])).toMatchObject({ pricing: { base: { quantity: '1:30', priceCents: 4000 } } });
    expect(command(['pricing', 'set', 'm1', '--price', '9.99'])).toMatchObject({ pricing: { scheme: 'per-unit', unitPriceCents: 999 } });
  });

  it('refuses amounts parseUsd refuses, mixed schemes and steps without a price', () => {
    expect(problem(['pricing', 'set', 'm1', '--price=-5'])).toMatch(/^--price: .*negative/);
    expect(problem(['pricing', 'set', 'm1', '--price', '1.999'])).toContain('at most 2 decimals');
    expect(problem(['pricing', 'set', 'm1', '--price', 'ten'])).toContain('not a dollar amount');
    expect(problem(['pricing', 'set', 'm1'])).toContain('Choose a scheme');
    expect(problem(['pricing', 'set', 'm1', '--scheme', 'per-unit', '--base', '30s:2'])).toContain('belong to --scheme base-increment');
    expect(problem(['pricing', 'set', 'm1', '--scheme', 'base-increment', '--price', '2'])).toContain('--price belongs to --scheme per-unit');
    expect(problem(['pricing', 'set', 'm1', '--base', '30s:25'])).toContain('both --base QTY:USD and --increment QTY:USD');
    expect(problem(['pricing', 'set', 'm1', '--base', '30s', '--increment', '10s:1'])).toContain('--base is QUANTITY:USD');
    expect(problem(['pricing', 'set', 'm1', '--scheme', 'tiered', '--price', '1'])).toContain('Unknown --scheme "tiered"');
  });

  it('reads quotes with a licence, personal by default', () => {
    expect(command(['pricing', 'quote', 'vo', '--quantity', '45s', '--license', 'commercial'])).toEqual({
      kind: 'pricing-quote',
      model: 'vo',
      quantity: '45s',
      licence: 'commercial',
    });
    expect(command(['pricing', 'quote', 'm1', '--quantity', '2', '--licence', 'broadcast'])).toMatchObject({ licence: 'broadcast' });
    expect(command(['pricing', 'quote', 'm1', '--quantity', '2'])).toMatchObject({ licence: 'personal' });
    expect(command(['pricing', 'show', 'm1'])).toEqual({ kind: 'pricing-show', model: 'm1' });
    expect(problem(['pricing', 'quote', 'm1'])).toContain('--quantity QTY');
    expect(problem(['pricing', 'quote', 'm1', '--quantity', '2', '--license', 'resale'])).toContain('Unknown --license "resale"');
  });
});

describe('subscription and publish', () => {
  it('reads the three states; dates alone are UTC days', () => {
    expect(command(['subscription', 'show'])).toEqual({ kind: 'subscription-show' });
    expect(command(['subscription', 'set', 'active', '--since', '2026-11-03'])).toEqual({
      kind: 'subscription-set',
      state: { status: 'active', since: '2026-11-03T00:00:00.000Z' },
    });
    expect(command(['subscription', 'set', 'cancelled', '--until', '2026-12-03T12:00:00+02:00'])).toEqual({
      kind: 'subscription-set',
      state: { status: 'cancelled', until: '2026-12-03T10:00:00.000Z' },
    });
    expect(command(['subscription', 'set', 'none'])).toEqual({ kind: 'subscription-set', state: { status: 'none' } });
    expect(command(['publish', 'check', 'm1'])).toEqual({ kind: 'publish-check', model: 'm1' });
    expect(command(['playground', 'list', 'm1', '--search', 'rose', '--limit', '5'])).toEqual({
      kind: 'playground-list',
      model: 'm1',
      version: null,
      search: 'rose',
      limit: 5,
    });
  });

  it('refuses missing and impossible dates and options of the other state', () => {
    expect(problem(['subscription', 'set', 'active'])).toContain('--since 2026-11-03');
    expect(problem(['subscription', 'set', 'cancelled'])).toContain('--until');
    expect(problem(['subscription', 'set', 'active', '--since', '2026-02-30'])).toContain('is not a real date');
    expect(problem(['subscription', 'set', 'active', '--since', 'yesterday'])).toContain('is not a date');
    expect(problem(['subscription', 'set', 'none', '--since', '2026-01-01'])).toContain('--since goes with');
    expect(problem(['subscription', 'set', 'active', '--until', '2026-01-01', '--since', '2026-01-01'])).toContain('--until goes with');
    expect(problem(['subscription', 'set', 'paused'])).toContain('Unknown subscription state "paused"');
    expect(problem(['subscription', 'set'])).toContain('Say which state');
    expect(problem(['publish', 'now', 'm1'])).toContain('atelier models publish MODEL');
  });

  it('reads zoneless date-times as UTC or local time as asked', () => {
    expect(parseInstant('--since', '2024-02-29T23:30', 'utc')).toBe('2024-02-29T23:30:00.000Z');
    expect(parseInstant('--since', '2024-02-29T23:30', 'local')).toBe(new Date(2024, 1, 29, 23, 30).toISOString());
  });

  it('lists every new command in the usage', () => {
    for (const form of ['models create', 'models assets', 'train MODEL', 'versions activate', 'generate MODEL', 'pricing quote', 'subscription set active', 'publish check']) {
      expect(USAGE).toContain(form);
    }
  });
});
