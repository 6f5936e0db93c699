import type { APIRoute } from 'astro';
import { conclusionsFeed } from '../lib/conclusion-feed.js';

/** The Atom feed of the latest conclusions, in Vietnamese. */
export const GET: APIRoute = () =>
  new Response(conclusionsFeed('vi'), { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
