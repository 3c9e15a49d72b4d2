// Dropped folders in the browser: walks FileSystemEntry trees (webkitGetAsEntry) into files named by their relative path.

/** The parts of the File and Directory Entries API the walk uses (so tests can hand it a fake tree). */
export interface WalkFileEntry {
  isFile: true;
  isDirectory: false;
  name: string;
  fullPath: string;
  file(success: (file: File) => void, failure?: (error: unknown) => void): void;
}

export interface WalkDirectoryEntry {
  isFile: false;
  isDirectory: true;
  name: string;
  fullPath: string;
  createReader(): { readEntries(success: (entries: WalkEntry[]) => void, failure?: (error: unknown) => void): void };
}

export type WalkEntry = WalkFileEntry | WalkDirectoryEntry;

export interface DroppedFile {
  file: File;
  /** "flash/roses/rose.png" for a file inside a dropped folder; the plain name for a dropped file. */
  name: string;
}

export interface WalkResult {
  files: DroppedFile[];
  /** Names of files or folders that could not be read (permissions, removed meanwhile). */
  unreadable: string[];
  /** True when the walk stopped at `maxFiles`. */
  truncated: boolean;
}

/** Hidden files and folders (".DS_Store", ".git") are never part of a creator's work. */
export function isHidden(name: string): boolean {
  return name.startsWith('.');
}

function entryPath(entry: WalkEntry, parent: string): string {
  return parent ? `${parent}/${entry.name}` : entry.name;
}

function readFile(entry: WalkFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** A directory reader hands out entries in chunks (Chromium: 100 at a time) until it returns an empty list. */
async function readAll(entry: WalkDirectoryEntry): Promise<WalkEntry[]> {
  const reader = entry.createReader();
  const all: WalkEntry[] = [];
  for (;;) {
    const chunk = await new Promise<WalkEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) return all;
    all.push(...chunk);
  }
}

/**
 * Every file under the dropped entries, depth first in name order, skipping hidden files and folders.
 * Stops at `maxFiles` (the studio takes at most that many per import) and says so.
 */
export async function walkEntries(entries: readonly WalkEntry[], maxFiles: number): Promise<WalkResult> {
  const result: WalkResult = { files: [], unreadable: [], truncated: false };
  const visit = async (entry: WalkEntry, parent: string): Promise<void> => {
    if (result.truncated || isHidden(entry.name)) return;
    const name = entryPath(entry, parent);
    if (entry.isFile) {
      if (result.files.length >= maxFiles) {
        result.truncated = true;
        return;
      }
      try {
        result.files.push({ file: await readFile(entry), name });
      } catch {
        result.unreadable.push(name);
      }
      return;
    }
    let children: WalkEntry[];
    try {
      children = await readAll(entry);
    } catch {
      result.unreadable.push(`${name}/`);
      return;
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) await visit(child, name);
  };
  for (const entry of entries) await visit(entry, '');
  return result;
}

/**
 * The entries of a drop, taken synchronously: the browser empties a DataTransfer once the drop event
 * returns, so this must run inside the handler before any await. Items without an entry (a page's
 * synthetic drop, old browsers) fall back to their File.
 */
export function entriesOfDrop(data: DataTransfer): { entries: WalkEntry[]; loose: File[] } {
  const entries: WalkEntry[] = [];
  const loose: File[] = [];
  const items = Array.from(data.items ?? []);
  if (items.length === 0) return { entries, loose: Array.from(data.files ?? []) };
  for (const item of items) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? (item.webkitGetAsEntry() as WalkEntry | null) : null;
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  return { entries, loose };
}
