import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AgencyFile,
  AgencyFileSchema,
  type ConclusionFile,
  ConclusionFileSchema,
  type ConclusionIndexEntry,
  ConclusionIndexEntrySchema,
  type IntegrityFile,
  IntegrityFileSchema,
  type PublishedUnit,
  PublishedUnitSchema,
  type SummaryFile,
  SummaryFileSchema,
  type UnitFile,
  UnitFileSchema,
} from '../../../shared/open-data/schemas.js';
import { normalizeDeep, vietnameseCollator } from '../../../shared/text/normalize.js';
import { vietnamDate } from '../../../shared/time/periods.js';
import * as z from '../../../shared/zod.js';
import { dataDir } from './config.js';
import { dependsOn, setDependencyValues } from './dependencies.js';
import { SiteDataError } from './errors.js';
import { rankFacts, type UnitRankFacts } from './peer-groups.js';

/**
 * The site reads only the open-data files (CONTRACT.md, "Published statistics"), validated with the same
 * schemas the export writes them with. The small files (units.json, summary.json, conclusions.json) are
 * loaded once; the per-unit and per-conclusion files are read when a page needs them and kept in a bounded
 * cache, so a national build (13,000+ units) does not hold every figure in memory at once.
 *
 * Every reader a page can call names what it read with `dependsOn` (lib/dependencies.ts), on every call, cached
 * or not: that is how the next build knows which pages a change affects. A reader that forgets would let a page
 * keep stale figures; test/e2e/site/incremental.test.ts compares incremental and full builds to catch it.
 */

export interface SiteData {
  readonly dir: string;
  /** Every unit ever known, in Vietnamese name order. */
  readonly units: readonly PublishedUnit[];
  readonly summary: SummaryFile;
  /** Every conclusion (retracted ones too: their addresses are permanent), newest first. */
  readonly conclusions: readonly ConclusionIndexEntry[];
  /** The date in Vietnam the data was generated: "today" for the pages (in force, current year). */
  readonly today: string;
  readonly currentYear: string;
  readonly lastYear: string;
  unit(id: string): PublishedUnit | undefined;
  /** Units whose parent is this unit (every era), in name order. */
  children(id: string): readonly PublishedUnit[];
  /** Units without a parent (provinces), in name order. */
  roots(): readonly PublishedUnit[];
  /** Conclusions whose roll-up includes this unit, newest first. */
  conclusionsOf(unitId: string): readonly ConclusionIndexEntry[];
  conclusionEntry(id: string): ConclusionIndexEntry | undefined;
  /** Agencies that published (from agencies.json; empty when the export wrote none), in name order. */
  readonly agencies: readonly Agency[];
  agency(id: string): Agency | undefined;
  /** Conclusions an agency published, newest first. */
  conclusionsByAgency(agencyId: string): readonly ConclusionIndexEntry[];
}

export type Agency = AgencyFile['agency'];

/** `/data/agencies.json`: the agencies with figures, as the export lists them. */
const AgencyListSchema = z.array(AgencyFileSchema.shape.agency);

/**
 * The schemas of the files read one per page, compiled once (zod's `compile`: code generated from the schema, with
 * the runtime parser behind it, so a file that fails gets the same issues): a national build validates some 14,000
 * unit files (1.6 GB), and zod/mini's runtime walk of each value cost about six times the generated code's CPU for
 * the same result.
 */
const UnitFileParser = z.compile(UnitFileSchema);
const ConclusionFileParser = z.compile(ConclusionFileSchema);
const AgencyFileParser = z.compile(AgencyFileSchema);

let loaded: { key: string; data: SiteData } | undefined;

/**
 * The site's data, loaded and validated once per data directory (a build runs in a process of its own, so a
 * directory's files do not change under it; see scripts/build.ts).
 */
export function siteData(): SiteData {
  const dir = dataDir();
  const key = dir;
  if (loaded?.key !== key) {
    loaded = { key, data: loadSiteData(dir) };
    unitFiles.clear();
    rankFactsByUnit.clear();
    conclusionFiles.clear();
  }
  return loaded.data;
}

