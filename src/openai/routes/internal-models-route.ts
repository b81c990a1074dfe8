import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ArenaModelDirectory } from '../../core/index.js';
import { NoWorkerAvailableError, UpstreamError } from '../../core/errors/index.js';
import { parseRequestBody } from '../parse-request-body.js';

type ArenaModel = ReturnType<ArenaModelDirectory['arenaModels']>[number];

/** One model of `GET /internal/models` (and of `available_models.json`). */
export interface ArenaModelWire {
  id: string;
  public_name: string;
  name: string | null;
  display_name: string | null;
  /** `null` for anonymous "stealth" models. */
  organization: string | null;
  provider: string | null;
  stealth: boolean;
  user_selectable: boolean;
  arenas: string[];
  capabilities: { input: string[]; output: string[] };
}

/** The body of `GET /internal/models`. */
export interface ArenaModelListWire {
  object: 'list';
  /** Unix seconds of the last successful fetch; `null` before the first. */
  updated_at: number | null;
  /** Why the last fetch failed, while the list shown is older. */
  last_error: string | null;
  data: ArenaModelWire[];
}

/** What {@link registerInternalModelsRoute} needs. */
export interface InternalModelsDependencies {
  models: Pick<ArenaModelDirectory, 'refresh' | 'arenaModels' | 'status'>;
  workers: { readonly size: number };
}

const querySchema = z.object({ refresh: z.enum(['0', '1', 'true', 'false']).optional() });

function toWire(model: ArenaModel): ArenaModelWire {
  const { capabilities } = model;
  const input = [capabilities.inputText && 'text', capabilities.inputImage && 'image', capabilities.inputFile && 'file'];
  const output = [
    capabilities.outputText && 'text', capabilities.outputImage && 'image', capabilities.outputSearch && 'search',
    capabilities.outputVideo && 'video', capabilities.outputWeb && 'web',
  ];
  return {
    id: model.id,
    public_name: model.publicName,
    name: model.name ?? null,
    display_name: model.displayName ?? null,
    organization: model.organization ?? null,
    provider: model.provider ?? null,
    stealth: model.stealth,
    user_selectable: model.userSelectable,
    arenas: [...model.arenas],
    capabilities: { input: input.filter((name) => name !== false), output: output.filter((name) => name !== false) },
  };
}

/**
 * `GET /internal/models[?refresh=1]`: the whole live arena list (stealth and unselectable models
 * included), fetched again through a worker first when `refresh` is set. Used by
 * `lmarena-bridge models`; behind the API key like every non-public route.
 */
export function registerInternalModelsRoute(app: FastifyInstance, deps: InternalModelsDependencies): void {
  app.get('/internal/models', async (request: FastifyRequest): Promise<ArenaModelListWire> => {
    const query = parseRequestBody(querySchema, request.query);
    if (query.refresh === '1' || query.refresh === 'true') {
      if (deps.workers.size === 0) {
        throw new NoWorkerAvailableError('No browser worker is connected, so the model list cannot be fetched from LMArena. Open an arena tab with the userscript installed, or start the bridge with --browser 1.');
      }
      await deps.models.refresh();
    }
    const status = deps.models.status();
    const models = deps.models.arenaModels();
    if (models.length === 0 && status.lastError !== null) {
      throw new UpstreamError(`The model list could not be fetched from LMArena: ${status.lastError}`);
    }
    return {
      object: 'list',
      updated_at: status.updatedAt === null ? null : Math.floor(status.updatedAt / 1000),
      last_error: status.lastError,
      data: models.map(toWire),
    };
  });
}
