import {
  WORKER_PROTOCOL_VERSION,
  type AgentToBridgeMessage,
  type BridgeToAgentMessage,
  type PageState,
} from '../../src/shared/worker-protocol.js';
import { DEFAULT_AGENT_TIMINGS, type AgentEnvironment, type TimerHandle } from './agent-environment.js';
import { describeError } from './job-failure.js';
import { mintV3Token } from './mint-recaptcha.js';
import { parseBridgeMessage } from './parse-bridge-message.js';
import { matchRetryRequest } from './retry-request.js';
import { runJob, type RunningJob } from './run-job.js';
import { chooseTitlePrefix } from './title-prefix.js';
import { createTokenPool, type TokenPool } from './token-pool.js';

/** The in-page agent: one bridge connection, kept alive forever, running the bridge's jobs. */
export interface Agent {
  /** Connects (and keeps reconnecting) until {@link Agent.stop}. */
  start(): void;
  /** Closes the socket, aborts running jobs, removes the title prefix. */
  stop(): void;
  /** True between `hello-ack` and the socket closing. */
  readonly connected: boolean;
  readonly workerId: string | undefined;
  readonly activeJobs: number;
}

const version = WORKER_PROTOCOL_VERSION;
const OPEN = 1;
const CLOSE_NO_ACK = 4001;

/**
 * Creates the agent. Nothing happens until `start()`.
 *
 * @example
 * const agent = createAgent(createBrowserEnvironment(window, settings));
 * agent.start();
 */
