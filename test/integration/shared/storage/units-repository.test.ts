import { BatchWriteCommand, DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ServiceUnavailableError } from '../../../../shared/errors.js';
import { createDocumentClient, createDynamoClient } from '../../../../shared/storage/client.js';
import { unitKey } from '../../../../shared/storage/keys.js';
import {
  bundledUnits,
  countUnits,
  DynamoUnitLookup,
  readUnitsManifest,
  saveUnits,
  saveUnitsManifest,
  unitsDigest,
} from '../../../../shared/storage/units-repository.js';
import { loadRegistryFile } from '../../../../shared/units/load.js';
import type { UnitRegistry } from '../../../../shared/units/registry.js';
import { RegistryUnitLookup } from '../../../../shared/units/registry-lookup.js';
import type { Unit } from '../../../../shared/units/types.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

/** The committed registry, read once for every store of this file. */
const registry: UnitRegistry = loadRegistryFile();

/**
 * The units the stores here hold: Hà Nội before and after 2025-07-01, plus Quảng Ninh's one continuing commune (a
 * unit with a former parent) and its province and old district.
 */
const hanoi: Unit[] = registry
  .all()
  .filter(
    (unit) =>
      unit.id === '01' || registry.ancestors(unit.id).at(-1) === '01' || ['22', '201', '06967'].includes(unit.id),
  );

