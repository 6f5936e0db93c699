import { isAbsolute } from 'node:path';
import { SiteConfigError } from './errors.js';

/**
 * The site's build-time configuration, from the environment the build script sets. Read at render time
 * (not import time) so one process can build twice with different data, as the tests do.
 */

export const DEFAULT_SITE_ORIGIN = 'http://127.0.0.1:8080';

/** The public origin (`https://example.vn`, no trailing slash): canonical links, feeds, QR codes. */
export function siteOrigin(env: NodeJS.ProcessEnv = process.env): string {
  const origin = (env.SITE_ORIGIN ?? DEFAULT_SITE_ORIGIN).replace(/\/+$/, '');
  try {
    const url = new URL(origin);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    throw new SiteConfigError(`SITE_ORIGIN is not an http(s) origin: ${origin}`);
  }
  return origin;
}

/** The directory of the open-data files (absolute). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.SITE_DATA_DIR;
  if (!dir) throw new SiteConfigError('SITE_DATA_DIR is not set: the site needs the open-data files');
  if (!isAbsolute(dir)) throw new SiteConfigError(`SITE_DATA_DIR must be an absolute path: ${dir}`);
  return dir;
}

/** An absolute URL on the site. */
export function absoluteUrl(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${siteOrigin(env)}${path}`;
}
