// Reading the `atelier` command line: commands, options anywhere, and every way to get it wrong.
import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseDeliveredAt, type CliCommand, type CliInvocation } from './cli-args';
import { defaultDataDir } from './data-dir';

function ok(argv: string[]): CliInvocation {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) throw new Error(`expected success, got: ${parsed.message}`);
  return parsed.invocation;
}

function problem(argv: string[]): { json: boolean; message: string } {
  const parsed = parseCliArgs(argv);
  if (parsed.ok) throw new Error(`expected a problem with ${argv.join(' ')}`);
  return parsed;
}

describe('parseCliArgs', () => {
  it('reads each command with its global options, before or after it', () => {
    expect(ok(['--data-dir', 'd', '--json', 'profile', 'create', 'demo'])).toEqual({
      command: { kind: 'profile-create', name: 'demo' },
      dataDir: 'd',
      profile: null,
      json: true,
      passwordStdin: false,
    });
    expect(ok(['profile', 'list', '--json']).command).toEqual({ kind: 'profile-list' });
    const imp = ok(['--profile=demo', 'assets', 'import', 'a.jpg', 'b.png', '--source', 'portfolio', '--password-stdin']);
    expect(imp.command).toEqual({ kind: 'assets-import', paths: ['a.jpg', 'b.png'], source: 'portfolio', deliveredAt: null });
    expect(imp.profile).toBe('demo');
    expect(imp.passwordStdin).toBe(true);
    expect(ok(['assets', 'import', 'x.gif']).command).toMatchObject({ source: 'upload' });
    expect(ok(['assets', 'list']).command).toEqual({ kind: 'assets-list', filters: { archived: false }, limit: null, offset: 0 });
    expect(ok(['help']).command.kind).toBe('help');
    expect(ok(['--help']).command.kind).toBe('help');
    expect(ok(['-h', 'assets', 'list']).command.kind).toBe('help');
    expect(ok(['--version']).command.kind).toBe('version');
    expect(ok(['version']).command.kind).toBe('version');
  });

  it('takes a quoted name with spaces and files after -- that look like options', () => {
    expect(ok(['profile', 'create', 'Mira Sol']).command).toEqual({ kind: 'profile-create', name: 'Mira Sol' });
    expect(ok(['assets', 'import', '--', '--weird.png', '-x.jpg']).command).toMatchObject({ paths: ['--weird.png', '-x.jpg'] });
  });

  it('refuses what it does not understand, and knows whether to answer in JSON', () => {
    expect(problem([]).message).toMatch(/command/i);
    expect(problem(['paint']).message).toContain('Unknown command "paint"');
    expect(problem(['profile']).message).toContain('Unknown command');
    expect(problem(['profile', 'delete', 'x']).message).toContain('Unknown command');
    expect(problem(['profile', 'create']).message).toContain('exactly one name');
    expect(problem(['profile', 'create', 'a', 'b']).message).toContain('exactly one name');
    expect(problem(['assets', 'import']).message).toContain('at least one file');
    expect(problem(['assets', 'import', 'a.jpg', '--source', 'stolen']).message).toContain('upload, portfolio, work-sample');
    expect(problem(['profile', 'list', '--source', 'portfolio']).message).toContain('--source only applies');
    expect(problem(['assets', 'show', 'x', '--add', 'ink']).message).toContain('--add only applies to assets tag');
    expect(problem(['--colour', 'profile', 'list']).message).toContain('Unknown option --colour');
    expect(problem(['profile', 'list', '--data-dir']).message).toBe('Option --data-dir needs a value.');
    expect(problem(['--json=yes', 'profile', 'list']).message).toBe('Option --json takes no value.');
    expect(problem(['--data-dir', '', 'profile', 'list']).message).toContain('--data-dir');
    expect(problem(['--json', 'paint']).json).toBe(true);
    expect(problem(['paint']).json).toBe(false);
    // After "--", "--json" is a file name, not the option.
    expect(problem(['profile', '--', '--json']).json).toBe(false);
  });
});

function command(argv: string[]): CliCommand {
  return ok(argv).command;
}

