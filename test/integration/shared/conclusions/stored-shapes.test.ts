import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgencyApiDependencies } from '../../../../functions/lib/agency-api.js';
import { conclusionId, contentHash } from '../../../../shared/conclusions/records.js';
import { ConclusionInputSchema } from '../../../../shared/conclusions/schemas.js';
import { correctConclusion, createConclusion, getConclusion } from '../../../../shared/conclusions/service.js';
import { ConclusionVersionSchema } from '../../../../shared/open-data/schemas.js';
import { contributionOf } from '../../../../shared/stats/contributions.js';
import { publicVersion } from '../../../../shared/stats/export.js';
import { CONCLUSION_LAYOUT } from '../../../../shared/storage/conclusions-repository.js';
import { readStoredConclusions } from '../../../../shared/storage/export-reader.js';
import { currentItem, versionItem } from '../../../../shared/storage/versioned-repository.js';
import { registerTestAgency, type TestAgency, testDependencies } from '../../../support/agency-fixtures.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { rollups } from '../../../unit/shared/stats/support.js';

/**
 * Conclusions stored before discipline had tracks, stages, categories and measures beyond two (CONTRACT.md then:
 * `expulsion` among the forms, `violations` required, `legalBasis` plain strings) stay valid: read, counted,
 * published and corrected without a migration, and the same old body sent again is still the same content.
 */

let tables: TestTables;
let deps: AgencyApiDependencies;
let dongDa: TestAgency;

/** Exactly what the first version of the service accepted and stored for Đống Đa's 2024-H1 Party discipline. */
const OLD_BODY = {
  documentNumber: 'OLD-01/BC-UBKTQU',
  issuedOn: '2024-06-30',
  kind: 'thematic',
  inspectedUnits: ['006'],
  topics: ['administrative_discipline'],
  legalBasis: ['24-CT/TU'],
  summary: { vi: 'Kỷ luật đảng viên 6 tháng đầu năm 2024.' },
  violations: { organizations: 0, individuals: 15 },
  discipline: [
    { form: 'warning', organizations: 0, individuals: 2 },
    { form: 'reprimand', organizations: 0, individuals: 12 },
    { form: 'expulsion', organizations: 0, individuals: 1 },
  ],
  otherMeasures: { transfers: 0, responsibilityReviews: 0 },
  recommendations: [],
};

beforeAll(async () => {
  tables = await createTestTables('shapes');
  deps = testDependencies(tables);
  dongDa = await registerTestAgency(deps, 'dongda-ubkt', ['006']);
  // Prepare: the items as the old writer put them (CURRENT and version 1), written raw.
  const id = conclusionId('dongda-ubkt', OLD_BODY.documentNumber);
  const hash = contentHash(OLD_BODY as never);
  const at = '2024-07-01T02:00:00.000Z';
  const record = {
    ...OLD_BODY,
    id,
    version: 1,
    status: 'published',
    agencyId: 'dongda-ubkt',
    unitIds: ['006'],
    contentHash: hash,
    createdContentHash: hash,
    publishedAt: at,
    createdAt: at,
    updatedAt: at,
  } as never;
  for (const Item of [currentItem(CONCLUSION_LAYOUT, record), versionItem(CONCLUSION_LAYOUT, record)]) {
    await tables.doc.send(new PutCommand({ TableName: tables.names.records, Item }));
  }
});

afterAll(async () => {
  await tables.drop();
});

describe('a conclusion stored in the first shape', () => {
  const id = conclusionId('dongda-ubkt', OLD_BODY.documentNumber);

  it('is read back, and its khai trừ is published as Party discipline, the rest as state and decided', async () => {
    // Act
    const [stored] = await readStoredConclusions(tables.doc, tables.names.records);
    const published = ConclusionVersionSchema.parse(publicVersion(stored?.current ?? {}));

    // Assess
    expect((await getConclusion(id, deps)).record.documentNumber).toBe(OLD_BODY.documentNumber);
    expect(published.discipline.map((d) => [d.form, d.track, d.stage])).toEqual([
      ['warning', 'state', 'decided'],
      ['reprimand', 'state', 'decided'],
      ['expulsion', 'party', 'decided'],
    ]);
    expect(published.legalBasis).toEqual(['24-CT/TU']);
  });

  it('is counted with its khai trừ outside the state figures', async () => {
    // Act
    const [stored] = await readStoredConclusions(tables.doc, tables.names.records);
    const counters = contributionOf(stored?.current, rollups).get('U#006|2024');

    // Assess: 2 + 12 on the state track, decided; the expulsion on the Party track.
    expect(counters?.d_sd_i).toBe(14);
    expect(counters?.d_pd_i).toBe(1);
    expect(counters?.d_pd_i_expulsion).toBe(1);
  });

  it('answers the same old body sent again with the stored record (its content hash still holds)', async () => {
    // Act
    const again = await createConclusion(ConclusionInputSchema.parse(OLD_BODY), { agency: dongDa.agency }, deps);

    // Assess
    expect(again.created).toBe(false);
    expect(again.record.version).toBe(1);
  });

  it('is corrected into the new shape: tracks written out and a source added', async () => {
    // Prepare
    const corrected = ConclusionInputSchema.parse({
      ...OLD_BODY,
      kind: 'regular',
      discipline: OLD_BODY.discipline.map((d) => ({ ...d, track: 'party' })),
      sources: [{ title: 'Quận Đống Đa: kỷ luật 15 đảng viên', url: 'https://example.org/dong-da' }],
    });

    // Act
    const result = await correctConclusion(id, '"1"', corrected, { agency: dongDa.agency }, deps);

    // Assess
    expect(result.changed).toBe(true);
    expect(result.record.version).toBe(2);
    expect((await getConclusion(id, deps)).versions.map((v) => v.discipline[0]?.track)).toEqual([undefined, 'party']);
  });
});
