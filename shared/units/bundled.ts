import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Unit } from './types.js';

/**
 * The committed registry file (`data/registry.json.gz`, next to this module). A Lambda that resolves units ships it
 * next to its bundle at the same relative path (infra/constructs/handler-function.ts, `unitRegistry`), so this one
 * URL finds it both in the sources and in a bundle; it is a file read on first use, never part of the bundle's code.
 */
export const BUNDLED_REGISTRY_FILE = fileURLToPath(new URL('./data/registry.json.gz', import.meta.url));

/**
 * The units of a registry file as written, not validated: only for a caller that trusts them once a digest shows
 * they equal units that were validated when stored (DynamoUnitLookup's `bundled`). Undefined when there is no file.
 */
export async function readRegistryUnits(path: string = BUNDLED_REGISTRY_FILE): Promise<readonly Unit[] | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const text = (path.endsWith('.gz') ? await promisify(gunzip)(bytes) : bytes).toString('utf8');
  const file = JSON.parse(text) as { units?: unknown };
  if (!Array.isArray(file.units)) throw new Error(`${path}: no units`);
  return file.units as Unit[];
}
