import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../../local/static-site.js';

/**
 * The static half of the local gateway (local/static-site.ts) on a real HTTP server and a built site in a temporary
 * folder. Requests are sent with their raw request target, as a browser or a crafted link sends it (fetch would
 * normalize the path first).
 */

describe('the local static site', () => {
  let root: string;
  let server: Server;
  let port: number;

  /** Sends `GET <target>` as written and answers the status and the Location header. */
  function get(target: string): Promise<{ status: number; location: string | undefined }> {
    return new Promise((resolveAnswer, reject) => {
      const req = request({ host: '127.0.0.1', port, path: target, method: 'GET' }, (res) => {
        res.resume();
        res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, location: res.headers.location }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'static-site-'));
    mkdirSync(join(root, 'en'), { recursive: true });
    writeFileSync(join(root, 'en', 'index.html'), '<!doctype html><title>en</title>');
    writeFileSync(join(root, '404.html'), '<!doctype html><title>404</title>');
    server = createServer((req, res) => {
      void serveStatic(req, res, new URL(req.url ?? '/', 'http://local'), { siteDir: () => root });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((closed) => server.close(closed));
    rmSync(root, { recursive: true, force: true });
  });

  it('redirects a folder without its slash to the folder, keeping the query', async () => {
    // Act
    const answer = await get('/en?x=1');

    // Assess
    expect(answer).toEqual({ status: 301, location: '/en/?x=1' });
  });

  // Each has the pathname `//en` (or `///en`) once parsed; `//en/` in a Location would be a protocol-relative URL,
  // the host `en`. (`//en` alone is read as that host already, and answers the site's root.)
  it.each(['/.//en', '/./\\en', '/..//en', '/.///en'])(
    'redirects %s on this origin, never to another host',
    async (target) => {
      // Act
      const answer = await get(target);

      // Assess
      expect(answer).toEqual({ status: 301, location: '/en/' });
    },
  );

  it('serves the folder’s index once the slash is there', async () => {
    // Act
    const answer = await get('/en/');

    // Assess
    expect(answer.status).toBe(200);
  });
});
