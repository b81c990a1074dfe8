export { registerWorkerEndpoint, WORKER_ENDPOINT_PATHS } from './register-worker-endpoint.js';
export type { WorkerEndpointOptions } from './register-worker-endpoint.js';
export { registerUserscriptRoute, USERSCRIPT_PATH } from './register-userscript-route.js';
export type { UserscriptRouteOptions } from './register-userscript-route.js';
export { WORKER_CLOSE_CODES } from './close-codes.js';
export type { WorkerCloseCode } from './close-codes.js';
export { SocketWorker } from './socket-worker.js';
export type { SocketWorkerOptions } from './socket-worker.js';
