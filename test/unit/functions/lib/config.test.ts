import { describe, expect, it } from 'vitest';
import { type FunctionConfig, perConfig } from '../../../../functions/lib/config.js';
import { routes } from '../../../../functions/routes.js';

describe('perConfig', () => {
  it('builds once per configuration object and apart for another', () => {
    // Prepare
    const built: FunctionConfig[] = [];
    const clientOf = perConfig((config) => {
      built.push(config);
      return { table: config.RECORDS_TABLE };
    });
    const one: FunctionConfig = { RECORDS_TABLE: 'one-records' };
    const other: FunctionConfig = { RECORDS_TABLE: 'other-records' };

    // Act
    const first = clientOf(one);
    const again = clientOf(one);
    const second = clientOf(other);

    // Assess
    expect(again).toBe(first);
    expect(first.table).toBe('one-records');
    expect(second.table).toBe('other-records');
    expect(built).toEqual([one, other]);
  });
});

describe('handler modules', () => {
  it('export createHandler(config) and handler for every route, and read no configuration when imported', async () => {
    // Prepare: nothing configured (no table, no endpoint): a module that read its configuration on import would throw.
    const entries = [...new Set(routes.map((route) => route.entry))];

    for (const entry of entries) {
      // Act
      const mod = (await import(`../../../../${entry.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;

      // Assess
      expect(typeof mod.createHandler, entry).toBe('function');
      expect(typeof mod.handler, entry).toBe('function');
      const built = (mod.createHandler as (config: FunctionConfig) => unknown)({});
      expect(typeof built, entry).toBe('function');
    }
  });
});
