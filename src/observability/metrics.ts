/**
 * Every Prometheus metric of the bridge, in one place (style.md §25): names carry the `bridge_`
 * prefix, counters end in `_total`, durations in `_seconds`, and label values are bounded (route
 * patterns, model names the bridge resolved, outcome codes; never request ids).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AccountHoldState } from './bridge-events.js';

/** How one chat completion ended: `ok`, or the stable error code it failed with. */
export interface ChatOutcome {
  /** The model name the client asked for, once the bridge resolved it; `unknown` otherwise. */
  model: string;
  stream: boolean;
  outcome: string;
  seconds: number;
}

/** What the chat service reports for each request (see src/core/chat/request-meter.ts). */
export interface ChatMetrics {
  /** The first output of an answer arrived `seconds` after the request reached core. */
  firstOutput(model: string, seconds: number): void;
  /** An answer ended (finished, failed or cancelled). */
  completed(outcome: ChatOutcome): void;
}

/** Point-in-time state read on every scrape. */
export interface MetricsState {
  /** Connected workers by kind (`userscript`, `browser`) and hold (`none`, `challenge`, `rate-limited`, `recovering`). */
  workers(): ReadonlyArray<{ kind: string; hold: string }>;
  /** Jobs running on workers now. */
  activeJobs(): number;
  /** Leases the connected workers can hold at once. */
  capacity(): number;
  /** Requests waiting for a worker. */
  queued(): number;
  /** Models in the live list from the arena. */
  liveModels(): number;
  /** Arena accounts by hold state (`serving` when not held). Absent: no accounts are counted. */
  accounts?(): ReadonlyArray<{ state: AccountState }>;
}

/** What an arena account is doing, as `bridge_account_holds` counts it: serving, or a hold state. */
export type AccountState = 'serving' | AccountHoldState;

/** The bridge's metrics. */
export interface BridgeMetrics extends ChatMetrics {
  /** One HTTP request finished; `route` is the route pattern (`unmatched` for 404s). */
  httpRequest(method: string, route: string, status: number): void;
  /** A job's outcome as the pool saw it (`ok`, `challenge`, `rate-limited`, …). */
  workerOutcome(outcome: string): void;
  /** An account was put on hold (the site flagged or rate-limited it). */
  accountHoldStarted(): void;
  /** A held account's probe request was refused, so the hold goes on. */
  accountProbeRejected(): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  /** Stops the event-loop delay monitor. */
  close(): void;
}

/** Most distinct model labels kept; further names are counted as `other` (clients choose names). */
const MAX_MODEL_LABELS = 200;
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];
const DURATION_BUCKETS = [0.5, 1, 2, 5, 10, 20, 40, 80, 160, 320];

/**
 * The process metrics, read when scraped. prom-client's default set is not used: its garbage
 * collection observer records every scavenge, and with the small young generation `npm start`
 * sets that costs about 10 MB of peak memory under load (measured with bench/streams.mjs).
 */
function registerProcessMetrics(registers: Registry[]): { stop(): void } {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  new Gauge({ name: 'bridge_process_cpu_seconds_total', help: 'User and system CPU time of the bridge process.', registers, collect() {
    const usage = process.cpuUsage();
    this.set((usage.user + usage.system) / 1e6);
  } });
  new Gauge({ name: 'bridge_process_resident_memory_bytes', help: 'Resident memory of the bridge process.', registers, collect() { this.set(process.memoryUsage.rss()); } });
  new Gauge({ name: 'bridge_process_heap_used_bytes', help: 'V8 heap in use.', registers, collect() { this.set(process.memoryUsage().heapUsed); } });
  new Gauge({ name: 'bridge_process_start_time_seconds', help: 'Start time of the process, in seconds since the Unix epoch.', registers, collect() {
    this.set(Math.round((Date.now() - process.uptime() * 1000) / 1000));
  } });
  new Gauge({
    name: 'bridge_event_loop_delay_seconds',
    help: 'Event-loop delay since the last scrape (p50, p99, max).',
    labelNames: ['quantile'] as const,
    registers,
    collect() {
      const seconds = (nanoseconds: number): number => (Number.isFinite(nanoseconds) ? nanoseconds / 1e9 : 0);
      this.set({ quantile: '0.5' }, seconds(delay.percentile(50)));
      this.set({ quantile: '0.99' }, seconds(delay.percentile(99)));
      this.set({ quantile: 'max' }, seconds(delay.max));
      delay.reset();
    },
  });
  return { stop: () => delay.disable() };
}

