import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { WebSocketServer } from 'ws';
import { castToError, InvalidRequestError, isBridgeError, NoWorkerAvailableError } from '../core/errors/index.js';
import { answerBeforeBody, bodyStillArriving, discardBoundsFor } from './answer-before-body.js';
import { createAuthenticate } from './authenticate.js';
import { createClientErrorHandler } from './client-error-handler.js';
import { createCors } from './cors.js';
import { decodeRequestBodyHook } from './decode-request-body.js';
import { createFrameworkErrorHandler } from './framework-error-handler.js';
import { createHostGuard } from './host-guard.js';
import { InFlightRequests } from './in-flight-requests.js';
import { onSecondaryServers } from './on-secondary-servers.js';
import type { HttpAppOptions, RegisterRoutes } from './http-app-options.js';
import { rejectBadUrlEscapes } from './reject-bad-url-escapes.js';
import { renderError } from './render-error.js';
import { requestTimeoutOptions } from './request-deadlines.js';
import { answerRefusedHandshakes, closeRefusedUpgrades, requireWebSocketUpgrade } from './websocket-requests.js';

function refuseRouteSchemas(): never {
  throw new Error('Route schemas are not used in this app: validate the input with zod where it is read.');
}

/**
 * Builds the HTTP app with its app-level concerns: the Host check (`allowedHosts`), API-key auth and
 * CORS hooks, the one error renderer for errors, unknown routes, malformed requests and refused
 * WebSocket handshakes (for routes registered with @fastify/websocket), body limits and deadlines.
 * `registerRoutes` adds every route after the hooks, so they cover them. The caller listens on it,
 * on `localhost` too (every server Fastify listens with gets the same listeners); closing it aborts
 * every request still running with `shutting_down`.
 * @example
 * const app = await createHttpApp({ logger, apiKeys: [], corsOrigins: [], maxBodyBytes: 20 * 1024 * 1024 },
 *   (routes, scope) => registerHealthRoute(routes, dependencies, scope.startedAt));
 * await app.listen({ host: '127.0.0.1', port: 5102 });
 */
export async function createHttpApp(options: HttpAppOptions, registerRoutes: RegisterRoutes): Promise<FastifyInstance> {
  const startedAt = Date.now();
  // Request ids: a random prefix per app and a counter, unique without a random draw per request.
  const idPrefix = randomUUID().slice(0, 8);
  let requests = 0;
  // The listening address is read per request: port 0 is only chosen by listen.
  const hostGuard = createHostGuard({ allowedHosts: options.allowedHosts ?? [], listening: () => app.server.address() });
  const timeouts = requestTimeoutOptions(options.requestDeadlines ?? {}, options.maxBodyBytes);
  const clientErrorHandler = createClientErrorHandler(options.logger);
  const app = Fastify({
    bodyLimit: options.maxBodyBytes,
    logger: false,
    genReqId: () => `${idPrefix}-${(requests += 1).toString(36)}`,
    requestIdHeader: false,
    // Bodies are validated with zod where they are read. Fastify's JSON-schema compilers (ajv,
    // fast-json-stringify) would cost start-up time and memory for nothing, so they are never
    // loaded, and an app with a route that declares a schema fails to start, saying so.
    schemaController: { compilersFactory: { buildValidator: refuseRouteSchemas, buildSerializer: refuseRouteSchemas } },
    // Whatever bytes arrive, the answer is OpenAI-shaped: broken framing and timeouts (Node's
    // clientError), bad URL escapes (the router), and no Host (the Host check answers it).
    clientErrorHandler,
    frameworkErrors: createFrameworkErrorHandler({ hostGuard, logger: options.logger }),
    http: { requireHostHeader: false, ...timeouts },
    // Fastify sets the server's requestTimeout from its own option (default 0: none) after Node's.
    requestTimeout: timeouts.requestTimeout,
  });
  const prepareServer = (server: Server): void => {
    options.connectionCap?.attach(server);
    // Node answers an `Expect` other than 100-continue with a bare 417 unless someone listens; the
    // bridge ignores such expectations (RFC 9110 allows it), so the request gets its usual answer.
    server.on('checkExpectation', app.routing);
  };
  prepareServer(app.server);
  // Listening on `localhost` adds a server per further address (::1); Fastify gives clientError
  // only to app.server.
  onSecondaryServers(app, (server) => {
    server.on('clientError', clientErrorHandler);
    prepareServer(server);
  }, () => options.logger.error('Fastify listens on addresses whose servers the bridge could not prepare; broken requests there get Node\'s plain answers. Listen on 127.0.0.1 or ::1 instead of localhost.', { addresses: app.addresses() }));
  if (options.connectionCap) {
    const cap = options.connectionCap;
    app.addHook('preClose', (done) => {
      cap.close();
      done();
    });
  }
  const inFlight = new InFlightRequests();

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onRequest', closeRefusedUpgrades);
  app.addHook('onRequest', hostGuard.onRequest);
  app.addHook('onRequest', rejectBadUrlEscapes);
  if (options.corsOrigins.length > 0) app.addHook('onRequest', createCors(options.corsOrigins));
  app.addHook('onRequest', createAuthenticate({ apiKeys: options.apiKeys, publicPaths: options.publicPaths ?? [], queryKeyPaths: options.queryKeyPaths ?? [] }));
  app.addHook('onRequest', requireWebSocketUpgrade);
  app.addHook('preParsing', decodeRequestBodyHook);
  const { metrics } = options;
  app.addHook('onResponse', (request, reply, done) => {
    metrics?.httpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
    options.logger.debug('request completed', {
      requestId: request.id,
      method: request.method,
      path: request.url.split('?', 1)[0],
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime),
    });
    done();
  });
  app.addHook('preClose', async () => {
    // New requests are refused while closing; running ones get the grace period to finish.
    await inFlight.drained(options.shutdownGraceMs ?? 0);
    inFlight.abortAll(new NoWorkerAvailableError('The bridge is shutting down; retry in a moment.', { code: 'shutting_down' }));
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    if ((isBridgeError(error) && error.code === 'client_closed_request') || reply.raw.headersSent) {
      // The client is gone (or the response already started): nothing can be sent any more.
      reply.hijack();
      reply.raw.destroy();
      return;
    }
    const rendered = renderError(error);
    if (rendered.status >= 500 && !isBridgeError(error)) {
      const cause = castToError(error);
      options.logger.error('request failed unexpectedly', { requestId: request.id, error: cause.message, stack: cause.stack });
    } else {
      options.logger.debug('request failed', { requestId: request.id, code: rendered.body.error.code, status: rendered.status });
    }
    if (bodyStillArriving(request.raw)) {
      // Refused before its body was in (too large, or unread): see answerBeforeBody.
      answerBeforeBody(request, reply, rendered, options.refusedBodyDiscard ?? discardBoundsFor(options.maxBodyBytes));
      return;
    }
    void reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const rendered = renderError(new InvalidRequestError(
      `No route for ${request.method} ${path}; the OpenAI API is served under /v1 (chat/completions, models, images/generations).`,
      { code: 'route_not_found' },
    ));
    void reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
  });

  await registerRoutes(app, { startedAt, inFlight });
  // Present when the routes registered @fastify/websocket (the worker endpoint).
  if (app.hasDecorator('websocketServer')) answerRefusedHandshakes((app as FastifyInstance & { websocketServer: WebSocketServer }).websocketServer);
  return app;
}