describe('parseCliArgs: curation commands', () => {
  it('reads import with a source and a delivery date', () => {
    const imp = command(['assets', 'import', 'flash', '--source', 'work-sample', '--delivered-at', '2024-05-01T14:30:00+02:00']);
    expect(imp).toEqual({ kind: 'assets-import', paths: ['flash'], source: 'work-sample', deliveredAt: '2024-05-01T12:30:00.000Z' });
    expect(problem(['assets', 'import', 'a.jpg', '--delivered-at', '2024-05-01']).message).toContain('--source work-sample');
    expect(problem(['assets', 'import', 'a.jpg', '--source', 'work-sample', '--delivered-at', 'last tuesday']).message).toContain(
      '"last tuesday" is not a date',
    );
    expect(problem(['assets', 'import', 'a.jpg', '--source', 'work-sample', '--delivered-at', '2024-02-30']).message).toContain(
      'not a real date',
    );
  });

  it('reads delivery dates as the creator writes them', () => {
    // A date alone is midnight in this computer's time zone.
    expect(parseDeliveredAt('2024-05-01')).toBe(new Date(2024, 4, 1).toISOString());
    expect(parseDeliveredAt('2024-05-01T10:00Z')).toBe('2024-05-01T10:00:00.000Z');
    expect(parseDeliveredAt('2024-05-01 10:00:30-0500')).toBe('2024-05-01T15:00:30.000Z');
    expect(parseDeliveredAt('2024-05-01T10:00:00.250Z')).toBe('2024-05-01T10:00:00.250Z');
    for (const bad of ['2024-13-01', '2024-05-01T25:00Z', '2024-5-1', '01/05/2024', '', '2024-05-01T10:00:00+2']) {
      expect(() => parseDeliveredAt(bad), bad).toThrow(/--delivered-at/);
    }
  });

  it('reads list filters and paging', () => {
    expect(
      command(['assets', 'list', '--kind', 'audio', '--source', 'portfolio', '--tag', ' Line Art ', '--problem', 'any', '--search', 'rose', '--archived', '--limit', '20', '--offset', '40']),
    ).toEqual({
      kind: 'assets-list',
      filters: { kind: 'audio', source: 'portfolio', tag: 'line art', problem: 'any', search: 'rose', archived: true },
      limit: 20,
      offset: 40,
    });
    expect(command(['assets', 'list', '--problem', 'near-duplicate'])).toMatchObject({ filters: { problem: 'near-duplicate' } });
    expect(problem(['assets', 'list', '--kind', 'video']).message).toBe('Unknown --kind "video". Use image, audio, text.');
    expect(problem(['assets', 'list', '--problem', 'ugly']).message).toContain('resolution, blur');
    expect(problem(['assets', 'list', '--limit', '0']).message).toContain('--limit must be a whole number from 1 to 10000');
    expect(problem(['assets', 'list', '--limit', '1e3']).message).toContain('not "1e3"');
    expect(problem(['assets', 'list', '--offset', '-1']).message).toContain('--offset');
    expect(problem(['assets', 'list', 'rose']).message).toContain('--search');
  });

  it('reads tags as KIND:VALUE, plain values as free tags, and refuses bad ones', () => {
    expect(command(['assets', 'tag', 'a1', 'a2', '--add', 'style:Line Art', '--add', 'ink', '--remove', 'content:portrait', '--add', 'free:ratio:16:9'])).toEqual({
      kind: 'assets-tag',
      assetIds: ['a1', 'a2'],
      add: [
        { kind: 'style', value: 'line art' },
        { kind: 'free', value: 'ink' },
        { kind: 'free', value: 'ratio:16:9' },
      ],
      remove: [{ kind: 'content', value: 'portrait' }],
    });
    // A colon after something that is not a word stays part of a free tag.
    expect(command(['assets', 'tag', 'a1', '--add', '16:9'])).toMatchObject({ add: [{ kind: 'free', value: '16:9' }] });
    expect(problem(['assets', 'tag', 'a1', '--add', 'stlye:ink']).message).toContain('Unknown tag kind "stlye"');
    expect(problem(['assets', 'tag', 'a1', '--add', 'style:']).message).toContain('at least one character');
    expect(problem(['assets', 'tag', 'a1', '--add', `style:${'x'.repeat(49)}`]).message).toContain('at most 48');
    expect(problem(['assets', 'tag', 'a1', '--add', 'bad\u0007bell']).message).toContain('control characters');
    expect(problem(['assets', 'tag', 'a1']).message).toContain('--add KIND:VALUE');
    expect(problem(['assets', 'tag', '--add', 'ink']).message).toContain('at least one asset ID');
  });

  it('reads crops and trims, and their --clear', () => {
    expect(command(['assets', 'crop', 'a1', '10', '0', '512'])).toEqual({ kind: 'assets-crop', assetId: 'a1', crop: { x: 10, y: 0, size: 512 } });
    expect(command(['assets', 'crop', 'a1', '--clear'])).toEqual({ kind: 'assets-crop', assetId: 'a1', crop: null });
    expect(command(['assets', 'trim', 'a1', '500', '12000'])).toEqual({ kind: 'assets-trim', assetId: 'a1', trim: { startMs: 500, endMs: 12000 } });
    expect(command(['assets', 'trim', 'a1', '--clear'])).toEqual({ kind: 'assets-trim', assetId: 'a1', trim: null });
    expect(problem(['assets', 'crop', 'a1', '10', '0']).message).toContain('X Y SIZE');
    expect(problem(['assets', 'crop', 'a1', '10', '0', '0']).message).toContain('SIZE must be a whole number of at least 1');
    expect(problem(['assets', 'crop', 'a1', '1.5', '0', '10']).message).toContain('X must be');
    expect(problem(['assets', 'crop', 'a1', '1', '0', '10', '--clear']).message).toContain('not both');
    expect(problem(['assets', 'trim', 'a1', '900', '100']).message).toContain('end after it starts');
    expect(problem(['assets', 'trim', 'a1', '100', '100']).message).toContain('end after it starts');
    expect(problem(['assets', 'trim']).message).toContain('Name the asset');
    expect(problem(['assets', 'list', '--clear']).message).toContain('--clear only applies');
  });

  it('reads the set for health, fixes, archive and restore', () => {
    expect(command(['assets', 'health', 'a1', 'a2'])).toEqual({ kind: 'assets-health', selection: { assetIds: ['a1', 'a2'] }, subcategory: null });
    expect(command(['assets', 'health', '--all-work-samples', 'image', '--subcategory', 'tattoo'])).toEqual({
      kind: 'assets-health',
      selection: { mode: 'all-work-samples', kind: 'image' },
      subcategory: 'tattoo',
    });
    expect(command(['assets', 'health', '--library', 'audio'])).toMatchObject({ selection: { mode: 'library', kind: 'audio' } });
    expect(problem(['assets', 'health']).message).toContain('Say which set');
    expect(problem(['assets', 'health', 'a1', '--library', 'image']).message).toContain('Choose one set');
    expect(problem(['assets', 'health', '--library', 'image', '--subcategory', 'poems']).message).toContain('voice_over');
    expect(command(['assets', 'fix', 'drop-duplicates', 'a1', 'a2'])).toEqual({ kind: 'assets-fix', fix: 'drop-duplicates', assetIds: ['a1', 'a2'] });
    expect(problem(['assets', 'fix', 'sharpen', 'a1']).message).toContain('apply-suggested-crops, drop-duplicates, trim-silence');
    expect(problem(['assets', 'fix', 'trim-silence']).message).toContain('at least one asset ID');
    expect(command(['assets', 'archive', 'a1'])).toEqual({ kind: 'assets-archive', assetIds: ['a1'], archived: true });
    expect(command(['assets', 'restore', 'a1', 'a2'])).toEqual({ kind: 'assets-archive', assetIds: ['a1', 'a2'], archived: false });
    expect(problem(['assets', 'show']).message).toContain('exactly one asset ID');
    expect(command(['assets', 'show', 'a1'])).toEqual({ kind: 'assets-show', assetId: 'a1' });
  });
});

describe('defaultDataDir', () => {
  it('prefers ATELIER_DATA_DIR', () => {
    expect(defaultDataDir({ ATELIER_DATA_DIR: '/srv/atelier' }, 'linux', '/home/m')).toBe('/srv/atelier');
  });

  it('matches Electron userData for Atelier on each OS', () => {
    expect(defaultDataDir({}, 'linux', '/home/m')).toBe('/home/m/.config/Atelier');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/home/m/.cfg' }, 'linux', '/home/m')).toBe('/home/m/.cfg/Atelier');
    expect(defaultDataDir({}, 'darwin', '/Users/m')).toBe('/Users/m/Library/Application Support/Atelier');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\m\\AppData\\Roaming' }, 'win32', 'C:\\Users\\m')).toBe(
      'C:\\Users\\m\\AppData\\Roaming\\Atelier',
    );
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\m')).toBe('C:\\Users\\m\\AppData\\Roaming\\Atelier');
  });
});
