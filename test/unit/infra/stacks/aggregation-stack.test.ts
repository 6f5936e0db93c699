import { describe, expect, it } from 'vitest';
import { MissingHandlerError } from '../../../../infra/errors.js';
import { AGGREGATION_ENTRY, AggregationStack } from '../../../../infra/stacks/aggregation-stack.js';
import { DataStack } from '../../../../infra/stacks/data-stack.js';
import { testConfig } from '../infra-fixtures.js';

/**
 * The aggregation stack's own rules, without bundling. The synthesized stack (the real stream consumer bundled)
 * is asserted in ../define-app.test.ts, which synthesizes the whole app once.
 */
describe('AggregationStack', () => {
  it('consumes functions/aggregation/handler.ts by default', () => {
    // Assess
    expect(AGGREGATION_ENTRY).toBe('functions/aggregation/handler.ts');
  });

  it('throws when the stream consumer file does not exist, naming it', () => {
    // Prepare
    const { app, config } = testConfig();
    const data = new DataStack(app, 'Data', { config });

    // Act / Assess
    expect(
      () => new AggregationStack(app, 'Aggregation', { config, data, entry: 'functions/nope/handler.ts' }),
    ).toThrow(MissingHandlerError);
  }, 30_000);
});
