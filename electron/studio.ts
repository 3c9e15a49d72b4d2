// The composition root: one studio session (at most one unlocked profile) wired from the services,
// exposed as the contract's Handlers plus its event bus. Electron (ipc.ts), the loopback host and the CLI
// all drive the studio through this.
import type Database from 'better-sqlite3';
import { AtelierError } from '../engine/errors';
import type { AppInfo, Handlers, ProfileSummary } from '../preload/contract';
import { StudioEvents } from './events';
import { WorkerPool, type WorkerEntry } from './jobs/pool';
import { JobQueue } from './jobs/queue';
import { AssetEditor } from './services/asset-edits';
import { AssetLibrary } from './services/assets';
import { ModelService } from './services/models';
import { ensureProfileDirs, profilePaths, type ProfilePaths } from './services/paths';
import { Playground } from './services/playground';
import { ProfileLock } from './services/profile-lock';
import { ProfileDirectory, openStudioDatabase, type KdfParams } from './services/profiles';
import { buildSetHealth } from './services/set-health';
import { SubscriptionStore } from './services/subscription';
import { TrainingService } from './services/training';
import { WatermarkService } from './services/watermark';

export interface StudioOptions {
  dataDir: string;
  appVersion: string;
  transport: 'electron' | 'host';
  /** The job worker: bundled JS in Electron; omitted when running from TypeScript sources (tsx, vitest). */
  workerEntry?: URL;
  poolSize?: number;
  kdf?: KdfParams;
  /** Finest exemplar side of trained models (tests train small); default: the image engine's. */
  trainingExemplarSize?: number;
}

export interface Studio {
  readonly handlers: Handlers;
  readonly events: StudioEvents;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** Everything that exists only while a profile is unlocked. */
interface OpenProfile {
  profile: ProfileSummary;
  paths: ProfilePaths;
  lock: ProfileLock;
  db: Database.Database;
  jobs: JobQueue;
  assets: AssetLibrary;
  /** Tag/crop/trim/archive edits with their undo history, which lives only as long as the profile is open. */
  edits: AssetEditor;
  subscription: SubscriptionStore;
  models: ModelService;
  training: TrainingService;
  playground: Playground;
  /** The creator's mark key, marking drafts and "Check a file". */
  watermark: WatermarkService;
}

export function createStudio(options: StudioOptions): Studio {
  const events = new StudioEvents();
  const directory = ProfileDirectory.open(options.dataDir, options.kdf ? { kdf: options.kdf } : {});
  const entry: WorkerEntry | undefined = options.workerEntry ? { kind: 'module', url: options.workerEntry } : undefined;
  const pool = new WorkerPool({ ...(entry ? { entry } : {}), ...(options.poolSize ? { size: options.poolSize } : {}) });
  let open: OpenProfile | null = null;
  // Unlock/lock/close run one at a time so a double click cannot open a profile twice.
  let sessionChain: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const next = sessionChain.then(step, step);
    sessionChain = next.catch(() => undefined);
    return next;
  };

  function requireProfile(): OpenProfile {
    if (!open) throw new AtelierError('AUTH', 'Unlock a profile first.');
    return open;
  }

  async function closeProfile(): Promise<void> {
    const current = open;
    if (!current) return;
    open = null;
    try {
      await current.jobs.close();
      current.db.close();
    } finally {
      current.lock.release();
    }
    events.emit('session:changed', { profile: null });
    events.emit('edits:changed', { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null });
  }

