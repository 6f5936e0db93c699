import type { AgencyKey } from '../agencies/schemas.js';
import { signedBodyPath, type VersionSignature } from '../auth/signed-request.js';
import { type DisciplineFacts, stageOf, trackOf } from '../discipline/law.js';
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
import { vietnameseCollator } from '../text/normalize.js';
import type { Unit } from '../units/types.js';
import { DISCIPLINE_FORMS, type DisciplineStage, type DisciplineTrack, INSPECTION_KINDS } from '../vocabulary.js';
import { type BucketDeltas, parseBucketKey } from './counters.js';
import { buildFigures, type FiguresByScope, suppressionGroups } from './figures.js';

/**
 * The open-data files (CONTRACT.md, "Published statistics"), written from the counters and the conclusions through
 * a small file-writer port. Every file is validated with its schema from shared/open-data/schemas.ts before it is
 * written, so the site never reads a file its own schema would refuse.
 *
 * data/summary.json, data/units.json, data/units/<unit-id>.json, data/agencies.json, data/agencies/<id>.json,
 * data/conclusions.json, data/conclusions/<id>.json, data/figures.csv, data/units.csv, data/conclusions.csv.
 */

/** Where the files go: paths are relative (`data/units/00304.json`). */
export interface FileWriter {
  write(path: string, content: string): Promise<void>;
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
  /** Called after each file, with the number written so far and the total. */
  readonly onProgress?: (written: number, total: number) => void;
}

export interface ExportSummary {
  readonly files: number;
  readonly units: number;
  readonly conclusions: number;
  readonly agencies: number;
}

/** How many conclusions the summary lists. */
const LATEST_CONCLUSIONS = 10;
/** How many summary reports the summary lists. */
const LATEST_REPORTED = 6;

