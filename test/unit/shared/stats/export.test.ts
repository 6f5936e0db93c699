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
import { defuseFormula, exportOpenData, type FileWriter } from '../../../../shared/stats/export.js';
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

/** A summary report's CURRENT item as stored (figures as stated). */
function summaryItem(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    pk: `SUMMARY#${String(overrides.id)}`,
    sk: 'CURRENT',
    entity: 'summary',
    version: 1,
    status: 'published',
    agencyId: 'hanoi-btctu',
    documentNumber: 'DEMO-03/BC-BTCTU',
    issuedOn: '2024-10-11',
    jurisdiction: '01',
    unitId: '01',
    from: '2023-08-07',
    to: '2024-08-30',
    scope: { vi: 'Toàn thành phố' },
    violations: { total: 873 },
    disciplined: { total: 368 },
    sources: [{ title: 'Kinh tế & Đô thị', url: 'https://kinhtedothi.vn/a.html' }],
    contentHash: 'internal',
    ...overrides,
  };
}

async function exported() {
  const current = conclusionItem({
    id: 'k1',
    version: 2,
    unitIds: ['00238'],
    inspectedUnits: ['00238'],
    summary: { vi: 'Tóm tắt, có dấu phẩy' },
    title: { vi: 'Kết luận kiểm tra công vụ tại phường' },
    inspectionDecision: '12/QĐ-ĐKTCV',
    inspectedFrom: '2024-04-01',
    inspectedTo: '2024-04-05',
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
      summaries: [
        summaryItem({ id: 's1' }),
        summaryItem({ id: 's2', documentNumber: 'DEMO-02', from: '2024-01-01', to: '2024-06-30' }),
        summaryItem({ id: 's3', documentNumber: 'DEMO-09', status: 'retracted' }),
        summaryItem({ id: 's4', documentNumber: 'DEMO-04', jurisdiction: '006', unitId: '006' }),
      ],
      agencies: new Map([
        ['hanoi-dktcv', 'Đoàn Kiểm tra công vụ thành phố'],
        ['hanoi-btctu', 'Ban Tổ chức Thành ủy'],
      ]),
      generatedAt: '2024-07-01T00:00:00.000Z',
    },
    writer,
  );
  return { writer, summary };
}

/** A writer that also reads back what it wrote (as the local export's directory writer does). */
class ReadingWriter extends MemoryWriter {
  readonly writes: string[] = [];
  override async write(path: string, content: string): Promise<void> {
    this.writes.push(path);
    await super.write(path, content);
  }
  async read(path: string): Promise<string | undefined> {
    return this.files.get(path);
  }
}

