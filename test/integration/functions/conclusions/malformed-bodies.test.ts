import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCreateConclusionHandler } from '../../../../functions/conclusions/create.js';
import type { ConclusionApiDependencies } from '../../../../functions/conclusions/dependencies.js';
import { ProblemSchema } from '../../../../shared/openapi/responses.js';
import {
  call,
  registerTestAgency,
  signedEvent,
  type TestAgency,
  testDependencies,
} from '../../../support/agency-fixtures.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { malformedConclusionRequest } from '../../../support/malformed-conclusions.js';
import { snapshotDiff, snapshotTables } from '../../../support/table-snapshot.js';

/**
 * Malformed bodies through the real handler and the real engine, each signed by a registered agency (so the
 * signature is not what stops them): every one gets 400/413/415/422 as problem+json, none a 5xx, and the
 * tables are exactly as before (not even a replay marker is written).
 */

let tables: TestTables;
let deps: ConclusionApiDependencies;
let agency: TestAgency;
const create = createCreateConclusionHandler(() => deps);

beforeAll(async () => {
  tables = await createTestTables('fuzz');
  deps = testDependencies(tables);
  agency = await registerTestAgency(deps, 'hanoi-dktcv', ['01']);
});

afterAll(async () => {
  await tables.drop();
});

describe('POST /api/v1/conclusions with malformed bodies', () => {
  it('refuses hundreds of them with 400/413/415/422 and writes nothing', async () => {
    // Prepare
    const before = await snapshotTables(tables.doc, tables.names);
    const statuses = new Map<number, number>();

    // Act
    await fc.assert(
      fc.asyncProperty(malformedConclusionRequest, async (request) => {
        const event = await signedEvent(agency, {
          method: 'POST',
          path: '/api/v1/conclusions',
          rawBody: request.body,
          headers: request.contentType ? { 'content-type': request.contentType } : {},
        });
        if (!request.contentType) delete event.headers['content-type'];
        const answer = await call(create, event);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(request.expected).toContain(answer.status);
        expect(answer.headers['content-type']).toBe('application/problem+json');
        expect(ProblemSchema.safeParse(answer.body).success).toBe(true);
      }),
      { numRuns: 300 },
    );
    const after = await snapshotTables(tables.doc, tables.names);

    // Assess
    expect(snapshotDiff(before, after)).toEqual([]);
    expect([...statuses.keys()].sort()).toEqual([400, 413, 415, 422]);
  });
});
