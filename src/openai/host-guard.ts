import type { AddressInfo } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequestError, type BridgeError } from '../core/errors/index.js';
import { endSocketAfterReply } from './end-socket-after-reply.js';

/** A `Host` value as compared: canonical name (lower case, no trailing dot, IPv6 in brackets) and port. */
interface HostAndPort {
  name: string;
  port: number | undefined;
}

/** One `allowed_hosts` entry, parsed: a name, or with `subdomains` every name below it, and an optional port. */
export interface HostPattern {
  name: string;
  /** `*.example.com`: names ending in `.example.com` match (not `example.com` itself). */
  subdomains: boolean;
  /** Absent: any port. */
  port: number | undefined;
}

/** What {@link isAllowedHost} accepts. */
export interface HostPolicy {
  /** The port the bridge listens on; loopback names and the bind address are accepted only with it. */
  port: number | undefined;
  /** The address the bridge is bound to, canonical (see {@link bindAddressOf}); absent for a wildcard bind. */
  bindAddress: string | undefined;
  /** Parsed `allowed_hosts` entries (and the public URL's host). */
  allowedHosts: readonly HostPattern[];
}

/** A Host without a port means the scheme's default; the bridge speaks plain HTTP. */
const DEFAULT_PORT = 80;
const HOST_SYNTAX = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::(\d{1,5}))?$/i;
const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

function canonicalName(name: string): string | undefined {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return undefined;
  // The syntax check above keeps userinfo, paths and the like out, so the URL parser only
  // canonicalises: lower case, IPv4 forms (`127.1`) and IPv6 spellings (`[0::1]`).
  try {
    return new URL(`http://${trimmed}/`).hostname;
  } catch {
    return undefined;
  }
}

function parseHost(value: string): HostAndPort | undefined {
  const match = HOST_SYNTAX.exec(value);
  if (match === null) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65_535) return undefined;
  const name = canonicalName(match[1] ?? '');
  return name === undefined ? undefined : { name, port };
}

function isLoopback(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || LOOPBACK_IPV4.test(name);
}

/**
 * Parses an `allowed_hosts` entry: `bridge.example.com`, `bridge.example.com:8080`,
 * `*.example.com`, `[fd00::1]:5102`. Throws, naming the entry, when it is not one.
 */
export function parseHostPattern(entry: string): HostPattern {
  const subdomains = entry.startsWith('*.');
  const host = parseHost(subdomains ? entry.slice(2) : entry);
  if (host === undefined) {
    throw new Error(`allowed_hosts entry "${entry}" is not a host name with an optional :port (e.g. "bridge.example.com", "*.example.com", "[fd00::1]:5102").`);
  }
  return { name: host.name, subdomains, port: host.port };
}

/** The bind address of `server.address()` as {@link HostPolicy.bindAddress}: absent when unknown or a wildcard. */
export function bindAddressOf(address: AddressInfo | string | null): string | undefined {
  if (address === null || typeof address === 'string') return undefined;
  if (address.address === '0.0.0.0' || address.address === '::') return undefined;
  return canonicalName(address.family === 'IPv6' ? `[${address.address}]` : address.address);
}

/**
 * True when a `Host` header names this bridge: a loopback name or address (`localhost`,
 * 127.0.0.0/8, `[::1]`) or the bind address, with the listening port; or an `allowed_hosts`
 * pattern. Case-insensitive; one trailing dot is ignored. A missing or malformed Host is refused.
 * @example isAllowedHost('127.0.0.1:5102', { port: 5102, bindAddress: '127.0.0.1', allowedHosts: [] }) // true
 */
export function isAllowedHost(host: string | undefined, policy: HostPolicy): boolean {
  const parsed = host === undefined ? undefined : parseHost(host);
  if (parsed === undefined) return false;
  const port = parsed.port ?? DEFAULT_PORT;
  if (port === policy.port && (isLoopback(parsed.name) || parsed.name === policy.bindAddress)) return true;
  return policy.allowedHosts.some((pattern) =>
    (pattern.subdomains ? parsed.name.endsWith(`.${pattern.name}`) : parsed.name === pattern.name)
    && (pattern.port === undefined || pattern.port === port));
}

/** Options of {@link createHostGuard}. */
export interface HostGuardOptions {
  /** `allowed_hosts` entries, and the host of the public URL (e.g. `files.example.com`). */
  allowedHosts: readonly string[];
  /** Where the server listens (`server.address()`), read per request: port 0 is chosen by listen. */
  listening: () => AddressInfo | string | null;
}

/** The Host check against DNS rebinding (see {@link createHostGuard}). */
export interface HostGuard {
  /** The 421 `host_not_allowed` error for a request with this Host header, or undefined when it is allowed. */
  refusalFor(host: string | undefined): BridgeError | undefined;
  /**
   * `onRequest` hook, registered before any other: throws the refusal, and ends the connection
   * after it (also for WebSocket upgrades, whose socket the HTTP server no longer closes).
   */
  onRequest(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/**
 * Builds the Host check: a web page the user visits can point a name it controls at 127.0.0.1
 * (DNS rebinding) and then read the bridge same-origin; such requests carry that name as Host and
 * get 421 `host_not_allowed` before any route or authentication runs. `allowedHosts` entries are
 * parsed at once, so a bad one fails at start-up.
 * @example app.addHook('onRequest', createHostGuard({ allowedHosts: [], listening: () => app.server.address() }).onRequest)
 */
export function createHostGuard(options: HostGuardOptions): HostGuard {
  const allowedHosts = options.allowedHosts.map(parseHostPattern);
  const refusalFor = (host: string | undefined): BridgeError | undefined => {
    const address = options.listening();
    const port = address !== null && typeof address === 'object' ? address.port : undefined;
    if (isAllowedHost(host, { port, bindAddress: bindAddressOf(address), allowedHosts })) return undefined;
    const local = `127.0.0.1${port === undefined ? '' : `:${port}`}`;
    const message = host === undefined
      ? `The request has no Host header; send "Host: ${local}".`
      : `The Host header "${host.slice(0, 100)}" does not name this bridge; it answers at http://${local} and the names in allowed_hosts. To reach it by this name, add it to allowed_hosts in config.jsonc.`;
    return new InvalidRequestError(message, { code: 'host_not_allowed', headers: { connection: 'close' } });
  };
  return {
    refusalFor,
    async onRequest(request, reply) {
      const refusal = refusalFor(request.headers.host);
      if (refusal === undefined) return;
      endSocketAfterReply(request, reply);
      throw refusal;
    },
  };
}
