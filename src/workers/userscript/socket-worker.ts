import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Logger } from '../../observability/logger.js';
import {
  DEFAULT_CHUNK_WINDOW,
  WORKER_PROTOCOL_VERSION,
  type AgentToBridgeMessage,
  type BridgeToAgentMessage,
  type JobRequest,
  type PageState,
} from '../../shared/worker-protocol.js';
import type { JobStream, WorkerConnection, WorkerKind, WorkerRegistry, WorkerSnapshot } from '../types.js';
import { WORKER_CLOSE_CODES } from './close-codes.js';
import { pageCapacity, type ConcurrencyLimits } from './page-capacity.js';
import { parseAgentMessage } from './parse-agent-message.js';
import { SocketJobStream, type JobChannel } from './socket-job-stream.js';

/** Options of {@link SocketWorker}. */
export interface SocketWorkerOptions {
  id: string;
  socket: WebSocket;
  kind: WorkerKind;
  page: PageState;
  agentVersion: string;
  /** Set by our Chromium host to tie the agent to the page it launched. */
  pageToken?: string;
  registry: WorkerRegistry;
  logger: Logger;
  /** Jobs the page may run at once, by the protocol it reports (see {@link pageCapacity}); the pool leases within it. */
  concurrency: ConcurrencyLimits;
  /** Credit window sent with each `job-start`. @default DEFAULT_CHUNK_WINDOW */
  window?: number;
  /** A worker that sends nothing for this long is closed. */
  workerTimeoutMs: number;
  /** How often silence is checked. */
  checkIntervalMs: number;
  /** @default Date.now */
  now?: () => number;
}

/** Frames from an agent that failed validation before the rest are only logged at debug level. */
const LOUD_MALFORMED_FRAMES = 3;

/**
 * One agent connected over the worker WebSocket, after a successful hello. Parses every inbound
 * frame, routes job frames to their {@link SocketJobStream}, and tells the registry about page
 * state, captured ids and the end of the connection.
 */
