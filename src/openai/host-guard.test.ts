import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bindAddressOf, createHostGuard, isAllowedHost, parseHostPattern, type HostPolicy } from './host-guard.js';

const loopbackOnly: HostPolicy = { port: 5102, bindAddress: '127.0.0.1', allowedHosts: [] };

function policy(allowedHosts: string[], overrides: Partial<HostPolicy> = {}): HostPolicy {
  return { ...loopbackOnly, allowedHosts: allowedHosts.map(parseHostPattern), ...overrides };
}

describe('isAllowedHost', () => {
  it('accepts loopback names and addresses with the listening port', () => {
    for (const host of ['127.0.0.1:5102', 'localhost:5102', '[::1]:5102', '127.8.9.10:5102', 'LOCALHOST:5102', 'localhost.:5102', '127.0.0.1.:5102', '[0:0:0:0:0:0:0:1]:5102', '127.1:5102']) {
      expect(isAllowedHost(host, loopbackOnly), host).toBe(true);
    }
  });

  it('refuses loopback names with another port, or none (port 80)', () => {
    for (const host of ['127.0.0.1:5103', 'localhost', '127.0.0.1', '[::1]', 'localhost:80']) {
      expect(isAllowedHost(host, loopbackOnly), host).toBe(false);
    }
    expect(isAllowedHost('localhost', { ...loopbackOnly, port: 80 })).toBe(true);
  });

  it('refuses other names, a missing Host and malformed values', () => {
    for (const host of [undefined, '', 'evil.example', 'evil.example:5102', '128.0.0.1:5102', 'localhost.evil.example:5102', '127.0.0.1.evil.example:5102',
      'evil.example@127.0.0.1:5102', '127.0.0.1:5102/x', '127.0.0.1:99999', 'localhost:5102 ', ' localhost:5102', '[::2]:5102', 'localhost..:5102', '[::1]']) {
      expect(isAllowedHost(host, loopbackOnly), String(host)).toBe(false);
    }
  });

  it('accepts the bind address with the listening port only', () => {
    const bound = policy([], { bindAddress: '192.168.1.20' });
    expect(isAllowedHost('192.168.1.20:5102', bound)).toBe(true);
    expect(isAllowedHost('192.168.1.20:8080', bound)).toBe(false);
    expect(isAllowedHost('192.168.1.21:5102', bound)).toBe(false);
  });

  it('matches allowed_hosts entries: any port without one, that port with one, subdomains with *.', () => {
    const allowed = policy(['bridge.example.com', 'lan-box:8080', '*.example.org', '[fd00::1]:5102', 'Upper.Example.NET.']);
    const cases: Array<[string, boolean]> = [
      ['bridge.example.com', true],
      ['bridge.example.com:443', true],
      ['BRIDGE.example.com.:8443', true],
      ['other.example.com', false],
      ['lan-box:8080', true],
      ['lan-box', false],
      ['lan-box:5102', false],
      ['a.example.org', true],
      ['a.b.example.org:1234', true],
      ['example.org', false],
      ['badexample.org', false],
      ['[fd00::1]:5102', true],
      ['[fd00:0::1]:5102', true],
      ['[fd00::1]:5103', false],
      ['upper.example.net:1', true],
    ];
    for (const [host, expected] of cases) expect(isAllowedHost(host, allowed), host).toBe(expected);
  });

  it('refuses loopback when the listening port is unknown', () => {
    expect(isAllowedHost('127.0.0.1:5102', { port: undefined, bindAddress: undefined, allowedHosts: [] })).toBe(false);
  });
});

describe('parseHostPattern', () => {
  it('parses names, ports, wildcards and bracketed IPv6', () => {
    expect(parseHostPattern('Bridge.Example.com:8080')).toEqual({ name: 'bridge.example.com', subdomains: false, port: 8080 });
    expect(parseHostPattern('*.example.com')).toEqual({ name: 'example.com', subdomains: true, port: undefined });
    expect(parseHostPattern('[FD00::1]')).toEqual({ name: '[fd00::1]', subdomains: false, port: undefined });
  });

  it('throws, naming the entry, for what is not a host', () => {
    for (const entry of ['http://x', 'x:99999', '', 'a b', 'user@host']) {
      expect(() => parseHostPattern(entry), entry).toThrow(`allowed_hosts entry "${entry}"`);
    }
  });
});

describe('bindAddressOf', () => {
  const info = (address: string, family: string): AddressInfo => ({ address, family, port: 5102 });
  it('keeps a specific address and drops wildcards', () => {
    expect(bindAddressOf(info('192.168.1.20', 'IPv4'))).toBe('192.168.1.20');
    expect(bindAddressOf(info('fd00::1', 'IPv6'))).toBe('[fd00::1]');
    expect(bindAddressOf(info('0.0.0.0', 'IPv4'))).toBeUndefined();
    expect(bindAddressOf(info('::', 'IPv6'))).toBeUndefined();
    expect(bindAddressOf(null)).toBeUndefined();
    expect(bindAddressOf('/tmp/bridge.sock')).toBeUndefined();
  });
});

describe('createHostGuard', () => {
  it('reads the listening address on every check, and trusts no address of a wildcard bind', () => {
    let address: AddressInfo | null = null;
    const guard = createHostGuard({ allowedHosts: ['bridge.example.com'], listening: () => address });
    expect(guard.refusalFor('127.0.0.1:5102')).toBeDefined();
    address = { address: '0.0.0.0', family: 'IPv4', port: 5102 };
    expect(guard.refusalFor('127.0.0.1:5102')).toBeUndefined();
    expect(guard.refusalFor('192.168.1.20:5102')).toBeDefined();
    expect(guard.refusalFor('bridge.example.com')).toBeUndefined();
  });

  it('refuses with 421 host_not_allowed, naming the Host and how to allow it', () => {
    const guard = createHostGuard({ allowedHosts: [], listening: () => ({ address: '127.0.0.1', family: 'IPv4', port: 5102 }) });
    const refusal = guard.refusalFor('evil.example');
    expect(refusal).toMatchObject({ status: 421, code: 'host_not_allowed', type: 'invalid_request_error', headers: { connection: 'close' } });
    expect(refusal?.message).toContain('"evil.example"');
    expect(refusal?.message).toContain('allowed_hosts');
    expect(refusal?.message).toContain('http://127.0.0.1:5102');
    expect(guard.refusalFor(undefined)?.message).toContain('no Host header');
  });

  it('fails at once for a bad allowed_hosts entry', () => {
    expect(() => createHostGuard({ allowedHosts: ['ok.example', 'bad:70000'], listening: () => null })).toThrow('"bad:70000"');
  });
});
