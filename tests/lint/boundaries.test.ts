// Proves the rules of the house are enforced by lint: forbidden imports fail, allowed ones pass.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['engine/image/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['engine/image/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n"],
    ['engine/image/x.ts', "import { createStudio } from '../../electron/studio';\nexport const a = createStudio;\n"],
    ['native/index.ts', "import React from 'react';\nexport const a = React;\n"],
    ['renderer/features/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
    ['renderer/features/x.ts', "import path from 'path';\nexport const a = path;\n"],
    ['renderer/features/x.ts', "import { ingestImage } from '../../engine/media/image';\nexport const a = ingestImage;\n"],
    ['renderer/features/x.ts', "import { createStudio } from '../../electron/studio';\nexport const a = createStudio;\n"],
    ['renderer/features/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"],
    ['marketplace/server/x.ts', "import { createStudio } from '../../electron/studio';\nexport const a = createStudio;\n"],
    ['marketplace/server/x.ts', "import { App } from '../../renderer/App';\nexport const a = App;\n"],
    ['electron/services/x.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['preload/contract.ts', "import fs from 'node:fs';\nexport const a = fs;\n"],
  ])('%s: a forbidden import fails lint', async (file, code) => {
    const errors = await boundaryErrors(file, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/ARCHITECTURE\.md|renderer|Node/);
  });

  it.each([
    ['engine/image/x.ts', "import { AtelierError } from '../errors';\nexport const a = AtelierError;\n"],
    ['renderer/platform/x.ts', "import { buildApi } from '../../preload/contract';\nexport const a = buildApi;\n"],
    ['renderer/platform/x.ts', "import { encodeFrame } from '../../preload/wire';\nexport const a = encodeFrame;\n"],
    ['electron/main.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['electron/ipc.ts', "import type { IpcMain } from 'electron';\nexport type A = IpcMain;\n"],
    ['marketplace/server/x.ts', "import { AtelierError } from '../../engine/errors';\nexport const a = AtelierError;\n"],
  ])('%s: an allowed import passes', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
