import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SUMMARIES } from '../../local/demo/summaries.js';
import { TRACK_FORMS } from '../../shared/discipline/law.js';
import {
  AgencyFileSchema,
  type ConclusionFile,
  ConclusionFileSchema,
  type ConclusionIndexEntry,
  ConclusionIndexEntrySchema,
  type ConclusionVersion,
  type PeriodFigures,
  type PublishedUnit,
  PublishedUnitSchema,
  type ReportedSummary,
  ReportedSummarySchema,
  SURVEY_ASPECTS,
  SummaryFileSchema,
  type SurveyAspect,
  UnitFileSchema,
} from '../../shared/open-data/schemas.js';
import { SUMMARY_LATEST } from '../../shared/stats/export.js';
import { MIN_RESPONSES_FOR_COUNT, MIN_RESPONSES_FOR_PERCENT, wilsonInterval } from '../../shared/stats/methodology.js';
import { SUMMARY_FIGURE_GROUPS } from '../../shared/summaries/schemas.js';
import { isServicePointLevel } from '../../shared/surveys/service-points.js';
import { periodsOfDate, vietnamDate } from '../../shared/time/periods.js';
import { buildUnitsFromSources, DEFAULT_DATA_DIR } from '../../shared/units/load.js';
import { UnitRegistry } from '../../shared/units/registry.js';
import { inForceOn, type Unit } from '../../shared/units/types.js';
import {
  DISCIPLINE_FORMS,
  type DisciplineForm,
  INSPECTION_KINDS,
  type InspectionKind,
  OTHER_MEASURES,
  type OtherMeasure,
  RECOMMENDATION_STATUSES,
  TOPICS,
} from '../../shared/vocabulary.js';

/**
 * Synthetic open-data files for the site's tests and for building the site without the whole stack: every
 * unit of a registry gets deterministic figures (same seed, same files), rolled up the way the statistics
 * export rolls them up (a unit's figures include everything under it and the units merged fully into it).
 * Every file is validated with the open-data schemas before it is written.
 */

export interface SiteFixtureOptions {
  readonly registry: UnitRegistry;
  /** Number of conclusions to publish (default 24); a few get a correction, one in eleven a retraction. */
  readonly conclusions?: number;
  readonly seed: number;
  /** When the export "ran" (default 2026-11-15T02:00:00Z): the site's today. */
  readonly generatedAt?: string;
  /** First year with data (default 2024). */
  readonly fromYear?: number;
  /** Write monthly periods as well as years and quarters (default true). */
  readonly months?: boolean;
  /** Mean survey responses per service point per month (default 12): low values exercise withholding. */
  readonly responsesPerMonth?: number;
  /** The responses of the service points under this unit are illustrative (demo) data, flagged as such. */
  readonly illustrativeUnder?: string;
}

export interface SiteFixture {
  readonly dir: string;
  readonly generatedAt: string;
  readonly units: readonly PublishedUnit[];
  readonly conclusions: readonly ConclusionIndexEntry[];
  /** Level-3 units in force on the fixture's today: the survey forms the site must have. */
  readonly servicePoints: readonly string[];
}

const DEFAULT_GENERATED_AT = '2026-11-15T02:00:00.000Z';

