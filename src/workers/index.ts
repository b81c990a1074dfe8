export type { JobEvent, JobStream, WorkerConnection, WorkerKind, WorkerRegistry, WorkerSnapshot } from './types.js';
export {
  registerWorkerEndpoint,
  registerUserscriptRoute,
  SocketWorker,
  USERSCRIPT_PATH,
  WORKER_CLOSE_CODES,
  WORKER_ENDPOINT_PATHS,
} from './userscript/index.js';
export type { SocketWorkerOptions, UserscriptRouteOptions, WorkerCloseCode, WorkerEndpointOptions } from './userscript/index.js';
