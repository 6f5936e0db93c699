import { describe, expect, it } from 'vitest';
import { ConclusionFileSchema, UnitFileSchema } from '../../../../shared/open-data/schemas.js';
import { schemaFields } from '../../../../site/src/lib/schema-fields.js';

describe('schemaFields', () => {
  it('lists the leaf fields of a unit file with map keys and nullable shares', () => {
    const fields = schemaFields(UnitFileSchema);
    const byPath = new Map(fields.map((f) => [f.path, f.type]));

    expect(byPath.get('unit.parent')).toBe('string | null');
    // Nothing to count from is null, never 0.
    expect(byPath.get('periods.<YYYY | YYYY-Qn | YYYY-MM>.inspections.total')).toBe('integer | null');
    expect(
      byPath.get(
        'periods.<YYYY | YYYY-Qn | YYYY-MM>.inspections.byKind.<surprise | planned | regular | specialized | thematic | directed>',
      ),
    ).toBe('integer | null');
    expect(byPath.get('periods.<YYYY | YYYY-Qn | YYYY-MM>.satisfaction.overall')).toBe('object | null');
    expect(byPath.get('periods.<YYYY | YYYY-Qn | YYYY-MM>.satisfaction.overall.share')).toBe('number');
  });

  it('marks the items of arrays', () => {
    const paths = schemaFields(ConclusionFileSchema).map((f) => f.path);

    expect(paths).toContain('versions[].discipline[].form');
    expect(paths).toContain('current.attachment.sha256');
  });
});
