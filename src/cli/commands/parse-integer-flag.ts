import { printError } from '../cli-io.js';
import type { CliIo } from '../cli-io.js';

/**
 * Reads an integer flag of a command that does not go through loadConfig; prints the problem
 * and returns `undefined` when the value is not an integer in range.
 */
export function parseIntegerFlag(
  io: CliIo,
  values: Readonly<Record<string, string | boolean | undefined>>,
  flag: string,
  fallback: number,
  min: number,
  max: number,
): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  printError(io, `--${flag}: expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  return undefined;
}