/** Writes a complete, valid open-data directory for every unit of the registry. */
export function writeSiteFixture(dir: string, options: SiteFixtureOptions): SiteFixture {
  const generatedAt = options.generatedAt ?? DEFAULT_GENERATED_AT;
  const today = vietnamDate(new Date(generatedAt));
  const rng = mulberry32(options.seed);
  const registry = options.registry;
  const withMonths = options.months ?? true;
  const accumulators = new Map<string, Map<string, Accumulator>>();
  const acc = (unitId: string, period: string): Accumulator => {
    let byPeriod = accumulators.get(unitId);
    if (!byPeriod) {
      byPeriod = new Map();
      accumulators.set(unitId, byPeriod);
    }
    let value = byPeriod.get(period);
    if (!value) {
      value = emptyAccumulator();
      byPeriod.set(period, value);
    }
    return value;
  };
  const periodsOf = (date: string): string[] => {
    const [year, quarter, month] = periodsOfDate(date);
    return withMonths ? [year, quarter, month] : [year, quarter];
  };

  // Survey responses and procedure reports: monthly, at every level-3 unit in force that month.
  const months = monthRange(options.fromYear ?? 2024, today);
  const leaves = registry.all().filter((unit) => unit.level === 3);
  const meanResponses = options.responsesPerMonth ?? 12;
  for (const unit of leaves) {
    const quality = 0.55 + rng() * 0.4;
    const size = rng() < 0.1 ? 0.1 : 0.4 + rng() * 1.2;
    for (const month of months) {
      const mid = `${month}-15`;
      if (!inForceOn(unit, mid)) continue;
      const targets = registry.rollupTargets(unit.id, mid);
      const illustrative = options.illustrativeUnder !== undefined && targets.includes(options.illustrativeUnder);
      const responses = Math.round(meanResponses * size * (0.5 + rng()));
      const satisfied = binomial(rng, responses, quality);
      const aspects = Object.fromEntries(
        SURVEY_ASPECTS.map((aspect) => {
          const answered = aspect === 'feedback' ? Math.round(responses * 0.4) : responses;
          return [
            aspect,
            { responses: answered, satisfied: binomial(rng, answered, clamp(quality + (rng() - 0.5) * 0.2)) },
          ];
        }),
      ) as Record<SurveyAspect, Tally>;
      const received = Math.round(200 * size * (0.5 + rng()));
      const late = binomial(rng, received, 0.003 + rng() * 0.02);
      const early = binomial(rng, received - late, 0.3);
      const pendingOverdue = Math.round(rng() * 3);
      const complaints = Math.round(rng() * 4);
      const denunciations = Math.round(rng() * 2);
      for (const target of targets) {
        for (const period of periodsOf(mid)) {
          const a = acc(target, period);
          a.responses += responses;
          a.satisfied += satisfied;
          // Derived, not drawn: a new random draw would shift every figure after it. Verified responses come
          // from QR codes on dossier receipts; the others through the site's form.
          a.verified.responses += Math.floor(responses * 0.6);
          a.verified.satisfied += Math.floor(satisfied * 0.6);
          if (illustrative) a.illustrativeResponses += responses;
          for (const aspect of SURVEY_ASPECTS) {
            a.aspects[aspect].responses += aspects[aspect].responses;
            a.aspects[aspect].satisfied += aspects[aspect].satisfied;
          }
          a.received += received;
          a.resolvedEarly += early;
          a.resolvedOnTime += received - late - early;
          a.resolvedLate += late;
          a.pendingOverdue += pendingOverdue;
          a.citizensReceived += complaints * 3 + denunciations;
          a.complaintsReceived += complaints;
          a.complaintsResolved += Math.max(0, complaints - (rng() < 0.2 ? 1 : 0));
          a.denunciationsReceived += denunciations;
          a.denunciationsResolved += denunciations;
        }
      }
    }
  }

  // Conclusions: each inspects one or two service points in force on its date.
  const startDate = `${options.fromYear ?? 2024}-01-01`;
  const conclusionCount = options.conclusions ?? 24;
  const files: ConclusionFile[] = [];
  const agencies = new Map<string, string>();
  const agencyAccumulators = new Map<string, Map<string, Accumulator>>();
  const index: ConclusionIndexEntry[] = [];
  for (let i = 0; i < conclusionCount && leaves.length > 0; i++) {
    const issuedOn = addDays(startDate, Math.floor(rng() * daysBetween(startDate, today)));
    const candidates = leaves.filter((unit) => inForceOn(unit, issuedOn));
    if (candidates.length === 0) continue;
    const first = pickFrom(rng, candidates);
    const siblings = candidates.filter((unit) => unit.parent === first.parent && unit.id !== first.id);
    const inspected = rng() < 0.25 && siblings.length > 0 ? [first, pickFrom(rng, siblings)] : [first];
    const root = registry.ancestors(first.id, issuedOn).at(-1) ?? first.id;
    const agency = {
      id: `agency-${root}`,
      name: `Đoàn kiểm tra công vụ ${registry.get(root)?.name ?? root}`,
    };
    agencies.set(agency.id, agency.name);
    const versions = conclusionVersions(rng, i, issuedOn, inspected, generatedAt);
    const current = versions.at(-1) ?? versions[0];
    if (!current) continue;
    const id = ulidLike(rng, issuedOn);
    files.push(ConclusionFileSchema.parse({ id, agency, current, versions }));
    const rollup = [...new Set(inspected.flatMap((unit) => registry.rollupTargets(unit.id, issuedOn)))];
    index.push(
      ConclusionIndexEntrySchema.parse({
        id,
        version: current.version,
        status: current.status,
        agency: agency.id,
        documentNumber: current.documentNumber,
        issuedOn,
        kind: current.kind,
        inspectedUnits: inspected.map((unit) => unit.id),
        rollup,
        title: {
          vi: `Kết luận kiểm tra công vụ tại ${inspected.map((u) => u.name).join(', ')}`,
          en: `Inspection conclusion: ${inspected.map((u) => u.nameAscii).join(', ')}`,
        },
        updatedAt: current.publishedAt,
      }),
    );
    if (current.status === 'retracted') continue;
    // A conclusion counts once in each unit it rolls up into (and in its agency); inspected units count per
    // (conclusion, unit).
    const perTarget = new Map<string, number>();
    for (const unit of inspected) {
      for (const target of registry.rollupTargets(unit.id, issuedOn)) {
        perTarget.set(target, (perTarget.get(target) ?? 0) + 1);
      }
    }
    const agencyPeriods = agencyAccumulators.get(agency.id) ?? new Map<string, Accumulator>();
    agencyAccumulators.set(agency.id, agencyPeriods);
    const scopes: [Map<string, Accumulator> | string, number][] = [...perTarget, [agencyPeriods, inspected.length]];
    for (const [scope, inspectedUnder] of scopes) {
      for (const period of periodsOf(issuedOn)) {
        let a: Accumulator;
        if (typeof scope === 'string') a = acc(scope, period);
        else {
          a = scope.get(period) ?? emptyAccumulator();
          scope.set(period, a);
        }
        a.inspections[current.kind] += 1;
        a.unitsInspected += inspectedUnder;
        const violations = current.violations ?? { organizations: 0, individuals: 0 };
        if (violations.organizations + violations.individuals > 0) {
          a.unitsWithViolations += inspectedUnder;
        }
        a.violationsOrganizations += violations.organizations;
        a.violationsIndividuals += violations.individuals;
        for (const d of current.discipline) {
          a.byForm[d.form] += d.individuals;
          a.disciplinedOrganizations += d.organizations;
          a.disciplinedIndividuals += d.individuals;
        }
        a.transfers += current.otherMeasures.transfers ?? 0;
        a.responsibilityReviews += current.otherMeasures.responsibilityReviews ?? 0;
      }
    }
  }

  // The demo summary reports (figures as stated), on the units the registry has.
  const reported = demoReported(registry);

  // Write everything, validated.
  mkdirSync(join(dir, 'units'), { recursive: true });
  mkdirSync(join(dir, 'conclusions'), { recursive: true });
  const published = registry.all().map((unit) => PublishedUnitSchema.parse(unit));
  writeJson(dir, 'units.json', published);
  for (const unit of published) {
    const byPeriod = accumulators.get(unit.id) ?? new Map<string, Accumulator>();
    const periods: Record<string, PeriodFigures> = {};
    for (const key of [...byPeriod.keys()].sort()) {
      const a = byPeriod.get(key);
      if (a) periods[key] = figuresOf(a);
    }
    const file = UnitFileSchema.parse({
      unit,
      generatedAt,
      children: registry.children(unit.id).map((child) => child.id),
      periods,
      reported: reported.filter((summary) => summary.unit.id === unit.id).map(({ unit: _unit, ...summary }) => summary),
    });
    writeJson(dir, `units/${unit.id}.json`, file);
  }
  index.sort((a, b) => b.issuedOn.localeCompare(a.issuedOn) || a.id.localeCompare(b.id));
  writeJson(dir, 'conclusions.json', index);
  for (const file of files) writeJson(dir, `conclusions/${file.id}.json`, file);
  const agencyList = [...agencies].map(([id, name]) => ({ id, name })).sort((a, b) => a.id.localeCompare(b.id));
  mkdirSync(join(dir, 'agencies'), { recursive: true });
  writeJson(dir, 'agencies.json', agencyList);
  for (const agency of agencyList) {
    const byPeriod = agencyAccumulators.get(agency.id) ?? new Map<string, Accumulator>();
    const periods = Object.fromEntries(
      [...byPeriod.keys()].sort().map((key) => [key, figuresOf(emptyOr(byPeriod, key))]),
    );
    writeJson(dir, `agencies/${agency.id}.json`, AgencyFileSchema.parse({ agency, generatedAt, periods }));
  }
  const roots = registry.roots().filter((root) => accumulators.has(root.id));
  const summary = SummaryFileSchema.parse({
    generatedAt,
    roots: roots.map((root) => ({ id: root.id, name: root.name })),
    figures: Object.fromEntries(
      roots.map((root) => {
        const byPeriod = accumulators.get(root.id) ?? new Map<string, Accumulator>();
        return [root.id, Object.fromEntries([...byPeriod].map(([key, a]) => [key, figuresOf(a)]))];
      }),
    ),
    counts: {
      conclusions: index.length,
      surveyResponses: roots.reduce((sum, root) => {
        const years = [...(accumulators.get(root.id) ?? new Map<string, Accumulator>())].filter(([k]) =>
          /^\d{4}$/.test(k),
        );
        return sum + years.reduce((s, [, a]) => s + a.responses, 0);
      }, 0),
      reports: leaves.length * months.length,
    },
    latestConclusions: index.slice(0, SUMMARY_LATEST.conclusions),
    latestReported: [...reported].sort((a, b) => b.to.localeCompare(a.to)).slice(0, SUMMARY_LATEST.reported),
  });
  writeJson(dir, 'summary.json', summary);
  writeFileSync(
    join(dir, 'units.csv'),
    `id,code,name,type,level,parent,validFrom,validTo\n${published
      .map((u) =>
        [u.id, u.code, `"${u.name}"`, u.type, u.level, u.parent ?? '', u.validFrom ?? '', u.validTo ?? ''].join(','),
      )
      .join('\n')}\n`,
  );
  // Service points (shared/surveys/service-points.ts): wards and communes, and provinces for their centre.
  const servicePoints = registry
    .all()
    .filter((unit) => isServicePointLevel(unit.level) && inForceOn(unit, today))
    .map((unit) => unit.id);
  return { dir, generatedAt, units: published, conclusions: index, servicePoints };
}

