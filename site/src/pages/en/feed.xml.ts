import type { APIRoute } from 'astro';
import { conclusionsFeed } from '../../lib/conclusion-feed.js';

/** The Atom feed of the latest conclusions, in English. */
export const GET: APIRoute = () =>
  new Response(conclusionsFeed('en'), { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
