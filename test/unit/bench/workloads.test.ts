import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregationWorkload } from '../../../bench/aggregation.js';
import { changeOneWard } from '../../../bench/site.js';
import { parseBody } from '../../../functions/lib/body.js';
import { clientAddressOf, ORIGIN_VERIFY_HEADER, VIEWER_ADDRESS_HEADER } from '../../../functions/lib/origin-verify.js';
import { type BodyRouteName, routeRequests } from '../../../functions/route-requests.js';
import { signingKeyFromPem } from '../../../shared/auth/sign-agency-request.js';
import { UnitFileSchema } from '../../../shared/open-data/schemas.js';
import { components, formComponents } from '../../../shared/openapi/components.js';
import { contributionOf } from '../../../shared/stats/contributions.js';
import { clientPrefix } from '../../../shared/surveys/hashing.js';
import { isServicePointLevel } from '../../../shared/surveys/service-points.js';
import { todayInVietnam } from '../../../shared/time/periods.js';
import { loadRegistryFile } from '../../../shared/units/load.js';
import * as z from '../../../shared/zod.js';
import { generateKeyPair } from '../../support/agency-fixtures.js';
import { tinyRegistry, writeSiteFixture } from '../../support/site-fixture.js';
import { availableWorkloads, viewerAddress } from '../../support/workload.js';

/**
 * The synthetic data of every quick-bench section goes through the schemas the product reads it with, so a schema
 * change that the bench's data no longer meets fails here, in `npm test`, instead of failing the bench (it did,
 * twice, with nothing else noticing). Sizes are the quick bench's: latency 250 requests per route, throughput 1,300,
 * aggregation 2,000 records, the site the tiny registry's fixture. The bundles section has no synthetic data.
 */

const QUICK_REQUESTS = 1300;
const QUICK_AGGREGATION_RECORDS = 2000;

const registry = loadRegistryFile();
const today = todayInVietnam();

/** The route's body schema, as its handler passes it to `routeBody` (the component its route documents). */
function bodySchemaOf(route: BodyRouteName, mediaType: string): z.core.$ZodType {
  const request = routeRequests[route];
  if ('binary' in request) throw new Error(`${route} takes opaque bytes`);
  if (mediaType === 'application/x-www-form-urlencoded' && 'formComponent' in request) {
    return formComponents[request.formComponent];
  }
  return components[request.component];
}

describe('the throughput and latency workloads (test/support/workload.ts)', async () => {
  const keys = generateKeyPair();
  const signing = await signingKeyFromPem('bench-workload-test', keys.privatePem);
  const { workloads } = availableWorkloads('schema-test', signing);

  it('covers the write routes the bench times', () => {
    expect(workloads.map((w) => w.route)).toEqual(
      expect.arrayContaining(['surveys-create', 'conclusions-create', 'reports-create']),
    );
  });

  for (const workload of workloads.filter((w) => w.writes)) {
    it(`${workload.route}: every request's body parses and meets the route's schema, naming units in force`, async () => {
      const route = workload.route as BodyRouteName;
      const request = routeRequests[route];
      expect(request, `${route} takes a body`).toBeDefined();
      if ('binary' in request) throw new Error(`${route} takes opaque bytes`);
      for (let i = 0; i < QUICK_REQUESTS; i++) {
        const sent = await workload.request(i);
        // The handler's own parsing (functions/lib/body.ts: cap, media type, UTF-8, NFC, duplicate keys).
        const parsed = parseBody(sent.body, false, sent.headers['content-type'], request);
        const result = z.safeParse(bodySchemaOf(route, parsed.mediaType), parsed.value);
        if (!result.success) {
          throw new Error(`${route} request ${i}: ${JSON.stringify(result.error.issues.slice(0, 3))}`);
        }
        // What the handler resolves next: each unit named must be in force today (a survey's, a service point).
        const value = result.data as { unit?: string; inspectedUnits?: string[] };
        for (const code of [...(value.unit ? [value.unit] : []), ...(value.inspectedUnits ?? [])]) {
          const unit = registry.resolve(code, today);
          expect(unit, `${route} request ${i}: unit ${code} in force on ${today}`).toBeDefined();
          if (route === 'surveys-create') expect(isServicePointLevel(unit?.level ?? 0)).toBe(true);
        }
      }
    });
  }
});

