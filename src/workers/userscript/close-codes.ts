/**
 * WebSocket close codes the bridge uses when it refuses or drops an agent. Codes 4000–4999 are
 * reserved for applications by RFC 6455; the last three digits echo the nearest HTTP status so a
 * log reader can guess the meaning. An agent should not reconnect blindly after `wrongSecret` or
 * `protocolMismatch`: the user has to reinstall the userscript.
 */
export const WORKER_CLOSE_CODES = {
  /** The first message was not a valid `worker-hello`. */
  invalidHello: 4400,
  /** The pairing secret in `worker-hello` is not this bridge's. */
  wrongSecret: 4401,
  /** The upgrade's `Origin` header is not one of the configured arena origins. */
  originNotAllowed: 4403,
  /** No `worker-hello` arrived in time after the socket opened. */
  helloTimeout: 4408,
  /** The agent speaks another worker-protocol version. */
  protocolMismatch: 4426,
  /** The agent sent nothing (not even a heartbeat) for longer than the worker timeout. */
  heartbeatTimeout: 4504,
} as const;

/** One of {@link WORKER_CLOSE_CODES}. */
export type WorkerCloseCode = (typeof WORKER_CLOSE_CODES)[keyof typeof WORKER_CLOSE_CODES];
