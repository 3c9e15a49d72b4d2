import { describe, expect, it } from 'vitest';
import { walkEntries, type WalkDirectoryEntry, type WalkEntry, type WalkFileEntry } from './folder-walk';

/** A fake FileSystemEntry tree: strings are files (their content), objects are folders; readers hand out `chunk` at a time. */
type Tree = { [name: string]: string | Tree | Error };

function build(name: string, node: string | Tree | Error, parent: string, chunk: number): WalkEntry {
  const fullPath = `${parent}/${name}`;
  if (typeof node === 'string' || node instanceof Error) {
    const entry: WalkFileEntry = {
      isFile: true,
      isDirectory: false,
      name,
      fullPath,
      file(ok, fail) {
        if (node instanceof Error) fail?.(node);
        else ok(new File([node], name));
      },
    };
    return entry;
  }
  const children = Object.entries(node).map(([n, c]) => build(n, c, fullPath, chunk));
  const dir: WalkDirectoryEntry = {
    isFile: false,
    isDirectory: true,
    name,
    fullPath,
    createReader() {
      let at = 0;
      return {
        readEntries(ok) {
          const part = children.slice(at, at + chunk);
          at += part.length;
          // Asynchronous, like the browser's.
          setTimeout(() => ok(part), 0);
        },
      };
    },
  };
  return dir;
}

function unreadableFolder(name: string): WalkDirectoryEntry {
  return {
    isFile: false,
    isDirectory: true,
    name,
    fullPath: `/${name}`,
    createReader: () => ({ readEntries: (_ok, fail) => fail?.(new Error('NotReadableError')) }),
  };
}

describe('walking dropped folders', () => {
  it('finds every file under nested folders, named by its path inside the drop, in name order', async () => {
    const flash = build('flash', { 'rose.png': 'r', roses: { 'b.png': 'b', 'a.png': 'a' }, 'notes.md': '# n' }, '', 100);
    const loose = build('single.jpg', 'j', '', 100);
    const walked = await walkEntries([flash, loose], 100);
    expect(walked.files.map((f) => f.name)).toEqual(['flash/notes.md', 'flash/rose.png', 'flash/roses/a.png', 'flash/roses/b.png', 'single.jpg']);
    expect(await walked.files[0]!.file.text()).toBe('# n');
    expect(walked.unreadable).toEqual([]);
    expect(walked.truncated).toBe(false);
  });

  it('skips hidden files and hidden folders', async () => {
    const dir = build('work', { '.DS_Store': 'x', '.git': { config: 'c' }, 'a.png': 'a', sub: { '.hidden.png': 'h', 'b.png': 'b' } }, '', 100);
    const walked = await walkEntries([dir], 100);
    expect(walked.files.map((f) => f.name)).toEqual(['work/a.png', 'work/sub/b.png']);
  });

  it('reads folders whose reader hands out entries in several chunks', async () => {
    const many: Tree = {};
    for (let i = 0; i < 250; i++) many[`f${String(i).padStart(3, '0')}.png`] = String(i);
    const walked = await walkEntries([build('big', many, '', 100)], 1000);
    expect(walked.files).toHaveLength(250);
  });

  it('stops at the limit and says so', async () => {
    const walked = await walkEntries([build('d', { 'a.png': 'a', 'b.png': 'b', 'c.png': 'c' }, '', 100)], 2);
    expect(walked.files.map((f) => f.name)).toEqual(['d/a.png', 'd/b.png']);
    expect(walked.truncated).toBe(true);
  });

  it('names files and folders it could not read and keeps the rest', async () => {
    const dir = build('mixed', { 'good.png': 'g', 'locked.png': new Error('denied') }, '', 100);
    const walked = await walkEntries([dir, unreadableFolder('private')], 100);
    expect(walked.files.map((f) => f.name)).toEqual(['mixed/good.png']);
    expect(walked.unreadable.sort()).toEqual(['mixed/locked.png', 'private/']);
  });

  it('an empty drop or an empty folder gives nothing', async () => {
    expect((await walkEntries([], 10)).files).toEqual([]);
    expect((await walkEntries([build('empty', {}, '', 100)], 10)).files).toEqual([]);
  });
});
