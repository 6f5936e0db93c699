import { createHmac } from 'node:crypto';
import { isIPv6 } from 'node:net';

/**
 * Keyed hashes: how the service recognises a dossier already rated, and a client that posts too often, without
 * storing either. HMAC-SHA256 with a secret that lives outside the repository, so the hash of a short, guessable
 * value (a dossier code, an IPv4 address) cannot be reversed by trying every value. Each use has its own label,
 * so the same secret never gives the same hash for two purposes.
 */

/** Shortest secret accepted: 32 bytes of randomness written as base64url is 43 characters. */
export const MIN_SECRET_LENGTH = 32;

/** Refuses a missing or short secret: a weak key would make the hashes guessable. */
export function assertStrongSecret(secret: string, name: string): void {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`${name} must be at least ${MIN_SECRET_LENGTH} characters of random data`);
  }
}

function hmac(secret: string, label: string, value: string): string {
  return createHmac('sha256', secret).update(`${label}\u0000${value}`, 'utf8').digest('base64url');
}

/** The stored form of a dossier code (already normalized by the schema). */
export function dossierHash(secret: string, normalizedCode: string): string {
  return hmac(secret, 'dossier/v1', normalizedCode);
}

/**
 * The rate-limit bucket of a client in one time window. The window is part of the hashed value, so buckets of
 * different windows cannot be linked to each other, and a bucket says nothing once its window is over.
 */
export function clientBucket(secret: string, clientAddress: string, windowStart: number): string {
  return hmac(secret, 'rate/v1', `${windowStart}\u0000${clientPrefix(clientAddress)}`);
}

/**
 * A second key derived from the dossier secret for rate limiting, when no separate salt is configured: one
 * secret to manage in AWS, two unrelated keys in use.
 */
export function deriveKey(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(`derive/v1\u0000${purpose}`, 'utf8').digest('base64url');
}

/**
 * What identifies a client for rate limiting: an IPv4 address as is; an IPv6 address by its /64 prefix,
 * because one subscriber usually holds a whole /64 and could otherwise rotate addresses freely.
 */
export function clientPrefix(address: string): string {
  const trimmed = address.trim().toLowerCase();
  if (trimmed.startsWith('::ffff:') && !isIPv6(trimmed.slice(7))) return trimmed.slice(7);
  if (!isIPv6(trimmed)) return trimmed;
  return `${expandIPv6(trimmed).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, each as 4 hex digits. */
function expandIPv6(address: string): string[] {
  const withoutZone = address.split('%')[0] ?? address;
  const [head = '', tail] = withoutZone.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups; only the first four groups matter here.
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return groups.map((group) => group.padStart(4, '0'));
}
