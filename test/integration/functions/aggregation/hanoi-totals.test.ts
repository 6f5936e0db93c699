import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStreamBatch } from '../../../../functions/aggregation/handler.js';
import { logger } from '../../../../functions/lib/observability.js';
import { StreamPoller } from '../../../../local/stream-poller.js';
import { buildFigures, suppressionGroups } from '../../../../shared/stats/figures.js';
import { wilsonInterval } from '../../../../shared/stats/methodology.js';
import { compareCounters, recompute } from '../../../../shared/stats/recompute.js';
import { localClientConfig } from '../../../../shared/storage/client.js';
import { scanCountedRecords, scanCounters } from '../../../../shared/storage/export-reader.js';
import { DynamoStatsStore } from '../../../../shared/storage/stats-repository.js';
import { RegistryUnitLookup } from '../../../../shared/units/registry-lookup.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { conclusionItem, type Item, registry, rollups, surveyItem } from '../../../unit/shared/stats/support.js';
import { putAll } from './stream-support.js';

/**
 * Ten thousand responses and five hundred conclusions across Hanoi, through the real stream, the local poller and
 * the handler, against totals computed here by hand (plain loops over what was generated, not the aggregation's
 * code), including the figures of the seed documents: the city team's 25 surprise inspections of 2024 and Đống Đa's
 * 15 disciplined Party members (2 warnings, 12 reprimands, 1 expulsion) in the first half of 2024.
 */

/** A small deterministic generator, so a failure can be reproduced. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const HANOI_OLD_WARDS = registry
  .all()
  .filter((u) => u.level === 3 && u.validTo === '2025-07-01' && registry.get(u.parent ?? '')?.parent === '01')
  .map((u) => u.id);
const HANOI_NEW_WARDS = registry
  .all()
  .filter((u) => u.level === 3 && u.validFrom === '2025-07-01' && u.parent === '01')
  .map((u) => u.id);
/** The 19 wards and communes the city team inspected by surprise in 2024 (seed 002). */
const SEED_WARDS = [
  '00304',
  '00331-pre2025',
  '00238',
  '00247',
  '00268',
  '00091-pre2025',
  '00100',
  '00094',
  '00097-pre2025',
];
const SEED_COMMUNES = ['00139', '00136-pre2025', '09796', '09820', '09784-pre2025', '09757', '09775', '10330-pre2025'];
const SEED_TOWNS = ['10270', '10273-pre2025'];
/** …and 6 district-level bodies (district offices and land registry branches), counted under their districts. */
const SEED_DISTRICT_BODIES = ['008', '272', '003', '008', '276', '272'];

