// The renderer's one door to the studio: picks the transport (desktop bridge or loopback host) once.
import {
  IMPORT_BATCH_MAX,
  buildApi,
  type AssetSource,
  type AtelierApi,
  type ImportSource,
  type JobSummary,
  type Result,
} from '../../preload/contract';
import { electronTransport, findBridge } from './api.electron';
import { createWsTransport, hostSocketUrl, tokenFromHash, type ConnectionStatus } from './api.ws';
import { entriesOfDrop, walkEntries, type DroppedFile } from './folder-walk';
import { BROWSER_LIMITS, DESKTOP_LIMITS, UPLOAD_FILE_MAX_BYTES, formatBytes, planBatches } from './import-batches';

export type { ConnectionStatus };

interface Connection {
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

const bridge = findBridge();

function setUp(): { api: AtelierApi; connection: Connection } {
  if (bridge) {
    const { invoke, subscribe } = electronTransport(bridge);
    return { api: buildApi(invoke, subscribe), connection: { status: () => 'open', onStatus: () => () => undefined } };
  }
  const token = tokenFromHash(window.location.hash);
  if (!token) {
    const message =
      'This page was opened without its access token. Open the full address the Atelier host printed (it ends in #token=…).';
    return {
      api: buildApi(
        async () => ({ ok: false, error: { code: 'AUTH', message } }),
        () => () => undefined,
      ),
      connection: { status: () => 'no-token', onStatus: () => () => undefined },
    };
  }
  const ws = createWsTransport({ url: hostSocketUrl(window.location, token) });
  return { api: buildApi(ws.invoke, ws.subscribe), connection: { status: ws.status, onStatus: ws.onStatus } };
}

const wired = setUp();

/** The typed studio API; the UI never knows which transport carries it. */
export const api: AtelierApi = wired.api;
/** The state of the link to the studio ('open' always in the desktop app). */
export const connection: Connection = wired.connection;
export const transport: 'electron' | 'host' = bridge ? 'electron' : 'host';

function refused(name: string, message: string, code: 'TOO_LARGE' | 'NOT_FOUND'): Result<never> {
  return { ok: false, error: { code, message: message.replace('{name}', `“${name}”`) } };
}

export type { DroppedFile };

export interface ImportOptions {
  source?: AssetSource;
  /** For work samples: when the work was delivered (ISO 8601). */
  deliveredAt?: string;
}

/** What the creator dropped: a File (its name, or its folder-relative path from a folder chooser) or a walked entry. */
export type ImportItem = File | DroppedFile;

function itemFile(item: ImportItem): File {
  return item instanceof File ? item : item.file;
}

/** The display name sent with the bytes: the path inside a dropped or chosen folder when there is one. */
export function importName(item: ImportItem): string {
  if (!(item instanceof File)) return item.name;
  return item.webkitRelativePath || item.name || 'unnamed file';
}

/**
 * Starts importing files the creator chose or dropped. The desktop app passes file paths (the main
 * process reads them, and walks folders); the browser sends the bytes, in batches. One Result per import
 * call started (each a job), plus one failed Result per file that could not be sent at all.
 */
export async function importFiles(
  items: readonly ImportItem[],
  options: ImportOptions | AssetSource = {},
): Promise<Result<JobSummary>[]> {
  const { source = 'upload', deliveredAt } = typeof options === 'string' ? { source: options } : options;
  const extra = deliveredAt ? { source, deliveredAt } : { source };
  const results: Result<JobSummary>[] = [];
  if (items.length === 0) return results;

  if (bridge) {
    const sources: ImportSource[] = [];
    for (const item of items) {
      const path = bridge.pathForFile(itemFile(item));
      if (path) sources.push({ kind: 'path', path });
      else results.push(refused(importName(item), '{name} is not a file on this computer, so it cannot be imported.', 'NOT_FOUND'));
    }
    for (const batch of planBatches(
      sources.map((s) => ({ s, size: 0 })),
      DESKTOP_LIMITS,
    )) {
      results.push(await api.assets.import({ sources: batch.map((b) => b.s), ...extra }));
    }
    return results;
  }

  const sendable: { item: ImportItem; size: number }[] = [];
  for (const item of items) {
    const file = itemFile(item);
    if (file.size > UPLOAD_FILE_MAX_BYTES) {
      results.push(
        refused(
          importName(item),
          `{name} is ${formatBytes(file.size)}; the browser version of Atelier Studio sends at most ${formatBytes(UPLOAD_FILE_MAX_BYTES)} per file. Import it in the desktop app.`,
          'TOO_LARGE',
        ),
      );
    } else {
      sendable.push({ item, size: file.size });
    }
  }
  for (const batch of planBatches(sendable, BROWSER_LIMITS)) {
    const sources: ImportSource[] = [];
    for (const { item } of batch) {
      try {
        sources.push({ kind: 'bytes', name: importName(item), bytes: new Uint8Array(await itemFile(item).arrayBuffer()) });
      } catch {
        results.push(refused(importName(item), '{name} could not be read. It may have been moved or deleted; choose it again.', 'NOT_FOUND'));
      }
    }
    if (sources.length > 0) results.push(await api.assets.import({ sources, ...extra }));
  }
  return results;
}

export interface DropImport {
  results: Result<JobSummary>[];
  /** Files inside dropped folders that could not be read, and whether a huge folder was cut short. */
  unreadable: string[];
  truncated: boolean;
}

/**
 * Imports a drop of files and folders. The desktop app sends the paths (folders included: the studio
 * walks them). The browser walks dropped folders itself, skipping hidden files, and sends each file's
 * bytes named by its path inside the folder. Call it synchronously from the drop handler: the browser
 * empties the DataTransfer when the handler returns.
 */
export function importDrop(data: DataTransfer, options: ImportOptions = {}): Promise<DropImport> {
  if (bridge) {
    const files = Array.from(data.files ?? []);
    return importFiles(files, options).then((results) => ({ results, unreadable: [], truncated: false }));
  }
  const { entries, loose } = entriesOfDrop(data);
  return (async () => {
    const walked = await walkEntries(entries, IMPORT_BATCH_MAX);
    const items: ImportItem[] = [...loose, ...walked.files];
    const results = await importFiles(items, options);
    return { results, unreadable: walked.unreadable, truncated: walked.truncated };
  })();
}
