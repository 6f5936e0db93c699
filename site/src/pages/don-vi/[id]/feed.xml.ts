import type { APIRoute, GetStaticPaths } from 'astro';
import { conclusionsFeed } from '../../../lib/conclusion-feed.js';
import { unitFeedPaths } from '../../../lib/static-paths.js';

/** The Atom feed of one unit's conclusions. */
export const getStaticPaths = ((options) => unitFeedPaths(options)) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(conclusionsFeed('vi', params.id), {
    headers: { 'content-type': 'application/atom+xml; charset=utf-8' },
  });
