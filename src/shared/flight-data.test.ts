import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFlightText, joinFlightEntries, readJsonValue } from './flight-data.js';

const signedIn = readFileSync(new URL('../arena/__fixtures__/text-direct.html', import.meta.url), 'utf8');

describe('decodeFlightText / readJsonValue', () => {
  it('joins the push strings so a value split across two pushes reads whole', () => {
    const text = decodeFlightText(signedIn);
    expect(signedIn).not.toContain('"publicName":"sonar-reasoning-pro"');
    expect(text).toContain('"publicName":"sonar-reasoning-pro"');
    expect(text).toContain('2:I[12345,');
  });

  it('reads one value with brackets inside strings and escaped quotes', () => {
    const text = 'x {"a":"]}\\"{[","b":[1,{"c":"}"}]} trailing';
    expect(readJsonValue(text, 1)).toEqual({ value: { a: ']}"{[', b: [1, { c: '}' }] }, end: text.indexOf(' trailing') });
    expect(readJsonValue(' 42,', 0)?.value).toBe(42);
    expect(readJsonValue(' null}', 0)?.value).toBeNull();
    expect(readJsonValue('{"unclosed":[1,2', 0)).toBeUndefined();
  });

  it('skips push calls that are not type-1 strings or not valid literals', () => {
    const html = '<script>self.__next_f.push([0])</script><script>self.__next_f.push([1,"a\\u0041"])</script><script>self.__next_f.push([1, "b"])</script><script>self.__next_f.push([3,"c"])</script>';
    expect(decodeFlightText(html)).toBe('aAb');
  });
});

describe('joinFlightEntries', () => {
  it('joins the text entries of self.__next_f in order and skips the others', () => {
    expect(joinFlightEntries([[0], [1, 'a'], [2, 'ignored'], 'junk', [1, 'b'], [1, 3]])).toBe('ab');
    expect(joinFlightEntries([])).toBe('');
  });
});
