import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConclusionRecord } from '../../../../shared/conclusions/records.js';
import { StaleWriteError } from '../../../../shared/publishing/optimistic.js';
import { DynamoConclusionStore } from '../../../../shared/storage/conclusions-repository.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { conclusionRecord } from '../../../unit/shared/stats/support.js';

/** Version `version` of a conclusion: its summary and content hash tell the versions apart. */
function record(id: string, version: number): ConclusionRecord {
  return conclusionRecord({
    id,
    version,
    summary: { vi: `Phiên bản ${version}.` },
    contentHash: String(version).repeat(64),
    createdContentHash: '1'.repeat(64),
  });
}

describe('a versioned store that loses a race on DynamoDB Local', () => {
  let tables: TestTables;
  let store: DynamoConclusionStore;

  beforeAll(async () => {
    tables = await createTestTables('versioned');
    store = new DynamoConclusionStore(tables.doc, tables.names.records);
  });

  afterAll(async () => {
    await tables?.drop();
  });

  const lost = async (write: Promise<void>): Promise<StaleWriteError> => {
    const error = await write.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(StaleWriteError);
    return error as StaleWriteError;
  };

  it('hands back the current record its failed condition found, so the service decides without a read', async () => {
    // Prepare
    await store.create(record('k-race', 1));
    await store.replace(record('k-race', 2), 1);

    // Act: a create of a document that exists, and a correction of a version that is no longer current.
    const created = await lost(store.create(record('k-race', 1)));
    const corrected = await lost(store.replace(record('k-race', 2), 1));

    // Assess: the record as stored (version 2), keys left out, parsed by its item schema.
    for (const error of [created, corrected]) {
      expect(error.found?.current).toEqual(record('k-race', 2));
    }
  });

  it('hands back the conclusion an attachment found, when the version is no longer current', async () => {
    // Prepare
    const attachment = {
      sha256: 'c'.repeat(64),
      bytes: 1024,
      mediaType: 'application/pdf' as const,
      key: 'k-race/1/c.pdf',
      attachedAt: '2024-06-02T00:00:00.000Z',
    };

    // Act
    const error = await lost(store.attach('k-race', 1, attachment));

    // Assess
    expect(error.found?.current).toMatchObject({ id: 'k-race', version: 2 });
  });
});
