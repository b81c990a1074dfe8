import type { FastifyInstance } from 'fastify';
import type { OpenAIDependencies } from '../openai-dependencies.js';

/** One entry of `GET /v1/models`. */
export interface ModelWire {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  capabilities: string[];
}

/**
 * `GET /v1/models` (and `/models`): the models core knows, `owned_by` = the arena organization.
 * Upstream gives no creation date, so `created` is when the bridge started.
 */
export function registerModelsRoute(app: FastifyInstance, deps: OpenAIDependencies, startedAt: number): void {
  const created = Math.floor(startedAt / 1000);
  const handler = async (): Promise<{ object: 'list'; data: ModelWire[] }> => ({
    object: 'list',
    data: deps.models.list().map((model) => ({
      id: model.id,
      object: 'model',
      created,
      owned_by: model.ownedBy,
      capabilities: [...model.capabilities],
    })),
  });
  app.get('/v1/models', handler);
  app.get('/models', handler);
}
