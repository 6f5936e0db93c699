/**
 * `npm run units:import -- [--all | --provinces 01,22] [--out file] [--data dir]`
 *
 * Rebuilds the unit registry from the reference data (by default the committed copies in
 * `shared/units/data/sources/`) and writes it, by default to the committed file `shared/units/data/registry.json.gz`
 * with the whole country (`--provinces` keeps some provinces in full plus every province, for small fixtures).
 * An output path ending in `.gz` is written gzip-compressed. Prints what it wrote. Problems with the input are
 * printed as one line, without a stack.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildRegistry } from '../shared/units/build-registry.js';
import { UnitDataError } from '../shared/units/errors.js';
import { DEFAULT_DATA_DIR, DEFAULT_REGISTRY_FILE, readUnitSources } from '../shared/units/load.js';
import { UnitRegistry } from '../shared/units/registry.js';
import { serializeRegistryFile } from '../shared/units/registry-file.js';
import { REORGANISATION_DATE, type Unit } from '../shared/units/types.js';
import { commandArguments } from './lib/command.js';
import { UsageError } from './lib/usage.js';

const USAGE = 'usage: npm run units:import -- [--all | --provinces 01,22] [--out file] [--data dir]';

function main(argv: readonly string[]): void {
  const options = parseOptions(argv);
  if (!options) return;
  const { old, next } = readUnitSources(options.dataDir);
  const warnings: string[] = [];
  const units = buildRegistry(old, next, {
    ...(options.provinces ? { provinces: options.provinces } : {}),
    onWarning: (message) => warnings.push(message),
  });
  // Constructing the registry checks that the result is closed and acyclic before anything is written.
  new UnitRegistry(units);
  const temporary = `${options.out}.${process.pid}.tmp`;
  const text = serializeRegistryFile(units, options.provinces);
  // Fixed gzip settings (no name, no time in the header): the same units always give the same bytes.
  writeFileSync(temporary, options.out.endsWith('.gz') ? gzipSync(text, { level: 9 }) : text);
  renameSync(temporary, options.out);
  for (const warning of warnings) console.warn(`warning: ${warning}`);
  console.log(summary(units, options.provinces, relative(process.cwd(), options.out) || options.out));
}

/** The options, or undefined when `--help` printed the usage. */
function parseOptions(
  argv: readonly string[],
): { provinces: string[] | null; out: string; dataDir: string } | undefined {
  const values = commandArguments(
    USAGE,
    () =>
      parseArgs({
        args: [...argv],
        options: {
          all: { type: 'boolean' },
          provinces: { type: 'string' },
          out: { type: 'string' },
          data: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
        allowPositionals: false,
      }).values,
  );
  if (!values) return undefined;
  if (values.all && values.provinces !== undefined)
    throw new UsageError('give either --all or --provinces, not both', USAGE);
  const provinces = values.all
    ? null
    : (values.provinces
        ?.split(',')
        .map((code) => code.trim())
        .filter((code) => code !== '') ?? null);
  if (provinces?.length === 0) throw new UsageError('--provinces needs at least one province code', USAGE);
  return {
    provinces,
    out: resolve(values.out ?? DEFAULT_REGISTRY_FILE),
    dataDir: resolve(values.data ?? DEFAULT_DATA_DIR),
  };
}

function summary(units: readonly Unit[], provinces: readonly string[] | null, out: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const count = (level: number, predicate: (unit: Unit) => boolean) =>
    units.filter((unit) => unit.level === level && predicate(unit)).length;
  const before = (unit: Unit) => unit.validFrom === null || unit.validFrom < REORGANISATION_DATE;
  const after = (unit: Unit) => unit.validTo === null;
  const both = (unit: Unit) => before(unit) && after(unit);
  return [
    `wrote ${out}: ${n(units.length)} units (${provinces ? `provinces ${provinces.join(', ')} in full` : 'the whole country'})`,
    `  provinces: ${n(count(1, before))} before ${REORGANISATION_DATE}, ${n(count(1, after))} from then (${n(count(1, both))} the same unit)`,
    `  districts: ${n(count(2, () => true))}, all ended on ${REORGANISATION_DATE}`,
    `  communes:  ${n(count(3, before))} before ${REORGANISATION_DATE}, ${n(count(3, after))} from then (${n(count(3, both))} the same unit)`,
    `  ids with -pre2025: ${n(units.filter((unit) => unit.id.endsWith('-pre2025')).length)}`,
  ].join('\n');
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UnitDataError || error instanceof UsageError) {
    console.error(`import-units: ${error.message}`);
    if (error instanceof UsageError) console.error(error.usage);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  } else {
    throw error;
  }
}