/**
 * A registry built from the committed reference lists, for the given provinces (all when omitted):
 * the national one is also the committed registry, `loadRegistryFile()`.
 */
export function sourceRegistry(provinces?: readonly string[]): UnitRegistry {
  return new UnitRegistry(buildUnitsFromSources(DEFAULT_DATA_DIR, provinces ? { provinces } : {}));
}

/**
 * A tiny hand-written registry: Hanoi with two old districts (one urban, one rural), their old wards and
 * communes, the new wards and communes they merged into (fully and partly), and a second province.
 */
export function tinyRegistry(): UnitRegistry {
  const old = { validFrom: null, validTo: '2025-07-01' } as const;
  const now = { validFrom: '2025-07-01', validTo: null } as const;
  const always = { validFrom: null, validTo: null } as const;
  const full = (id: string) => ({ id, kind: 'full' as const });
  const partial = (id: string) => ({ id, kind: 'partial' as const });
  const unit = (
    id: string,
    name: string,
    type: Unit['type'],
    parent: string | null,
    validity: { validFrom: string | null; validTo: string | null },
    links: Partial<Pick<Unit, 'successors' | 'predecessors' | 'formerParent'>> = {},
  ): Unit => {
    const level = parent === null ? 1 : /^\d{3}$/.test(id) ? 2 : 3;
    const nameAscii = name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D');
    const words = nameAscii.split(' ');
    const proper = words.slice(['Thị', 'Thành', 'Đặc'].includes(name.split(' ')[0] ?? '') ? 2 : 1);
    return {
      id,
      code: id.replace(/-pre2025$/, ''),
      name,
      nameAscii,
      slug: proper.join('-').toLowerCase(),
      type,
      level,
      parent,
      ...validity,
      successors: links.successors ?? [],
      predecessors: links.predecessors ?? [],
      ...(links.formerParent ? { formerParent: links.formerParent } : {}),
    };
  };
  return new UnitRegistry([
    unit('01', 'Thành phố Hà Nội', 'municipality', null, always),
    unit('22', 'Tỉnh Quảng Ninh', 'province', null, always),
    unit('003', 'Quận Tây Hồ', 'urban_district', '01', old),
    unit('250', 'Huyện Mê Linh', 'district', '01', old),
    unit('193', 'Thành phố Hạ Long', 'provincial_city', '22', old),
    unit('00094', 'Phường Quảng An', 'ward', '003', old, { successors: [full('00091')] }),
    unit('00097-pre2025', 'Phường Tứ Liên', 'ward', '003', old, { successors: [full('00097')] }),
    unit('00100', 'Phường Nhật Tân', 'ward', '003', old, { successors: [partial('00091'), partial('00097')] }),
    unit('09004', 'Xã Tiền Phong', 'commune', '250', old, { successors: [full('09010')] }),
    unit('09007', 'Xã Đại Thịnh', 'commune', '250', old, { successors: [full('09010')] }),
    unit('08980', 'Thị trấn Quang Minh', 'township', '250', old, { successors: [full('08998')] }),
    unit('06658-pre2025', 'Phường Hồng Gai', 'ward', '193', old, { successors: [full('06658')] }),
    unit('06664', 'Phường Trần Hưng Đạo', 'ward', '193', old, { successors: [full('06658')] }),
    // Continuing units: the same ward before and after 2025-07-01, under its district before and the city after.
    unit('00103', 'Phường Phú Thượng', 'ward', '01', always, { formerParent: '003' }),
    unit('06661', 'Phường Bãi Cháy', 'ward', '22', always, { formerParent: '193' }),
    unit('00091', 'Phường Tây Hồ', 'ward', '01', now, { predecessors: [full('00094'), partial('00100')] }),
    unit('00097', 'Phường Hồng Hà', 'ward', '01', now, { predecessors: [full('00097-pre2025'), partial('00100')] }),
    unit('09010', 'Xã Tiến Thắng', 'commune', '01', now, { predecessors: [full('09004'), full('09007')] }),
    unit('08998', 'Xã Quang Minh', 'commune', '01', now, { predecessors: [full('08980')] }),
    unit('06658', 'Phường Hồng Gai', 'ward', '22', now, { predecessors: [full('06658-pre2025'), full('06664')] }),
  ]);
}

