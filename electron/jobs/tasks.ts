// The production task table: every piece of CPU work the studio hands to a worker thread, by name.
import { ingestImage } from '../../engine/media/image';
import { ingestMedia } from '../../engine/media/ingest';
import { generateOutputTask, trainModelTask } from './model-tasks';
import { checkWatermarkTask, embedWatermarkTask } from './watermark-tasks';
import type { TaskTable } from './worker-runtime';

export const tasks = {
  /** Decode, measure and thumbnail one image file (sharp, shrink-on-load). */
  'image.ingest': ingestImage,
  /** Any importable file: sniffs its bytes, then images → ingestImage, audio → ingestAudio, text → ingestText. */
  'media.ingest': ingestMedia,
  /** Train an image model (issue 5) and write its bundle folder. */
  'model.train': trainModelTask,
  /** Draw one playground output with a trained bundle, streaming coarse previews as notes. */
  'model.generate': generateOutputTask,
  /** Mark a draft file (a 60 s WAV takes ≈ 1.2 s: off the main thread so the window stays live). */
  'watermark.embed': embedWatermarkTask,
  /** "Check a file": the creator's mark and any C2PA content credentials. */
  'watermark.check': checkWatermarkTask,
} satisfies TaskTable;

export type ProductionTasks = typeof tasks;
export type TaskName = keyof ProductionTasks;
export type TaskInput<T extends TaskName> = Parameters<ProductionTasks[T]>[0];
export type TaskOutput<T extends TaskName> = Awaited<ReturnType<ProductionTasks[T]>>;
