import type { AgencyKey } from '../agencies/schemas.js';
import { signedBodyPath, type VersionSignature } from '../auth/signed-request.js';
import { type DisciplineFacts, stageOf, TRACK_FORMS, trackOf } from '../discipline/law.js';
import type { LogEntryType } from '../log/entry.js';
import { proofPath } from '../log/publish.js';
import {
  AgencyFileSchema,
  type ConclusionFile,
  ConclusionFileSchema,
  type ConclusionIndexEntry,
  ConclusionIndexEntrySchema,
  type ConclusionVersion,
  type PeriodFigures,
  type PublishedAgencyKey,
  type PublishedSignature,
  type PublishedUnit,
  PublishedUnitSchema,
  type ReportedSummary,
  ReportedSummarySchema,
  SURVEY_ASPECTS,
  SummaryFileSchema,
  UnitFileSchema,
} from '../open-data/schemas.js';
import { SUMMARY_FIGURE_GROUPS } from '../summaries/schemas.js';
import { CONDUCT_SHARE_KEYS, SUBMISSION_METHODS } from '../surveys/questionnaire.js';
import { SURVEY_CHANNELS } from '../surveys/schemas.js';
import { vietnameseCollator } from '../text/normalize.js';
import type { Unit } from '../units/types.js';
import {
  type DisciplineStage,
  type DisciplineTrack,
  INSPECTION_KINDS,
  OTHER_MEASURES,
  VIOLATION_CATEGORIES,
} from '../vocabulary.js';
import { type BucketDeltas, parseBucketKey, TRACK_STAGES } from './counters.js';
import { buildFigures, type FiguresByScope, reportingCoverage, suppressionGroups } from './figures.js';
import { type DayRefusals, integrityFile } from './integrity.js';
import type { Spike } from './spikes.js';

/**
 * The open-data files (CONTRACT.md, "Published statistics"), written from the counters and the conclusions through
 * a small file-writer port. Every file is validated with its schema from shared/open-data/schemas.ts before it is
 * written, so the site never reads a file its own schema would refuse.
 *
 * data/summary.json, data/units.json, data/units/<unit-id>.json, data/agencies.json, data/agencies/<id>.json,
 * data/conclusions.json, data/conclusions/<id>.json, data/integrity.json, data/figures.csv, data/units.csv,
 * data/conclusions.csv.
 */

/** Where the files go: paths are relative (`data/units/00304.json`). */
export interface FileWriter {
  write(path: string, content: string): Promise<void>;
  /**
   * The file as the last export wrote it, when the writer can tell. A unit's or an agency's file whose figures are
   * unchanged is then left as it is, with the instant they were computed (`generatedAt`): a new export does not
   * make every unit's page change, so the site re-renders only the pages a change affects.
   */
  read?(path: string): Promise<string | undefined>;
}

/** What the export needs of the unit registry (UnitRegistry has it). */
export interface ExportRegistry {
  all(): readonly Unit[];
  children(id: string): readonly Pick<Unit, 'id'>[];
  rollupTargets(id: string, onDate?: string): readonly string[];
}

/** A conclusion as stored: its CURRENT item and its version items (oldest first). */
export interface StoredConclusion {
  readonly current: Readonly<Record<string, unknown>>;
  readonly versions: readonly Readonly<Record<string, unknown>>[];
}

export interface ExportInput {
  readonly registry: ExportRegistry;
  /** Counters per bucket, summed over shards. */
  readonly counters: BucketDeltas;
  readonly conclusions: readonly StoredConclusion[];
  /** The CURRENT items of every summary report (retracted ones included: they are left out here). */
  readonly summaries?: readonly Readonly<Record<string, unknown>>[];
  /** Agency names by id. */
  readonly agencies: ReadonlyMap<string, string>;
  /** Each agency's signing keys (current and revoked), published with it so anyone can check its signatures. */
  readonly agencyKeys?: ReadonlyMap<string, readonly AgencyKey[]>;
  readonly generatedAt: string;
  /** Refused survey submissions by reason, per Vietnam day (`/data/integrity.json`); absent: none recorded. */
  readonly refusals?: ReadonlyMap<string, DayRefusals>;
  /** Spikes flagged, reviewed or not (`/data/integrity.json`). */
  readonly spikes?: readonly Spike[];
  /** Called after each file, with the number written so far and the total. */
  readonly onProgress?: (written: number, total: number) => void;
}

