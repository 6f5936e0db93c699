import { defineMiddleware } from 'astro:middleware';
import { pageId, recordDependencies, unlinkRendered } from './lib/dependencies.js';

/**
 * Records what each page reads from the open data while it renders (lib/dependencies.ts), so the next build
 * renders only the pages a change affects. The body is read here, inside the recording, so that everything the
 * page renders is counted, however Astro streams it.
 */
export const onRequest = defineMiddleware((context, next) =>
  recordDependencies(pageId(context.routePattern, context.params), async () => {
    unlinkRendered(context.url);
    const response = await next();
    const body = await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }),
);
