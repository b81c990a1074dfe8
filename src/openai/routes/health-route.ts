import type { FastifyInstance } from 'fastify';
import type { OpenAIDependencies } from '../openai-dependencies.js';

/** `GET /health`: status, version and uptime, plus whatever core's `health()` adds. */
export function registerHealthRoute(app: FastifyInstance, deps: OpenAIDependencies, startedAt: number): void {
  app.get('/health', async () => {
    const extra = deps.health();
    return {
      status: 'ok',
      version: deps.version,
      uptime_seconds: Math.floor((Date.now() - startedAt) / 1000),
      ...(typeof extra === 'object' && extra !== null && !Array.isArray(extra) ? extra : {}),
    };
  });
}