describe('units repository on DynamoDB Local', () => {
  let tables: TestTables;
  let progress: [number, number][];
  beforeAll(async () => {
    tables = await createTestTables('units');
    progress = [];
    await saveUnits(tables.doc, tables.names.records, hanoi, registry, (written, total) =>
      progress.push([written, total]),
    );
  });
  afterAll(async () => {
    await tables.drop();
  });

  it('saves every unit and reports its progress', async () => {
    // Act
    const count = await countUnits(tables.doc, tables.names.records);

    // Assess
    expect(hanoi).toHaveLength(1 + 30 + 526 + 126 + 3);
    expect(count).toBe(hanoi.length);
    expect(progress.at(-1)).toEqual([hanoi.length, hanoi.length]);
    expect(progress).toHaveLength(Math.ceil(hanoi.length / 25));
  });

  it('writes a manifest with the count and digest of what it saved', async () => {
    // Act
    const manifest = await readUnitsManifest(tables.doc, tables.names.records);

    // Assess
    expect(manifest).toMatchObject({ count: hanoi.length, digest: unitsDigest(hanoi) });
  });

  it('stores a unit with every field, its sets and its keys', async () => {
    // Act
    const { Item } = await tables.doc.send(new GetCommand({ TableName: tables.names.records, Key: unitKey('00304') }));

    // Assess
    expect(Item).toEqual({
      ...registry.get('00304'),
      pk: 'UNIT#00304',
      sk: 'UNIT',
      gsi1pk: 'UNITCODE#00304',
      gsi1sk: '0000-00-00#00304',
      entity: 'unit',
      rollup: ['00304', '008', '01'],
      coverage: ['00304', '008', '00283', '00301', '00322', '00331', '01'],
    });
  });

  it('resolves a reused code to the unit in force on each side of 2025-07-01', async () => {
    // Prepare
    const lookup = new DynamoUnitLookup(tables.doc, tables.names.records);

    // Act
    const before = await lookup.resolve('00097', '2025-06-30');
    const after = await lookup.resolve('00097', '2025-07-01');

    // Assess
    expect(before).toMatchObject({
      id: '00097-pre2025',
      name: 'Phường Tứ Liên',
      rollup: ['00097-pre2025', '003', '01'],
    });
    expect(before?.coverage).toContain('00097');
    expect(after).toMatchObject({ id: '00097', name: 'Phường Hồng Hà', rollup: ['00097', '01'] });
  });

  it('answers undefined for a code not in force on the date, or unknown', async () => {
    // Prepare
    const lookup = new DynamoUnitLookup(tables.doc, tables.names.records);

    // Act
    const ended = await lookup.resolve('00304', '2025-07-01');
    const unknown = await lookup.resolve('99999', '2024-01-01');

    // Assess
    expect(ended).toBeUndefined();
    expect(unknown).toBeUndefined();
  });

  it('agrees with the in-memory lookup, including a continuing commune’s sets on each side of 2025-07-01', async () => {
    // Prepare
    const dynamo = new DynamoUnitLookup(tables.doc, tables.names.records);
    const memory = new RegistryUnitLookup(registry);
    const questions: [string, string][] = [
      ['00001', '2024-12-31'],
      ['00304', '2024-05-20'],
      ['00097', '2025-06-30'],
      ['00097', '2026-01-01'],
      ['008', '2025-01-01'],
      ['01', '2025-07-01'],
      ['06967', '2025-06-30'],
      ['06967', '2025-07-01'],
    ];

    // Act
    const answers = await Promise.all(
      questions.map(async ([code, date]) => [await dynamo.resolve(code, date), await memory.resolve(code, date)]),
    );

    // Assess
    for (const [stored, expected] of answers) expect(stored).toEqual(expected);
    expect(answers[6]?.[0]?.rollup).toContain('201');
    expect(answers[7]?.[0]?.rollup).not.toContain('201');
  });

  it('gets a unit by id, with its sets over all time', async () => {
    // Prepare
    const lookup = new DynamoUnitLookup(tables.doc, tables.names.records);

    // Act
    const unit = await lookup.get('008');
    const missing = await lookup.get('nope');

    // Assess
    expect(unit).toMatchObject({ name: 'Quận Hoàng Mai', parent: '01', rollup: ['008', '01'] });
    expect(missing).toBeUndefined();
  });

  it('answers from its cache until the entry expires or is cleared', async () => {
    // Prepare
    let now = 1_000;
    const lookup = new DynamoUnitLookup(tables.doc, tables.names.records, { ttlMs: 60_000, now: () => now });
    await lookup.resolve('00100', '2025-01-01');
    await tables.doc.send(new DeleteCommand({ TableName: tables.names.records, Key: unitKey('00100') }));

    // Act
    const cached = await lookup.resolve('00100', '2025-01-01');
    now += 60_001;
    const expired = await lookup.resolve('00100', '2025-01-01');

    // Assess
    expect(cached?.id).toBe('00100');
    expect(expired).toBeUndefined();
  });

  it('shares one request between concurrent lookups of a code', async () => {
    // Prepare
    const lookup = new DynamoUnitLookup(tables.doc, tables.names.records);
    const send = vi.spyOn(tables.doc, 'send');

    // Act
    await Promise.all([lookup.resolve('00109', '2025-01-01'), lookup.resolve('00109', '2026-01-01')]);

    // Assess
    expect(send).toHaveBeenCalledTimes(1);
    send.mockRestore();
  });

  it('turns an unreachable database into ServiceUnavailableError', async () => {
    // Prepare
    const client = createDynamoClient({ ...tables.env, DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
    const lookup = new DynamoUnitLookup(createDocumentClient(client), tables.names.records);

    // Act
    const resolving = lookup.resolve('00097', '2025-07-01');

    // Assess
    await expect(resolving).rejects.toBeInstanceOf(ServiceUnavailableError);
    client.destroy();
  });
});

describe('saveUnits when DynamoDB leaves items unprocessed', () => {
  let tables: TestTables;
  beforeAll(async () => {
    tables = await createTestTables('units-retry');
  });
  afterAll(async () => {
    await tables.drop();
  });

  it('sends the unprocessed items again until all are written', async () => {
    // Prepare: the first batch write stores only 5 items and reports the rest unprocessed, as throttled
    // DynamoDB does (the real engine cannot be made to do it on demand).
    const units = registry.all().filter((unit) => unit.parent === '008');
    const original = tables.doc.send.bind(tables.doc);
    let throttled = false;
    const send = vi.spyOn(tables.doc, 'send').mockImplementation((async (command: unknown) => {
      if (command instanceof BatchWriteCommand && !throttled) {
        throttled = true;
        const [table, requests] = Object.entries(command.input.RequestItems ?? {})[0] ?? ['', []];
        await original(new BatchWriteCommand({ RequestItems: { [table]: requests.slice(0, 5) } }));
        return { UnprocessedItems: { [table]: requests.slice(5) } };
      }
      return original(command as BatchWriteCommand);
    }) as typeof tables.doc.send);

    // Act
    await saveUnits(tables.doc, tables.names.records, units, registry);
    send.mockRestore();

    // Assess
    expect(throttled).toBe(true);
    expect(units.length).toBeGreaterThan(5);
    expect(await countUnits(tables.doc, tables.names.records)).toBe(units.length);
  });
});

describe('DynamoUnitLookup with the registry shipped with the code (issue 15, "fewer round trips")', () => {
  let tables: TestTables;
  /** Every Hà Nội code on each side of 2025-07-01 and today, codes not in force, and codes nobody ever had. */
  let questions: [string, string][];
  beforeAll(async () => {
    tables = await createTestTables('units-bundled');
    await saveUnits(tables.doc, tables.names.records, hanoi, registry);
    const dates = ['2020-01-01', '2025-06-30', '2025-07-01', new Date().toISOString().slice(0, 10)];
    const codes = [...new Set(hanoi.map((unit) => unit.code)), '99999', 'nope'];
    questions = codes.flatMap((code) => dates.map((date): [string, string] => [code, date]));
  });
  afterAll(async () => {
    await tables.drop();
  });

  /** Counts the requests a lookup sends while `act` runs. */
  const counting = async <T>(act: () => Promise<T>): Promise<{ result: T; requests: string[] }> => {
    const send = vi.spyOn(tables.doc, 'send');
    try {
      const result = await act();
      return { result, requests: send.mock.calls.map(([command]) => command.constructor.name) };
    } finally {
      send.mockRestore();
    }
  };

  const askAll = (lookup: DynamoUnitLookup) =>
    Promise.all([
      ...questions.map(([code, date]) => lookup.resolve(code, date)),
      ...hanoi.flatMap((unit) => [
        lookup.get(unit.id),
        lookup.get(unit.id, '2025-06-30'),
        lookup.get(unit.id, '2026-01-01'),
      ]),
      lookup.get('nope'),
    ]);

  it('asks the store for every unit when the store was imported from another registry', async () => {
    // Prepare: the store's manifest is that of the Hà Nội units it holds, not of the committed registry.
    const lookup = new DynamoUnitLookup(tables.doc, tables.names.records, { bundled: bundledUnits });
    const hoChiMinh = registry.resolve('79', '2026-01-01');

    // Act
    const { result, requests } = await counting(async () => ({
      outside: await lookup.resolve('79', '2026-01-01'),
      inside: await lookup.resolve('00097', '2026-01-01'),
    }));

    // Assess: a unit of the committed registry that the store does not hold is unknown, as the store says.
    expect(hoChiMinh).toBeDefined();
    expect(result.outside).toBeUndefined();
    expect(result.inside?.id).toBe('00097');
    expect(requests).toEqual(['GetCommand', 'QueryCommand', 'QueryCommand']);
  });

  it('answers exactly as the store when its manifest is the committed registry’s, with one request in all', async () => {
    // Prepare: the manifest a national import writes (only the units compared are stored, to keep the test short).
    const bundled = await bundledUnits();
    await saveUnitsManifest(tables.doc, tables.names.records, {
      count: registry.size,
      digest: bundled?.digest ?? 'none',
      savedAt: new Date().toISOString(),
    });
    const fromStore = await askAll(new DynamoUnitLookup(tables.doc, tables.names.records));
    const lookup = new DynamoUnitLookup(tables.doc, tables.names.records, { bundled: bundledUnits });

    // Act
    const { result: fromRegistry, requests } = await counting(() => askAll(lookup));

    // Assess
    expect(bundled?.digest).toBe(unitsDigest(registry.all()));
    expect(fromRegistry).toEqual(fromStore);
    expect(fromStore.filter((unit) => unit !== undefined).length).toBeGreaterThan(hanoi.length * 3);
    expect(requests).toEqual(['GetCommand']);
  });

  it('reads the manifest again once per cache period, and stops trusting a store imported since', async () => {
    // Prepare
    let now = 1_000;
    const bundled = await bundledUnits();
    const manifest = { count: registry.size, digest: bundled?.digest ?? 'none', savedAt: new Date().toISOString() };
    await saveUnitsManifest(tables.doc, tables.names.records, manifest);
    const lookup = new DynamoUnitLookup(tables.doc, tables.names.records, {
      bundled: bundledUnits,
      ttlMs: 60_000,
      now: () => now,
    });
    const before = await counting(() => lookup.resolve('79', '2026-01-01'));
    await saveUnitsManifest(tables.doc, tables.names.records, { ...manifest, digest: unitsDigest(hanoi) });

    // Act
    const cached = await counting(() => lookup.resolve('79', '2026-01-01'));
    now += 60_001;
    const after = await counting(() => lookup.resolve('79', '2026-01-01'));

    // Assess
    expect(before.result?.id).toBe('79');
    expect(before.requests).toEqual(['GetCommand']);
    expect(cached.result?.id).toBe('79');
    expect(cached.requests).toEqual([]);
    expect(after.result).toBeUndefined();
    expect(after.requests).toEqual(['GetCommand', 'QueryCommand']);
  });
});