/** How many of the latest conclusions and summary reports `summary.json` lists. */
export const SUMMARY_LATEST = { conclusions: 10, reported: 6 } as const;

export interface ExportSummary {
  readonly files: number;
  readonly units: number;
  readonly conclusions: number;
  readonly agencies: number;
}

/** Writes every open-data file (see the module comment). */
export async function exportOpenData(input: ExportInput, writer: FileWriter): Promise<ExportSummary> {
  const { registry, generatedAt } = input;
  const units = registry.all();
  const figures = buildFigures(input.counters, suppressionGroups(units), reportingCoverage(input.counters, registry));
  const published = units.map((unit) => PublishedUnitSchema.parse(unit));
  const conclusionFiles = input.conclusions.map((stored) => conclusionFile(stored, input.agencies));
  const index = input.conclusions
    .map((stored) => indexEntry(stored, registry))
    .sort((a, b) => (a.issuedOn === b.issuedOn ? (a.id < b.id ? -1 : 1) : a.issuedOn < b.issuedOn ? 1 : -1));
  const agencyIds = [...new Set([...input.agencies.keys(), ...scopesOf(figures, 'A#')])].sort();
  const reported = reportedByUnit(input.summaries ?? [], input.agencies);

  /** Path, content, and for files stamped with the export's instant: the content stamped with another instant. */
  const files: [string, () => string, ((instant: string) => string)?][] = [];
  const json = (value: unknown) => `${JSON.stringify(value)}\n`;
  const stamped = (path: string, file: () => { generatedAt: string }) => {
    let body: { generatedAt: string } | undefined;
    const at = (instant: string) => {
      body ??= file();
      return json({ ...body, generatedAt: instant });
    };
    files.push([path, () => at(generatedAt), at]);
  };
  files.push(['data/summary.json', () => json(summaryFile(input, figures, index, units, reported))]);
  files.push(['data/units.json', () => json(published)]);
  for (const unit of published) {
    stamped(`data/units/${unit.id}.json`, () =>
      UnitFileSchema.parse({
        unit,
        generatedAt,
        children: registry.children(unit.id).map((child) => child.id),
        periods: sortedPeriods(figures.get(`U#${unit.id}`)),
        reported: reported.get(unit.id) ?? [],
      }),
    );
  }
  const agencyName = (id: string) => input.agencies.get(id) ?? id;
  files.push(['data/agencies.json', () => json(agencyIds.map((id) => ({ id, name: agencyName(id) })))]);
  for (const id of agencyIds) {
    stamped(`data/agencies/${id}.json`, () =>
      AgencyFileSchema.parse({
        agency: { id, name: agencyName(id) },
        generatedAt,
        ...(input.agencyKeys ? { keys: publishedKeys(input.agencyKeys.get(id) ?? []) } : {}),
        periods: sortedPeriods(figures.get(`A#${id}`)),
      }),
    );
  }
  files.push(['data/conclusions.json', () => json(index)]);
  files.push([
    'data/integrity.json',
    () => json(integrityFile(input.refusals ?? new Map(), generatedAt, input.spikes)),
  ]);
  for (const file of conclusionFiles) files.push([`data/conclusions/${file.id}.json`, () => json(file)]);
  files.push(['data/figures.csv', () => figuresCsv(figures, units)]);
  files.push(['data/units.csv', () => unitsCsv(published)]);
  files.push(['data/conclusions.csv', () => conclusionsCsv(index, conclusionFiles)]);

  let written = 0;
  for (const [path, content, at] of files) {
    const previous = at && writer.read ? await writer.read(path) : undefined;
    const instant = previous === undefined ? undefined : previousInstant(previous);
    // Unchanged but for the instant: the file stays as it is (see FileWriter.read).
    if (!(instant !== undefined && at?.(instant) === previous)) await writer.write(path, content());
    input.onProgress?.(++written, files.length);
  }
  return { files: files.length, units: units.length, conclusions: conclusionFiles.length, agencies: agencyIds.length };
}