interface Tally {
  responses: number;
  satisfied: number;
}

interface Accumulator {
  inspections: Record<InspectionKind, number>;
  unitsInspected: number;
  unitsWithViolations: number;
  violationsOrganizations: number;
  violationsIndividuals: number;
  disciplinedOrganizations: number;
  disciplinedIndividuals: number;
  byForm: Record<DisciplineForm, number>;
  transfers: number;
  responsibilityReviews: number;
  responses: number;
  satisfied: number;
  verified: Tally;
  illustrativeResponses: number;
  aspects: Record<SurveyAspect, Tally>;
  received: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  pendingOverdue: number;
  citizensReceived: number;
  complaintsReceived: number;
  complaintsResolved: number;
  denunciationsReceived: number;
  denunciationsResolved: number;
}

function emptyAccumulator(): Accumulator {
  return {
    inspections: Object.fromEntries(INSPECTION_KINDS.map((k) => [k, 0])) as Record<InspectionKind, number>,
    unitsInspected: 0,
    unitsWithViolations: 0,
    violationsOrganizations: 0,
    violationsIndividuals: 0,
    disciplinedOrganizations: 0,
    disciplinedIndividuals: 0,
    byForm: Object.fromEntries(DISCIPLINE_FORMS.map((f) => [f, 0])) as Record<DisciplineForm, number>,
    illustrativeResponses: 0,
    transfers: 0,
    responsibilityReviews: 0,
    responses: 0,
    satisfied: 0,
    verified: { responses: 0, satisfied: 0 },
    aspects: Object.fromEntries(SURVEY_ASPECTS.map((a) => [a, { responses: 0, satisfied: 0 }])) as Record<
      SurveyAspect,
      Tally
    >,
    received: 0,
    resolvedEarly: 0,
    resolvedOnTime: 0,
    resolvedLate: 0,
    pendingOverdue: 0,
    citizensReceived: 0,
    complaintsReceived: 0,
    complaintsResolved: 0,
    denunciationsReceived: 0,
    denunciationsResolved: 0,
  };
}