describe('exportOpenData', () => {
  // Two exports of the whole registry: more than the default five seconds on a loaded machine.
  it('leaves a unit’s or an agency’s file, and the instant its figures were computed, as they are when they did not change', {
    timeout: 30_000,
  }, async () => {
    // Prepare: a first export, then one survey more for ward 00304 (it and its roll-ups change)
    const counters: BucketDeltas = new Map();
    for (let i = 0; i < 40; i++) mergeDeltas(counters, contributionOf(surveyItem({ hash: `s${i}` }), rollups));
    const input = { registry, counters, conclusions: [], agencies: new Map<string, string>() };
    const writer = new ReadingWriter();
    await exportOpenData({ ...input, generatedAt: '2024-07-01T00:00:00.000Z' }, writer);
    const before = new Map(writer.files);
    writer.writes.length = 0;
    mergeDeltas(counters, contributionOf(surveyItem({ hash: 's-new' }), rollups));

    // Act
    await exportOpenData({ ...input, generatedAt: '2024-07-02T00:00:00.000Z' }, writer);

    // Assess: the changed unit and its roll-ups are stamped with the new instant; every other unit file is untouched
    const changed = writer.writes.filter((path) => path.startsWith('data/units/'));
    expect(changed).toContain('data/units/00304.json');
    expect(changed.length).toBeLessThan(registry.all().length / 2);
    for (const path of changed) {
      expect(writer.files.get(path)).not.toBe(before.get(path));
      expect(UnitFileSchema.parse(writer.json(path)).generatedAt).toBe('2024-07-02T00:00:00.000Z');
    }
    const untouched = [...before.keys()].filter((path) => path.startsWith('data/units/') && !changed.includes(path));
    expect(untouched.length).toBeGreaterThan(0);
    for (const path of untouched) {
      expect(writer.files.get(path)).toBe(before.get(path));
      expect(UnitFileSchema.parse(writer.json(path)).generatedAt).toBe('2024-07-01T00:00:00.000Z');
    }
    // Files without a per-unit instant are written every time: the summary carries the export's instant.
    expect(writer.writes).toContain('data/summary.json');
  });

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

  it('publishes each unit’s summaries as stated beside its counted periods, never added in, retracted ones left out', async () => {
    // Act
    const { writer } = await exported();

    // Assess
    const hanoi = UnitFileSchema.parse(writer.json('data/units/01.json'));
    const dongDa = UnitFileSchema.parse(writer.json('data/units/006.json'));
    expect(hanoi.reported.map((summary) => summary.id)).toEqual(['s1', 's2']);
    expect(hanoi.reported[0]).toMatchObject({
      agency: { id: 'hanoi-btctu', name: 'Ban Tổ chức Thành ủy' },
      from: '2023-08-07',
      to: '2024-08-30',
      figures: { violations: { total: 873 }, disciplined: { total: 368 } },
      sources: [{ url: 'https://kinhtedothi.vn/a.html' }],
    });
    expect(JSON.stringify(hanoi.reported)).not.toContain('internal');
    // The counted figures hold only what was counted: the 15 of the one conclusion, not the reported 873.
    expect(hanoi.periods['2024']?.violations.individuals).toBe(15);
    // A district's report is its own, not its city's.
    expect(dongDa.reported.map((summary) => summary.id)).toEqual(['s4']);
    const summary = SummaryFileSchema.parse(writer.json('data/summary.json'));
    expect(summary.latestReported.map((entry) => [entry.id, entry.unit.id])).toEqual([
      ['s1', '01'],
      ['s4', '006'],
      ['s2', '01'],
    ]);
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
  });

  it("publishes each recommendation's deadline as the agency set it", async () => {
    // Act
    const { writer } = await exported();

    // Assess: a deadline is part of the conclusion, and an open recommendation past it is what a reader looks for.
    const file = ConclusionFileSchema.parse(writer.json('data/conclusions/k1.json'));
    expect(file.current.recommendations).toEqual([{ text: { vi: 'Chấn chỉnh' }, status: 'open', dueOn: '2024-12-31' }]);
  });

  it('publishes every content field the agency sent in each version: title, inspection decision and period', async () => {
    // Act
    const { writer } = await exported();

    // Assess
    const file = ConclusionFileSchema.parse(writer.json('data/conclusions/k1.json'));
    for (const version of [file.current, ...file.versions]) {
      expect(version).toMatchObject({
        title: { vi: 'Kết luận kiểm tra công vụ tại phường' },
        inspectionDecision: '12/QĐ-ĐKTCV',
        inspectedFrom: '2024-04-01',
        inspectedTo: '2024-04-05',
      });
    }
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
    // The conduct shares come last (columns added after the first layout), empty where nobody answered.
    expect(header.slice(-3)).toEqual([
      'submission_postal_share',
      'submission_postal_share_low',
      'submission_postal_share_high',
    ]);
    expect(cells[header.indexOf('conduct_extra_payment_responses')]).toBe('');
    expect(cells[header.indexOf('conduct_apology_when_late_share')]).toBe('');
  });

  it('never writes a CSV cell that a spreadsheet would read as a formula', async () => {
    // Prepare: agency text starting with each formula character, wherever it reaches the CSVs.
    const starts = ['=', '+', '-', '@', '\t', '\r', ' =', '"='];
    const conclusions = starts.map((start, i) => {
      const current = conclusionItem({
        id: `f${i}`,
        documentNumber: `${start}HYPERLINK("http://x")`,
        agencyId: `a${i}`,
      });
      return { current, versions: [current] };
    });
    const writer = new MemoryWriter();
    // Act
    await exportOpenData(
      {
        registry,
        counters: new Map(),
        conclusions,
        agencies: new Map(starts.map((start, i) => [`a${i}`, `${start}cmd|' /C calc'!A0`])),
        generatedAt: '2024-07-01T00:00:00.000Z',
      },
      writer,
    );
    // Assess: every cell of every CSV, read back as a spreadsheet reads it.
    const csvs = [...writer.files].filter(([path]) => path.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThan(0);
    const cells = csvs.flatMap(([, content]) => parseCsv(content.replace(/^\uFEFF/, '')));
    expect(cells).toContain('\'=HYPERLINK("http://x")');
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  }, 30_000); // A whole national export, read back cell by cell: slow on a busy machine.

  it('prefixes formula text with a quote and leaves numbers and plain text alone', () => {
    expect(defuseFormula('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    expect(defuseFormula('-12')).toBe("'-12");
    expect(defuseFormula('385/KL-ĐKTCV')).toBe('385/KL-ĐKTCV');
  });
});

/** The cells of an RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',' || char === '\n') {
      cells.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') continue;
    else cell += char;
  }
  if (cell !== '') cells.push(cell);
  return cells;
}
