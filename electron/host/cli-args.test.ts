// Reading the `atelier` command line: commands, options anywhere, and every way to get it wrong.
import { describe, expect, it } from 'vitest';
import { parseCliArgs, type CliInvocation } from './cli-args';
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
    expect(imp.command).toEqual({ kind: 'assets-import', paths: ['a.jpg', 'b.png'], source: 'portfolio' });
    expect(imp.profile).toBe('demo');
    expect(imp.passwordStdin).toBe(true);
    expect(ok(['assets', 'import', 'x.gif']).command).toMatchObject({ source: 'upload' });
    expect(ok(['assets', 'list']).command).toEqual({ kind: 'assets-list' });
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