  async function openProfile(profile: ProfileSummary): Promise<void> {
    const paths = profilePaths(options.dataDir, profile.id);
    ensureProfileDirs(paths);
    // Lock before touching the database: another process may be running this profile's jobs.
    const lock = ProfileLock.acquire(paths.root, profile.name);
    let db: Database.Database | null = null;
    try {
      db = openStudioDatabase(paths);
      const jobs = new JobQueue({ db, onUpdate: (job) => events.emit('jobs:updated', job) });
      jobs.recoverInterrupted();
      const lookahead = options.poolSize ? { lookahead: options.poolSize } : {};
      const assets = new AssetLibrary({ db, paths, jobs, pool, events, ...lookahead });
      await assets.sweepOrphans();
      const edits = new AssetEditor({ records: assets.records, nearDuplicates: assets.nearDuplicates, events });
      const subscription = new SubscriptionStore(db, events);
      const models = new ModelService({ db, paths, assets, subscription, events });
      const training = new TrainingService({
        models,
        jobs,
        pool,
        ...(options.trainingExemplarSize ? { exemplarSize: options.trainingExemplarSize } : {}),
      });
      // Marking and checking run as one-shot tasks in the shared pool; the signing identity names the profile.
      const watermark = new WatermarkService({ db, models: () => models.list(), creatorName: profile.name, pool });
      const playground = new Playground({
        models,
        jobs,
        pool,
        signer: { creatorName: profile.name, signingIdentity: () => watermark.signingIdentity() },
      });
      open = { profile, paths, lock, db, jobs, assets, edits, subscription, models, training, playground, watermark };
    } catch (e) {
      db?.close();
      lock.release();
      throw e;
    }
    events.emit('session:changed', { profile });
  }

