// The renderer's one door to the studio: picks the transport (desktop bridge or loopback host) once.
import {
  buildApi,
  type AssetSource,
  type AtelierApi,
  type ImportSource,
  type JobSummary,
  type Result,
} from '../../preload/contract';
import { electronTransport, findBridge } from './api.electron';
import { createWsTransport, hostSocketUrl, tokenFromHash, type ConnectionStatus } from './api.ws';
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

/**
 * Starts importing files the creator chose or dropped. The desktop app passes file paths (the main
 * process reads them); the browser sends the bytes, in batches. One Result per import call started
 * (each a job), plus one failed Result per file that could not be sent at all.
 */
export async function importFiles(files: readonly File[], source: AssetSource = 'upload'): Promise<Result<JobSummary>[]> {
  const results: Result<JobSummary>[] = [];
  if (files.length === 0) return results;

  if (bridge) {
    const sources: ImportSource[] = [];
    for (const file of files) {
      const path = bridge.pathForFile(file);
      if (path) sources.push({ kind: 'path', path });
      else results.push(refused(file.name, '{name} is not a file on this computer, so it cannot be imported.', 'NOT_FOUND'));
    }
    for (const batch of planBatches(
      sources.map((s) => ({ s, size: 0 })),
      DESKTOP_LIMITS,
    )) {
      results.push(await api.assets.import({ sources: batch.map((b) => b.s), source }));
    }
    return results;
  }

  const sendable: File[] = [];
  for (const file of files) {
    if (file.size > UPLOAD_FILE_MAX_BYTES) {
      results.push(
        refused(
          file.name,
          `{name} is ${formatBytes(file.size)}; the browser version of Atelier Studio sends at most ${formatBytes(UPLOAD_FILE_MAX_BYTES)} per file. Import it in the desktop app.`,
          'TOO_LARGE',
        ),
      );
    } else {
      sendable.push(file);
    }
  }
  for (const batch of planBatches(sendable, BROWSER_LIMITS)) {
    const sources: ImportSource[] = [];
    for (const file of batch) {
      try {
        sources.push({ kind: 'bytes', name: file.name || 'unnamed file', bytes: new Uint8Array(await file.arrayBuffer()) });
      } catch {
        results.push(refused(file.name, '{name} could not be read. It may have been moved or deleted; choose it again.', 'NOT_FOUND'));
      }
    }
    if (sources.length > 0) results.push(await api.assets.import({ sources, source }));
  }
  return results;
}
