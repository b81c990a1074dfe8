import { homedir } from 'node:os';
import { z } from 'zod';
import { CONFIG_FLAG_OPTIONS, configFlagsHelp, loadConfig } from '../../config/index.js';
import { BridgeCallError, bridgeUrlFrom, callBridge } from '../bridge-client.js';
import { printError, printLine } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { parseIntegerFlag } from './parse-integer-flag.js';

const capturedSchema = z.object({
  session_id: z.string(),
  message_id: z.string(),
  mode: z.enum(['direct_chat', 'battle']),
  battle_target: z.enum(['A', 'B']),
  model: z.string().nullable(),
  pool_size: z.number(),
  worker_id: z.string(),
});

/** `lmarena-bridge capture-ids`: captures a session/message id pair for the retry-replay protocol. */
export const captureIdsCommand: CliCommand = {
  name: 'capture-ids',
  summary: 'Capture session/message ids from a Retry click in the arena (retry-replay protocol)',
  options: {
    ...CONFIG_FLAG_OPTIONS,
    'bridge-url': { type: 'string' },
    mode: { type: 'string' },
    target: { type: 'string' },
    model: { type: 'string' },
    'timeout-seconds': { type: 'string' },
    clear: { type: 'boolean' },
  },
  help: `Usage: lmarena-bridge capture-ids [--mode direct_chat|battle] [--target A|B] [--model NAME] [options]

Arms the arena tabs connected to a RUNNING bridge (their title shows 🎯), waits until you
click Retry on any answer in one of them, and stores that conversation's session and
message ids in the data directory. Without --model they become the global ids (replacing
session_id/message_id of config.jsonc, which is never rewritten); with --model they are
added to that model's pool (beside its model_endpoint_map.json entries).
Used when "protocol" is "retry-replay". See docs/models-and-capture.md.

Options:
  --mode <mode>           direct_chat (default) or battle: the mode of the conversation you retry
  --target <side>         A (default) or B: the battle side to stream
  --model <name>          add the ids to this model's pool instead of the global ids
  --timeout-seconds <s>   how long to wait for the Retry click (default 300)
  --clear                 forget every captured id (the configured ids apply again)
  --bridge-url <url>      the running bridge (default: http://<host>:<port> from the configuration)
${configFlagsHelp()}
  -h, --help              show this help`,

  async run({ argv, values, io }) {
    const mode = values['mode'] ?? 'direct_chat';
    if (mode !== 'direct_chat' && mode !== 'battle') {
      printError(io, `--mode: expected direct_chat or battle, got ${JSON.stringify(mode)}.`);
      return 2;
    }
    const target = String(values['target'] ?? 'A').toUpperCase();
    if (target !== 'A' && target !== 'B') {
      printError(io, `--target: expected A or B, got ${JSON.stringify(values['target'])}.`);
      return 2;
    }
    const timeoutSeconds = parseIntegerFlag(io, values, 'timeout-seconds', 300, 1, 3600);
    if (timeoutSeconds === undefined) return 2;
    const model = typeof values['model'] === 'string' ? values['model'] : undefined;
    const { config } = await loadConfig({ argv, env: io.env, cwd: io.cwd, homeDir: io.homeDir ?? homedir() });
    const baseUrl = bridgeUrlFrom(values['bridge-url'], config);
    const call = { baseUrl, apiKey: config.server.apiKey, path: '/internal/capture-ids' };
    try {
      if (values['clear'] === true) {
        await callBridge({ ...call, method: 'DELETE', timeoutMs: 10_000 }, z.object({ cleared: z.literal(true) }));
        printLine(io, 'Captured ids forgotten; the ids from config.jsonc and model_endpoint_map.json apply again.');
        return 0;
      }
      printLine(io, `Arming the arena tabs connected to ${baseUrl} (their title now starts with 🎯).`);
      printLine(io, `Click Retry on any answer in the arena tab${mode === 'battle' ? ` (battle, side ${target})` : ''}… waiting up to ${timeoutSeconds} s.`);
      const captured = await callBridge(
        {
          ...call,
          method: 'POST',
          body: { mode, battle_target: target, timeout_seconds: timeoutSeconds, ...(model === undefined ? {} : { model }) },
          timeoutMs: (timeoutSeconds + 15) * 1000,
        },
        capturedSchema,
      );
      printLine(io, `Captured session_id ${captured.session_id}, message_id ${captured.message_id} (${captured.mode}${captured.mode === 'battle' ? `, side ${captured.battle_target}` : ''}).`);
      printLine(io, captured.model === null
        ? 'Stored as the global ids in the data directory; retry-replay requests use them from now on.'
        : `Added to the pool of "${captured.model}" (${captured.pool_size} id pair${captured.pool_size === 1 ? '' : 's'} captured for it).`);
      return 0;
    } catch (error) {
      if (!(error instanceof BridgeCallError)) throw error;
      printError(io, `Capture failed: ${error.message}`);
      return 1;
    }
  },
};
