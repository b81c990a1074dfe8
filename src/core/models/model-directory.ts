import { modalityOf } from '../../arena/index.js';
import type { ArenaModel, Modality, ModelCapabilities } from '../../arena/types.js';
import type { Logger } from '../../observability/logger.js';
import type { ModelDirectory, ModelListing } from '../chat/chat-types.js';
import type { ModelsFileEntry } from '../chat/chat-service-options.js';
import { closestNames } from './closest-names.js';
import { ClientAbortError, ModelNotFoundError } from '../errors/index.js';
import type { ArenaModelFetcher } from './fetch-arena-models.js';

/** A model name resolved to what the arena needs. */
export interface ResolvedModel {
  /** The name as the client asked for it. */
  name: string;
  /** The arena model id; `null` only for models.json entries without one (Gen A sends null). */
  id: string | null;
  modality: Modality;
  capabilities: ModelCapabilities | undefined;
}

/** Freshness of the live list, for /health. */
export interface ModelDirectoryStatus {
  liveModels: number;
  fileEntries: number;
  updatedAt: number | null;
  lastError: string | null;
}

/** The model directory core uses: the HTTP surface's {@link ModelDirectory} plus resolution. */
export interface ArenaModelDirectory extends ModelDirectory {
  /** Resolves a client model name; throws ModelNotFoundError listing the closest names. */
  resolve(name: string, signal: AbortSignal): Promise<ResolvedModel>;
  /** Fetches the live list now (concurrent calls share one fetch); failures keep the old list. */
  refresh(signal?: AbortSignal): Promise<void>;
  status(): ModelDirectoryStatus;
  /** The live arena list as last fetched (stealth models included), for `GET /internal/models`. */
  arenaModels(): readonly ArenaModel[];
  /** Starts refreshing when the first worker joins and every `refreshMs` after. */
  start(): void;
  stop(): void;
}

/** Options for {@link createModelDirectory}. */
export interface ModelDirectoryOptions {
  /** models.json entries; they override and extend the live list. */
  entries: readonly ModelsFileEntry[];
  /** List anonymous preview models in `list()`. @default false */
  showStealthModels: boolean;
  /** Age after which the live list is fetched again; 0 = fetched once, when the first worker joins. @default 1800000 */
  refreshMs: number;
  fetchModels: ArenaModelFetcher;
  /** Tells whether any worker is connected (the pool). */
  workers: { readonly size: number };
  logger: Logger;
  /** Longest a request waits for a first live list when its model is not in models.json. @default 15000 */
  waitForListMs?: number;
  /** Told the model count after each successful refresh (the events feed). */
  onRefreshed?: (liveModels: number) => void;
  now?: () => number;
}

const TYPE_MODALITY: Record<ModelsFileEntry['type'], Modality> = { text: 'chat', image: 'image', search: 'search', video: 'video' };

function capabilityNames(capabilities: ModelCapabilities): string[] {
  const names: string[] = [];
  if (capabilities.outputText) names.push('text');
  if (capabilities.outputImage) names.push('image');
  if (capabilities.outputSearch) names.push('search');
  if (capabilities.outputVideo) names.push('video');
  if (capabilities.inputImage) names.push('vision');
  if (capabilities.inputFile) names.push('file');
  return names;
}

