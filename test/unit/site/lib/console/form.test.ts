import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConclusionCorrectionSchema, ConclusionInputSchema } from '../../../../../shared/conclusions/schemas.js';
import { formModel, holdsUnitCodes, leafNames } from '../../../../../site/src/lib/console/form-model.js';
import { contentOf, readValues, writeValues } from '../../../../../site/src/lib/console/form-values.js';

const values = (entries: Record<string, string | string[]>) =>
  new Map(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

const conclusion = {
  documentNumber: '385/KL-ĐKTCV',
  issuedOn: '2024-05-20',
  kind: 'surprise',
  inspectedUnits: ['00304', '00307'],
  topics: ['administrative_discipline', 'procedure_handling'],
  legalBasis: ['24-CT/TU', 'Luật Cán bộ, công chức'],
  summary: { vi: 'Tóm tắt', en: 'Summary' },
  violations: { organizations: 1, individuals: 2 },
  discipline: [{ form: 'reprimand', organizations: 0, individuals: 2 }],
  otherMeasures: { transfers: 0, responsibilityReviews: 1 },
  recommendations: [{ text: { vi: 'Chấn chỉnh' }, status: 'open' }],
};

describe('the console form model', () => {
  const model = formModel(ConclusionInputSchema);
  const byKey = (key: string) => model.fields.find((field) => field.key === key);

  it('derives each field kind from the conclusion schema', () => {
    expect(byKey('documentNumber')).toMatchObject({ kind: 'text', required: true, multiline: false });
    expect(byKey('issuedOn')).toMatchObject({ kind: 'date', required: true });
    expect(byKey('kind')).toMatchObject({ kind: 'choice', options: expect.arrayContaining(['surprise']) });
    expect(byKey('inspectedUnits')).toMatchObject({ kind: 'codes', required: true });
    const units = byKey('inspectedUnits');
    expect(units && holdsUnitCodes(units)).toBe(true);
    expect(holdsUnitCodes(byKey('documentNumber') ?? { kind: 'boolean', key: '', generic: '', required: false })).toBe(
      false,
    );
    expect(byKey('topics')).toMatchObject({ kind: 'choices' });
    // Free text items may hold commas: one a line.
    expect(byKey('legalBasis')).toMatchObject({ kind: 'lines', required: false });
    expect(byKey('summary')).toMatchObject({ kind: 'group', required: true });
    expect(byKey('discipline')).toMatchObject({ kind: 'rows', item: { kind: 'group' } });
  });

  it('follows the schema: a field added to it appears in the form', () => {
    const extended = formModel(
      z.strictObject({
        a: z.string(),
        sources: z.array(z.strictObject({ url: z.string(), on: z.boolean() })).optional(),
      }),
    );
    expect(extended.fields.map((f) => `${f.key}:${f.kind}`)).toEqual(['a:text', 'sources:rows']);
  });

  it('names the leaves of a template by their dotted paths', () => {
    const names = leafNames(model, () => 2).map((leaf) => leaf.name);
    expect(names).toContain('summary.vi');
    expect(names).toContain('discipline.0.form');
    expect(names).toContain('discipline.1.individuals');
    expect(names).toContain('recommendations.1.text.en');
    expect(names).not.toContain('discipline.2.form');
  });

  it('reads flat fields into a body the schema accepts, and writes it back', () => {
    // Prepare
    const flat = writeValues(model, conclusion);
    // Act
    const { body } = readValues(model, flat);
    // Assess
    expect(flat.get('inspectedUnits')).toEqual(['00304, 00307']);
    expect(flat.get('discipline.0.form')).toEqual(['reprimand']);
    expect(body).toEqual(conclusion);
    expect(ConclusionInputSchema.safeParse(body).success).toBe(true);
  });

  it('leaves out empty optional fields and empty rows, and maps paths back to the fields', () => {
    const { body, fieldOf } = readValues(
      model,
      values({
        documentNumber: 'X',
        'title.vi': '',
        'title.en': '',
        inspectedUnits: '00304;00307 ',
        'discipline.0.form': '',
        'discipline.0.organizations': '',
        'discipline.0.individuals': '',
        'discipline.1.form': 'warning',
        'discipline.1.organizations': '0',
        'discipline.1.individuals': 'two',
      }),
    );
    expect(body.title).toBeUndefined();
    expect(body.inspectedUnits).toEqual(['00304', '00307']);
    expect(body.discipline).toEqual([{ form: 'warning', organizations: 0, individuals: 'two' }]);
    expect(fieldOf(['discipline', 0, 'individuals'])).toBe('discipline.1.individuals');
    expect(fieldOf(['summary', 'vi'])).toBe('summary.vi');
    // A required group stays, so the schema names what it misses.
    expect(body.summary).toEqual({});
  });

  it('gives a record keyed by a closed list one field per key, and keeps structured lines whole', () => {
    // Prepare
    const schema = z.strictObject({
      byCategory: z.partialRecord(z.enum(['late', 'rude']), z.number().int()).optional(),
      basis: z.array(z.union([z.string(), z.strictObject({ number: z.string(), issuer: z.string() })])),
    });
    const extended = formModel(schema);
    const body = { byCategory: { rude: 2 }, basis: ['24-CT/TU', { number: '172/2025/NĐ-CP', issuer: 'Chính phủ' }] };
    // Act
    const flat = writeValues(extended, body);
    // Assess
    expect(extended.fields[0]).toMatchObject({ kind: 'group', children: [{ key: 'late' }, { key: 'rude' }] });
    expect(flat.get('byCategory.rude')).toEqual(['2']);
    expect(flat.get('basis')?.[0]?.split('\n')).toEqual([
      '24-CT/TU',
      '{"number":"172/2025/NĐ-CP","issuer":"Chính phủ"}',
    ]);
    expect(readValues(extended, flat).body).toEqual(body);
  });

  it('reads the choices of a CSV cell separated by commas', () => {
    const { body } = readValues(model, values({ topics: 'project_06, other' }));
    expect(body.topics).toEqual(['project_06', 'other']);
  });

  it('keeps only the content fields of a published record for a correction', () => {
    const published = { ...conclusion, id: 'c1', version: 2, agency: { id: 'a' }, contentHash: 'x', unitIds: [] };
    const content = contentOf(formModel(ConclusionInputSchema), published);
    expect(content).toEqual(conclusion);
    expect(ConclusionCorrectionSchema.safeParse({ ...content, reason: 'sửa số liệu' }).success).toBe(true);
  });
});
