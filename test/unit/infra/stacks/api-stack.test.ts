import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../../../functions/routes.js';
import { InfraDefinitionError, MissingHandlerError } from '../../../../infra/errors.js';
import { ApiStack, checkRouteTable, pascal, routeKey } from '../../../../infra/stacks/api-stack.js';
import { DataStack } from '../../../../infra/stacks/data-stack.js';
import { testConfig } from '../infra-fixtures.js';

/**
 * The API stack's own rules, without bundling. The synthesized stack (real route table, every handler bundled)
 * is asserted in ../define-app.test.ts, which synthesizes the whole app once.
 */

const health: RouteDefinition = {
  name: 'health',
  method: 'GET',
  path: '/api/v1/health',
  entry: 'functions/health/handler.ts',
  access: 'public',
  throttle: { rate: 1, burst: 1 },
  tables: {},
  operation: { operationId: 'health', tag: 'service', summary: 'Is the service up', responses: {}, problems: [] },
};

describe('checkRouteTable', () => {
  it('accepts distinct routes whose handler files exist', () => {
    // Act / Assess
    expect(() => checkRouteTable([health, { ...health, name: 'health-post', method: 'POST' }])).not.toThrow();
  });

  it('throws for a repeated name or a repeated method and path', () => {
    // Act / Assess
    expect(() => checkRouteTable([health, { ...health, method: 'POST' }])).toThrow(InfraDefinitionError);
    expect(() => checkRouteTable([health, { ...health, name: 'other' }])).toThrow(/appears twice/);
  });

  it('throws for a handler file that does not exist, naming it', () => {
    // Act / Assess
    expect(() => checkRouteTable([{ ...health, entry: 'functions/ghost/handler.ts' }])).toThrow(MissingHandlerError);
    expect(() => checkRouteTable([{ ...health, entry: 'functions/ghost/handler.ts' }])).toThrow(
      'functions/ghost/handler.ts',
    );
  });
});

describe('ApiStack', () => {
  it('refuses a route table with a missing handler before bundling anything', () => {
    // Prepare
    const { app, config } = testConfig();
    const data = new DataStack(app, 'Data', { config });

    // Act / Assess
    expect(
      () =>
        new ApiStack(app, 'Api', {
          config,
          data,
          routes: [health, { ...health, name: 'g', path: '/api/v1/g', entry: 'nope.ts' }],
        }),
    ).toThrow(MissingHandlerError);
  }, 30_000);
});

describe('routeKey and pascal', () => {
  it('build the API Gateway route key and construct ids from route table entries', () => {
    // Act / Assess
    expect(routeKey({ method: 'PUT', path: '/api/v1/conclusions/{id}' })).toBe('PUT /api/v1/conclusions/{id}');
    expect(pascal('conclusions-create')).toBe('ConclusionsCreate');
    expect(pascal('health')).toBe('Health');
  });
});