/** The `generatedAt` of a file the last export wrote; undefined when it has none (or is not JSON). */
function previousInstant(content: string): string | undefined {
  try {
    const value = (JSON.parse(content) as { generatedAt?: unknown }).generatedAt;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function scopesOf(figures: FiguresByScope, prefix: 'U#' | 'A#'): string[] {
  return [...figures.keys()].filter((scope) => scope.startsWith(prefix)).map((scope) => scope.slice(2));
}

function sortedPeriods(periods: ReadonlyMap<string, PeriodFigures> | undefined): Record<string, PeriodFigures> {
  return Object.fromEntries([...(periods ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function summaryFile(
  input: ExportInput,
  figures: FiguresByScope,
  index: readonly ConclusionIndexEntry[],
  units: readonly Unit[],
  reported: ReadonlyMap<string, readonly ReportedSummary[]>,
) {
  const roots = units
    .filter((unit) => unit.level === 1 && figures.has(`U#${unit.id}`))
    .sort((a, b) => vietnameseCollator.compare(a.name, b.name));
  // Totals: the provinces in force today take in the old provinces merged into them (full merges roll up), so
  // summing them over the years counts every response and report once.
  const current = units.filter((unit) => unit.level === 1 && unit.validTo === null);
  let surveyResponses = 0;
  let reports = 0;
  for (const [key, counters] of input.counters) {
    const { scope, period } = parseBucketKey(key);
    if (!/^\d{4}$/.test(period) || !current.some((unit) => scope === `U#${unit.id}`)) continue;
    surveyResponses += counters.surveys ?? 0;
    reports += counters.reports ?? 0;
  }
  return SummaryFileSchema.parse({
    generatedAt: input.generatedAt,
    roots: roots.map((unit) => ({ id: unit.id, name: unit.name })),
    figures: Object.fromEntries(roots.map((unit) => [unit.id, sortedPeriods(figures.get(`U#${unit.id}`))])),
    counts: {
      conclusions: index.filter((entry) => entry.status === 'published').length,
      surveyResponses,
      reports,
    },
    latestConclusions: index.slice(0, SUMMARY_LATEST.conclusions),
    latestReported: [...reported]
      .flatMap(([unitId, summaries]) =>
        summaries.map((summary) => ({
          ...summary,
          unit: { id: unitId, name: units.find((unit) => unit.id === unitId)?.name ?? unitId },
        })),
      )
      .sort(byLatestSpan)
      .slice(0, SUMMARY_LATEST.reported),
  });
}

/**
 * The summary reports of each unit as its file publishes them: the current version of each one not retracted,
 * figures exactly as stored (as stated), latest span first. Only the unit the summary is for: a district's
 * report is not its city's, and nothing reported is added into anything.
 */
function reportedByUnit(
  summaries: readonly Readonly<Record<string, unknown>>[],
  agencies: ReadonlyMap<string, string>,
): Map<string, ReportedSummary[]> {
  const byUnit = new Map<string, ReportedSummary[]>();
  for (const item of summaries) {
    if (item.status !== 'published' || typeof item.unitId !== 'string') continue;
    const agencyId = String(item.agencyId);
    const figures = Object.fromEntries(
      SUMMARY_FIGURE_GROUPS.filter((group) => item[group] !== undefined).map((group) => [group, item[group]]),
    );
    const summary = ReportedSummarySchema.parse({
      id: item.id,
      version: item.version,
      agency: { id: agencyId, name: agencies.get(agencyId) ?? agencyId },
      documentNumber: item.documentNumber,
      issuedOn: item.issuedOn,
      from: item.from,
      to: item.to,
      scope: item.scope,
      ...(item.title ? { title: item.title } : {}),
      ...(item.description ? { description: item.description } : {}),
      sources: item.sources ?? [],
      ...publishedSignature(item, 'summary'),
      figures,
    });
    byUnit.set(item.unitId, [...(byUnit.get(item.unitId) ?? []), summary]);
  }
  for (const list of byUnit.values()) list.sort(byLatestSpan);
  return byUnit;
}

/** Latest span first (by its end, then its start), then by document number: a stable order. */
function byLatestSpan(a: ReportedSummary, b: ReportedSummary): number {
  if (a.to !== b.to) return a.to < b.to ? 1 : -1;
  if (a.from !== b.from) return a.from < b.from ? 1 : -1;
  return vietnameseCollator.compare(a.documentNumber, b.documentNumber);
}

/** The index entry of a conclusion: its current version, and the roll-up targets of its units. */
function indexEntry(stored: StoredConclusion, registry: ExportRegistry): ConclusionIndexEntry {
  const item = stored.current;
  const issuedOn = String(item.issuedOn);
  const unitIds = Array.isArray(item.unitIds) ? item.unitIds.map(String) : [];
  const rollup = [...new Set(unitIds.flatMap((id) => registry.rollupTargets(id, issuedOn)))].sort();
  return ConclusionIndexEntrySchema.parse({
    id: item.id,
    version: item.version,
    status: item.status,
    agency: item.agencyId,
    documentNumber: item.documentNumber,
    issuedOn,
    kind: item.kind,
    inspectedUnits: item.inspectedUnits ?? unitIds,
    rollup,
    ...(item.title ? { title: item.title } : {}),
    updatedAt: item.updatedAt ?? item.publishedAt ?? issuedOn,
  });
}

/** The public file of a conclusion: what each version said, without internal fields (keys, hashes, storage). */
function conclusionFile(stored: StoredConclusion, agencies: ReadonlyMap<string, string>): ConclusionFile {
  const agencyId = String(stored.current.agencyId);
  const versions = stored.versions.length > 0 ? stored.versions : [stored.current];
  return ConclusionFileSchema.parse({
    id: stored.current.id,
    agency: { id: agencyId, name: agencies.get(agencyId) ?? agencyId },
    current: publicVersion(stored.current, 'conclusion'),
    versions: [...versions]
      .sort((a, b) => Number(a.version) - Number(b.version))
      .map((version) => publicVersion(version, 'conclusion')),
  });
}

/** A stored version (CURRENT or version item, of any shape ever stored) as the public file shows it. */
export function publicVersion(
  item: Readonly<Record<string, unknown>>,
  type: LogEntryType = 'conclusion',
): Record<string, unknown> {
  const attachment = item.attachment as Record<string, unknown> | undefined;
  const recommendations = Array.isArray(item.recommendations) ? item.recommendations : [];
  return {
    version: item.version,
    status: item.status,
    documentNumber: item.documentNumber,
    issuedOn: item.issuedOn,
    kind: item.kind,
    inspectedUnits: item.inspectedUnits ?? item.unitIds ?? [],
    topics: item.topics ?? [],
    legalBasis: item.legalBasis ?? [],
    // Every content field the agency sent is published as sent (a field left out here would be data withheld).
    ...(item.title ? { title: item.title } : {}),
    ...(item.inspectionDecision ? { inspectionDecision: item.inspectionDecision } : {}),
    ...(item.inspectedFrom ? { inspectedFrom: item.inspectedFrom } : {}),
    ...(item.inspectedTo ? { inspectedTo: item.inspectedTo } : {}),
    summary: item.summary ?? { vi: '' },
    ...(item.violations ? { violations: item.violations } : {}),
    ...(item.violatingUnits ? { violatingUnits: item.violatingUnits } : {}),
    discipline: (Array.isArray(item.discipline) ? item.discipline : []).map(publicDisciplineEntry),
    otherMeasures: item.otherMeasures ?? {},
    recommendations: recommendations.map((r: Record<string, unknown>) => ({
      text: r.text,
      status: r.status,
      ...(r.dueOn ? { dueOn: r.dueOn } : {}),
    })),
    ...(item.sources ? { sources: item.sources } : {}),
    ...(attachment
      ? { attachment: { sha256: attachment.sha256, bytes: attachment.bytes, mediaType: attachment.mediaType } }
      : {}),
    publishedAt: item.publishedAt ?? item.updatedAt ?? item.issuedOn,
    ...publishedSignature(item, type),
    ...(item.reason ? { reason: item.reason } : {}),
    ...(item.illustrative === true ? { illustrative: true } : {}),
  };
}

/** The `signature` of a published version: the agency's JWS, where its body is, and its proof in the log. */
export function publishedSignature(
  item: Readonly<Record<string, unknown>>,
  type: LogEntryType,
): { signature?: PublishedSignature } {
  const signature = item.signature as VersionSignature | undefined;
  if (!signature || typeof signature !== 'object') return {};
  return {
    signature: {
      jws: signature.jws,
      keyThumbprint: signature.keyThumbprint,
      jti: signature.jti,
      body: signedBodyPath(signature.bodySha256),
      bodySha256: signature.bodySha256,
      proof: proofPath(type, String(item.id), Number(item.version)),
    },
  };
}

/** An agency's keys as published: public JWK, thumbprint, added and revoked dates, oldest first. */
export function publishedKeys(keys: readonly AgencyKey[]): PublishedAgencyKey[] {
  return [...keys]
    .sort((a, b) =>
      a.createdAt === b.createdAt ? (a.thumbprint < b.thumbprint ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
    )
    .map((key) => ({
      thumbprint: key.thumbprint,
      jwk: { kty: 'OKP', crv: 'Ed25519', x: key.jwk.x },
      status: key.status,
      addedAt: key.createdAt,
      revokedAt: key.revokedAt ?? null,
    }));
}

/** A stored discipline entry with its track and stage written out (an older entry has neither). */
function publicDisciplineEntry(entry: DisciplineFacts): Record<string, unknown> {
  return { ...entry, track: trackOf(entry), stage: stageOf(entry) };
}

// CSV (RFC 4180: CRLF, fields quoted when needed), with a byte-order mark so spreadsheet programs read the
// Vietnamese text as UTF-8. Withheld figures are empty cells, never zeros.

type Cell = string | number | boolean | null | undefined;

function csv(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const lines = [header.join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? defuseFormula(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text from agencies (a document number such as `=HYPERLINK(…)`) must stay text when the CSV is opened in a
 * spreadsheet: a leading `'` makes it literal. Numbers are written as numbers and never prefixed.
 * @example defuseFormula('=1+1') === "'=1+1"
 */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * The columns of `data/figures.csv`, each with how its cell is read from a unit's figures: one list, so header and
 * cells cannot drift apart. `disciplined_*` without a track is the state track, decided stage (as in the JSON);
 * the other tracks and stages have columns of their own. `*_illustrative` is `true` where the section was counted
 * (in part) from illustrative records.
 */
const FIGURE_COLUMNS: readonly (readonly [string, (f: PeriodFigures) => Cell])[] = [
  ['inspections_total', (f) => f.inspections.total],
  ...INSPECTION_KINDS.map((kind) => [`inspections_${kind}`, (f: PeriodFigures) => f.inspections.byKind[kind]] as const),
  ['units_inspected', (f) => f.inspections.unitsInspected],
  ['units_assessed', (f) => f.inspections.unitsAssessed],
  ['units_with_violations', (f) => f.inspections.unitsWithViolations],
  ...intervalColumns('violating_share', (f) => f.inspections.violatingShare),
  ['inspections_illustrative', (f) => f.inspections.illustrative],
  ['violations_organizations', (f) => f.violations.organizations],
  ['violations_individuals', (f) => f.violations.individuals],
  ['violations_conclusions', (f) => f.violations.conclusions],
  ...VIOLATION_CATEGORIES.map(
    (category) => [`violations_${category}`, (f: PeriodFigures) => f.violations.byCategory?.[category]] as const,
  ),
  ...TRACK_STAGES.flatMap(({ track, stage }) => {
    const prefix = track === 'state' && stage === 'decided' ? 'disciplined' : `disciplined_${track}_${stage}`;
    const of = (f: PeriodFigures) => f.disciplined.tracks[track][stage];
    return [
      [`${prefix}_organizations`, (f: PeriodFigures) => of(f).organizations] as const,
      [`${prefix}_individuals`, (f: PeriodFigures) => of(f).individuals] as const,
      ...TRACK_FORMS[track].flatMap((form) => [
        [`${prefix}_${form}_organizations`, (f: PeriodFigures) => of(f).byForm[form]?.organizations] as const,
        [`${prefix}_${form}_individuals`, (f: PeriodFigures) => of(f).byForm[form]?.individuals] as const,
      ]),
    ];
  }),
  ['disciplined_conclusions', (f) => f.disciplined.conclusions],
  ...OTHER_MEASURES.map(
    (measure) => [`measures_${snake(measure)}`, (f: PeriodFigures) => f.otherMeasures[measure]] as const,
  ),
  ['satisfaction_responses', (f) => f.satisfaction.responses],
  ...intervalColumns('satisfaction_share', (f) => f.satisfaction.overall),
  ...SURVEY_ASPECTS.flatMap((aspect) => [
    [`${aspect}_responses`, (f: PeriodFigures) => f.satisfaction.aspects[aspect].responses] as const,
    ...intervalColumns(`${aspect}_share`, (f) => f.satisfaction.aspects[aspect].share),
  ]),
  ['satisfaction_illustrative', (f) => f.satisfaction.illustrative],
  ['dossiers_received', (f) => f.procedures.received],
  ['resolved_early', (f) => f.procedures.resolvedEarly],
  ['resolved_on_time', (f) => f.procedures.resolvedOnTime],
  ['resolved_late', (f) => f.procedures.resolvedLate],
  ['pending_overdue', (f) => f.procedures.pendingOverdue],
  ...intervalColumns('on_time_rate', (f) => f.procedures.onTimeRate),
  ['citizens_received', (f) => f.reception.citizensReceived],
  ['complaints_received', (f) => f.reception.complaintsReceived],
  ['complaints_resolved', (f) => f.reception.complaintsResolved],
  ['denunciations_received', (f) => f.reception.denunciationsReceived],
  ['denunciations_resolved', (f) => f.reception.denunciationsResolved],
  ['reports_illustrative', (f) => f.procedures.illustrative ?? f.reception.illustrative],
  ['units_reported', (f) => f.reporting?.reported],
  ['units_under', (f) => f.reporting?.units],
  // Added after the first published layout, so at the end: readers that count columns keep working.
  ['verified_responses', (f) => f.satisfaction.verified.responses],
  ...intervalColumns('verified_share', (f) => f.satisfaction.verified.overall),
  ...SURVEY_CHANNELS.map(
    (channel) => [`channel_${channel}_responses`, (f: PeriodFigures) => f.satisfaction.channels[channel]] as const,
  ),
  // The shares on conduct and on how dossiers were submitted (shared/surveys/questionnaire.ts), each with its n.
  ...CONDUCT_SHARE_KEYS.flatMap((key) => [
    [`conduct_${snake(key)}_responses`, (f: PeriodFigures) => f.satisfaction.conduct?.[key].responses] as const,
    ...intervalColumns(`conduct_${snake(key)}_share`, (f) => f.satisfaction.conduct?.[key].share ?? null),
  ]),
  ...SUBMISSION_METHODS.flatMap((method) => [
    [`submission_${method}_responses`, (f: PeriodFigures) => f.satisfaction.submission?.[method].responses] as const,
    ...intervalColumns(`submission_${method}_share`, (f) => f.satisfaction.submission?.[method].share ?? null),
  ]),
];

/** The three columns of a share: the share and its interval. */
function intervalColumns(
  name: string,
  share: (f: PeriodFigures) => { share: number; low: number; high: number } | null,
): (readonly [string, (f: PeriodFigures) => Cell])[] {
  return [
    [name, (f) => share(f)?.share],
    [`${name}_low`, (f) => share(f)?.low],
    [`${name}_high`, (f) => share(f)?.high],
  ];
}

/** `responsibilityReviews` → `responsibility_reviews`. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function figureCells(f: PeriodFigures): Cell[] {
  return FIGURE_COLUMNS.map(([, cell]) => cell(f));
}

/** One row per unit × period that has figures, units in registry order, periods ascending. */
function figuresCsv(figures: FiguresByScope, units: readonly Unit[]): string {
  const rows = units.flatMap((unit) =>
    Object.entries(sortedPeriods(figures.get(`U#${unit.id}`))).map(([period, f]) => [
      unit.id,
      unit.code,
      unit.name,
      period,
      ...figureCells(f),
    ]),
  );
  return csv(['unit_id', 'unit_code', 'unit_name', 'period', ...FIGURE_COLUMNS.map(([name]) => name)], rows);
}

function unitsCsv(units: readonly PublishedUnit[]): string {
  const refs = (list: PublishedUnit['successors']) => list.map((ref) => `${ref.id}:${ref.kind}`).join(';');
  return csv(
    [
      'id',
      'code',
      'name',
      'name_ascii',
      'type',
      'level',
      'parent',
      'valid_from',
      'valid_to',
      'successors',
      'predecessors',
    ],
    units.map((u) => [
      u.id,
      u.code,
      u.name,
      u.nameAscii,
      u.type,
      u.level,
      u.parent,
      u.validFrom,
      u.validTo,
      refs(u.successors),
      refs(u.predecessors),
    ]),
  );
}

/**
 * The tracks and stages of the conclusions CSV: `disciplined_*` is the contract's state track, decided stage; the
 * others get their own columns, never added to it.
 */
const CSV_DISCIPLINE_GROUPS = [
  ['state', 'decided', 'disciplined'],
  ['state', 'recommended', 'recommended_state'],
  ['party', 'decided', 'disciplined_party'],
  ['party', 'recommended', 'recommended_party'],
] as const;

function conclusionsCsv(index: readonly ConclusionIndexEntry[], files: readonly ConclusionFile[]): string {
  const byId = new Map(files.map((file) => [file.id, file.current]));
  const sum = (
    v: ConclusionVersion | undefined,
    track: DisciplineTrack,
    stage: DisciplineStage,
    who: 'organizations' | 'individuals',
  ) =>
    v?.discipline
      .filter((entry) => entry.track === track && entry.stage === stage)
      .reduce((total, entry) => total + entry[who], 0) ?? 0;
  return csv(
    [
      'id',
      'version',
      'status',
      'agency',
      'document_number',
      'issued_on',
      'kind',
      'inspected_units',
      'violations_organizations',
      'violations_individuals',
      ...CSV_DISCIPLINE_GROUPS.flatMap(([, , prefix]) => [`${prefix}_organizations`, `${prefix}_individuals`]),
      'updated_at',
    ],
    index.map((entry) => {
      const current = byId.get(entry.id);
      return [
        entry.id,
        entry.version,
        entry.status,
        entry.agency,
        entry.documentNumber,
        entry.issuedOn,
        entry.kind,
        entry.inspectedUnits.join(';'),
        // Not stated: an empty cell, never 0.
        current?.violations?.organizations,
        current?.violations?.individuals,
        ...CSV_DISCIPLINE_GROUPS.flatMap(([track, stage]) => [
          sum(current, track, stage, 'organizations'),
          sum(current, track, stage, 'individuals'),
        ]),
        entry.updatedAt,
      ];
    }),
  );
}
