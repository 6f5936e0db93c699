import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptUsageError, runReceipt } from '../../../../cli/admin/receipt.js';
import { jwkThumbprint, publicJwkFromPem } from '../../../../shared/agencies/keys.js';
import type { AgencyDirectory } from '../../../../shared/agencies/ports.js';
import { verifyReceipt } from '../../../../shared/surveys/receipt.js';
import { generateKeyPair } from '../../../support/agency-fixtures.js';

describe('npm run admin -- receipt', () => {
  let dir: string;
  const pair = generateKeyPair();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'receipt-cli-'));
    writeFileSync(join(dir, 'key.pem'), pair.privatePem);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the survey address carrying a receipt that verifies for that dossier and unit, and writes its QR', async () => {
    // Prepare: the agency as the API knows it.
    const jwk = publicJwkFromPem(pair.publicPem);
    const thumbprint = await jwkThumbprint(jwk);
    const agencies: AgencyDirectory = {
      find: async (id) =>
        id === 'hoangmai-ubnd'
          ? {
              agency: {
                id,
                name: 'UBND',
                jurisdiction: ['01'],
                jurisdictionUnitIds: ['01'],
                status: 'active',
                createdAt: '2025-01-01T00:00:00Z',
              },
              keys: [{ agencyId: id, thumbprint, jwk, status: 'active', createdAt: '2025-01-01T00:00:00Z' }],
            }
          : undefined,
    };
    const lines: string[] = [];
    // Act
    const minted = await runReceipt(
      [
        'receipt',
        '--agency',
        'hoangmai-ubnd',
        '--key',
        join(dir, 'key.pem'),
        '--unit',
        '00301',
        '--dossier',
        '000.00.15.H26-250812-0001',
        '--site',
        'https://congvu.example.vn/',
        '--qr',
        join(dir, 'qr.svg'),
      ],
      (line) => lines.push(line),
    );
    // Assess
    const url = new URL(minted.url);
    expect(url.origin + url.pathname).toBe('https://congvu.example.vn/danh-gia/00301/');
    expect(url.searchParams.get('receipt')).toBe(minted.receipt);
    expect(url.searchParams.get('ma')).toBe('000.00.15.H26-250812-0001');
    expect(url.searchParams.get('kenh')).toBe('qr');
    expect(lines[0]).toBe(minted.url);
    expect(readFileSync(join(dir, 'qr.svg'), 'utf8')).toMatch(/^<svg/);
    const unit = { code: '00301', coverage: ['00301', '01'] };
    await expect(
      verifyReceipt(
        { receipt: minted.receipt, dossierCode: '000.00.15.h26-250812-0001', unit, now: new Date() },
        { agencies },
      ),
    ).resolves.toEqual({ agencyId: 'hoangmai-ubnd' });
    await expect(
      verifyReceipt({ receipt: minted.receipt, dossierCode: 'OTHER-0001', unit, now: new Date() }, { agencies }),
    ).rejects.toMatchObject({ issues: [{ path: 'receipt' }] });
  });

  it('refuses a unit that is not a ward or commune code', async () => {
    await expect(
      runReceipt(['--agency', 'a', '--key', join(dir, 'key.pem'), '--unit', '01', '--dossier', 'X-1'], () => undefined),
    ).rejects.toThrow(ReceiptUsageError);
  });
});