function emptyOr(byPeriod: ReadonlyMap<string, Accumulator>, key: string): Accumulator {
  return byPeriod.get(key) ?? emptyAccumulator();
}

function figuresOf(a: Accumulator): PeriodFigures {
  const total = INSPECTION_KINDS.reduce((sum, kind) => sum + a.inspections[kind], 0);
  const resolved = a.resolvedEarly + a.resolvedOnTime + a.resolvedLate + a.pendingOverdue;
  // Nothing to count from is null, never 0: no conclusion, no report, no response.
  const inspected = (n: number) => (total === 0 ? null : n);
  const reported = (n: number) => (a.received === 0 ? null : n);
  const emptyTrack = (forms: readonly DisciplineForm[]) => ({
    organizations: inspected(0),
    individuals: inspected(0),
    byForm: Object.fromEntries(forms.map((form) => [form, { organizations: inspected(0), individuals: inspected(0) }])),
  });
  const stateDecided = {
    organizations: inspected(a.disciplinedOrganizations),
    individuals: inspected(a.disciplinedIndividuals),
    byForm: Object.fromEntries(
      TRACK_FORMS.state.map((form) => [form, { organizations: inspected(0), individuals: inspected(a.byForm[form]) }]),
    ),
  };
  return {
    inspections: {
      total: inspected(total),
      byKind: Object.fromEntries(INSPECTION_KINDS.map((kind) => [kind, inspected(a.inspections[kind])])) as Record<
        InspectionKind,
        number | null
      >,
      unitsInspected: inspected(a.unitsInspected),
      unitsAssessed: inspected(a.unitsInspected),
      unitsWithViolations: inspected(a.unitsWithViolations),
      violatingShare: a.unitsInspected === 0 ? null : wilson(a.unitsWithViolations, a.unitsInspected),
    },
    violations: {
      organizations: inspected(a.violationsOrganizations),
      individuals: inspected(a.violationsIndividuals),
      conclusions: total,
      byCategory: null,
    },
    disciplined: {
      ...stateDecided,
      conclusions: total,
      tracks: {
        state: { decided: stateDecided, recommended: emptyTrack(TRACK_FORMS.state) },
        party: { decided: emptyTrack(TRACK_FORMS.party), recommended: emptyTrack(TRACK_FORMS.party) },
      },
    },
    otherMeasures: {
      ...(Object.fromEntries(OTHER_MEASURES.map((m) => [m, inspected(0)])) as Record<OtherMeasure, number | null>),
      transfers: inspected(a.transfers),
      responsibilityReviews: inspected(a.responsibilityReviews),
    },
    satisfaction: {
      responses: a.responses === 0 || a.responses < MIN_RESPONSES_FOR_COUNT ? null : a.responses,
      overall: a.responses < MIN_RESPONSES_FOR_PERCENT ? null : wilson(a.satisfied, a.responses),
      verified: {
        responses:
          a.verified.responses < MIN_RESPONSES_FOR_COUNT || a.responses < MIN_RESPONSES_FOR_COUNT
            ? null
            : a.verified.responses,
        overall:
          a.verified.responses < MIN_RESPONSES_FOR_PERCENT || a.responses < MIN_RESPONSES_FOR_COUNT
            ? null
            : wilson(a.verified.satisfied, a.verified.responses),
      },
      channels: {
        web: a.responses === 0 || a.responses < MIN_RESPONSES_FOR_COUNT ? null : a.responses - a.verified.responses,
        qr: a.responses === 0 || a.responses < MIN_RESPONSES_FOR_COUNT ? null : a.verified.responses,
        api: a.responses === 0 || a.responses < MIN_RESPONSES_FOR_COUNT ? null : 0,
      },
      aspects: Object.fromEntries(
        SURVEY_ASPECTS.map((aspect) => {
          const t = a.aspects[aspect];
          return [
            aspect,
            {
              responses: t.responses === 0 || t.responses < MIN_RESPONSES_FOR_COUNT ? null : t.responses,
              share: t.responses < MIN_RESPONSES_FOR_PERCENT ? null : wilson(t.satisfied, t.responses),
            },
          ];
        }),
      ) as PeriodFigures['satisfaction']['aspects'],
      // Synthetic answers on conduct, a fixed fraction of the responses (the shares' base and their yes counts).
      conduct: {
        extraDocuments: surveyShare(a.responses, Math.floor(a.responses / 10)),
        extraPayment: surveyShare(a.responses, Math.floor(a.responses / 25)),
        harassment: surveyShare(a.responses, Math.floor(a.responses / 50)),
        tripsOverTwo: surveyShare(a.responses, Math.floor(a.responses / 8)),
        late: surveyShare(a.responses, Math.floor(a.responses / 6)),
        apologyWhenLate: surveyShare(Math.floor(a.responses / 6), Math.floor(a.responses / 12)),
      },
      ...(a.illustrativeResponses > 0 ? { illustrative: true as const } : {}),
    },
    procedures: {
      received: reported(a.received),
      resolvedEarly: reported(a.resolvedEarly),
      resolvedOnTime: reported(a.resolvedOnTime),
      resolvedLate: reported(a.resolvedLate),
      pendingOverdue: reported(a.pendingOverdue),
      onTimeRate: resolved === 0 ? null : wilson(a.resolvedEarly + a.resolvedOnTime, resolved),
    },
    reception: {
      citizensReceived: reported(a.citizensReceived),
      complaintsReceived: reported(a.complaintsReceived),
      complaintsResolved: reported(a.complaintsResolved),
      denunciationsReceived: reported(a.denunciationsReceived),
      denunciationsResolved: reported(a.denunciationsResolved),
    },
  };
}

