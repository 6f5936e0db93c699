import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { createGzip } from 'node:zlib';
import { localSecurityHeaders } from '../shared/http/security-headers.js';
import { contentTypeOf } from '../shared/publishing/headers.js';
import { buildingPage } from './building-page.js';
import type { BuildProgress } from './site-rebuilder.js';

/**
 * The static half of the local gateway, as CloudFront in front of the site bucket: the built site and the
 * open-data files, with directory indexes, the site's 404 page, gzip for text, and a "being built" page (503)
 * while the first build runs. The API is the other half (api-gateway.ts); gateway.ts puts them on one server.
 */

export interface StaticSiteOptions {
  /** The built site; a function so a rebuild can swap the directory while serving. */
  readonly siteDir: () => string | undefined;
  /**
   * A directory holding `data/`: the open-data files, served under `/data/` ahead of the site's copy
   * (the export refreshes them before the site rebuild ends).
   */
  readonly dataRoot?: () => string | undefined;
  /**
   * While the site is not complete (first start): how far the build is. A page not there yet is answered with
   * a "being built" page (503) rather than a 404.
   */
  readonly building?: () => { readonly progress: BuildProgress | undefined } | undefined;
}

const COMPRESSIBLE = /^(text\/|application\/(json|xml|manifest)|image\/svg)/;

/** Serves a file from the site (or data) directory, with directory indexes and the site's 404 page. */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: StaticSiteOptions,
): Promise<void> {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...localSecurityHeaders, allow: 'GET, HEAD' });
    res.end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400, localSecurityHeaders);
    res.end();
    return;
  }
  const siteDir = options.siteDir();
  const dataRoot = options.dataRoot?.();
  const roots: string[] = [];
  // The open data and the transparency log are written by the export, ahead of any site build.
  if (dataRoot && (pathname.startsWith('/data/') || pathname.startsWith('/log/'))) roots.push(resolve(dataRoot));
  if (siteDir) roots.push(siteDir);
  for (const root of roots) {
    const file = await findFile(root, pathname);
    if (file === 'redirect') {
      // One leading slash: `GET /.//en` has the pathname `//en`, and `Location: //en/` would send the browser to
      // the host `en` (a protocol-relative URL), an open redirect.
      const path = `/${url.pathname.replace(/^\/+/, '')}`;
      res.writeHead(301, { ...localSecurityHeaders, location: `${path}/${url.search}` });
      res.end();
      return;
    }
    if (file) {
      await sendFile(req, res, file, 200);
      return;
    }
  }
  const building = options.building?.();
  const notFound = siteDir && !building ? await findFile(siteDir, '/404.html') : undefined;
  if (notFound && notFound !== 'redirect') {
    await sendFile(req, res, notFound, 404);
    return;
  }
  if (siteDir && !building) {
    res.writeHead(404, { ...localSecurityHeaders, 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
    return;
  }
  const page = buildingPage(building?.progress);
  res.writeHead(503, {
    ...localSecurityHeaders,
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'retry-after': '5',
  });
  res.end(req.method === 'HEAD' ? undefined : page);
}

async function findFile(root: string, pathname: string): Promise<string | 'redirect' | undefined> {
  const target = normalize(join(root, pathname));
  if (target !== root && !target.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    const info = await stat(target);
    if (info.isFile()) return target;
    if (info.isDirectory()) {
      if (!pathname.endsWith('/')) return 'redirect';
      const index = join(target, 'index.html');
      const indexInfo = await stat(index).catch(() => undefined);
      return indexInfo?.isFile() ? index : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, status: number): Promise<void> {
  const type = contentTypeOf(file);
  // Full log tiles and entry bundles (no `.p/<W>`) never change (c2sp tlog-tiles): cached for good.
  const isImmutable =
    /\/_astro\/|\/pagefind\//.test(file) || /\/log\/tile\/(?:\d+|entries)\/(?:x\d{3}\/)*\d{3}$/.test(file);
  const headers: Record<string, string> = {
    ...localSecurityHeaders,
    'content-type': type,
    'cache-control': isImmutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  const gzip = COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) {
    headers['content-encoding'] = 'gzip';
    headers.vary = 'accept-encoding';
  } else {
    headers['content-length'] = String((await stat(file)).size);
  }
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  await new Promise<void>((resolveSend, reject) => {
    const out = gzip ? stream.pipe(createGzip()) : stream;
    out.on('error', reject);
    res.on('finish', () => resolveSend());
    res.on('close', () => resolveSend());
    out.pipe(res);
  });
}
