import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportToDirectory } from '../../../cli/lib/stats-tasks.js';
import { appendStreamBatch } from '../../../functions/log/handler.js';
import { SITE_BUILD_READS } from '../../../infra/stacks/publishing-stack.js';
import { writeLocalLog } from '../../../publisher/log-files.js';
import { type SigningKey, signAgencyRequest } from '../../../shared/auth/sign-agency-request.js';
import { generateNoteKey } from '../../../shared/log/note.js';
import { logIdentity } from '../../../shared/log/signer.js';
import type { ExportRegistry } from '../../../shared/stats/export.js';
import { createDocumentClient, createDynamoClient } from '../../../shared/storage/client.js';
import { COMMENT_ENTITY, SURVEY_ENTITY } from '../../../shared/storage/keys.js';
import { DynamoLogStore } from '../../../shared/storage/log-repository.js';
import { saveUnits } from '../../../shared/storage/units-repository.js';
import { committedRegistry, exampleConclusion } from '../../support/agency-fixtures.js';
import { type ApiHandler, apiEvent, lambdaContext } from '../../support/api-event.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import {
  type DynamoRecorder,
  partitionOfKey,
  refusedBySiteBuild,
  startDynamoRecorder,
} from '../../support/dynamodb-recorder.js';
import { exampleSummary } from '../../support/summary-fixtures.js';
import { surveyHandlerEnv, surveyJson } from '../../support/survey-fixtures.js';
import { snapshotTables } from '../../support/table-snapshot.js';
import { registerLoadAgency } from '../../support/workload.js';
import { readStream, streamsClient } from '../functions/aggregation/stream-support.js';

/**
 * The site build's reads (infra/stacks/publishing-stack.ts, SITE_BUILD_READS, granted with dynamodb:LeadingKeys)
 * against what its two exports really read: a store with published documents, an agency, a transparency log and
 * a citizen's survey response with a pending comment; `stats export` and `log export` run as the build runs them,
 * their DynamoDB traffic recorded. Every read must fall inside the grants (so no citizen's item is ever read), and
 * every granted partition must be used (so the grant is no wider than the build).
 */

const UNIT_IDS = ['01', '22', '008', '00304', '00301'];

describe('the site build reads published records only', () => {
  let tables: TestTables;
  let recorder: DynamoRecorder;
  let streams: DynamoDBStreamsClient;
  let signing: SigningKey;
  let dir: string;
  let registry: ExportRegistry;

  async function post(entry: string, path: string, body: unknown, agency: boolean): Promise<void> {
    const { handler } = (await import(`../../../${entry}`)) as { handler: ApiHandler };
    const bytes = Buffer.from(JSON.stringify(body));
    const authorization: Record<string, string> = agency
      ? { authorization: await signAgencyRequest(signing, { method: 'POST', pathWithQuery: path, body: bytes }) }
      : {};
    const result = await handler(
      apiEvent({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', ...authorization },
        body: bytes,
      }),
      lambdaContext(),
    );
    if ((result.statusCode ?? 500) >= 300)
      throw new Error(`setup: ${path} answered ${result.statusCode}: ${result.body}`);
  }

  beforeAll(async () => {
    tables = await createTestTables('buildreads');
    const national = committedRegistry();
    const units = UNIT_IDS.map((id) => national.get(id)).filter((unit) => unit !== undefined);
    // The export's view of a few units (ExportRegistry), so it writes a handful of files, not a province's.
    const ids = new Set(UNIT_IDS);
    registry = {
      all: () => units,
      children: (id) => national.children(id).filter((unit) => ids.has(unit.id)),
      rollupTargets: (id, onDate) => national.rollupTargets(id, onDate).filter((target) => ids.has(target)),
    };
    await saveUnits(tables.doc, tables.names.records, units, national);
    signing = await registerLoadAgency(tables.doc, tables.names.records, 'build-reads', ['01', '22']);
    Object.assign(process.env, tables.env, surveyHandlerEnv(1_000_000));
    await post('functions/conclusions/create.js', '/api/v1/conclusions', exampleConclusion(), true);
    await post('functions/summaries/create.js', '/api/v1/summaries', exampleSummary(), true);
    await post(
      'functions/surveys/create.js',
      '/api/v1/surveys',
      surveyJson({ dossierCode: `BUILD-READS-${process.pid}`, comment: 'Cán bộ hướng dẫn tận tình.' }),
      false,
    );
    // The transparency log, appended from the records stream as its consumer does in AWS.
    streams = streamsClient(tables);
    const store = new DynamoLogStore(tables.doc, tables.names.stats);
    await appendStreamBatch({ Records: await readStream(tables, streams) }, { store, grew: async () => {} });
    recorder = await startDynamoRecorder(tables.endpoint, tables.names);
    dir = mkdtempSync(join(tmpdir(), 'build-reads-'));
  }, 120_000);

  afterAll(async () => {
    streams?.destroy();
    await recorder?.close();
    await tables?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds citizens’ items the build must not read (a survey response and its pending comment)', async () => {
    // Act
    const items = [...(await snapshotTables(tables.doc, tables.names)).values()].join('\n');

    // Assess
    expect(items).toContain(`"entity":"${SURVEY_ENTITY}"`);
    expect(items).toContain(`"entity":"${COMMENT_ENTITY}"`);
  });

  it('runs stats export and log export inside its grants, using every partition it is granted', async () => {
    // Prepare
    const client = createDynamoClient({ ...tables.env, DYNAMODB_ENDPOINT: recorder.endpoint });
    const doc = createDocumentClient(client);
    recorder.take();

    // Act
    try {
      await exportToDirectory({ doc, tables: tables.names, log: () => {}, progress: false }, registry, dir);
      const summary = await writeLocalLog(
        { doc, tables: tables.names },
        logIdentity('test.localhost/log', generateNoteKey()),
        dir,
      );
      expect(summary.size).toBeGreaterThan(0);
    } finally {
      client.destroy();
    }
    const accesses = recorder.take();

    // Assess
    expect(accesses.map((access) => refusedBySiteBuild(access, SITE_BUILD_READS)).filter(Boolean)).toEqual([]);
    const records = accesses.filter((access) => access.table === 'records');
    const onTable = new Set(records.filter((a) => !a.index).flatMap((a) => a.leadingKeys.map(partitionOfKey)));
    const onIndex = new Set(records.filter((a) => a.index).flatMap((a) => a.leadingKeys));
    expect([...onTable].sort()).toEqual([...SITE_BUILD_READS.partitions].sort());
    expect([...onIndex].sort()).toEqual([...SITE_BUILD_READS.indexPartitions].sort());
  });
});
