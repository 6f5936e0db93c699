import { describe, expect, it } from 'vitest';
import { ConclusionInputSchema } from '../../../../../shared/conclusions/schemas.js';
import { parseCsv, writeCsv } from '../../../../../site/src/lib/console/csv.js';
import { diffRecords } from '../../../../../site/src/lib/console/diff.js';
import { issueMessage } from '../../../../../site/src/lib/console/messages.js';
import { toHex, toPem } from '../../../../../site/src/lib/console/pem.js';
import { UnitIndex } from '../../../../../site/src/lib/console/units.js';

describe('console CSV', () => {
  it('reads quoted fields with commas, quotes and line breaks, and skips a byte-order mark', () => {
    const rows = parseCsv('\ufeffa,b,c\r\n1,"x, y","say ""hi"""\n2,"line\nbreak",\n\n');
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'line\nbreak', ''] },
    ]);
  });

  it('writes what it reads', () => {
    const rows = [
      ['documentNumber', 'summary.vi'],
      ['1/KL', 'Có dấu phẩy, và "ngoặc"'],
    ];
    expect(parseCsv(writeCsv(rows)).map((row) => row.fields)).toEqual(rows);
  });
});

describe('console validation messages', () => {
  const issues = ConclusionInputSchema.safeParse({
    documentNumber: ' ',
    issuedOn: '2024-02-30',
    kind: 'raid',
    inspectedUnits: ['12a'],
    topics: [],
    summary: { vi: 'x' },
    violations: { organizations: -1, individuals: 1.5 },
  }).error?.issues;
  const at = (path: string) => issues?.find((issue) => issue.path.join('.') === path);

  it('says in Vietnamese what the schema says in English', () => {
    const message = (path: string) => issueMessage(at(path) as Parameters<typeof issueMessage>[0], 'vi');
    expect(message('documentNumber')).toBe('không được để trống');
    expect(message('issuedOn')).toBe('không phải một ngày có thật');
    expect(message('kind')).toBe('chọn một giá trị trong danh sách');
    expect(message('inspectedUnits.0')).toBe('mã đơn vị hành chính (mã GSO) gồm 2, 3 hoặc 5 chữ số');
    expect(message('topics')).toBe('cần ít nhất một nội dung kiểm tra');
    expect(message('violations.organizations')).toBe('không được là số âm');
    expect(message('violations.individuals')).toBe('phải là số nguyên');
  });

  it('keeps the schema’s English, and says "required" for a missing field', () => {
    expect(issueMessage(at('documentNumber') as Parameters<typeof issueMessage>[0], 'en')).toBe('must not be empty');
    expect(
      issueMessage({ code: 'invalid_type', message: 'Invalid input: expected string, received undefined' }, 'en'),
    ).toBe('required');
    expect(
      issueMessage({ code: 'invalid_type', message: 'Invalid input: expected string, received undefined' }, 'vi'),
    ).toBe('bắt buộc');
  });

  it('translates the API’s cross-field messages and leaves unknown rules readable', () => {
    expect(
      issueMessage({ message: '3 disciplined individuals exceed the 2 violating (violations.individuals)' }, 'vi'),
    ).toBe('3 cá nhân bị kỷ luật, nhiều hơn 2 cá nhân vi phạm');
    expect(issueMessage({ code: 'custom', message: 'a new rule' }, 'vi')).toBe('không hợp lệ: a new rule');
  });
});

describe('console unit finder', () => {
  const index = new UnitIndex([
    { id: '01', code: '01', name: 'Thành phố Hà Nội', parent: null, validFrom: null, validTo: null },
    { id: '006', code: '006', name: 'Quận Đống Đa', parent: '01', validFrom: null, validTo: '2025-07-01' },
    {
      id: '00097-pre2025',
      code: '00097',
      name: 'Phường Tứ Liên',
      parent: '01',
      validFrom: null,
      validTo: '2025-07-01',
    },
    { id: '00097', code: '00097', name: 'Phường Hồng Hà', parent: '01', validFrom: '2025-07-01', validTo: null },
  ]);

  it('finds units by name without diacritics, and by code', () => {
    expect(index.search('dong da').map((m) => m.label)).toEqual(['Quận Đống Đa, Thành phố Hà Nội']);
    expect(index.search('Đống Đa').map((m) => m.unit.id)).toEqual(['006']);
    expect(index.search('0009', '2024-05-01').map((m) => m.unit.id)).toEqual(['00097-pre2025', '00097']);
  });

  it('reads a reused code as the unit in force on the date', () => {
    expect(index.byCode('00097', '2024-05-01')?.name).toBe('Phường Tứ Liên');
    expect(index.byCode('00097', '2025-08-01')?.name).toBe('Phường Hồng Hà');
  });
});

describe('console helpers', () => {
  it('lists what changed between two versions', () => {
    expect(
      diffRecords(
        { summary: { vi: 'a' }, discipline: [{ form: 'warning' }], legalBasis: ['x'] },
        { summary: { vi: 'b' }, discipline: [], legalBasis: ['x'] },
      ),
    ).toEqual([
      { path: 'summary.vi', before: 'a', after: 'b' },
      { path: 'discipline.0.form', before: 'warning', after: '' },
    ]);
  });

  it('writes PEM in lines of 64 and hex in lower case', () => {
    const pem = toPem('PUBLIC KEY', new Uint8Array(60).fill(255));
    expect(pem.split('\n')[0]).toBe('-----BEGIN PUBLIC KEY-----');
    expect(pem.split('\n')[1]).toHaveLength(64);
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
  });
});
