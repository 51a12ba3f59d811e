import { isIP } from 'node:net';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isPrivateAddress(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  const version = isIP(host);
  if (version === 4) {
    const [a, b] = host.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (version === 6) {
    if (host === '::' || host === '::1' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host)) return true;
    // An IPv4-mapped address, which URL normalises to hex (::ffff:10.0.0.1 → ::ffff:a00:1).
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (!mapped) return false;
    const [hi, lo] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
    return isPrivateAddress([hi >> 8, hi & 255, lo >> 8, lo & 255].join('.'));
  }
  return false;
}

/**
 * Why a URL cannot be a webhook endpoint, or `undefined` when it can. HTTPS only; plain HTTP to the local
 * machine is allowed outside production, for local development and tests. In production the host may not be
 * a loopback, private or link-local address written literally (a name that resolves to one is not caught
 * here: that check belongs at connection time, in front of the HTTP channel).
 */
export function webhookUrlIssue(raw: string, env: 'development' | 'production' | 'test'): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute https URL';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  if (url.protocol === 'http:') {
    return env !== 'production' && LOOPBACK_HOSTS.has(url.hostname) ? undefined : 'must use https (http is allowed only to localhost outside production)';
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (env === 'production' && isPrivateAddress(url.hostname)) return 'must be a publicly reachable host';
  return undefined;
}