export class SocketWorker implements WorkerConnection {
  readonly id: string;
  readonly kind: WorkerKind;
  readonly agentVersion: string;
  readonly pageToken: string | undefined;
  readonly connectedAt: number;
  readonly #concurrency: ConcurrencyLimits;
  readonly #socket: WebSocket;
  readonly #registry: WorkerRegistry;
  readonly #logger: Logger;
  readonly #window: number;
  readonly #workerTimeoutMs: number;
  readonly #now: () => number;
  readonly #jobs = new Map<string, SocketJobStream>();
  readonly #silenceTimer: NodeJS.Timeout;
  readonly #channel: JobChannel = {
    sendAck: (jobId, credit) => this.#send({ type: 'job-ack', protocolVersion: WORKER_PROTOCOL_VERSION, jobId, credit }),
    sendCancel: (jobId, reason) => this.#send({ type: 'job-cancel', protocolVersion: WORKER_PROTOCOL_VERSION, jobId, reason }),
    detach: (jobId) => this.#jobs.delete(jobId),
  };
  #page: PageState;
  #lastHeartbeatAt: number;
  #lastFrameAt: number;
  #closed = false;
  #malformedFrames = 0;

  constructor(options: SocketWorkerOptions) {
    this.id = options.id;
    this.kind = options.kind;
    this.agentVersion = options.agentVersion;
    this.pageToken = options.pageToken;
    this.#concurrency = { ...options.concurrency };
    this.#socket = options.socket;
    this.#registry = options.registry;
    this.#logger = options.logger;
    this.#window = options.window ?? DEFAULT_CHUNK_WINDOW;
    this.#workerTimeoutMs = options.workerTimeoutMs;
    this.#now = options.now ?? Date.now;
    this.#page = options.page;
    this.connectedAt = this.#now();
    this.#lastHeartbeatAt = this.connectedAt;
    this.#lastFrameAt = this.connectedAt;
    this.#silenceTimer = setInterval(() => this.#checkSilence(), options.checkIntervalMs);
    this.#silenceTimer.unref();
  }

  get page(): PageState {
    return this.#page;
  }

  /** Jobs the page may run at once now: it follows the protocol of the page's current document. */
  get maxConcurrency(): number {
    return pageCapacity(this.#page.httpProtocol, this.#concurrency);
  }

  get activeJobs(): number {
    return this.#jobs.size;
  }

  get lastHeartbeatAt(): number {
    return this.#lastHeartbeatAt;
  }

  get closed(): boolean {
    return this.#closed;
  }

  startJob(request: JobRequest, signal: AbortSignal): JobStream {
    const jobId = `job-${randomBytes(9).toString('base64url')}`;
    const stream = new SocketJobStream({ jobId, window: this.#window, channel: this.#channel, signal });
    if (this.#closed) {
      stream.pushError('worker-lost', `Worker ${this.id} disconnected before the job could start.`);
    } else if (signal.aborted) {
      stream.pushError('aborted', 'The request was aborted before the job started.');
    } else {
      this.#jobs.set(jobId, stream);
      this.#send({ type: 'job-start', protocolVersion: WORKER_PROTOCOL_VERSION, jobId, request, window: this.#window });
    }
    return stream;
  }

  reloadPage(reason: string): void {
    this.#send({ type: 'page-reload', protocolVersion: WORKER_PROTOCOL_VERSION, reason });
  }

  armCapture(armed: boolean): void {
    this.#send({ type: 'capture-arm', protocolVersion: WORKER_PROTOCOL_VERSION, armed });
  }

  snapshot(): WorkerSnapshot {
    return {
      id: this.id,
      kind: this.kind,
      page: this.#page,
      activeJobs: this.#jobs.size,
      maxConcurrency: this.maxConcurrency,
      connectedAt: this.connectedAt,
      lastHeartbeatAt: this.#lastHeartbeatAt,
      agentVersion: this.agentVersion,
    };
  }

  /** Handles one inbound text frame. Malformed frames and frames for unknown jobs are dropped. */
  receive(text: string): void {
    if (this.#closed) return;
    const parsed = parseAgentMessage(text);
    if (!parsed.ok) {
      this.#malformedFrames += 1;
      const fields = { type: parsed.type, problem: parsed.problem, malformedFrames: this.#malformedFrames };
      if (this.#malformedFrames <= LOUD_MALFORMED_FRAMES) this.#logger.warn('Dropped a malformed message from a worker', fields);
      else this.#logger.debug('Dropped a malformed message from a worker', fields);
      return;
    }
    this.#lastFrameAt = this.#now();
    this.#dispatch(parsed.message);
  }

  /**
   * Ends the connection: every running job fails with `worker-lost`, then the registry forgets the
   * worker. Idempotent; called on the socket's `close` event and when the bridge drops the worker.
   */
  disconnect(code?: number, reason?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#silenceTimer);
    if (code !== undefined && this.#socket.readyState <= 1) this.#socket.close(code, reason);
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    for (const job of jobs) job.pushError('worker-lost', `Worker ${this.id} disconnected while the job was running.`);
    this.#registry.remove(this);
  }

  #dispatch(message: AgentToBridgeMessage): void {
    switch (message.type) {
      case 'job-chunk':
        this.#jobs.get(message.jobId)?.pushChunk(message.data);
        return;
      case 'job-response':
        this.#jobs.get(message.jobId)?.pushResponse(message.status, message.headers);
        return;
      case 'job-end':
        this.#jobs.get(message.jobId)?.pushEnd();
        return;
      case 'job-error':
        this.#jobs.get(message.jobId)?.pushError(message.reason, message.message);
        return;
      case 'heartbeat':
        this.#lastHeartbeatAt = this.#lastFrameAt;
        return;
      case 'page-state':
        this.#page = message.page;
        this.#registry.pageChanged(this);
        return;
      case 'ids-captured':
        this.#registry.idsCaptured(this, { sessionId: message.sessionId, messageId: message.messageId });
        return;
      case 'worker-hello':
        this.#logger.debug('Dropped a repeated worker-hello');
        return;
    }
  }

  #checkSilence(): void {
    const silentFor = this.#now() - this.#lastFrameAt;
    if (silentFor <= this.#workerTimeoutMs) return;
    this.#logger.warn('Closing a silent worker', { silentForMs: silentFor, workerTimeoutMs: this.#workerTimeoutMs });
    this.disconnect(WORKER_CLOSE_CODES.heartbeatTimeout, `no message for ${silentFor} ms`);
  }

  #send(message: BridgeToAgentMessage): void {
    if (this.#closed || this.#socket.readyState !== 1) return;
    this.#socket.send(JSON.stringify(message));
  }
}
