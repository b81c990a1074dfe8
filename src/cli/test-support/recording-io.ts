import { EventEmitter } from 'node:events';
import type { CliIo, SignalSource } from '../cli-io.js';

/** A CliIo that records output, with fake signals and a recorded exit; for tests. */
export interface RecordingIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  readonly signals: SignalSource & EventEmitter;
  readonly exits: number[];
}

/** Builds a {@link RecordingIo}. */
export function recordingIo(options: { cwd: string; homeDir: string; env?: Record<string, string | undefined> }): RecordingIo {
  let out = '';
  let err = '';
  const exits: number[] = [];
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: options.env ?? {},
    cwd: options.cwd,
    homeDir: options.homeDir,
    signals: new EventEmitter(),
    exit: (code: number) => {
      exits.push(code);
    },
    out: () => out,
    err: () => err,
    exits,
  };
}

/** Resolves once `read()` contains `text`, polling; rejects after `timeoutMs`. */
export async function waitForText(read: () => string, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!read().includes(text)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
