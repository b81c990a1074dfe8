import { createAgent } from '../agent.js';
import { startFakeBridge, type BridgeConnection } from './fake-bridge.js';
import { createNodeEnvironment, type FakePage } from './node-environment.js';

/**
 * Starts a fake bridge and a real agent (Node environment, page on `origin`) connected to it, with
 * the hello answered. Everything started is registered in `cleanups`.
 */
export async function connectAgent(options: {
  origin: string;
  cleanups: (() => unknown)[];
  onLoadRecaptcha?: (page: FakePage) => void;
}): Promise<{ connection: BridgeConnection; page: FakePage }> {
  const bridge = await startFakeBridge();
  options.cleanups.push(() => bridge.close());
  const { environment, page } = createNodeEnvironment({
    bridgeUrl: bridge.url,
    origin: options.origin,
    ...(options.onLoadRecaptcha ? { onLoadRecaptcha: options.onLoadRecaptcha } : {}),
  });
  const agent = createAgent(environment);
  options.cleanups.push(() => agent.stop());
  agent.start();
  const connection = await bridge.nextConnection();
  await connection.take('worker-hello');
  connection.ack();
  return { connection, page };
}
