/** The response header carrying non-fatal notes (ignored parameters, fallbacks taken). */
export const WARNINGS_HEADER = 'x-bridge-warnings';

/** Warnings as a response header (printable ASCII only, joined with ` | `); none when empty. */
export function warningHeaders(warnings: readonly string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  const value = warnings.join(' | ').replace(/[^\x20-\x7e]/g, '?').slice(0, 2000);
  return { [WARNINGS_HEADER]: value };
}
