import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorrectConclusionHandler } from '../../../../functions/conclusions/correct.js';
import { createCreateConclusionHandler } from '../../../../functions/conclusions/create.js';
import type { ConclusionApiDependencies } from '../../../../functions/conclusions/dependencies.js';
import { createRetractConclusionHandler } from '../../../../functions/conclusions/retract.js';
import { appendStreamBatch } from '../../../../functions/log/handler.js';
import { StreamPoller } from '../../../../local/stream-poller.js';
import { binaryDirectoryWriter, writeLocalLog } from '../../../../publisher/log-files.js';
import { decodeLogEntry } from '../../../../shared/log/entry.js';
import { generateNoteKey } from '../../../../shared/log/note.js';
import { logIdentity } from '../../../../shared/log/signer.js';
import { verifyPublishedLog } from '../../../../shared/log/verify.js';
import { publishedKeys } from '../../../../shared/stats/export.js';
import { readAgencyKeys } from '../../../../shared/storage/agencies-repository.js';
import { signedBodyKey } from '../../../../shared/storage/keys.js';
import { DynamoLogStore, readLogEntries } from '../../../../shared/storage/log-repository.js';
import {
  call,
  exampleConclusion,
  registerTestAgency,
  signedEvent,
  type TestAgency,
  testDependencies,
} from '../../../support/agency-fixtures.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';
import { streamsClient } from '../aggregation/stream-support.js';

let tables: TestTables;
let deps: ConclusionApiDependencies;
let hanoi: TestAgency;
let streams: DynamoDBStreamsClient;
let dir: string;

beforeAll(async () => {
  tables = await createTestTables('log');
  deps = testDependencies(tables);
  hanoi = await registerTestAgency(deps, 'hanoi-dktcv', ['01']);
  streams = streamsClient(tables);
  dir = mkdtempSync(join(tmpdir(), 'log-handler-'));
});
afterAll(async () => {
  streams?.destroy();
  await tables?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('signed versions and the log appender on the records stream', () => {
  it('keeps each version’s JWS, key, jti and exact body, logs publish, correct and retract once each, and verifies', async () => {
    const body = exampleConclusion({ documentNumber: '77/KL-LOG' });
    const created = await call(
      createCreateConclusionHandler(() => deps),
      await signedEvent(hanoi, { method: 'POST', path: '/api/v1/conclusions', body }),
    );
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const path = `/api/v1/conclusions/${id}`;
    const corrected = await call(
      createCorrectConclusionHandler(() => deps),
      await signedEvent(hanoi, {
        method: 'PUT',
        path,
        routePath: '/api/v1/conclusions/{id}',
        params: { id },
        body: { ...body, summary: { vi: 'Kết luận đã sửa số liệu' }, reason: 'Sửa số liệu' },
        headers: { 'if-match': '"1"' },
      }),
    );
    expect(corrected.status).toBe(200);
    const retracted = await call(
      createRetractConclusionHandler(() => deps),
      await signedEvent(hanoi, {
        method: 'POST',
        path: `${path}/retraction`,
        routePath: '/api/v1/conclusions/{id}/retraction',
        params: { id },
      }),
    );
    expect(retracted.status).toBe(200);

    const versions = await deps.conclusions.versions(id);
    expect(versions.map((v) => v.signature?.keyThumbprint)).toEqual([
      hanoi.signing.kid,
      hanoi.signing.kid,
      hanoi.signing.kid,
    ]);
    const first = versions[0]?.signature;
    const stored = await tables.doc.send(
      new GetCommand({ TableName: tables.names.records, Key: signedBodyKey(first?.bodySha256 ?? '') }),
    );
    expect(Buffer.from(stored.Item?.bytes as Uint8Array).toString()).toBe(JSON.stringify(body));
    expect(versions[2]?.signature?.bodySha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

    // The stream, read by the poller as Lambda would, delivered twice (a second consumer position from scratch).
    const store = new DynamoLogStore(tables.doc, tables.names.stats);
    let grew = 0;
    const handler = (event: DynamoDBStreamEvent) => appendStreamBatch(event, { store, grew: async () => void grew++ });
    for (const consumer of ['log', 'log-again']) {
      const poller = new StreamPoller({
        dynamo: tables.client,
        streams,
        tableName: tables.names.records,
        dataDir: dir,
        handler,
        consumer,
        idleMs: 50,
      });
      poller.start();
      await poller.drain();
      await poller.stop();
    }

    const entries = (await readLogEntries(tables.doc, tables.names.stats)).map(decodeLogEntry);
    expect(entries.map((e) => `${e.type} ${e.id} v${e.version} ${e.status}`)).toEqual([
      `conclusion ${id} v1 published`,
      `conclusion ${id} v2 published`,
      `conclusion ${id} v3 retracted`,
    ]);
    expect(grew).toBeGreaterThan(0);

    // Published and verified: the log files, the bodies, and the agency's keys as the export writes them.
    const identity = logIdentity('test.localhost/log', generateNoteKey());
    await writeLocalLog({ doc: tables.doc, tables: tables.names }, identity, dir);
    const keys = publishedKeys((await readAgencyKeys(tables.doc, tables.names.records)).get('hanoi-dktcv') ?? []);
    await binaryDirectoryWriter(dir).write({
      path: 'data/agencies/hanoi-dktcv.json',
      bytes: new TextEncoder().encode(JSON.stringify({ keys })),
      contentType: 'application/json',
      immutable: false,
    });
    const fromDisk = async (p: string) => {
      try {
        return new Uint8Array(readFileSync(join(dir, p)));
      } catch {
        return undefined;
      }
    };
    const report = await verifyPublishedLog(fromDisk, { verifierKey: identity.verifierKey });
    expect(report.failures).toEqual([]);
    expect(report.entries).toBe(3);
  }, 60_000);

  it('appends the versions before a record it cannot read, reports that record, and appends nothing after it', async () => {
    // Arrange: three version records in one batch, the second with a signature that is not a compact JWS
    const store = new DynamoLogStore(tables.doc, tables.names.stats);
    const tag = `unreadable-${Date.now()}`;
    const image = (id: string, jws = 'eyJhbGciOiJFZERTQSJ9.e30.c2ln') => ({
      entity: 'conclusion-version',
      id: `${tag}-${id}`,
      version: 1,
      status: 'published',
      agencyId: 'hanoi-dktcv',
      publishedAt: '2026-11-30T08:00:00.000Z',
      signature: { keyThumbprint: 'A'.repeat(43), jti: `jti-${tag}-${id}`, jws, bodySha256: '0'.repeat(64) },
    });
    const record = (sequence: string, newImage: Record<string, unknown>): DynamoDBRecord => ({
      eventID: `${tag}-${sequence}`,
      dynamodb: {
        SequenceNumber: sequence,
        NewImage: marshall(newImage) as Record<string, AttributeValue>,
      },
    });
    const start = await store.size();
    let grew = 0;

    // Act
    const result = await appendStreamBatch(
      { Records: [record('1', image('a')), record('2', image('b', 'not a jws')), record('3', image('c'))] },
      { store, grew: async () => void grew++ },
    );

    // Assess: the stream redelivers from the unreadable record, so nothing after it may be in the log yet
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '2' }]);
    const entries = (await readLogEntries(tables.doc, tables.names.stats)).map(decodeLogEntry);
    expect(entries.slice(start).map((entry) => entry.id)).toEqual([`${tag}-a`]);
    expect(await store.indexOf({ type: 'conclusion', id: `${tag}-c`, version: 1 })).toBeUndefined();
    expect(grew).toBe(1);
  });
});