  const handlers: Handlers = {
    'app:info': (): AppInfo => ({
      name: 'Atelier Studio',
      version: options.appVersion,
      platform: process.platform,
      transport: options.transport,
      dataDir: options.dataDir,
    }),

    'profiles:list': () => directory.list(),
    'profiles:create': ({ name, password }) => directory.create(name, password),
    'profiles:unlock': ({ profileId, password }) =>
      serial(async () => {
        // Verify before closing the current profile: a wrong password must not lock the creator out.
        const profile = await directory.unlock(profileId, password);
        await closeProfile();
        await openProfile(profile);
        return profile;
      }),
    'profiles:lock': () =>
      serial(async () => {
        await closeProfile();
        return null;
      }),
    'profiles:current': () => open?.profile ?? null,

    'assets:import': ({ sources, source, deliveredAt }) =>
      requireProfile().assets.startImport(sources, source, deliveredAt === undefined ? {} : { deliveredAt }),
    'assets:list': (query) => requireProfile().assets.queries.list(query),
    'assets:get': ({ assetId }) => requireProfile().assets.detail(assetId),
    'assets:thumbnail': ({ assetId }) => requireProfile().assets.thumbnail(assetId),
    'assets:preview': ({ assetId }) => requireProfile().assets.preview(assetId),
    'assets:media': ({ assetId }) => requireProfile().assets.media(assetId),
    'assets:waveform': ({ assetId }) => requireProfile().assets.waveform(assetId),
    'assets:spectrogram': ({ assetId }) => requireProfile().assets.spectrogram(assetId),
    'assets:text': ({ assetId }) => requireProfile().assets.text(assetId),
    'assets:tags': () => requireProfile().assets.queries.tagCounts(),
    'assets:tag': ({ assetIds, add, remove }) => requireProfile().edits.tag(assetIds, add, remove),
    'assets:crop': ({ assetId, crop }) => requireProfile().edits.crop(assetId, crop),
    'assets:trim': ({ assetId, trim }) => requireProfile().edits.trim(assetId, trim),
    'assets:archive': ({ assetIds, archived }) => requireProfile().edits.archive(assetIds, archived),
    'assets:selection': ({ selection }) => ({ assetIds: requireProfile().assets.queries.resolveSelection(selection) }),
    'assets:health': async ({ selection, subcategory }) => {
      const { assets } = requireProfile();
      const rows = await assets.analysedRows(assets.queries.resolveSelection(selection));
      return buildSetHealth(rows, {
        ...('kind' in selection ? { kind: selection.kind } : {}),
        ...(subcategory ? { subcategory } : {}),
      });
    },
    'assets:fix': ({ fix, assetIds }) => requireProfile().edits.fix(fix, assetIds),

    'edits:state': () => requireProfile().edits.state(),
    'edits:undo': () => requireProfile().edits.undo(),
    'edits:redo': () => requireProfile().edits.redo(),

    'catalog:subcategories': () => requireProfile().models.catalog(),
    'models:list': () => requireProfile().models.list(),
    'models:get': ({ modelId }) => requireProfile().models.detail(modelId),
    'models:create': ({ subcategory }) => requireProfile().models.create(subcategory),
    'models:rename': ({ modelId, name }) => requireProfile().models.rename(modelId, name),
    'models:assets': ({ modelId, selection, add, remove }) => requireProfile().models.setAssets(modelId, selection, add, remove),
    'models:instructions': ({ modelId, instructions }) => requireProfile().models.setInstructions(modelId, instructions),
    'models:activate': ({ modelId, active }) => requireProfile().models.setActive(modelId, active),
    'models:delete': async ({ modelId }) => {
      await requireProfile().models.delete(modelId);
      return null;
    },
    'training:start': ({ modelId }) => requireProfile().training.start(modelId),
    'training:quota': ({ modelId }) => requireProfile().models.quota(modelId),
    'versions:list': ({ modelId }) => requireProfile().models.versions(modelId),
    'versions:activate': ({ modelId, version }) => requireProfile().models.activateVersion(modelId, version),
    'versions:delete': ({ modelId, version }) => requireProfile().models.deleteVersion(modelId, version),
    'playground:generate': (request) => requireProfile().playground.generate(request),
    'playground:list': (query) => requireProfile().playground.list(query),
    'playground:get': ({ generationId }) => requireProfile().playground.get(generationId),
    'playground:output': ({ generationId }) => requireProfile().playground.output(generationId),
    'playground:thumbnail': ({ generationId }) => requireProfile().playground.thumbnail(generationId),
    'playground:reference': ({ generationId }) => requireProfile().playground.reference(generationId),
    'playground:provenance': ({ generationId }) => requireProfile().playground.provenance(generationId),
    'playground:update': ({ generationId, favourite, rating }) => requireProfile().playground.update(generationId, { favourite, rating }),
    'playground:export': ({ generationId, format }) => requireProfile().playground.export(generationId, format),
    'playground:delete': async ({ generationId }) => {
      await requireProfile().playground.delete(generationId);
      return null;
    },
    'pricing:get': ({ modelId }) => requireProfile().models.pricing(modelId),
    'pricing:set': ({ modelId, pricing }) => requireProfile().models.setPricing(modelId, pricing),
    'pricing:quote': ({ modelId, pricing, quantity, licence }) => requireProfile().models.quote(modelId, pricing, quantity, licence),
    'subscription:get': () => requireProfile().subscription.view(),
    'subscription:set': ({ state }) => requireProfile().subscription.set(state),
    'publishing:check': ({ modelId }) => requireProfile().models.publishCheck(modelId),

    // Calls, not jobs: see WatermarkService (one-shot pool tasks; the caller shows progress while it waits).
    'watermark:embed': ({ source, payload, kind }) => requireProfile().watermark.embed(source, payload, kind),
    'watermark:check': ({ source }) => requireProfile().watermark.check(source),

    'jobs:list': () => requireProfile().jobs.list(),
    'jobs:get': ({ jobId }) => requireProfile().jobs.get(jobId),
    'jobs:cancel': ({ jobId }) => requireProfile().jobs.cancel(jobId),
    'jobs:retry': ({ jobId }) => requireProfile().jobs.retry(jobId),
  };

  let closing: Promise<void> | null = null;
  return {
    handlers,
    events,
    dataDir: options.dataDir,
    close: () =>
      (closing ??= serial(async () => {
        await closeProfile();
        await pool.close();
        directory.close();
      })),
  };
}
