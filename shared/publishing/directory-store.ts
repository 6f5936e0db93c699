import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Digests } from './plan.js';
import type { CacheInvalidator, ObjectStore, SiteFiles } from './ports.js';

/**
 * The publisher's file-system side: the digests of a built site, the manifest of the last publication, the
 * built site read by path, and a directory standing in for the bucket (locally and in tests). The S3 and
 * CloudFront adapters are shared/storage/site-bucket-store.ts and cloudfront-invalidator.ts.
 */

/** The digest of a file's bytes as the plan compares them (MD5 hex: S3's ETag of a one-part upload). */
export function digestOf(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Every file under `root` with its digest, by site path (`/`-separated); writers' `.tmp` files are left out. */
export function digestTree(root: string): Map<string, string> {
  const digests = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && !entry.name.endsWith('.tmp')) {
        digests.set(relative(root, file).split(sep).join('/'), digestOf(readFileSync(file)));
      }
    }
  };
  if (existsSync(root)) walk(root);
  return digests;
}

/** The built site under `root`, read by site path. */
export function directoryFiles(root: string): SiteFiles {
  return { read: async (path) => new Uint8Array(await readFile(join(root, path))) };
}

/**
 * The digests of the last publication (`published.json`), kept with the build's cache so the next publication
 * compares against it without listing the bucket. Undefined when there is none (or it cannot be read): then
 * the bucket is listed.
 */
export function readManifest(file: string): Digests | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { files?: Record<string, string> };
    return parsed.files ? new Map(Object.entries(parsed.files)) : undefined;
  } catch {
    return undefined;
  }
}

/** Records what was published (renamed into place: a failed write leaves the last manifest whole). */
export function writeManifest(file: string, digests: Digests): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ files: Object.fromEntries([...digests].sort()) }));
  renameSync(temporary, file);
}

/**
 * A directory as the bucket: objects are files under `root` (their headers are not stored: the local static server
 * derives them from the path with the same rules, shared/publishing/headers.ts).
 */
export function directoryStore(root: string): ObjectStore {
  return {
    async list(prefix = '') {
      return new Map([...digestTree(root)].filter(([path]) => path.startsWith(prefix)));
    },
    async read(path) {
      return new Uint8Array(await readFile(join(root, path)));
    },
    async put(path, bytes) {
      const target = join(root, path);
      mkdirSync(dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.tmp`;
      writeFileSync(temporary, bytes);
      renameSync(temporary, target);
    },
    async delete(paths) {
      for (const path of paths) {
        rmSync(join(root, path), { force: true });
        // Empty folders go too, as a bucket has no folders of its own.
        for (let dir = dirname(join(root, path)); dir.startsWith(`${root}${sep}`); dir = dirname(dir)) {
          if (readdirSync(dir).length > 0) break;
          rmdirSync(dir);
        }
      }
    },
  };
}

/** A cache that keeps the invalidations it is asked for (no CDN in front of a directory). */
export function recordingInvalidator(): CacheInvalidator & { readonly requests: (readonly string[])[] } {
  const requests: (readonly string[])[] = [];
  return {
    requests,
    async invalidate(paths) {
      requests.push([...paths]);
    },
  };
}