describe('the front door the bench sends through (bench/stack.ts)', async () => {
  const door = { originVerify: 'o'.repeat(43) };
  const keys = generateKeyPair();
  const signing = await signingKeyFromPem('bench-front-door-test', keys.privatePem);
  const { workloads } = availableWorkloads('front-door-test', signing, door);

  it('every request carries the origin value and a viewer address the functions read as a client of its own', async () => {
    for (const workload of workloads.filter((w) =>
      ['surveys-create', 'conclusions-create', 'health'].includes(w.route),
    )) {
      const clients = new Set<string>();
      for (let i = 0; i < QUICK_REQUESTS; i++) {
        const { headers } = await workload.request(i);
        expect(headers[ORIGIN_VERIFY_HEADER]).toBe(door.originVerify);
        // What the survey function counts by: the header's address (trusted once the origin passed), its prefix.
        const address = clientAddressOf(headers, '127.0.0.1', true, VIEWER_ADDRESS_HEADER);
        expect(isIPv4(address), address).toBe(true);
        clients.add(clientPrefix(address));
      }
      expect(clients.size, workload.route).toBe(QUICK_REQUESTS);
    }
  });

  it('viewer addresses stay in the benchmarking range 198.18.0.0/15 and repeat only after 2^17', () => {
    expect(viewerAddress(0)).toMatch(/^198\.18\.0\.0:\d+$/);
    expect(viewerAddress(2 ** 17 - 1)).toMatch(/^198\.19\.255\.255:\d+$/);
    expect(viewerAddress(2 ** 17)).toBe(viewerAddress(0));
  });
});

describe('the aggregation workload (bench/aggregation.ts)', () => {
  it("every image is an item the aggregation accepts and counts, its units in the registry's roll-ups", () => {
    const { records, finalItems } = aggregationWorkload(QUICK_AGGREGATION_RECORDS);
    expect(records.length).toBe(QUICK_AGGREGATION_RECORDS);
    const rollups = (unitId: string, onDate: string) => registry.rollupTargets(unitId, onDate);
    let counted = 0;
    for (const [i, record] of records.entries()) {
      for (const image of [record.newImage, record.oldImage]) {
        if (!image) continue;
        // The aggregation's own reading (shared/stats/contributions.ts): the stored item schemas' projections.
        const contribution = (() => {
          try {
            return contributionOf(image, rollups);
          } catch (error) {
            throw new Error(`record ${i} (${String(image.entity)}): ${(error as Error).message}`);
          }
        })();
        expect(contribution.size, `record ${i} (${String(image.entity)}) counts somewhere`).toBeGreaterThan(0);
        counted++;
      }
    }
    expect(counted).toBeGreaterThanOrEqual(records.length);
    expect(finalItems.size).toBeGreaterThan(0);
  });
});

describe('the site workload (bench/site.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-site-workload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the quick fixture is written, and the ward the incremental build changes is still a valid unit file', () => {
    // writeSiteFixture validates every file it writes with the open-data schemas (test/support/site-fixture.ts).
    writeSiteFixture(dir, { registry: tinyRegistry(), seed: 24, conclusions: 24, months: false });
    const before = UnitFileSchema.parse(JSON.parse(readFileSync(join(dir, 'units', `${firstWard(dir)}.json`), 'utf8')));
    const changed = changeOneWard(dir);
    const after = z.safeParse(UnitFileSchema, JSON.parse(readFileSync(join(dir, 'units', `${changed}.json`), 'utf8')));
    expect(after.success, after.success ? '' : JSON.stringify(after.error.issues.slice(0, 3))).toBe(true);
    if (changed === before.unit.id) expect(after.data).not.toEqual(before);
  });
});

function firstWard(dataDir: string): string {
  const units = JSON.parse(readFileSync(join(dataDir, 'units.json'), 'utf8')) as { id: string; level: number }[];
  const ward = units.find((unit) => unit.level === 3);
  if (!ward) throw new Error('no ward in the fixture');
  return ward.id;
}
