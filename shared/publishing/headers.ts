import { extname } from 'node:path/posix';

/**
 * How a published file is served: its media type and how long it may be cached. One definition for the local
 * static server (local/static-site.ts) and the publisher that writes the site bucket (shared/publishing/), so a
 * file is served the same way by `npm start` and by CloudFront.
 */

/** Media types by extension; anything else is served as octets. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.webmanifest': 'application/manifest+json',
  '.pdf': 'application/pdf',
  '.pf_meta': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

const OCTETS = 'application/octet-stream';
const TEXT = 'text/plain; charset=utf-8';

/** The log's checkpoint, its verifier key and the proofs are text (c2sp tlog-tiles); tiles are octets. */
export function logContentType(path: string): string | undefined {
  if (/(?:^|\/)log\/(?:checkpoint|key)$|\.tlog-proof$/.test(path)) return TEXT;
  if (isLogTile(path)) return OCTETS;
  return undefined;
}

/** The media type of a site path (`don-vi/00304/index.html`, `log/checkpoint`). */
export function contentTypeOf(path: string): string {
  return logContentType(path) ?? CONTENT_TYPES[extname(path).toLowerCase()] ?? OCTETS;
}

/** A hash tile or entry bundle of the transparency log (`log/tile/…`), full or partial. */
export function isLogTile(path: string): boolean {
  return /(?:^|\/)log\/tile\//.test(path);
}

/** The log's checkpoint: the one mutable file a verifier polls. */
export function isLogCheckpoint(path: string): boolean {
  return /(?:^|\/)log\/checkpoint$/.test(path);
}

/** Cached for good: a tile never changes once written (c2sp tlog-tiles; a new width is a new path). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The checkpoint is short-lived, so verifiers see the log grow within seconds. */
export const CHECKPOINT_CACHE = 'public, max-age=5, must-revalidate';

export interface ObjectHeaders {
  readonly contentType: string;
  /** Absent: the CDN's default policy (the distribution's cache policy, invalidated on change). */
  readonly cacheControl?: string;
}

/** How the publisher writes a site path to the bucket: the same rules the site build's sync always applied. */
export function objectHeaders(path: string): ObjectHeaders {
  const contentType = contentTypeOf(path);
  if (isLogTile(path)) return { contentType, cacheControl: IMMUTABLE };
  if (isLogCheckpoint(path)) return { contentType, cacheControl: CHECKPOINT_CACHE };
  return { contentType };
}
