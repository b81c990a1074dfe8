import { describe, expect, it } from 'vitest';
import { checkBase64 } from './check-base64.js';

const problemOf = (payload: string): string | undefined => {
  const checked = checkBase64(payload);
  return checked.valid ? undefined : checked.problem;
};

describe('checkBase64', () => {
  it.each([
    ['aGVsbG8=', 5, 'aGVsbG8'],
    ['aGVsbG8', 5, 'aGVsbG8'],
    ['aGk=', 2, 'aGk'],
    ['aGk', 2, 'aGk'],
    ['YQ==', 1, 'YQ'],
    ['YQ', 1, 'YQ'],
    ['', 0, ''],
    ['+/+/', 3, '+/+/'],
    ['-_-_', 3, '-_-_'],
    ['aGVs\r\nbG8=', 5, 'aGVsbG8'],
    ['aGVs\nbG8=\n', 5, 'aGVsbG8'],
  ])('accepts %j as %i bytes', (payload, byteLength, text) => {
    expect(checkBase64(payload)).toEqual({ valid: true, byteLength, text });
    expect(Buffer.from(text, 'base64').length).toBe(byteLength);
  });

  it.each([
    ['aGk*', "contains '*' (U+002A) at offset 3, which is not a base64 character"],
    ['aG k=', 'contains (U+0020) at offset 2, which is not a base64 character'],
    ['aGk\t', 'contains (U+0009) at offset 3, which is not a base64 character'],
    ['aGé=', "contains 'é' (U+00E9) at offset 2, which is not a base64 character"],
    ['aG=k', "has '=' padding at offset 2, before its end"],
    ['YQ===', "ends with 3 '=' padding characters; base64 has at most 2"],
    ['YQ=', "has 1 '=' padding character where 2 belong"],
    ['aGk==', "has 2 '=' padding characters where 1 belong"],
    ['aGVs=', "has 1 '=' padding character where 0 belong"],
    ['aGVsb', 'is 5 characters long, a length no base64 encoding has (one character too many or too few)'],
    ['a+b_', "mixes the standard ('+', '/') and the URL-safe ('-', '_') base64 alphabets"],
  ])('refuses %j', (payload, problem) => {
    expect(problemOf(payload)).toBe(problem);
  });

  it('checks a large payload without decoding it', () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
    expect(checkBase64(payload)).toMatchObject({ valid: true, byteLength: 3 * 1024 * 1024 });
    expect(problemOf(`${payload.slice(0, 1000)}!${payload.slice(1001)}`)).toBe("contains '!' (U+0021) at offset 1000, which is not a base64 character");
  });
});