function loadSiteData(dir: string): SiteData {
  const units = normalizeDeep(readJson(dir, 'units.json', z.array(PublishedUnitSchema))).sort(
    (a, b) => vietnameseCollator.compare(a.name, b.name) || a.id.localeCompare(b.id),
  );
  const summary = readJson(dir, 'summary.json', SummaryFileSchema);
  const conclusions = normalizeDeep(readJson(dir, 'conclusions.json', z.array(ConclusionIndexEntrySchema))).sort(
    (a, b) =>
      b.issuedOn.localeCompare(a.issuedOn) || b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id),
  );
  const byId = new Map(units.map((u) => [u.id, u]));
  const children = new Map<string, PublishedUnit[]>();
  const roots: PublishedUnit[] = [];
  for (const unit of units) {
    if (unit.parent === null) roots.push(unit);
    else {
      const list = children.get(unit.parent);
      if (list) list.push(unit);
      else children.set(unit.parent, [unit]);
    }
  }
  const byUnit = new Map<string, ConclusionIndexEntry[]>();
  for (const entry of conclusions) {
    for (const target of new Set([...entry.rollup, ...entry.inspectedUnits])) {
      const list = byUnit.get(target);
      if (list) list.push(entry);
      else byUnit.set(target, [entry]);
    }
  }
  const conclusionById = new Map(conclusions.map((c) => [c.id, c]));
  const agencies = exists(join(dir, 'agencies.json'))
    ? normalizeDeep(readJson(dir, 'agencies.json', AgencyListSchema)).sort((a, b) =>
        vietnameseCollator.compare(a.name, b.name),
      )
    : [];
  const agencyById = new Map(agencies.map((a) => [a.id, a]));
  const byAgency = new Map<string, ConclusionIndexEntry[]>();
  for (const entry of conclusions) {
    const list = byAgency.get(entry.agency);
    if (list) list.push(entry);
    else byAgency.set(entry.agency, [entry]);
  }
  const generated = new Date(summary.generatedAt);
  if (Number.isNaN(generated.getTime())) throw new SiteDataError('summary.json', 'generatedAt is not a date-time');
  const today = vietnamDate(generated);
  const currentYear = today.slice(0, 4);
  const lastYear = String(Number(currentYear) - 1);
  const data: SiteData = {
    dir,
    get units() {
      dependsOn('units');
      return units;
    },
    get summary() {
      dependsOn('summary');
      return summary;
    },
    get conclusions() {
      dependsOn('conclusions');
      return conclusions;
    },
    get today() {
      dependsOn('today');
      return today;
    },
    get currentYear() {
      dependsOn('today');
      return currentYear;
    },
    get lastYear() {
      dependsOn('today');
      return lastYear;
    },
    unit: (id) => {
      dependsOn(`unit:${id}`);
      return byId.get(id);
    },
    children: (id) => {
      dependsOn(`children:${id}`);
      return children.get(id) ?? [];
    },
    roots: () => {
      dependsOn('roots');
      return roots;
    },
    conclusionsOf: (unitId) => {
      dependsOn(`conclusionsOf:${unitId}`);
      return byUnit.get(unitId) ?? [];
    },
    conclusionEntry: (id) => {
      dependsOn(`conclusionEntry:${id}`);
      return conclusionById.get(id);
    },
    get agencies() {
      dependsOn('agencies');
      return agencies;
    },
    agency: (id) => {
      dependsOn(`agency:${id}`);
      return agencyById.get(id);
    },
    conclusionsByAgency: (agencyId) => {
      dependsOn(`conclusionsByAgency:${agencyId}`);
      return byAgency.get(agencyId) ?? [];
    },
  };
  // The value of each dependency key in this data: what a page that read the key saw (lib/dependencies.ts).
  const json = (value: unknown) => JSON.stringify(value ?? null);
  setDependencyValues((key) => {
    const colon = key.indexOf(':');
    const kind = colon < 0 ? key : key.slice(0, colon);
    const arg = key.slice(colon + 1);
    switch (kind) {
      case 'units':
        return json(units);
      case 'summary':
        return json(summary);
      case 'conclusions':
        return json(conclusions);
      case 'today':
        return today;
      case 'unit':
        return json(byId.get(arg));
      case 'children':
        return json(children.get(arg));
      case 'roots':
        return json(roots);
      case 'conclusionsOf':
        return json(byUnit.get(arg));
      case 'conclusionEntry':
        return json(conclusionById.get(arg));
      case 'agencies':
        return json(agencies);
      case 'agency':
        return json(agencyById.get(arg));
      case 'conclusionsByAgency':
        return json(byAgency.get(arg));
      case 'file':
        return fileDigest(join(dir, arg));
      case 'dataFiles':
        return json(listDataFiles(dir));
      case 'folder':
        return String(countJsonFiles(dir, arg));
      case 'spikes':
        return json(spikesOf(dir, arg));
      default:
        // A key this function does not know never matches: the page renders again (safe, and a test shows it).
        return `unknown:${Math.random()}`;
    }
  });
  return data;
}

