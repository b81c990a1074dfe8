/**
 * Why the arena's servers could not fetch from `url` (loopback, private or link-local address,
 * single-label or `.local`/`.internal` host), or undefined when it looks public.
 *
 * @example describeNonPublicUrl('http://127.0.0.1:5102') // 'it points at this machine (127.0.0.1)'
 */
export function describeNonPublicUrl(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return 'it is not a valid URL';
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || host === '::' || /^127\./.test(host)) {
    return `it points at this machine (${host})`;
  }
  const octets = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (octets !== null) {
    const first = Number(octets[1]);
    const second = Number(octets[2]);
    const isPrivate = first === 10 || (first === 172 && second >= 16 && second <= 31) || (first === 192 && second === 168)
      || (first === 169 && second === 254) || (first === 100 && second >= 64 && second <= 127);
    return isPrivate ? `${host} is a private network address` : undefined;
  }
  if (host.includes(':')) return /^(fc|fd|fe8|fe9|fea|feb)/.test(host) ? `${host} is a private network address` : undefined;
  if (!host.includes('.') || host.endsWith('.local') || host.endsWith('.internal') || host.endsWith('.lan')) {
    return `${host} is a local network name`;
  }
  return undefined;
}
