import { describe, expect, it } from 'vitest';
import {
  AgencyFileSchema,
  ConclusionFileSchema,
  ConclusionIndexEntrySchema,
  PublishedUnitSchema,
  SummaryFileSchema,
  UnitFileSchema,
} from '../../../../shared/open-data/schemas.js';
import { contributionOf } from '../../../../shared/stats/contributions.js';
import { type BucketDeltas, mergeDeltas } from '../../../../shared/stats/counters.js';
import { exportOpenData, type FileWriter } from '../../../../shared/stats/export.js';
import { conclusionItem, registry, rollups, surveyItem } from './support.js';

class MemoryWriter implements FileWriter {
  readonly files = new Map<string, string>();
  async write(path: string, content: string): Promise<void> {
    this.files.set(path, content);
  }
  json(path: string): unknown {
    return JSON.parse(this.files.get(path) ?? 'null');
  }
}

async function exported() {
  const current = conclusionItem({
    id: 'k1',
    version: 2,
    unitIds: ['00238'],
    inspectedUnits: ['00238'],
    summary: { vi: 'Tóm tắt, có dấu phẩy' },
    violations: { organizations: 0, individuals: 15 },
    discipline: [{ form: 'warning', organizations: 0, individuals: 2 }],
    recommendations: [{ text: { vi: 'Chấn chỉnh' }, status: 'open', dueOn: '2024-12-31' }],
    contentHash: 'internal',
    publishedAt: '2024-06-01T00:00:00.000Z',
    updatedAt: '2024-06-01T00:00:00.000Z',
    reason: 'Đính chính số liệu',
  });
  const v1 = { ...current, version: 1, violations: { organizations: 0, individuals: 12 }, reason: undefined };
  const counters: BucketDeltas = new Map();
  mergeDeltas(counters, contributionOf(current, rollups));
  for (let i = 0; i < 40; i++) mergeDeltas(counters, contributionOf(surveyItem({ hash: `s${i}` }), rollups));
  const writer = new MemoryWriter();
  const summary = await exportOpenData(
    {
      registry,
      counters,
      conclusions: [{ current, versions: [v1, current] }],
      agencies: new Map([['hanoi-dktcv', 'Đoàn Kiểm tra công vụ thành phố']]),
      generatedAt: '2024-07-01T00:00:00.000Z',
    },
    writer,
  );
  return { writer, summary };
}

describe('exportOpenData', () => {
  it('writes a file per unit and agency, every one in its schema', async () => {
    // Act
    const { writer, summary } = await exported();

    // Assess
    expect(summary.units).toBe(registry.all().length);
    expect(writer.files.has('data/units/00097-pre2025.json')).toBe(true);
    for (const [path] of writer.files) {
      if (path.startsWith('data/units/')) UnitFileSchema.parse(writer.json(path));
      if (path.startsWith('data/agencies/')) AgencyFileSchema.parse(writer.json(path));
    }
    const units = writer.json('data/units.json') as unknown[];
    expect(units.map((unit) => PublishedUnitSchema.parse(unit))).toHaveLength(registry.all().length);
    const dongDa = UnitFileSchema.parse(writer.json('data/units/006.json'));
    expect(dongDa.children).toContain('00238');
    expect(dongDa.periods['2024-Q2']?.disciplined.byForm.warning).toEqual({ organizations: 0, individuals: 2 });
    // A period with responses but no report: report figures are null, never 0.
    expect(dongDa.periods['2024-Q2']?.procedures.received).toBeNull();
    expect(dongDa.periods['2024-Q2']?.reception.complaintsReceived).toBeNull();
  });

  it('writes the summary and the conclusions without internal fields, history oldest first', async () => {
    // Act
    const { writer } = await exported();

    // Assess
    const summary = SummaryFileSchema.parse(writer.json('data/summary.json'));
    expect(summary.counts).toEqual({ conclusions: 1, surveyResponses: 40, reports: 0 });
    expect(summary.figures['01']?.['2024']?.satisfaction.responses).toBe(40);
    const [entry] = (writer.json('data/conclusions.json') as unknown[]).map((e) => ConclusionIndexEntrySchema.parse(e));
    expect(entry?.rollup).toEqual(['00229', '00238', '006', '01']);
    const file = ConclusionFileSchema.parse(writer.json('data/conclusions/k1.json'));
    expect(file.agency.name).toBe('Đoàn Kiểm tra công vụ thành phố');
    expect(file.versions.map((v) => v.violations?.individuals)).toEqual([12, 15]);
    expect(JSON.stringify(file)).not.toContain('internal');
    expect(JSON.stringify(file)).not.toContain('dueOn');
  });

  it('writes CSVs with a byte-order mark, CRLF, quoted fields and empty cells for withheld figures', async () => {
    // Act
    const { writer } = await exported();

    // Assess
    const figures = writer.files.get('data/figures.csv') ?? '';
    expect(figures.startsWith('\uFEFFunit_id,')).toBe(true);
    expect(figures).toContain('\r\n');
    const agencyLine = (writer.files.get('data/conclusions.csv') ?? '').split('\r\n')[1];
    expect(agencyLine).toContain('k1,2,published,hanoi-dktcv');
    // 40 responses in one ward: its district shows the count; the ward is published (>= 30)
    const ward = figures.split('\r\n').find((line) => line.startsWith('00304,00304,Phường Vĩnh Hưng,2024,'));
    expect(ward).toBeDefined();
    const header = figures.slice(1).split('\r\n')[0]?.split(',') ?? [];
    const cells = ward?.split(',') ?? [];
    expect(cells[header.indexOf('satisfaction_responses')]).toBe('40');
    // No response rated feedback: nothing to count from, an empty cell (never 0).
    expect(cells[header.indexOf('feedback_responses')]).toBe('');
    expect(cells[header.indexOf('dossiers_received')]).toBe('');
    expect(cells[header.indexOf('feedback_share')]).toBe('');
  });
});