/** Creates the directory: the union of the live arena list and models.json. */
export function createModelDirectory(options: ModelDirectoryOptions): ArenaModelDirectory {
  const now = options.now ?? Date.now;
  const entries = new Map(options.entries.map((entry) => [entry.name, entry]));
  let live: ArenaModel[] = [];
  let byName = new Map<string, ArenaModel>();
  let updatedAt: number | null = null;
  let lastError: string | null = null;
  /** After a failed fetch, automatic refreshes back off (doubling up to the refresh interval). */
  let failures = 0;
  let failedAt = 0;
  let inflight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  function findLive(name: string): ArenaModel | undefined {
    return byName.get(name) ?? byName.get(name.toLowerCase());
  }

  function lookup(name: string): ResolvedModel | undefined {
    const entry = entries.get(name);
    if (entry) {
      const target = findLive(entry.aliasOf ?? name) ?? live.find((model) => model.id === entry.id);
      const id = entry.id ?? target?.id ?? null;
      if (entry.aliasOf && !target && entry.id === null) return undefined;
      return {
        name,
        id,
        // `"name": "id"` entries default to type text; the live list knows better when it has the model.
        modality: entry.type === 'text' && target ? modalityOf(target.capabilities) : TYPE_MODALITY[entry.type],
        capabilities: target?.capabilities,
      };
    }
    const model = findLive(name);
    return model && { name, id: model.id, modality: modalityOf(model.capabilities), capabilities: model.capabilities };
  }

  function refresh(signal: AbortSignal = AbortSignal.timeout(60_000)): Promise<void> {
    inflight ??= options
      .fetchModels(signal)
      .then((models) => {
        live = models;
        byName = new Map();
        for (const model of models) {
          byName.set(model.publicName, model);
          if (!byName.has(model.publicName.toLowerCase())) byName.set(model.publicName.toLowerCase(), model);
        }
        updatedAt = now();
        lastError = null;
        failures = 0;
        options.logger.info('Model list refreshed', { models: models.length });
        options.onRefreshed?.(models.length);
      })
      .catch((error: unknown) => {
        lastError = error instanceof Error ? error.message : String(error);
        failures += 1;
        failedAt = now();
        options.logger.warn('Model list refresh failed', { error: lastError });
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  function due(): boolean {
    if (options.workers.size === 0) return false;
    if (failures > 0) {
      const backoff = 5_000 * 2 ** Math.min(failures - 1, 6);
      if (now() - failedAt < (options.refreshMs > 0 ? Math.min(options.refreshMs, backoff) : backoff)) return false;
    }
    if (updatedAt === null) return true;
    return options.refreshMs > 0 && now() - updatedAt >= options.refreshMs;
  }

  function list(): ModelListing[] {
    const listings = new Map<string, ModelListing>();
    for (const model of live) {
      if ((model.stealth || !model.userSelectable) && !options.showStealthModels) continue;
      listings.set(model.publicName, {
        id: model.publicName,
        ownedBy: model.organization ?? 'lmarena',
        capabilities: capabilityNames(model.capabilities),
      });
    }
    for (const entry of entries.values()) {
      const resolved = lookup(entry.name);
      const target = findLive(entry.aliasOf ?? entry.name);
      listings.set(entry.name, {
        id: entry.name,
        ownedBy: target?.organization ?? 'lmarena',
        capabilities: resolved?.capabilities ? capabilityNames(resolved.capabilities) : [entry.type],
      });
    }
    return [...listings.values()];
  }

  return {
    async resolve(name, signal) {
      const found = lookup(name);
      if (found) return found;
      if (inflight || due()) {
        const wait = AbortSignal.any([signal, AbortSignal.timeout(options.waitForListMs ?? 15_000)]);
        await Promise.race([refresh(), new Promise((resolve) => wait.addEventListener('abort', resolve, { once: true }))]);
        if (signal.aborted) throw new ClientAbortError('The request was cancelled while the model list was being fetched.');
        const later = lookup(name);
        if (later) return later;
      }
      const known = [...entries.keys(), ...list().map((listing) => listing.id)];
      const suggestions = closestNames(name, known, 5);
      const hint = suggestions.length > 0 ? ` Closest names: ${suggestions.join(', ')}.` : '';
      const listNote = updatedAt === null ? ' The live model list has not been fetched yet (no worker connected, or the fetch failed).' : '';
      throw new ModelNotFoundError(`Model "${name}" is not known to the bridge.${hint}${listNote} GET /v1/models lists every model; models.json can add names.`, {
        param: 'model',
      });
    },
    list,
    refresh,
    status: () => ({ liveModels: live.length, fileEntries: entries.size, updatedAt, lastError }),
    arenaModels: () => live,
    start() {
      if (timer) return;
      // The tick also notices the first worker joining, so it stays short even for long schedules.
      const tick = options.refreshMs > 0 ? Math.min(options.refreshMs, 500) : 500;
      timer = setInterval(() => {
        if (!inflight && due()) void refresh();
      }, tick);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
