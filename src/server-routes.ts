/**
 * Every route of the bridge, in one list. Part of the composition root: server.ts builds each
 * route's options and hands them here; the HTTP app only adds its hooks around them.
 */
import type { FastifyInstance } from 'fastify';
import type {
  CaptureIdsRouteDependencies,
  EventsRouteOptions,
  FileHostRouteOptions,
  HttpAppScope,
  InternalModelsDependencies,
  OpenAIDependencies,
  RenderMetrics,
} from './openai/index.js';
import {
  registerCaptureIdsRoute,
  registerChatCompletionsRoute,
  registerEventsRoute,
  registerFileHostRoutes,
  registerHealthRoute,
  registerImagesRoute,
  registerInternalModelsRoute,
  registerMetricsRoute,
  registerModelsRoute,
} from './openai/index.js';
import type { UserscriptRouteOptions, WorkerEndpointOptions } from './workers/index.js';
import { registerUserscriptRoute, registerWorkerEndpoint, USERSCRIPT_PATH, WORKER_ENDPOINT_PATHS } from './workers/index.js';

/** Each route's options, as the composition root builds them. */
export interface BridgeRoutes {
  openai: OpenAIDependencies;
  /** Absent when metrics are off: no `/metrics` route. */
  metrics: RenderMetrics | undefined;
  events: EventsRouteOptions;
  workerEndpoint: WorkerEndpointOptions;
  /** Absent when neither the file host nor saved generated images need the file store. */
  files: FileHostRouteOptions | undefined;
  internalModels: InternalModelsDependencies;
  captureIds: CaptureIdsRouteDependencies;
  userscript: UserscriptRouteOptions;
}

/**
 * Which routes skip the API key, and where it may come as `?key=`. The worker endpoint
 * authenticates with the pairing secret. The userscript carries the pairing secret: with an API key
 * it needs the key too (`?key=` keeps installing one click); without one, the bridge is reachable
 * only as bound.
 */
export function routeAuthentication(apiKeySet: boolean): { publicPaths: string[]; queryKeyPaths: string[] } {
  return {
    publicPaths: apiKeySet ? [...WORKER_ENDPOINT_PATHS] : [...WORKER_ENDPOINT_PATHS, USERSCRIPT_PATH],
    queryKeyPaths: [USERSCRIPT_PATH],
  };
}

/** Registers every route of the bridge on `app` (after its hooks, which cover them all). */
export async function registerRoutes(app: FastifyInstance, scope: HttpAppScope, routes: BridgeRoutes): Promise<void> {
  // The OpenAI API, and the bridge's state for people and monitors.
  registerHealthRoute(app, routes.openai, scope.startedAt); // GET /health
  registerModelsRoute(app, routes.openai, scope.startedAt); // GET /v1/models, /models
  registerChatCompletionsRoute(app, routes.openai, scope.inFlight); // POST /v1/chat/completions, /chat/completions
  registerImagesRoute(app, routes.openai, scope.inFlight); // POST /v1/images/generations, /images/generations
  if (routes.metrics) registerMetricsRoute(app, routes.metrics); // GET /metrics
  registerEventsRoute(app, routes.events); // GET /v1/bridge/events
  // Browser workers join here (WebSocket, pairing secret).
  await registerWorkerEndpoint(app, routes.workerEndpoint); // GET /ws/worker, /ws
  // The built-in file host: files the arena fetches, and uploads.
  if (routes.files) await registerFileHostRoutes(app, routes.files); // GET /files/:id, /uploads/:id; POST /files, /upload
  // What the CLI asks of a running bridge.
  registerInternalModelsRoute(app, routes.internalModels); // GET /internal/models
  registerCaptureIdsRoute(app, routes.captureIds); // POST, DELETE /internal/capture-ids
  registerUserscriptRoute(app, routes.userscript); // GET /userscript.user.js
}
