import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgencyCliContext, runAgency } from '../../../../cli/admin/agency.js';
import { signAgencyRequest, signingKeyFromPem } from '../../../../shared/auth/sign-agency-request.js';
import { verifyAgencyRequest } from '../../../../shared/auth/verify-agency-request.js';
import { NotFoundError, UnauthorizedError } from '../../../../shared/errors.js';
import { DynamoAgencyRepository } from '../../../../shared/storage/agencies-repository.js';
import { RegistryUnitLookup } from '../../../../shared/units/registry-lookup.js';
import { committedRegistry, generateKeyPair } from '../../../support/agency-fixtures.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

describe('npm run admin -- agency suspend / reinstate', () => {
  let tables: TestTables;
  let lines: string[];
  let context: AgencyCliContext;
  const keys = generateKeyPair();

  beforeAll(async () => {
    tables = await createTestTables('cli-agency');
    lines = [];
    context = {
      agencies: new DynamoAgencyRepository(tables.doc, tables.names.records),
      units: new RegistryUnitLookup(committedRegistry()),
      out: (line) => lines.push(line),
      warn: () => undefined,
      now: () => new Date('2026-11-29T01:00:00Z'),
    };
    const pem = join(tmpdir(), `cli-agency-${process.pid}.pub.pem`);
    writeFileSync(pem, keys.publicPem);
    await runAgency(
      ['add', '--id', 'hanoi-test', '--name', 'Đoàn kiểm tra', '--jurisdiction', '01', '--public-key', pem],
      context,
    );
  });
  afterAll(async () => {
    await tables.drop();
  });

  const signedRequestVerifies = async () => {
    const signing = await signingKeyFromPem('hanoi-test', keys.privatePem);
    const body = Buffer.from('{}');
    const token = await signAgencyRequest(signing, { method: 'POST', pathWithQuery: '/api/v1/reports', body });
    return verifyAgencyRequest({ authorization: token }, body, 'POST', '/api/v1/reports', {
      agencies: context.agencies,
    });
  };

  it('suspends an agency, so its signed requests are refused, and reinstates it', async () => {
    await expect(signedRequestVerifies()).resolves.toMatchObject({ agency: { id: 'hanoi-test' } });

    await runAgency(['suspend', '--id', 'hanoi-test'], context);
    expect(lines.at(-1)).toBe('agency hanoi-test: suspended since 2026-11-29T01:00:00.000Z');
    await expect(signedRequestVerifies()).rejects.toMatchObject({
      name: 'UnauthorizedError',
      reason: expect.stringMatching(/not active/),
    });

    await runAgency(['agency', 'reinstate', '--id', 'hanoi-test'], context);
    expect(lines.at(-1)).toMatch(/^agency hanoi-test: active since/);
    await expect(signedRequestVerifies()).resolves.toBeDefined();
  });

  it('refuses to suspend an agency that does not exist, writing nothing', async () => {
    await expect(runAgency(['suspend', '--id', 'nobody'], context)).rejects.toThrow(NotFoundError);
    expect(await context.agencies.find('nobody')).toBeUndefined();
  });

  it('keeps UnauthorizedError the one error of authentication', () => {
    expect(new UnauthorizedError('x').code).toBe('unauthorized');
  });
});
