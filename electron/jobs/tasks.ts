// The production task table: every piece of CPU work the studio hands to a worker thread, by name.
import { ingestImage } from '../../engine/media/image';
import { ingestMedia } from '../../engine/media/ingest';
import type { TaskTable } from './worker-runtime';

export const tasks = {
  /** Decode, measure and thumbnail one image file (sharp, shrink-on-load). */
  'image.ingest': ingestImage,
  /** Any importable file: sniffs its bytes, then images → ingestImage, audio → ingestAudio, text → ingestText. */
  'media.ingest': ingestMedia,
} satisfies TaskTable;

export type ProductionTasks = typeof tasks;
export type TaskName = keyof ProductionTasks;
export type TaskInput<T extends TaskName> = Parameters<ProductionTasks[T]>[0];
export type TaskOutput<T extends TaskName> = Awaited<ReturnType<ProductionTasks[T]>>;