function conclusionVersions(
  rng: () => number,
  index: number,
  issuedOn: string,
  inspected: readonly Unit[],
  generatedAt: string,
): ConclusionVersion[] {
  const violationsIndividuals = Math.floor(rng() * 6);
  const violationsOrganizations = Math.floor(rng() * 2);
  const violations = { organizations: violationsOrganizations, individuals: violationsIndividuals };
  const disciplinedIndividuals = Math.floor(rng() * (violationsIndividuals + 1));
  const form = pickFrom(rng, DISCIPLINE_FORMS.slice(0, 3));
  const publishedAt = `${issuedOn}T03:00:00.000Z` < generatedAt ? `${issuedOn}T03:00:00.000Z` : generatedAt;
  const first: ConclusionVersion = {
    version: 1,
    status: 'published',
    documentNumber: `${index + 101}/KL-ĐKTCV`,
    issuedOn,
    kind: pickFrom(rng, INSPECTION_KINDS),
    inspectedUnits: inspected.map((unit) => unit.id),
    topics: [pickFrom(rng, TOPICS.slice(0, 4)), 'public_ethics'],
    legalBasis: ['24-CT/TU', '26/CT-TTg'],
    summary: {
      vi: `Đoàn kiểm tra đột xuất việc chấp hành kỷ luật, kỷ cương hành chính tại ${inspected
        .map((u) => u.name)
        .join(', ')}; phát hiện ${violationsIndividuals} cá nhân vi phạm giờ giấc làm việc.`,
      en: `Surprise inspection of administrative discipline at ${inspected
        .map((u) => u.nameAscii)
        .join(', ')}; ${violationsIndividuals} individuals broke working-hour rules.`,
    },
    violations,
    discipline:
      disciplinedIndividuals > 0
        ? [{ form, organizations: 0, individuals: disciplinedIndividuals, track: 'state', stage: 'decided' }]
        : [],
    otherMeasures: { transfers: Math.floor(rng() * 2), responsibilityReviews: Math.floor(rng() * 3) },
    recommendations: [
      {
        text: {
          vi: 'Chấn chỉnh việc niêm yết thủ tục hành chính tại bộ phận một cửa.',
          en: 'Correct the posting of administrative procedures at the one-stop desk.',
        },
        status: pickFrom(rng, RECOMMENDATION_STATUSES),
      },
    ],
    ...(rng() < 0.5
      ? {
          attachment: {
            sha256: hex(rng, 64),
            bytes: 40_000 + Math.floor(rng() * 400_000),
            mediaType: 'application/pdf',
          },
        }
      : {}),
    publishedAt,
  };
  const versions = [first];
  if (index % 5 === 0) {
    const later = laterInstant(publishedAt, generatedAt, 3);
    versions.push({
      ...first,
      version: 2,
      violations: { ...violations, individuals: violations.individuals + 1 },
      summary: { vi: `${first.summary.vi} (đính chính số liệu)`, en: `${first.summary.en ?? ''} (figures corrected)` },
      publishedAt: later,
      reason: 'Đính chính số cá nhân vi phạm',
    });
  }
  if (index % 11 === 3) {
    const previous = versions.at(-1) ?? first;
    versions.push({
      ...previous,
      version: previous.version + 1,
      status: 'retracted',
      publishedAt: laterInstant(previous.publishedAt, generatedAt, 7),
      reason: 'Thu hồi do ban hành nhầm đơn vị',
    });
  }
  return versions;
}