/**
 * A file's identity for the dependency digest ("absent" when there is none): its inode, size and change times, not
 * its bytes. Reading every unit's file to digest it (1.4 GB at national scale) was most of an incremental build's
 * fixed cost. The export replaces a file by rename (a new inode and a new time); a file rewritten in place gets a
 * new modification time, and the builds that would have to tell two writes apart are seconds apart, far beyond the
 * clock's granularity. Not the change time: linking the file into a built site (`--link-data`) changes it. A file
 * touched without a change only renders its pages again, which is always correct.
 * With `SITE_DATA_IDENTITY=content`, its bytes instead: the AWS build restores its data folder from an S3 cache
 * (infra/stacks/publishing-stack.ts), which gives every file a new inode, so only the bytes tell it is the same.
 */
export function fileDigest(path: string): string {
  try {
    if (process.env.SITE_DATA_IDENTITY === 'content') {
      return `sha256:${createHash('sha256').update(readFileSync(path)).digest('base64')}`;
    }
    const stat = statSync(path, { bigint: true });
    return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  } catch {
    return 'absent';
  }
}

/** A small least-recently-used cache (see `unitFiles`). */
class Lru<V> {
  readonly #map = new Map<string, V>();
  constructor(readonly capacity: number) {}
  get(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.capacity) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }
  clear(): void {
    this.#map.clear();
  }
}

/**
 * Whole unit files are kept only briefly: a build renders a unit's pages one after the other (Vietnamese, English,
 * feeds: lib/render-order.ts), so one file is read, parsed and validated once and then served from here, and
 * holding more (a national build's files are 1.4 GB parsed) only feeds the garbage collector. What other pages need
 * of a file (the facts its parent's and its peer group's rankings compare) is kept apart, compact, below. Two: the
 * unit page in each language reads it (a parent's page that ranks a child not read yet reads the child's file in
 * between). Eight held some 20–25 MB more in each render process of the national build, for the same CPU
 * (docs/benchmarks.md, 2026-11-30 06:50–08:30).
 */
const unitFiles = new Lru<UnitFile | null>(2);
const conclusionFiles = new Lru<ConclusionFile>(256);
/**
 * The ranking facts of every unit read so far (a few numbers per year), for the pages that rank it. Children render
 * before their parent and units before the peer groups' pages (lib/render-order.ts), so in a full build these are
 * never read from the file a second time.
 */
const rankFactsByUnit = new Map<string, UnitRankFacts>();

/** The figures file of a unit, or undefined when the export wrote none for it. */
export function unitFile(id: string): UnitFile | undefined {
  const { dir } = siteData();
  dependsOn(`file:units/${id}.json`);
  const cached = unitFiles.get(id);
  if (cached !== undefined) return cached ?? undefined;
  const file = `units/${id}.json`;
  const value = exists(join(dir, file)) ? readJson(dir, file, UnitFileParser) : null;
  unitFiles.set(id, value);
  if (!rankFactsByUnit.has(id)) rankFactsByUnit.set(id, rankFacts(value?.periods ?? {}));
  return value ?? undefined;
}

/**
 * What rankings compare of a unit, by year (`"2024"` → each metric's share, base and basis); empty when it has no
 * figures. The page that reads it depends on the unit's file: a change of a child's figures renders its parent's
 * ranking again.
 */
export function unitRankFacts(id: string): UnitRankFacts {
  dependsOn(`file:units/${id}.json`);
  const cached = rankFactsByUnit.get(id);
  if (cached) return cached;
  unitFile(id);
  return rankFactsByUnit.get(id) ?? {};
}

/** A conclusion's full file (current version and history). */
export function conclusionFile(id: string): ConclusionFile {
  dependsOn(`file:conclusions/${id}.json`);
  const cached = conclusionFiles.get(id);
  if (cached) return cached;
  const { dir } = siteData();
  const value = normalizeDeep(readJson(dir, `conclusions/${id}.json`, ConclusionFileParser));
  if (value.id !== id) throw new SiteDataError(`conclusions/${id}.json`, `its id is ${value.id}`);
  conclusionFiles.set(id, value);
  return value;
}

/** An agency's figures file, or undefined when the export wrote none for it. */
export function agencyFile(id: string): AgencyFile | undefined {
  const { dir } = siteData();
  const file = `agencies/${id}.json`;
  dependsOn(`file:${file}`);
  return exists(join(dir, file)) ? readJson(dir, file, AgencyFileParser) : undefined;
}