/** Writes every open-data file (see the module comment). */
export async function exportOpenData(input: ExportInput, writer: FileWriter): Promise<ExportSummary> {
  const { registry, generatedAt } = input;
  const units = registry.all();
  const figures = buildFigures(input.counters, suppressionGroups(units));
  const published = units.map((unit) => PublishedUnitSchema.parse(unit));
  const conclusionFiles = input.conclusions.map((stored) => conclusionFile(stored, input.agencies));
  const index = input.conclusions
    .map((stored) => indexEntry(stored, registry))
    .sort((a, b) => (a.issuedOn === b.issuedOn ? (a.id < b.id ? -1 : 1) : a.issuedOn < b.issuedOn ? 1 : -1));
  const agencyIds = [...new Set([...input.agencies.keys(), ...scopesOf(figures, 'A#')])].sort();
  const reported = reportedByUnit(input.summaries ?? [], input.agencies);

  const files: [string, () => string][] = [];
  const json = (value: unknown) => `${JSON.stringify(value)}\n`;
  files.push(['data/summary.json', () => json(summaryFile(input, figures, index, units, reported))]);
  files.push(['data/units.json', () => json(published)]);
  for (const unit of published) {
    files.push([
      `data/units/${unit.id}.json`,
      () =>
        json(
          UnitFileSchema.parse({
            unit,
            generatedAt,
            children: registry.children(unit.id).map((child) => child.id),
            periods: sortedPeriods(figures.get(`U#${unit.id}`)),
            reported: reported.get(unit.id) ?? [],
          }),
        ),
    ]);
  }
  const agencyName = (id: string) => input.agencies.get(id) ?? id;
  files.push(['data/agencies.json', () => json(agencyIds.map((id) => ({ id, name: agencyName(id) })))]);
  for (const id of agencyIds) {
    files.push([
      `data/agencies/${id}.json`,
      () =>
        json(
          AgencyFileSchema.parse({
            agency: { id, name: agencyName(id) },
            generatedAt,
            ...(input.agencyKeys ? { keys: publishedKeys(input.agencyKeys.get(id) ?? []) } : {}),
            periods: sortedPeriods(figures.get(`A#${id}`)),
          }),
        ),
    ]);
  }
  files.push(['data/conclusions.json', () => json(index)]);
  for (const file of conclusionFiles) files.push([`data/conclusions/${file.id}.json`, () => json(file)]);
  files.push(['data/figures.csv', () => figuresCsv(figures, units)]);
  files.push(['data/units.csv', () => unitsCsv(published)]);
  files.push(['data/conclusions.csv', () => conclusionsCsv(index, conclusionFiles)]);

  let written = 0;
  for (const [path, content] of files) {
    await writer.write(path, content());
    input.onProgress?.(++written, files.length);
  }
  return { files: files.length, units: units.length, conclusions: conclusionFiles.length, agencies: agencyIds.length };
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
    latestConclusions: index.slice(0, LATEST_CONCLUSIONS),
    latestReported: [...reported]
      .flatMap(([unitId, summaries]) =>
        summaries.map((summary) => ({
          ...summary,
          unit: { id: unitId, name: units.find((unit) => unit.id === unitId)?.name ?? unitId },
        })),
      )
      .sort(byLatestSpan)
      .slice(0, LATEST_REPORTED),
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
    summary: item.summary ?? { vi: '' },
    ...(item.violations ? { violations: item.violations } : {}),
    ...(item.violatingUnits ? { violatingUnits: item.violatingUnits } : {}),
    discipline: (Array.isArray(item.discipline) ? item.discipline : []).map(publicDisciplineEntry),
    otherMeasures: item.otherMeasures ?? {},
    recommendations: recommendations.map((r: Record<string, unknown>) => ({ text: r.text, status: r.status })),
    ...(item.sources ? { sources: item.sources } : {}),
    ...(attachment
      ? { attachment: { sha256: attachment.sha256, bytes: attachment.bytes, mediaType: attachment.mediaType } }
      : {}),
    publishedAt: item.publishedAt ?? item.updatedAt ?? item.issuedOn,
    ...publishedSignature(item, type),
    ...(item.reason ? { reason: item.reason } : {}),
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

type Cell = string | number | null | undefined;

function csv(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const lines = [header.join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : defuseFormula(value);
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

const interval = (share: { share: number; low: number; high: number } | null): Cell[] =>
  share ? [share.share, share.low, share.high] : [null, null, null];

const FIGURE_COLUMNS = [
  'inspections_total',
  ...INSPECTION_KINDS.map((kind) => `inspections_${kind}`),
  'units_inspected',
  'units_with_violations',
  'violating_share',
  'violating_share_low',
  'violating_share_high',
  'violations_organizations',
  'violations_individuals',
  'disciplined_organizations',
  'disciplined_individuals',
  ...DISCIPLINE_FORMS.map((form) => `disciplined_${form}`),
  'transfers',
  'responsibility_reviews',
  'satisfaction_responses',
  'satisfaction_share',
  'satisfaction_share_low',
  'satisfaction_share_high',
  ...SURVEY_ASPECTS.flatMap((aspect) => [
    `${aspect}_responses`,
    `${aspect}_share`,
    `${aspect}_share_low`,
    `${aspect}_share_high`,
  ]),
  'dossiers_received',
  'resolved_early',
  'resolved_on_time',
  'resolved_late',
  'pending_overdue',
  'on_time_rate',
  'on_time_rate_low',
  'on_time_rate_high',
  'citizens_received',
  'complaints_received',
  'complaints_resolved',
  'denunciations_received',
  'denunciations_resolved',
];

function figureCells(f: PeriodFigures): Cell[] {
  return [
    f.inspections.total,
    ...INSPECTION_KINDS.map((kind) => f.inspections.byKind[kind]),
    f.inspections.unitsInspected,
    f.inspections.unitsWithViolations,
    ...interval(f.inspections.violatingShare),
    f.violations.organizations,
    f.violations.individuals,
    f.disciplined.organizations,
    f.disciplined.individuals,
    ...DISCIPLINE_FORMS.map((form) => f.disciplined.byForm[form]),
    f.otherMeasures.transfers,
    f.otherMeasures.responsibilityReviews,
    f.satisfaction.responses,
    ...interval(f.satisfaction.overall),
    ...SURVEY_ASPECTS.flatMap((aspect) => [
      f.satisfaction.aspects[aspect].responses,
      ...interval(f.satisfaction.aspects[aspect].share),
    ]),
    f.procedures.received,
    f.procedures.resolvedEarly,
    f.procedures.resolvedOnTime,
    f.procedures.resolvedLate,
    f.procedures.pendingOverdue,
    ...interval(f.procedures.onTimeRate),
    f.reception.citizensReceived,
    f.reception.complaintsReceived,
    f.reception.complaintsResolved,
    f.reception.denunciationsReceived,
    f.reception.denunciationsResolved,
  ];
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
  return csv(['unit_id', 'unit_code', 'unit_name', 'period', ...FIGURE_COLUMNS], rows);
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
