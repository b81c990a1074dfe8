/** Where text lines go: a terminal, or anything with `write`. */
export interface TextSink {
  write(text: string): unknown;
}

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '\u001b[90m' },
  20: { name: 'DEBUG', color: '\u001b[90m' },
  30: { name: 'INFO ', color: '\u001b[36m' },
  40: { name: 'WARN ', color: '\u001b[33m' },
  50: { name: 'ERROR', color: '\u001b[31m' },
  60: { name: 'FATAL', color: '\u001b[31m' },
};
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';

/** A field value as `key=value` shows it: bare when it is one plain word, JSON otherwise. */
function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** `HH:MM:SS.mmm` in local time. */
function clock(epochMs: number): string {
  const time = new Date(epochMs);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}.${String(time.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * Formats one JSON log line (pino's shape: `level`, `time`, `msg`, then the fields) for people:
 * `12:04:05.123 WARN  Worker rate-limited; cooling it down workerId=w1 seconds=30`. A line that is
 * not such JSON is passed through as it is.
 */
export function formatLogLine(json: string, color: boolean): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, ...fields } = record;
  const known = LEVELS[typeof level === 'number' ? level : 30] ?? { name: String(level).toUpperCase(), color: '' };
  const head = `${clock(typeof time === 'number' ? time : Date.now())} ${color ? `${known.color}${known.name}${RESET}` : known.name}`;
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${fieldValue(value)}`).join(' ');
  const tail = pairs === '' ? '' : color ? ` ${DIM}${pairs}${RESET}` : ` ${pairs}`;
  return `${head} ${typeof msg === 'string' ? msg : ''}${tail}`;
}

/** A destination for pino that writes each JSON line to `sink` as a readable text line. */
export function textLogDestination(sink: TextSink, color: boolean): { write(text: string): void } {
  return {
    write(text) {
      let out = '';
      for (const line of text.split('\n')) if (line !== '') out += `${formatLogLine(line, color)}\n`;
      sink.write(out);
    },
  };
}
