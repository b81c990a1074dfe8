/**
 * glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), so after a burst
 * of big request bodies the next ones are carved from the heap and never given back: a bridge that
 * peaked stays 30+ MB above idle for good. A fixed threshold keeps large buffers in their own
 * mappings, returned on free. glibc reads it only at start, so the process is replaced once
 * (same pid, `process.execve`) with `MALLOC_MMAP_THRESHOLD_` set; a value the user set is kept.
 */

/** 128 KiB: glibc's own starting threshold, kept fixed. */
export const MMAP_THRESHOLD_BYTES = 131_072;

/** What {@link allocatorTuning} reads of the running process. */
export interface ProcessFacts {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** The glibc version at run time, when the C library is glibc. */
  glibcVersion: string | undefined;
  /** Whether `process.execve` exists (Node 22.15+). */
  canExec: boolean;
}

/** The environment to re-execute with, or undefined when the process needs nothing. */
export function allocatorTuning(facts: ProcessFacts): Record<string, string | undefined> | undefined {
  if (facts.platform !== 'linux' || !facts.canExec || facts.glibcVersion === undefined) return undefined;
  if (facts.env['MALLOC_MMAP_THRESHOLD_'] !== undefined) return undefined;
  return { ...facts.env, MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD_BYTES) };
}

/** The glibc version of this process, read from Node's diagnostic report header. */
export function runtimeGlibcVersion(): string | undefined {
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
  return header?.glibcVersionRuntime;
}