function laterInstant(from: string, limit: string, days: number): string {
  const later = new Date(new Date(from).getTime() + days * 86_400_000).toISOString();
  return later < limit ? later : limit;
}

/** The export's Wilson interval (rounded outwards, as published), for a count with at least one trial. */
function wilson(successes: number, trials: number): { share: number; low: number; high: number } {
  const interval = wilsonInterval(successes, trials);
  if (!interval) throw new RangeError('wilson needs at least one trial');
  return interval;
}

function binomial(rng: () => number, trials: number, p: number): number {
  // A normal approximation is enough for test data and keeps a national fixture fast.
  if (trials <= 0) return 0;
  const mean = trials * p;
  const sd = Math.sqrt(trials * p * (1 - p));
  const u = Math.max(1e-9, rng());
  const v = rng();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(trials, Math.max(0, Math.round(mean + sd * normal)));
}

function clamp(p: number): number {
  return Math.min(0.99, Math.max(0.01, p));
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pickFrom<T>(rng: () => number, list: readonly T[]): T {
  const value = list[Math.floor(rng() * list.length)];
  if (value === undefined) throw new RangeError('pickFrom on an empty list');
  return value;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id (time part from the date, random part from the seeded generator): sortable, URL-safe. */
function ulidLike(rng: () => number, date: string): string {
  let time = Date.parse(`${date}T00:00:00Z`);
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = (CROCKFORD[time % 32] ?? '0') + head;
    time = Math.floor(time / 32);
  }
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(rng() * 32)] ?? '0';
  return head + tail;
}

