import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether an IP address is an ordinary public unicast one: not loopback, private, link-local, carrier-grade
 * NAT, unique-local, multicast, reserved or unspecified (ipaddr.js's ranges; an IPv4-mapped IPv6 address is
 * judged as the IPv4 address it carries).
 */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  return isIP(host) !== 0 && !isPublicAddress(host);
}

/**
 * Why a URL cannot be a webhook endpoint, or `undefined` when it can. HTTPS only; plain HTTP to the local
 * machine is allowed outside production, for local development and tests. In production the host may not be
 * a loopback, private or link-local address written literally. A name that resolves to one is refused at
 * connection time, by the HTTP channel (`HttpWebhookChannel`), which checks the address it actually connects to.
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
  if (env === 'production' && isPrivateHost(url.hostname)) return 'must be a publicly reachable host';
  return undefined;
}