/** `/data/integrity.json` (refused survey submissions, spikes), or undefined when the export wrote none. */
export function integrityData(): IntegrityFile | undefined {
  const { dir } = siteData();
  dependsOn(`file:${INTEGRITY_FILE}`);
  return readIntegrity(dir);
}

/**
 * The spikes of one unit (reviewed or not) from `/data/integrity.json`. A unit page depends on these alone, not on
 * the whole file (which changes with every refusal and every export): only the pages of a unit whose spikes
 * changed are rendered again.
 */
export function unitSpikes(unitId: string): IntegrityFile['spikes'] {
  const { dir } = siteData();
  dependsOn(`spikes:${unitId}`);
  return spikesOf(dir, unitId);
}

const INTEGRITY_FILE = 'integrity.json';
let integrityCache: { key: string; value: IntegrityFile | undefined } | undefined;

function readIntegrity(dir: string): IntegrityFile | undefined {
  if (integrityCache?.key !== dir) {
    const present = exists(join(dir, INTEGRITY_FILE));
    integrityCache = { key: dir, value: present ? readJson(dir, INTEGRITY_FILE, IntegrityFileSchema) : undefined };
  }
  return integrityCache.value;
}

function spikesOf(dir: string, unitId: string): IntegrityFile['spikes'] {
  return (readIntegrity(dir)?.spikes ?? []).filter((spike) => spike.unit === unitId);
}

/** Where each logged version is in the transparency log (`log-index.json`, written by the log's step). */
export interface LogPosition {
  readonly index: number;
  readonly size: number;
}

let logIndexCache: { key: string; value: LogIndexFile | undefined } | undefined;

const LogIndexFileSchema = z.object({
  origin: z.string(),
  size: z.number().check(z.int(), z.gte(0)),
  entries: z.record(z.string(), z.number().check(z.int(), z.gte(0))),
});
type LogIndexFile = z.infer<typeof LogIndexFileSchema>;

/**
 * The log position of a version (`conclusion`, id, version), or undefined when the build does not know it yet
 * (the log's step had not run, or the version is still being appended).
 */
export function logPosition(type: string, id: string, version: number): LogPosition | undefined {
  const { dir } = siteData();
  dependsOn('file:log-index.json');
  if (logIndexCache?.key !== dir) {
    const file = 'log-index.json';
    logIndexCache = { key: dir, value: exists(join(dir, file)) ? readJson(dir, file, LogIndexFileSchema) : undefined };
  }
  const index = logIndexCache.value?.entries[`${type}#${id}#${version}`];
  return index === undefined || !logIndexCache.value ? undefined : { index, size: logIndexCache.value.size };
}

export interface DataFileInfo {
  /** Path under `/data/`. */
  readonly name: string;
  readonly bytes: number;
  /** The header row of a CSV file. */
  readonly columns?: readonly string[];
}

/** The top-level files of the data directory (the per-unit and per-conclusion folders are described apart). */
export function dataFiles(): readonly DataFileInfo[] {
  dependsOn('dataFiles');
  return listDataFiles(siteData().dir);
}

function listDataFiles(dir: string): DataFileInfo[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => {
      const path = join(dir, entry.name);
      const bytes = statSync(path).size;
      if (!entry.name.endsWith('.csv')) return { name: entry.name, bytes };
      return { name: entry.name, bytes, columns: csvHeader(path) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Counts the files in a sub-folder of the data directory (`units`, `conclusions`). */
export function dataFolderCount(folder: string): number {
  const { dir } = siteData();
  dependsOn(`folder:${folder}`);
  return countJsonFiles(dir, folder);
}

function countJsonFiles(dir: string, folder: string): number {
  const path = join(dir, folder);
  if (!exists(path)) return 0;
  return readdirSync(path).filter((name) => name.endsWith('.json')).length;
}

function csvHeader(path: string): string[] {
  // The header is on the first line; reading 64 KiB is enough and avoids loading a large CSV whole.
  const buffer = Buffer.alloc(65_536);
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  const text = buffer.subarray(0, length).toString('utf8');
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return first
    .split(',')
    .map((c) => c.trim().replace(/^"|"$/g, ''))
    .filter((c) => c !== '');
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function readJson<S extends z.ZodMiniType>(dir: string, file: string, schema: S): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new SiteDataError(file, `cannot be read (${code}) in ${dir}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SiteDataError(file, 'is not valid JSON', { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new SiteDataError(file, `${where}: ${issue?.message ?? 'does not match its schema'}`);
  }
  return parsed.data;
}
