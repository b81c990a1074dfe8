import type { FastifyInstance } from 'fastify';
import { loadAgentBundle, renderUserscript } from './render-userscript.js';

/** Options of {@link registerUserscriptRoute}. */
export interface UserscriptRouteOptions {
  /** Embedded in the script so the agent can pair with this bridge. */
  pairingSecret: string;
  /**
   * Where the agent connects, built from the configured host and port (e.g. `ws://127.0.0.1:5102/ws/worker`).
   * A function is read per request, for bridges whose port is only known after listen.
   */
  bridgeWsUrl: string | (() => string);
  /** Origins the userscript runs on (its `@match` lines). */
  arenaOrigins: string[];
  agentVersion: string;
  /** The bridge's public base URL (e.g. `http://127.0.0.1:5102`); the script's update URL hangs off it. */
  publicBaseUrl: string | (() => string);
  /** Reads the agent bundle. @default loadAgentBundle */
  loadBundle?: () => Promise<string>;
}

/** Path of the installable userscript. */
export const USERSCRIPT_PATH = '/userscript.user.js';

/**
 * Serves the installable userscript at `GET /userscript.user.js`, with this bridge's WebSocket URL
 * and pairing secret baked in. The agent bundle is loaded on first request and kept; a failed load
 * (bundle not built) fails that request and is retried on the next.
 */
export function registerUserscriptRoute(app: FastifyInstance, options: UserscriptRouteOptions): void {
  const loadBundle = options.loadBundle ?? (() => loadAgentBundle());
  let bundle: Promise<string> | null = null;

  // The script carries the pairing secret. The composition root requires the API key here when
  // one is configured (also as `?key=`, so installing stays one click); without one, whoever can
  // reach the bridge (127.0.0.1 by default) can fetch it. A web page can run it with a <script>
  // tag too, but the agent refuses to start outside the arena origins baked into it.
  app.get(USERSCRIPT_PATH, async (request, reply) => {
    bundle ??= loadBundle().catch((error: unknown) => {
      bundle = null;
      throw error;
    });
    const script = renderUserscript({
      bundle: await bundle,
      bridgeWsUrl: valueOf(options.bridgeWsUrl),
      secret: options.pairingSecret,
      arenaOrigins: options.arenaOrigins,
      agentVersion: options.agentVersion,
      downloadUrl: `${valueOf(options.publicBaseUrl).replace(/\/+$/, '')}${USERSCRIPT_PATH}${keyQuery(request.query)}`,
    });
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(script);
  });
}

function valueOf(value: string | (() => string)): string {
  return typeof value === 'function' ? value() : value;
}

/** Keeps `?key=` in the script's update URL, so a key-protected bridge can serve updates. */
function keyQuery(query: unknown): string {
  const key = (query as { key?: unknown } | undefined)?.key;
  return typeof key === 'string' && key !== '' ? `?key=${encodeURIComponent(key)}` : '';
}
