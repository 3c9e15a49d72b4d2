// Where the native kernels are looked for: from source, from the electron-vite build, packaged, or where the env says.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADDON_ENV, ADDON_FILE, ADDON_PATH, addonCandidates, kernelsAvailable, resolveAddonPath } from './index';

describe('native addon path', () => {
  it('from source, is the node-gyp build beside native/index.ts (and that is what these tests load)', () => {
    const here = import.meta.dirname;
    expect(addonCandidates(here, {})[0]).toBe(path.join(here, 'build', 'Release', ADDON_FILE));
    expect(ADDON_PATH).toBe(path.join(here, 'build', 'Release', ADDON_FILE));
    expect(kernelsAvailable().native).toBe(existsSync(ADDON_PATH));
  });

  it('from a built bundle, is out/main/native/ whether the code sits in out/main or in a chunk below it', () => {
    const main = path.join('/opt', 'studio', 'out', 'main');
    expect(addonCandidates(main, {})).toContain(path.join(main, 'native', ADDON_FILE));
    expect(addonCandidates(path.join(main, 'chunks'), {})).toContain(path.join(main, 'native', ADDON_FILE));
  });

  it('in a packaged app, looks in app.asar.unpacked, never inside the archive', () => {
    const resources = path.join('/opt', 'Atelier', 'resources');
    const candidates = addonCandidates(path.join(resources, 'app.asar', 'out', 'main'), {});
    expect(candidates).toContain(path.join(resources, 'app.asar.unpacked', 'out', 'main', 'native', ADDON_FILE));
    expect(candidates.every((c) => !c.includes(`app.asar${path.sep}`))).toBe(true);
  });

  it('takes the file the environment names, alone, and reports it even when it is missing', () => {
    const named = path.join('/nowhere', 'custom.node');
    expect(addonCandidates('/opt/studio/out/main', { [ADDON_ENV]: named })).toEqual([named]);
    expect(resolveAddonPath('/opt/studio/out/main', { [ADDON_ENV]: named })).toBe(named);
    // An empty variable is no override.
    expect(addonCandidates('/opt/studio/out/main', { [ADDON_ENV]: '' })).toHaveLength(3);
  });
});
