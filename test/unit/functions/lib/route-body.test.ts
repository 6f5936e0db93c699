import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundBodySchemas, routeBody } from '../../../../functions/lib/route-body.js';
import { routeRequests } from '../../../../functions/route-requests.js';
import { routeTable } from '../../../../functions/routes.js';
import { ConclusionInputSchema } from '../../../../shared/conclusions/schemas.js';
import { components, formComponents } from '../../../../shared/openapi/components.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('routeBody', () => {
  // Each handler passes its schema itself, so that a Lambda bundles its own route's schemas only; the types cannot
  // tell two schemas of the same shape apart, so this proves each handler validates with exactly the schema (and
  // form schema) its route names, the one the OpenAPI document shows.
  it('binds every route that takes a parsed body to exactly the component its route names', async () => {
    const parsed = routeTable.flatMap((route) => {
      const request = 'request' in route.operation ? route.operation.request : undefined;
      return request && 'component' in request ? [{ route, request }] : [];
    });
    expect(parsed.length).toBeGreaterThan(5);
    for (const { route } of parsed) await import(join(ROOT, route.entry));

    const bound = boundBodySchemas();
    for (const { route, request } of parsed) {
      const schemas = bound.get(route.name);
      expect(schemas, route.name).toBeDefined();
      expect(schemas?.schema === components[request.component], `${route.name}: ${request.component}`).toBe(true);
      const formComponent = 'formComponent' in request ? request.formComponent : undefined;
      expect(
        schemas?.formSchema === (formComponent ? formComponents[formComponent] : undefined),
        `${route.name}: form`,
      ).toBe(true);
    }
  });

  it('reads exactly the bodies the route table documents', () => {
    const documented = Object.fromEntries(
      routeTable.flatMap((route) => ('request' in route.operation ? [[route.name, route.operation.request]] : [])),
    );
    expect(documented).toEqual(routeRequests);
  });

  it('refuses a route that takes a body without its schema, and a form schema for a route without forms', () => {
    const missing = routeBody as unknown as (name: string) => unknown;
    expect(() => missing('conclusions-create')).toThrow(/ConclusionInput/);
    const extra = routeBody as unknown as (name: string, schema: unknown, form: unknown) => unknown;
    expect(() => extra('conclusions-create', ConclusionInputSchema, ConclusionInputSchema)).toThrow(/form schema/);
    const unknown = routeBody as unknown as (name: string) => unknown;
    expect(() => unknown('health')).toThrow(/no body/);
  });
});
