import { describe, expect, it } from 'vitest';
import { findDataUriProblem } from './find-data-uri-problem.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
const uri = (type: string, bytes: Buffer): string => `data:${type};base64,${bytes.toString('base64')}`;

describe('findDataUriProblem', () => {
  it.each([
    ['a PNG declared as image/png', uri('image/png', PNG)],
    ['a JPEG declared as image/jpg', uri('image/jpg', JPEG)],
    ['URL-safe base64 without padding', `data:image/png;base64,${PNG.toString('base64url')}`],
    ['MIME line breaks', `data:image/png;base64,${PNG.toString('base64').replace(/(.{8})/g, '$1\r\n')}`],
    ['UTF-8 text', uri('text/plain', Buffer.from('héllo ✓'))],
    ['Latin-1 text that says so', uri('text/plain;charset=iso-8859-1', Buffer.from('h\xe9llo', 'latin1'))],
    ['a type that is not sniffed', uri('audio/mpeg', Buffer.from('ID3\x04'))],
    ['an unknown type', uri('application/octet-stream', Buffer.from([0, 1, 2]))],
    ['percent-encoded text', 'data:,hello%20world'],
    ['percent-encoded SVG', `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg"/>')}`],
  ])('accepts %s', (_name, url) => {
    expect(findDataUriProblem(url)).toBeUndefined();
  });

  it.each([
    ['a malformed header', 'data:nonsense', 'malformed data: URI; expected data:<type>;base64,<data>'],
    ['junk in the base64', 'data:image/png;base64,iVBOR w0KGgo=', 'the base64 data contains (U+0020) at offset 5, which is not a base64 character'],
    ['an impossible length', 'data:image/png;base64,iVBORw0KG', 'the base64 data is 9 characters long, a length no base64 encoding has (one character too many or too few)'],
    ['an empty payload', 'data:image/png;base64,', "the data is empty (0 bytes); send the file's content"],
    ['padding only', 'data:application/pdf;base64,==', "the base64 data has 2 '=' padding characters where 0 belong"],
    ['an empty percent-encoded payload', 'data:text/plain,', "the data is empty (0 bytes); send the file's content"],
    ['a JPEG declared as PNG', uri('image/png', JPEG), 'the data is declared as image/png, but its bytes are not image/png (they look like image/jpeg: declare that type)'],
    ['text declared as GIF', uri('image/gif', Buffer.from('hello world')), "the data is declared as image/gif, but its bytes are not image/gif (send the file's real type)"],
    ['a PNG declared as PDF', uri('application/pdf', PNG), 'the data is declared as application/pdf, but its bytes are not application/pdf (they look like image/png: declare that type)'],
    ['Latin-1 bytes declared as UTF-8 text', uri('text/csv', Buffer.from('a;\xe9', 'latin1')), 'the data is declared as text/csv, but it is not valid UTF-8 text; declare its charset (e.g. data:text/csv;charset=iso-8859-1;base64,…) or send it as application/octet-stream'],
    ['a PNG declared as JSON', uri('application/json', PNG), expect.stringContaining('declared as application/json, but it is not valid UTF-8 text')],
    ['a bad percent-escape', 'data:text/plain,100%', 'the percent-encoded data does not decode to UTF-8 text; send binary files base64-encoded (data:<type>;base64,…)'],
    ['percent-encoded binary', 'data:image/png,%89PNG%0D%0A%1A%0A', expect.stringContaining('the percent-encoded data does not decode to UTF-8 text')],
  ])('refuses %s', (_name, url, problem) => {
    expect(findDataUriProblem(url)).toEqual(problem);
  });
});