/**
 * Creates a registry with the bridge's metrics and a few process metrics (`bridge_process_*`,
 * `bridge_event_loop_delay_seconds`).
 *
 * @example
 * const metrics = createMetrics({ workers: () => [], activeJobs: () => 0, capacity: () => 0, queued: () => 0, liveModels: () => 0 });
 * metrics.httpRequest('GET', '/v1/models', 200);
 * const { contentType, body } = await metrics.render();
 */
export function createMetrics(state: MetricsState): BridgeMetrics {
  const registry = new Registry();
  const registers = [registry];
  const processMetrics = registerProcessMetrics(registers);

  const httpRequests = new Counter({
    name: 'bridge_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const chatRequests = new Counter({
    name: 'bridge_chat_completions_total',
    help: 'Chat completions (and image generations) by model, streaming or not, and outcome (ok or the error code).',
    labelNames: ['model', 'stream', 'outcome'] as const,
    registers,
  });
  const firstOutput = new Histogram({
    name: 'bridge_chat_time_to_first_output_seconds',
    help: 'Time from the request reaching the bridge\'s core to the first output of the answer.',
    labelNames: ['model'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const duration = new Histogram({
    name: 'bridge_chat_duration_seconds',
    help: 'Time from the request reaching the bridge\'s core to the end of the answer.',
    labelNames: ['model', 'stream'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const workerOutcomes = new Counter({
    name: 'bridge_worker_job_outcomes_total',
    help: 'Outcomes of upstream jobs as the worker pool saw them (ok, challenge, rate-limited, recaptcha-rejected, …).',
    labelNames: ['outcome'] as const,
    registers,
  });
  new Gauge({
    name: 'bridge_workers',
    help: 'Connected browser workers by kind and hold (none when the worker takes jobs).',
    labelNames: ['kind', 'hold'] as const,
    registers,
    collect() {
      this.reset();
      for (const worker of state.workers()) this.inc({ kind: worker.kind, hold: worker.hold });
    },
  });
  new Gauge({ name: 'bridge_worker_active_jobs', help: 'Jobs running on browser workers.', registers, collect() { this.set(state.activeJobs()); } });
  new Gauge({ name: 'bridge_worker_capacity', help: 'Jobs the connected workers can run at once.', registers, collect() { this.set(state.capacity()); } });
  new Gauge({ name: 'bridge_queue_waiting', help: 'Requests waiting for a free browser worker.', registers, collect() { this.set(state.queued()); } });
  new Gauge({ name: 'bridge_models_live', help: 'Models in the live list fetched from the arena.', registers, collect() { this.set(state.liveModels()); } });
  new Gauge({
    name: 'bridge_account_holds',
    help: 'Arena accounts by state: serving, held, or probing (one request tests whether the hold is over).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      // All three states are exported, zeros included, so a first hold changes a series rather than creating one.
      const counts: Record<AccountState, number> = { serving: 0, held: 0, probing: 0 };
      for (const account of state.accounts?.() ?? []) counts[account.state] += 1;
      for (const [name, count] of Object.entries(counts)) this.set({ state: name }, count);
    },
  });
  const accountHolds = new Counter({ name: 'bridge_account_holds_started_total', help: 'Account holds started (the site flagged or rate-limited an account).', registers });
  const probesRejected = new Counter({ name: 'bridge_account_probes_rejected_total', help: 'Probe requests of held accounts that the site refused (the hold went on).', registers });

  const models = new Set<string>();
  const modelLabel = (model: string): string => {
    if (models.has(model)) return model;
    if (models.size >= MAX_MODEL_LABELS) return 'other';
    models.add(model);
    return model;
  };

  // prom-client sorts and joins the labels on every call; the per-request counter keeps its children.
  const httpChildren = new Map<string, Counter.Internal>();

  return {
    httpRequest(method, route, status) {
      const key = `${method} ${status} ${route}`;
      let child = httpChildren.get(key);
      if (child === undefined) {
        child = httpRequests.labels({ method, route, status: String(status) });
        httpChildren.set(key, child);
      }
      child.inc();
    },
    firstOutput(model, seconds) {
      firstOutput.observe({ model: modelLabel(model) }, seconds);
    },
    completed(outcome) {
      const model = modelLabel(outcome.model);
      chatRequests.inc({ model, stream: String(outcome.stream), outcome: outcome.outcome });
      duration.observe({ model, stream: String(outcome.stream) }, outcome.seconds);
    },
    workerOutcome(outcome) {
      workerOutcomes.inc({ outcome });
    },
    accountHoldStarted() {
      accountHolds.inc();
    },
    accountProbeRejected() {
      probesRejected.inc();
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    close() {
      processMetrics.stop();
    },
  };
}