function hex(rng: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(rng() * 16).toString(16);
  return out;
}

function monthRange(fromYear: number, today: string): string[] {
  const months: string[] = [];
  const end = today.slice(0, 7);
  for (let year = fromYear; ; year++) {
    for (let month = 1; month <= 12; month++) {
      const key = `${year}-${String(month).padStart(2, '0')}`;
      if (key > end) return months;
      months.push(key);
    }
  }
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.max(1, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));
}

function writeJson(dir: string, file: string, value: unknown): void {
  writeFileSync(join(dir, file), `${JSON.stringify(value)}\n`);
}

/** The demo summaries as the export publishes them, for the units of the registry (their codes are their ids). */
function demoReported(registry: UnitRegistry): (ReportedSummary & { unit: { id: string; name: string } })[] {
  return DEMO_SUMMARIES.flatMap((demo, index) => {
    const body = demo.body;
    const unit = registry.get(String(body.jurisdiction));
    if (!unit) return [];
    const figures = Object.fromEntries(
      SUMMARY_FIGURE_GROUPS.filter((group) => body[group] !== undefined).map((group) => [group, body[group]]),
    );
    return [
      {
        ...ReportedSummarySchema.parse({
          id: `s${String(index).padStart(19, 'a')}`,
          version: 1,
          agency: { id: demo.agencyId, name: demo.agencyId },
          documentNumber: body.documentNumber,
          issuedOn: body.issuedOn,
          from: body.from,
          to: body.to,
          scope: body.scope,
          ...(body.title ? { title: body.title } : {}),
          ...(body.description ? { description: body.description } : {}),
          sources: body.sources,
          figures,
        }),
        unit: { id: unit.id, name: unit.name },
      },
    ];
  });
}

/** A survey share as the export publishes it: n withheld under 10, the share under 30 (shared/stats/methodology.ts). */
function surveyShare(n: number, yes: number): { responses: number | null; share: ReturnType<typeof wilsonInterval> } {
  return {
    responses: n === 0 || n < MIN_RESPONSES_FOR_COUNT ? null : n,
    share: n < MIN_RESPONSES_FOR_PERCENT ? null : wilsonInterval(yes, n),
  };
}
