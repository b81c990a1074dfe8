import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** The description of the symbol under which Fastify 5 keeps its secondary servers. */
const SERVER_BINDINGS = 'fastify.serverBindings';

/**
 * The servers `app` listens with besides `app.server`: with `host: 'localhost'`, Fastify listens
 * on every address `localhost` resolves to (127.0.0.1 and ::1), each further one on a server of
 * its own. Fastify exposes only their addresses (`app.addresses()`), so they are read from its
 * internal list; none when that list is not where Fastify 5 keeps it.
 */
function secondaryServers(app: FastifyInstance): Server[] {
  const key = Object.getOwnPropertySymbols(app).find((symbol) => symbol.description === SERVER_BINDINGS);
  const servers: unknown = key === undefined ? undefined : (app as unknown as Record<symbol, unknown>)[key];
  return Array.isArray(servers) ? (servers as Server[]) : [];
}

/**
 * Runs `prepare` on each server Fastify adds besides `app.server` when listening on `localhost`,
 * as soon as they all listen. Those servers get Fastify's request handler, timeouts and `upgrade`
 * events, but none of the listeners set on `app.server` itself (`clientError`,
 * `checkExpectation`, `connection`). `onUnreachable` is told when `app` listens on more addresses
 * than there are servers found to prepare (a Fastify that keeps them elsewhere).
 * @example onSecondaryServers(app, (server) => server.on('checkExpectation', app.routing), () => logger.error('…'))
 */
export function onSecondaryServers(app: FastifyInstance, prepare: (server: Server) => void, onUnreachable: () => void): void {
  let prepared = false;
  app.addHook('onListen', (done) => {
    // onListen hooks run again for each encapsulated child instance; the servers are all there the first time.
    if (prepared) return done();
    prepared = true;
    const servers = secondaryServers(app);
    for (const server of servers) prepare(server);
    if (app.addresses().length > servers.length + 1) onUnreachable();
    done();
  });
}