describe('aggregation of ten thousand responses and five hundred conclusions across Hanoi', () => {
  let tables: TestTables;
  let streams: DynamoDBStreamsClient;
  let poller: StreamPoller;
  let dataDir: string;
  const surveys: Item[] = [];
  const conclusions: Item[] = [];
  let counted: Awaited<ReturnType<typeof scanCounters>>;

  beforeAll(async () => {
    logger.setLogLevel('ERROR');
    tables = await createTestTables('hanoi');
    streams = new DynamoDBStreamsClient(localClientConfig(tables.env));
    dataDir = mkdtempSync(join(tmpdir(), 'hanoi-totals-'));
    const deps = {
      lookup: new RegistryUnitLookup(registry),
      store: new DynamoStatsStore(tables.doc, tables.names.stats),
    };
    poller = new StreamPoller({
      dynamo: tables.client,
      streams,
      tableName: tables.names.records,
      dataDir,
      handler: (event) => processStreamBatch(event, deps),
      batchSize: 1_000,
    });

    const next = random(2024);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const day = (year: number, fromMonth: number, toMonth: number) => {
      const month = fromMonth + Math.floor(next() * (toMonth - fromMonth + 1));
      return `${year}-${String(month).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
    };
    for (let i = 0; i < 10_000; i++) {
      const after = i % 10 === 0; // one in ten after the reorganisation, at a new ward
      const rate = () => 1 + Math.floor(next() * 5);
      surveys.push(
        surveyItem({
          hash: `h${i}`,
          unitId: after ? pick(HANOI_NEW_WARDS) : pick(HANOI_OLD_WARDS),
          date: after ? day(2025, 8, 10) : day(2024, 1, 12),
          ratings: {
            access: rate(),
            procedures: rate(),
            staff: rate(),
            results: rate(),
            feedback: next() < 0.5 ? null : rate(),
          },
          overall: rate(),
        }),
      );
    }
    const seedUnits = [...SEED_WARDS, ...SEED_COMMUNES, ...SEED_TOWNS, ...SEED_DISTRICT_BODIES];
    seedUnits.forEach((unit, i) => {
      conclusions.push(
        conclusionItem({
          id: `seed-dktcv-${i}`,
          agencyId: 'hanoi-dktcv',
          kind: 'surprise',
          issuedOn: day(2024, 2, 12),
          unitIds: [unit],
          violations: { organizations: 0, individuals: i % 3 },
        }),
      );
    });
    const dongDaWards = registry.children('006').map((u) => u.id);
    conclusions.push(
      conclusionItem({
        id: 'seed-dong-da',
        agencyId: 'dong-da-ubkt',
        kind: 'directed',
        issuedOn: '2024-06-28',
        unitIds: dongDaWards.slice(0, 4),
        violations: { organizations: 0, individuals: 15 },
        // Party discipline decided by Party committees (seed 003): the Party track.
        discipline: [
          { form: 'warning', track: 'party', organizations: 0, individuals: 2 },
          { form: 'reprimand', track: 'party', organizations: 0, individuals: 12 },
          { form: 'expulsion', organizations: 0, individuals: 1 },
        ],
      }),
    );
    const outsideDongDa = HANOI_OLD_WARDS.filter((id) => registry.get(id)?.parent !== '006');
    for (let i = conclusions.length; i < 500; i++) {
      const units = [...new Set([pick(outsideDongDa), pick(outsideDongDa), pick(outsideDongDa)].slice(0, 1 + (i % 3)))];
      const individuals = Math.floor(next() * 6);
      conclusions.push(
        conclusionItem({
          id: `k${i}`,
          agencyId: 'hanoi-snv',
          kind: pick(['planned', 'thematic', 'specialized'] as const),
          issuedOn: day(2024, 1, 12),
          unitIds: units,
          violations: { organizations: Math.floor(next() * 2), individuals },
          discipline: individuals > 0 ? [{ form: 'reprimand', organizations: 0, individuals: individuals - 1 }] : [],
        }),
      );
    }
    await putAll(tables.doc, tables.names.records, [...surveys, ...conclusions]);
    poller.start();
    await poller.drain(240_000);
    counted = await scanCounters(tables.doc, tables.names.stats);
  }, 300_000);

  afterAll(async () => {
    await poller?.stop();
    streams?.destroy();
    await tables?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const districtOf = (id: string) => registry.get(id)?.parent ?? '';

  it('counts every response once in its ward, district and the city', async () => {
    // Prepare: totals by hand
    const responses2024 = surveys.filter((s) => String(s.date).startsWith('2024'));
    const satisfied2024 = responses2024.filter((s) => Number(s.overall) >= 4).length;
    const dongDa2024 = responses2024.filter((s) => districtOf(String(s.unitId)) === '006').length;
    const feedback2025 = surveys.filter(
      (s) => String(s.date).startsWith('2025') && (s.ratings as Item).feedback !== null,
    );

    // Act: the counters, as the poller and handler left them (read once, before the tests)

    // Assess
    expect(counted.get('U#01|2024')).toMatchObject({ surveys: responses2024.length, satisfied: satisfied2024 });
    expect(counted.get('U#01|2025')).toMatchObject({ surveys: 1_000, asp_feedback_n: feedback2025.length });
    expect(counted.get('U#006|2024')?.surveys).toBe(dongDa2024);
  });

  it('counts a ward merged in full in its successor', async () => {
    // Prepare: new Kim Liên (00229) took Khương Thượng and old Kim Liên in full
    const full = (registry.get('00229')?.predecessors ?? []).filter((p) => p.kind === 'full').map((p) => p.id);
    const expected = surveys.filter((s) => String(s.date).startsWith('2024') && full.includes(String(s.unitId))).length;

    // Act: the counters, as the poller and handler left them (read once, before the tests)

    // Assess
    expect(full).toContain('00238');
    expect(counted.get('U#00229|2024')?.surveys ?? 0).toBe(expected);
  });

  it("publishes the seed documents' figures: 25 surprise inspections and Đống Đa's 15 disciplined", async () => {
    // Act
    const figures = buildFigures(counted, suppressionGroups(registry.all()));

    // Assess
    const team = figures.get('A#hanoi-dktcv')?.get('2024');
    expect(team?.inspections.byKind.surprise).toBe(25);
    expect(team?.inspections.unitsInspected).toBe(25);
    const dongDa = figures.get('U#006')?.get('2024-Q2');
    // Party discipline, published apart: never as state discipline.
    expect(dongDa?.disciplined.individuals).toBe(0);
    expect(dongDa?.disciplined.tracks.party.decided.individuals).toBe(15);
    expect(dongDa?.disciplined.tracks.party.decided.byForm).toMatchObject({
      warning: { organizations: 0, individuals: 2 },
      reprimand: { organizations: 0, individuals: 12 },
      expulsion: { organizations: 0, individuals: 1 },
      dismissal: { organizations: 0, individuals: 0 },
    });
    expect(figures.get('U#01')?.get('2024')?.inspections.total).toBe(500);
  });

  it('matches hand-computed inspection totals for every district and the city', async () => {
    // Prepare
    const byDistrict = new Map<string, { total: number; units: number; disciplined: number; party: number }>();
    let cityDisciplined = 0;
    for (const c of conclusions) {
      const units = c.unitIds as string[];
      const districts = new Set(units.map((u) => (registry.get(u)?.level === 2 ? u : districtOf(u))));
      const entries = c.discipline as { form: string; track?: string; individuals: number }[];
      const party = (e: { form: string; track?: string }) => e.track === 'party' || e.form === 'expulsion';
      const state = entries.filter((e) => !party(e)).reduce((a, e) => a + e.individuals, 0);
      cityDisciplined += state;
      for (const d of districts) {
        const row = byDistrict.get(d) ?? { total: 0, units: 0, disciplined: 0, party: 0 };
        row.total += 1;
        row.units += units.filter((u) => u === d || districtOf(u) === d).length;
        // People are counted where all the conclusion's units are: in one district only if it lies in one.
        if (districts.size === 1) {
          row.disciplined += state;
          row.party += entries.filter(party).reduce((a, e) => a + e.individuals, 0);
        }
        byDistrict.set(d, row);
      }
    }

    // Act: the counters, as the poller and handler left them (read once, before the tests)

    // Assess
    for (const [district, row] of byDistrict) {
      expect(counted.get(`U#${district}|2024`), district).toMatchObject({
        conclusions: row.total,
        unitsInspected: row.units,
        ...(row.disciplined > 0 ? { d_sd_i: row.disciplined } : {}),
        ...(row.party > 0 ? { d_pd_i: row.party } : {}),
      });
      if (row.disciplined === 0) expect(counted.get(`U#${district}|2024`)?.d_sd_i, district).toBeUndefined();
    }
    const allUnits = conclusions.reduce((sum, c) => sum + (c.unitIds as string[]).length, 0);
    expect(counted.get('U#01|2024')).toMatchObject({
      conclusions: 500,
      unitsInspected: allUnits,
      d_sd_i: cityDisciplined,
      d_pd_i: 15,
    });
    // The districts never add up to more than the city.
    const districtsSum = [...byDistrict.keys()].reduce((sum, d) => sum + (counted.get(`U#${d}|2024`)?.d_sd_i ?? 0), 0);
    expect(districtsSum).toBeLessThanOrEqual(cityDisciplined);
  });

  it("shows the city's satisfaction as the Wilson interval of the hand count, and equals the recomputation", async () => {
    // Prepare
    const responses = surveys.filter((s) => String(s.date).startsWith('2024'));
    const satisfied = responses.filter((s) => Number(s.overall) >= 4).length;

    // Act
    const figures = buildFigures(counted, suppressionGroups(registry.all()));
    const recomputed = recompute(await scanCountedRecords(tables.doc, tables.names.records), rollups);

    // Assess
    expect(figures.get('U#01')?.get('2024')?.satisfaction.overall).toEqual(wilsonInterval(satisfied, responses.length));
    expect(compareCounters(recomputed.counters, counted)).toEqual([]);
  });
});
