import type { ComponentName, components, FormComponentName, formComponents } from '../../shared/openapi/components.js';
import * as z from '../../shared/zod.js';
import { type BodyRouteName, routeRequests } from '../route-requests.js';
import type { HttpHandlerOptions } from './http.js';

/**
 * A handler's body options, read from the body its route takes (`route-requests.ts`, which the route table places in
 * the route's entry): the size and media types are the ones it documents, and the schema must be the one the OpenAPI document names for the route. The handler passes that
 * schema itself (`routeBody('conclusions-create', ConclusionInputSchema)`), typed by the component its route names,
 * so a Lambda bundles its own route's schemas only, never the registry of every route's (`components.ts`, which
 * only the OpenAPI document reads); passing another schema does not compile.
 */

type RequestOf<N extends BodyRouteName> = (typeof routeRequests)[N];
type SchemaOf<R> = R extends { component: infer C extends ComponentName }
  ? R extends { optional: true }
    ? z.ZodMiniOptional<(typeof components)[C]>
    : (typeof components)[C]
  : never;

/** The schemas a route's body is validated with: its component's, and its form component's when it takes forms. */
type SchemaArgs<R> = R extends { component: infer C extends ComponentName }
  ? R extends { formComponent: infer F extends FormComponentName }
    ? [schema: (typeof components)[C], formSchema: (typeof formComponents)[F]]
    : [schema: (typeof components)[C]]
  : [];

/** The route's body options, to spread into `httpHandler`'s options. */
export type RouteBodyOptions<N extends BodyRouteName> =
  RequestOf<N> extends { binary: string }
    ? Pick<HttpHandlerOptions<z.ZodMiniUnknown>, 'binaryBody'>
    : { readonly body: NonNullable<HttpHandlerOptions<SchemaOf<RequestOf<N>>>['body']> };

/** The schemas each route's handler passed, by route name: a test checks them against the components named. */
const bound = new Map<string, { readonly schema: z.core.$ZodType; readonly formSchema?: z.core.$ZodType }>();

/** What `routeBody` was given so far in this process (test/unit/functions/lib/route-body.test.ts). */
export function boundBodySchemas(): ReadonlyMap<string, { schema: z.core.$ZodType; formSchema?: z.core.$ZodType }> {
  return bound;
}

/** `...routeBody('conclusions-create', ConclusionInputSchema)`: the body options of that route, typed by its schema. */
export function routeBody<N extends BodyRouteName>(name: N, ...schemas: SchemaArgs<RequestOf<N>>): RouteBodyOptions<N> {
  const request: (typeof routeRequests)[BodyRouteName] | undefined = routeRequests[name];
  if (!request) throw new Error(`The route ${name} takes no body.`);
  if ('binary' in request) {
    return { binaryBody: { maxBytes: request.maxBytes, mediaType: request.binary } } as RouteBodyOptions<N>;
  }
  const [schema, formSchema] = schemas as unknown as [z.core.$ZodType | undefined, z.core.$ZodType | undefined];
  if (!schema) throw new Error(`The route ${name} validates its body with ${request.component}: pass that schema.`);
  if ('formComponent' in request !== (formSchema !== undefined)) {
    throw new Error(`The route ${name} takes form posts only with a form schema, and a form schema only then.`);
  }
  bound.set(name, { schema, ...(formSchema ? { formSchema } : {}) });
  const optional = 'optional' in request && request.optional;
  return {
    body: {
      maxBytes: request.maxBytes,
      mediaTypes: request.mediaTypes,
      schema: optional ? z.optional(schema) : schema,
      ...(formSchema ? { formSchema } : {}),
      ...(optional ? { emptyAllowed: true } : {}),
    },
  } as unknown as RouteBodyOptions<N>;
}
