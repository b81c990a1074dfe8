import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFlightText, joinFlightEntries } from './flight-data.js';
import { parseFlightUser } from './flight-user.js';

const fixture = (name: string): string => readFileSync(new URL(`../arena/__fixtures__/${name}`, import.meta.url), 'utf8');

describe('parseFlightUser', () => {
  it('reads the signed-in user from a page', () => {
    expect(parseFlightUser(decodeFlightText(fixture('text-direct.html')))).toEqual({
      id: '5b0f7c2e-1d3a-4e5f-8a9b-0c1d2e3f4a5b',
      email: 'ada@example.invalid',
      touConsentTimestamp: '2026-03-01T10:00:00.000Z',
    });
  });

  it('finds the user object across the entries of a live page', () => {
    const flight = [[0], [1, '5:["$","$L6",null,{"initialModels":[],"us'], [1, 'er":{"id":"u-1","email":"a@b.c","meta":{"x":"}{"}}}]\n'], [2, 'ignored'], 'junk'];
    const text = joinFlightEntries(flight);
    expect(text).toContain('"user":{"id":"u-1"');
    expect(parseFlightUser(text)).toEqual({ id: 'u-1', email: 'a@b.c', touConsentTimestamp: null });
  });

  it('returns undefined when the user is $undefined or absent', () => {
    expect(parseFlightUser(decodeFlightText(fixture('anonymous-undefined.html')))).toBeUndefined();
    expect(parseFlightUser(decodeFlightText('<html></html>'))).toBeUndefined();
    expect(parseFlightUser('')).toBeUndefined();
  });

  it('skips user values that are not objects with an id or email', () => {
    expect(parseFlightUser('{"user":"$undefined","x":{"user":{"name":"n"}},"y":{"user":{"id":"","email":""}}}')).toBeUndefined();
    expect(parseFlightUser('{"user":{"id":"$undefined","email":"$undefined"}}')).toBeUndefined();
    expect(parseFlightUser('{"user":null,"later":{"user":{"id":"u2"}}}')).toEqual({ id: 'u2', email: null, touConsentTimestamp: null });
    expect(parseFlightUser('{"user":{"id":"cut')).toBeUndefined();
  });

  it('reads missing, empty and $undefined fields as null', () => {
    expect(parseFlightUser('4:{"user":{"id":"u1","email":"$undefined"}}')).toEqual({ id: 'u1', email: null, touConsentTimestamp: null });
    expect(parseFlightUser('{"user":{"id":"anon-1","email":null}}')).toEqual({ id: 'anon-1', email: null, touConsentTimestamp: null });
    expect(parseFlightUser('{"user":{"id":7,"email":"a@b.c","touConsentTimestamp":""}}')).toEqual({ id: null, email: 'a@b.c', touConsentTimestamp: null });
  });
});
