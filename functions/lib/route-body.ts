import { type ComponentName, components } from '../../shared/openapi/components.js';
import * as z from '../../shared/zod.js';
import { routeTable } from '../routes.js';
import type { HttpHandlerOptions } from './http.js';

/**
 * A handler's body options, read from its entry in the route table: the schema the OpenAPI document names for the
 * route is the one the shell validates with, and the size and media types are the ones it documents.
 */

type Route = (typeof routeTable)[number];
type RouteName = Route['name'];
type RequestOf<N extends RouteName> = Extract<Route, { name: N }>['operation'] extends { request: infer R } ? R : never;
type SchemaOf<R> = R extends { component: infer C extends ComponentName }
  ? R extends { optional: true }
    ? z.ZodMiniOptional<(typeof components)[C]>
    : (typeof components)[C]
  : never;

/** The route's body options, to spread into `httpHandler`'s options. */
export type RouteBodyOptions<N extends RouteName> =
  RequestOf<N> extends { binary: string }
    ? Pick<HttpHandlerOptions<z.ZodMiniUnknown>, 'binaryBody'>
    : { readonly body: NonNullable<HttpHandlerOptions<SchemaOf<RequestOf<N>>>['body']> };

/** `...routeBody('conclusions-create')`: the body options of that route, typed by its schema. */
export function routeBody<N extends RouteName>(name: N): RouteBodyOptions<N> {
  const route = routeTable.find((candidate) => candidate.name === name);
  const request = route?.operation && 'request' in route.operation ? route.operation.request : undefined;
  if (!request) throw new Error(`The route ${name} takes no body.`);
  if ('binary' in request) {
    return { binaryBody: { maxBytes: request.maxBytes, mediaType: request.binary } } as RouteBodyOptions<N>;
  }
  const schema: z.core.$ZodType = components[request.component];
  const optional = 'optional' in request && request.optional;
  return {
    body: {
      maxBytes: request.maxBytes,
      mediaTypes: request.mediaTypes,
      schema: optional ? z.optional(schema) : schema,
      ...('formSchema' in request ? { formSchema: request.formSchema } : {}),
      ...(optional ? { emptyAllowed: true } : {}),
    },
  } as unknown as RouteBodyOptions<N>;
}
