import type { FastifyInstance } from 'fastify';

/** Renders the Prometheus exposition text. */
export type RenderMetrics = () => Promise<{ contentType: string; body: string }>;

/** `GET /metrics`: Prometheus metrics (behind the API key like every route that is not public). */
export function registerMetricsRoute(app: FastifyInstance, render: RenderMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await render();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}
