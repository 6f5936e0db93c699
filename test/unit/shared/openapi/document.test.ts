import { describe, expect, it } from 'vitest';
import { routes } from '../../../../functions/routes.js';
import { buildOpenApiDocument } from '../../../../shared/openapi/document.js';

describe('buildOpenApiDocument', () => {
  const paths = buildOpenApiDocument(routes).paths as Record<string, Record<string, Record<string, unknown>>>;
  const operationAt = (method: string, path: string) => paths[path]?.[method.toLowerCase()];

  it('documents exactly the routes of functions/routes.ts', () => {
    const documented = Object.entries(paths)
      .flatMap(([path, byMethod]) => Object.keys(byMethod).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const routed = routes.map((route) => `${route.method} ${route.path}`).sort();
    expect(documented).toEqual(routed);
  });

  it('is OpenAPI 3.1 with every $ref resolving to a component', () => {
    // Prepare
    const document = buildOpenApiDocument(routes);
    const text = JSON.stringify(document);
    const components = (document.components as { schemas: Record<string, unknown> }).schemas;

    // Act
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] ?? '');

    // Assess
    expect(document.openapi).toBe('3.1.0');
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(components).toHaveProperty(ref);
  });

  it('derives the conclusion request schema from the zod schema, bounds and vocabularies included', () => {
    const input = (buildOpenApiDocument(routes).components as { schemas: { ConclusionInput: Record<string, unknown> } })
      .schemas.ConclusionInput;
    expect(input.required).toEqual(
      expect.arrayContaining(['documentNumber', 'issuedOn', 'kind', 'inspectedUnits', 'summary']),
    );
    // Absent when the source does not state them.
    expect(input.required).not.toContain('violations');
    expect(input.required).not.toContain('discipline');
    expect(input.additionalProperties).toBe(false);
    const properties = input.properties as Record<string, { enum?: string[]; maxItems?: number; items?: unknown }>;
    expect(properties.kind?.enum).toEqual(['surprise', 'planned', 'regular', 'specialized', 'thematic', 'directed']);
    expect(properties.inspectedUnits?.maxItems).toBe(50);
  });

  it('marks every agency route with the signed-JWT security scheme and every public one without', () => {
    for (const route of routes) {
      const operation = operationAt(route.method, route.path) as { security?: unknown };
      expect(Boolean(operation.security), `${route.method} ${route.path}`).toBe(route.access === 'agency');
    }
  });
});
