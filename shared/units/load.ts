import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type * as z from '../zod.js';
import { type BuildRegistryOptions, buildRegistry } from './build-registry.js';
import { BUNDLED_REGISTRY_FILE } from './bundled.js';
import { UnitDataError } from './errors.js';
import { UnitRegistry } from './registry.js';
import { RegistryFileSchema } from './registry-file.js';
import {
  type NewUnitsFile,
  NewUnitsFileSchema,
  type OldUnitsFile,
  OldUnitsFileSchema,
  SOURCE_FILES,
} from './source.js';
import type { Unit } from './types.js';

/**
 * File access for the registry (node:fs). Both the registry and the reference data it is built from are
 * committed next to this module (`data/`), so a clone needs nothing beside it: the two reference lists are kept
 * byte for byte as published, gzip-compressed (`data/sources/`, provenance and licences in its README).
 */

/** The committed registry file: the whole country, gzip-compressed (`npm run units:import` writes it). */
export const DEFAULT_REGISTRY_FILE = BUNDLED_REGISTRY_FILE;

/** The committed reference data folder (the two lists, `<name>.json.gz`). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('./data/sources/', import.meta.url));

/** Reads the committed (or another) registry file. */
export function loadRegistryFile(path: string = DEFAULT_REGISTRY_FILE): UnitRegistry {
  const file = readJson(path, RegistryFileSchema);
  if (file.count !== file.units.length) {
    throw new UnitDataError(`${path}: says ${file.count} units but holds ${file.units.length}`);
  }
  return new UnitRegistry(file.units);
}

/**
 * The registry a process is configured with: `UNITS_FILE` (another registry file), else `UNITS_PROVINCES`
 * (`01,22`: those provinces in full plus every province, built from the committed reference lists; for a small
 * local stack), else the committed national registry. The local stack, the CLI and the export read the same one.
 */
export function loadConfiguredRegistry(env: NodeJS.ProcessEnv = process.env): UnitRegistry {
  if (env.UNITS_FILE) return loadRegistryFile(env.UNITS_FILE);
  const provinces = env.UNITS_PROVINCES?.split(',')
    .map((code) => code.trim())
    .filter((code) => code !== '');
  if (provinces && provinces.length > 0)
    return new UnitRegistry(buildUnitsFromSources(DEFAULT_DATA_DIR, { provinces }));
  return loadRegistryFile();
}

/** Reads and checks the two reference files. */
export function readUnitSources(dataDir: string = DEFAULT_DATA_DIR): { old: OldUnitsFile; next: NewUnitsFile } {
  return {
    old: readJson(sourcePath(dataDir, SOURCE_FILES.old), OldUnitsFileSchema),
    next: readJson(sourcePath(dataDir, SOURCE_FILES.next), NewUnitsFileSchema),
  };
}

/** Builds the units from the reference data (all of them, or some provinces). */
export function buildUnitsFromSources(dataDir: string = DEFAULT_DATA_DIR, options: BuildRegistryOptions = {}): Unit[] {
  const { old, next } = readUnitSources(dataDir);
  return buildRegistry(old, next, options);
}

/** The whole country's registry (every province, district and commune of both lists), for scale tests. */
export function buildNationalRegistry(dataDir: string = DEFAULT_DATA_DIR): UnitRegistry {
  return new UnitRegistry(buildUnitsFromSources(dataDir));
}

/** A reference file in a folder: as published (`name.json`) or compressed as committed (`name.json.gz`). */
function sourcePath(dataDir: string, name: string): string {
  const plain = join(dataDir, name);
  return !existsSync(plain) && existsSync(`${plain}.gz`) ? `${plain}.gz` : plain;
}

function readJson<T extends z.ZodMiniType>(path: string, schema: T): z.infer<T> {
  let text: string;
  try {
    const bytes = readFileSync(path);
    text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new UnitDataError(`cannot read ${path}: ${reason}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UnitDataError(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new UnitDataError(`${path}: ${where}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  return parsed.data;
}
