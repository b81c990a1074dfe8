import { readFile } from 'node:fs/promises';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ConfigProblem } from './config-error.js';

/** The outcome of reading one JSON-with-comments file. */
export type JsoncResult = { ok: true; value: unknown } | { ok: false; problems: ConfigProblem[] };

/**
 * Parses JSON with comments and trailing commas. Every syntax error becomes a problem carrying its
 * line and column (1-based). An empty file is an empty object, so a freshly created file is valid.
 */
export function parseJsonc(text: string, source: string): JsoncResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: true, value: {} };
  const errors: ParseError[] = [];
  const value: unknown = parse(body, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length === 0) return { ok: true, value };
  const problems = errors.map((error) => {
    const { line, column } = positionOf(body, error.offset);
    return {
      source,
      path: '',
      message: `syntax error at line ${line}, column ${column}: ${describeParseError(printParseErrorCode(error.error))}`,
      fix: 'Fix the JSON syntax there (comments and trailing commas are allowed).',
    };
  });
  return { ok: false, problems };
}

/** Reads and parses a file; a file that cannot be read is a problem too. */
export async function readJsoncFile(path: string, source: string): Promise<JsoncResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return {
      ok: false,
      problems: [
        {
          source,
          path: '',
          message: code === 'ENOENT' ? `file not found (${path})` : `cannot read ${path} (${code})`,
          fix: code === 'ENOENT' ? 'Check the path, or leave it out to use the defaults.' : 'Check the file permissions.',
        },
      ],
    };
  }
  return parseJsonc(text, source);
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    if (text.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const PARSE_ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected content after the end',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

function describeParseError(code: string): string {
  return PARSE_ERROR_TEXT[code] ?? code;
}
