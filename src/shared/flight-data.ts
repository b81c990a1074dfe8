/**
 * Reading Next.js flight data (the React Server Components payload the site streams into its HTML
 * as `self.__next_f.push([1,"…"])` script calls, arena-protocol.md §9.1) without regexes over the
 * page: from the HTML the bridge fetched, or from `self.__next_f` in a live page.
 */

const PUSH_CALL = 'self.__next_f.push([';

/**
 * Joins the text entries (`[1, "<text>"]`) of a live page's `self.__next_f` array in order, so a
 * row split across two pushes reads whole; other entries are skipped.
 */
export function joinFlightEntries(entries: readonly unknown[]): string {
  let text = '';
  for (const entry of entries) {
    if (Array.isArray(entry) && entry[0] === 1 && typeof entry[1] === 'string') text += entry[1];
  }
  return text;
}

/**
 * Decodes every `self.__next_f.push([1,"…"])` string (each a JSON string literal) and joins them in
 * order, so a row split across two pushes reads whole. Other push kinds (`[0]`, `[2,…]`) are skipped.
 */
export function decodeFlightText(html: string): string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const call = html.indexOf(PUSH_CALL, from);
    if (call === -1) break;
    from = call + PUSH_CALL.length;
    let index = skipSpace(html, from);
    if (html[index] !== '1') continue;
    index = skipSpace(html, index + 1);
    if (html[index] !== ',') continue;
    index = skipSpace(html, index + 1);
    if (html[index] !== '"') continue;
    const end = stringEnd(html, index);
    if (end === -1) break;
    try {
      parts.push(JSON.parse(html.slice(index, end + 1)) as string);
    } catch {
      // A push whose literal is not valid JSON is not the site's flight data; skip it.
    }
    from = end + 1;
  }
  return parts.join('');
}

/**
 * Every JSON value that follows `"<key>":` in `text`, decoded one at a time by bracket matching
 * that respects strings and escapes. Values that do not parse are skipped.
 */
export function* jsonValuesAfterKey(text: string, key: string): Generator<unknown> {
  const needle = `${JSON.stringify(key)}:`;
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at === -1) return;
    from = at + needle.length;
    const read = readJsonValue(text, from);
    if (read !== undefined) {
      yield read.value;
      from = read.end;
    }
  }
}

/**
 * Follows a flight-data reference (`"$5"`, `"$L5"`: React Server Components write a value once as
 * row `5:` and refer to it) to the value of that row. Other values are returned unchanged.
 */
export function resolveFlightReference(text: string, value: unknown): unknown {
  if (typeof value !== 'string' || !/^\$L?[0-9a-f]+$/i.test(value)) return value;
  const rowId = value.slice(value[1] === 'L' ? 2 : 1);
  const marker = `\n${rowId}:`;
  let start: number;
  if (text.startsWith(`${rowId}:`)) {
    start = rowId.length + 1;
  } else {
    const at = text.indexOf(marker);
    if (at === -1) return value;
    start = at + marker.length;
  }
  const read = readJsonValue(text, start);
  return read === undefined ? value : read.value;
}

/** Decodes exactly one JSON value starting at `start` (after optional whitespace). */
export function readJsonValue(text: string, start: number): { value: unknown; end: number } | undefined {
  const begin = skipSpace(text, start);
  const first = text[begin];
  let end: number;
  if (first === '"') {
    end = stringEnd(text, begin) + 1;
  } else if (first === '[' || first === '{') {
    end = containerEnd(text, begin) + 1;
  } else {
    end = begin;
    while (end < text.length && !',}]\n\r\t '.includes(text[end] ?? ',')) end += 1;
  }
  if (end <= begin) return undefined;
  try {
    return { value: JSON.parse(text.slice(begin, end)) as unknown, end };
  } catch {
    return undefined;
  }
}

/** Index of the closing quote of the string literal opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 92) index += 1;
    else if (code === 34) return index;
  }
  return -1;
}

/** Index of the bracket closing the array/object opening at `start`, or -1. */
function containerEnd(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') {
      index = stringEnd(text, index);
      if (index === -1) return -1;
    } else if (char === '[' || char === '{') {
      depth += 1;
    } else if (char === ']' || char === '}') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

function skipSpace(text: string, index: number): number {
  let at = index;
  while (at < text.length && (text[at] === ' ' || text[at] === '\n' || text[at] === '\r' || text[at] === '\t')) at += 1;
  return at;
}