export function createAgent(environment: AgentEnvironment): Agent {
  const { settings, timers, logger } = environment;
  const timings = { ...DEFAULT_AGENT_TIMINGS, ...environment.timings };
  const random = environment.random ?? Math.random;
  const jobs = new Map<string, RunningJob>();
  const sessionTimers: TimerHandle[] = [];
  let unsubscribers: (() => void)[] = [];
  let socket: WebSocket | undefined;
  let stopped = true;
  let workerId: string | undefined;
  let attempt = 0;
  let reconnectTimer: TimerHandle | undefined;
  let captureArmed = false;
  let lastPageJson = '';
  let shownPrefix: string | undefined;
  let verification = false;
  /** The page state last read (by the poll or a change), for what may be a little stale. */
  let lastPage: PageState | undefined;
  /** v3 tokens minted ahead, as the bridge's `hello-ack` asks (per connection). */
  let tokens: TokenPool | undefined;

  const capabilities = ['fetch', 'recaptcha-v3', 'reload', 'page-state'];
  if (environment.createRecaptchaContainer) capabilities.push('recaptcha-v2');
  if (environment.subscribePageRequests) capabilities.push('capture');

  function send(message: AgentToBridgeMessage): void {
    if (socket?.readyState === OPEN) socket.send(JSON.stringify(message));
  }

  function updateTitle(): void {
    const prefix = chooseTitlePrefix({ connected: workerId !== undefined, captureArmed, activeJobs: jobs.size, verification });
    if (prefix === shownPrefix) return;
    shownPrefix = prefix;
    environment.setTitlePrefix(prefix);
  }

  function readPage(): PageState | undefined {
    let page: PageState;
    try {
      page = environment.getPageState();
    } catch (error) {
      logger.warn('Reading the page state failed', { error: describeError(error) });
      return undefined;
    }
    lastPage = page;
    if ((page.verification === true) !== verification) {
      verification = !verification;
      if (verification) logger.warn('The site shows its Security Verification check; a person has to pass it in this tab');
      updateTitle();
    }
    return page;
  }

  function checkPage(): void {
    if (workerId === undefined) return;
    const page = readPage();
    const json = page ? JSON.stringify(page) : lastPageJson;
    if (!page || json === lastPageJson) return;
    lastPageJson = json;
    send({ type: 'page-state', protocolVersion: version, page });
  }

  function onPageRequest(url: string): void {
    if (!captureArmed) return;
    const ids = matchRetryRequest(url);
    if (!ids) return;
    captureArmed = false;
    logger.info('Captured ids from the site\'s Retry request', ids);
    send({ type: 'ids-captured', protocolVersion: version, ...ids });
    updateTitle();
  }

  function clearSessionTimers(): void {
    for (const handle of sessionTimers.splice(0)) {
      timers.clearTimeout(handle);
      timers.clearInterval(handle);
    }
  }

  function startJob(message: Extract<BridgeToAgentMessage, { type: 'job-start' }>): void {
    if (jobs.has(message.jobId)) {
      logger.warn('Dropped a job-start for a job that is already running', { jobId: message.jobId });
      return;
    }
    const job = runJob({ jobId: message.jobId, request: message.request, window: message.window, environment, timings, send, ...(tokens ? { tokens } : {}) });
    jobs.set(job.jobId, job);
    updateTitle();
    void job.finished.then(() => {
      if (jobs.get(job.jobId) !== job) return;
      jobs.delete(job.jobId);
      updateTitle();
    });
  }

  function onAck(message: Extract<BridgeToAgentMessage, { type: 'hello-ack' }>): void {
    clearSessionTimers();
    workerId = message.workerId;
    attempt = 0;
    logger.info('Connected to the bridge', { workerId });
    tokens?.close();
    tokens = undefined;
    const pool = message.tokenPool;
    if (pool !== undefined && pool.size > 0) {
      tokens = createTokenPool({
        size: pool.size,
        maxAgeMs: pool.maxAgeMs,
        mint: (action, signal) => mintV3Token(action, { environment, timings, signal }),
        // The poll's reading: a new site key comes with a page reload, which starts a new agent.
        siteKey: () => (lastPage ?? readPage())?.siteKey ?? null,
        timers,
        logger,
      });
      for (const action of pool.actions) tokens.warm(action);
    }
    sessionTimers.push(
      timers.setInterval(
        () => send({ type: 'heartbeat', protocolVersion: version, at: timers.now(), activeJobs: jobs.size }),
        message.heartbeatIntervalMs,
      ),
      timers.setInterval(checkPage, timings.pageStatePollMs),
    );
    updateTitle();
    checkPage();
  }

  function onMessage(data: unknown): void {
    const parsed = parseBridgeMessage(data);
    if (!parsed.ok) {
      logger.warn('Dropped a malformed message from the bridge', { problem: parsed.problem });
      if (parsed.jobId !== undefined) {
        send({ type: 'job-error', protocolVersion: version, jobId: parsed.jobId, reason: 'bad-request', message: `Malformed job-start: ${parsed.problem}` });
      }
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'hello-ack':
        return onAck(message);
      case 'job-start':
        return startJob(message);
      case 'job-ack':
        return jobs.get(message.jobId)?.grant(message.credit);
      case 'job-cancel':
        return jobs.get(message.jobId)?.cancel(message.reason);
      case 'page-reload':
        logger.info('Reloading the page at the bridge\'s request', { reason: message.reason });
        return environment.reloadPage();
      case 'capture-arm':
        captureArmed = message.armed;
        return updateTitle();
    }
  }

  function onClose(closed: WebSocket, code: number, reason: string): void {
    if (closed !== socket) return;
    socket = undefined;
    if (workerId !== undefined) logger.info('Disconnected from the bridge', { code, reason });
    workerId = undefined;
    captureArmed = false;
    clearSessionTimers();
    tokens?.close();
    tokens = undefined;
    for (const job of jobs.values()) job.abandon();
    jobs.clear();
    updateTitle();
    if (!stopped) scheduleReconnect();
  }

  function scheduleReconnect(): void {
    const base = Math.min(timings.reconnectMaxMs, timings.reconnectInitialMs * 2 ** attempt);
    attempt += 1;
    const delay = Math.min(timings.reconnectMaxMs, Math.round(base * (0.75 + random() * 0.5)));
    logger.debug('Reconnecting to the bridge', { delayMs: delay });
    reconnectTimer = timers.setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, delay);
  }

  function connect(): void {
    let opened: WebSocket;
    try {
      opened = new environment.WebSocket(settings.bridgeUrl);
    } catch (error) {
      logger.warn('Could not open the bridge connection', { error: describeError(error) });
      scheduleReconnect();
      return;
    }
    socket = opened;
    opened.onopen = () => {
      if (opened !== socket) return;
      const page = readPage() ?? emptyPage();
      lastPageJson = JSON.stringify(page);
      send({
        type: 'worker-hello',
        protocolVersion: version,
        agentVersion: settings.agentVersion,
        host: settings.host,
        secret: settings.secret,
        ...(settings.pageToken === undefined ? {} : { pageToken: settings.pageToken }),
        capabilities,
        page,
      });
      sessionTimers.push(timers.setTimeout(() => opened.close(CLOSE_NO_ACK, 'no hello-ack'), timings.helloAckTimeoutMs));
    };
    opened.onmessage = (event) => {
      if (opened === socket) onMessage(event.data);
    };
    opened.onclose = (event) => onClose(opened, event.code, event.reason);
    // An error is always followed by close, which does the work.
    opened.onerror = () => undefined;
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      unsubscribers = [
        environment.subscribePageChanges?.(checkPage),
        environment.subscribePageRequests?.(onPageRequest),
      ].filter((unsubscribe) => unsubscribe !== undefined);
      updateTitle();
      connect();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      if (reconnectTimer !== undefined) timers.clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      const current = socket;
      if (current) {
        onClose(current, 1000, 'agent stopped');
        current.close(1000, 'agent stopped');
      }
      shownPrefix = '';
      environment.setTitlePrefix('');
    },
    get connected() {
      return workerId !== undefined;
    },
    get workerId() {
      return workerId;
    },
    get activeJobs() {
      return jobs.size;
    },
  };
}

function emptyPage(): PageState {
  return {
    url: '',
    origin: '',
    title: '',
    challenge: false,
    recaptchaReady: false,
    siteKey: null,
    auth: 'unknown',
    email: null,
    identity: null,
  };
}
