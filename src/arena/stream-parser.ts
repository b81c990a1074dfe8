import { isChallengeText } from '../shared/cloudflare-challenge.js';
import { MalformedRecordError, decodeStreamRecord } from './decode-stream-record.js';
import { createSideState } from './stream-side-state.js';
import type { StreamSideState } from './stream-side-state.js';
import type { ArenaError, ArenaEvent, Side } from './types.js';

/** An incremental parser of one upstream stream body (§2.6). */
export interface StreamParser {
  /** Feeds the next network chunk, as bytes or as text the page decoded (one or the other per body); returns the events it completed. */
  push(chunk: Uint8Array | string): ArenaEvent[];
  /** Ends the body: flushes the tail and reports truncated or empty streams. Call once. */
  end(): ArenaEvent[];
}

/** How much of an HTML answer is kept to look for Cloudflare markers before giving up. */
const HTML_SCAN_LIMIT = 64 * 1024;
const CARRIAGE_RETURN = 13;

type Mode = 'start' | 'records' | 'html' | 'done';

/**
 * A byte-safe, incremental parser of the newline-delimited `<side><code>:<json>` records.
 * Only the unfinished tail of the last line is kept between pushes; a body that starts with
 * markup is reported once as a `challenge` (Cloudflare) or `server-error` (other HTML).
 *
 * @example
 * const parser = createStreamParser();
 * for await (const chunk of body) handle(parser.push(chunk));
 * handle(parser.end());
 */
export function createStreamParser(): StreamParser {
  const decoder = new TextDecoder('utf-8');
  const sides: Record<Side, StreamSideState> = { a: createSideState(), b: createSideState() };
  let mode: Mode = 'start';
  // The unfinished last line, as pieces: joining once per line keeps long lines linear.
  let tail: string[] = [];
  let html = '';
  let lines = 0;
  let ended = false;

  const fail = (side: Side, error: ArenaError): ArenaEvent => ({ type: 'error', side, error });
  // A failure of the whole body (an HTML page, nothing at all) concerns both sides: a battle
  // answered on side B must see it as much as one on side A.
  const failBoth = (out: ArenaEvent[], error: ArenaError): void => {
    out.push(fail('a', error), fail('b', error));
  };

  const takeLine = (line: string, out: ArenaEvent[], final: boolean): void => {
    let start = 0;
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === CARRIAGE_RETURN) end -= 1;
    if (line.startsWith('data:', start)) start += line.charCodeAt(start + 5) === 32 ? 6 : 5;
    const first = line.charCodeAt(start);
    if (start >= end || first === 32 || first === 9) {
      if (line.slice(start, end).trim() === '') return;
    }
    lines += 1;
    const side = line[start];
    const code = line[start + 1];
    if ((side !== 'a' && side !== 'b') || code === undefined || line.charCodeAt(start + 2) !== 58) {
      const text = line.slice(start, end);
      // An SSE terminator from an intermediary; upstream itself never sends one (§2.6).
      if (text === '[DONE]') return;
      if (lines === 1 && isChallengeText(text)) {
        mode = 'done';
        failBoth(out, { kind: 'challenge', message: 'Cloudflare challenge page instead of the answer stream' });
        return;
      }
      out.push(fail(side === 'b' ? 'b' : 'a', { kind: 'malformed', message: `Unreadable stream line: ${preview(text)}` }));
      return;
    }
    const state = sides[side];
    state.seen = true;
    try {
      out.push(...decodeStreamRecord(side, code, line.slice(start + 3, end), state));
    } catch (error) {
      if (!(error instanceof MalformedRecordError)) throw error;
      // A last line without its newline that does not parse was cut off: end() reports truncation.
      if (final) return;
      out.push(fail(side, { kind: 'malformed', message: `${error.message}: ${preview(line.slice(start, end))}` }));
    }
  };

  const takeHtml = (text: string, out: ArenaEvent[], final: boolean): void => {
    if (html.length < HTML_SCAN_LIMIT) html += text.slice(0, HTML_SCAN_LIMIT - html.length);
    if (isChallengeText(html)) {
      mode = 'done';
      failBoth(out, { kind: 'challenge', message: 'Cloudflare challenge page instead of the answer stream' });
    } else if (final || html.length >= HTML_SCAN_LIMIT) {
      mode = 'done';
      failBoth(out, { kind: 'server-error', message: `HTML page instead of the answer stream: ${preview(html)}` });
    }
  };

  const takeText = (text: string, out: ArenaEvent[]): void => {
    if (text === '' || mode === 'done') return;
    if (mode === 'start') {
      const trimmed = text.trimStart();
      if (trimmed === '') return;
      if (trimmed.startsWith('<')) {
        mode = 'html';
        tail = [];
        takeHtml(trimmed, out, false);
        return;
      }
      mode = 'records';
    }
    if (mode === 'html') {
      takeHtml(text, out, false);
      return;
    }
    let lineStart = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1 && mode === 'records') {
      let line = text.slice(lineStart, newline);
      if (tail.length > 0) {
        tail.push(line);
        line = tail.join('');
        tail = [];
      }
      takeLine(line, out, false);
      lineStart = newline + 1;
      newline = text.indexOf('\n', lineStart);
    }
    if (lineStart < text.length && mode === 'records') tail.push(text.slice(lineStart));
  };

  return {
    push(chunk) {
      if (ended) throw new Error('createStreamParser: push() after end()');
      const out: ArenaEvent[] = [];
      // The page already decoded its text: only raw bytes go through the decoder.
      takeText(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), out);
      return out;
    },
    end() {
      if (ended) return [];
      ended = true;
      const out: ArenaEvent[] = [];
      takeText(decoder.decode(), out);
      if (mode === 'records' && tail.length > 0) {
        const last = tail.join('');
        tail = [];
        takeLine(last, out, true);
      }
      if (mode === 'html') takeHtml('', out, true);
      if (mode === 'start' || (mode === 'records' && lines === 0)) {
        failBoth(out, { kind: 'empty-stream', message: 'The answer stream ended without any record' });
      } else if (mode === 'records') {
        for (const side of ['a', 'b'] as const) {
          const state = sides[side];
          if (state.seen && !state.finished && !state.failed) {
            out.push(fail(side, { kind: 'truncated', message: `The answer stream ended before side ${side.toUpperCase()}'s finish record` }));
          }
        }
      }
      return out;
    },
  };
}

/**
 * Parses a whole stream body at once (push + end).
 *
 * @example parseStreamText('a0:"Hi"\nad:{"finishReason":"stop"}\n')
 */
export function parseStreamText(text: string): ArenaEvent[] {
  const parser = createStreamParser();
  return [...parser.push(text), ...parser.end()];
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
