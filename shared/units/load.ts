import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { type BuildRegistryOptions, buildRegistry } from './build-registry.js';
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
 * File access for the registry (node:fs). The committed registry sits next to this module; the reference data
 * is `../shared/data` beside the repository (the repository is always cloned with `shared/` next to it).
 */

/** The committed registry file. */
export const DEFAULT_REGISTRY_FILE = fileURLToPath(new URL('./data/registry.json', import.meta.url));

/** The reference data folder: `../shared/data` from the repository root. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** Reads the committed (or another) registry file. */
export function loadRegistryFile(path: string = DEFAULT_REGISTRY_FILE): UnitRegistry {
  const file = readJson(path, RegistryFileSchema);
  if (file.count !== file.units.length) {
    throw new UnitDataError(`${path}: says ${file.count} units but holds ${file.units.length}`);
  }
  return new UnitRegistry(file.units);
}

/** Reads and checks the two reference files. */
export function readUnitSources(dataDir: string = DEFAULT_DATA_DIR): { old: OldUnitsFile; next: NewUnitsFile } {
  return {
    old: readJson(join(dataDir, SOURCE_FILES.old), OldUnitsFileSchema),
    next: readJson(join(dataDir, SOURCE_FILES.next), NewUnitsFileSchema),
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

function readJson<T extends z.ZodType>(path: string, schema: T): z.infer<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
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
