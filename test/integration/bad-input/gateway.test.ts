import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../functions/routes.js';
import { freePort } from '../../../local/dynamodb-local.js';
import { startGateway } from '../../../local/gateway.js';
import { REPO_ROOT } from '../../../local/stack.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { type RawResponse, rawRequest } from '../../support/raw-http.js';
import { snapshotDiff, snapshotTables } from '../../support/table-snapshot.js';
import { expectProblem } from './problem-assertions.js';

/**
 * Requests no well-behaved client sends, over a raw socket to the local gateway in front of every route of
 * functions/routes.ts: header injection, request smuggling, oversized heads and bodies, bytes that are not
 * HTTP. Each is refused with a 4xx problem (never a 5xx, never a hang), and nothing reaches the tables.
 */

interface RawCase {
  readonly name: string;
  /** The raw request for a method and path. */
  readonly build: (method: string, path: string) => Buffer | string;
  readonly expected: readonly number[];
}

const CRLF = '\r\n';
const head = (method: string, path: string, headers: string[]) =>
  `${method} ${path} HTTP/1.1${CRLF}Host: localhost${CRLF}${[...headers, 'Connection: close'].join(CRLF)}${CRLF}${CRLF}`;
const json = '{"a":1}';

const cases: readonly RawCase[] = [
  { name: 'a bare CR inside a header value', build: (m, p) => head(m, p, ['X-A: a\rb']), expected: [400] },
  { name: 'a NUL inside a header value', build: (m, p) => head(m, p, ['X-A: a\0b']), expected: [400] },
  { name: 'a space inside a header name', build: (m, p) => head(m, p, ['X A: 1']), expected: [400] },
  {
    name: 'obsolete line folding',
    build: (m, p) => head(m, p, ['X-A: a', ' Set-Cookie: injected=1']),
    expected: [400],
  },
  {
    name: 'two different Content-Length headers',
    build: (m, p) =>
      `${head(m, p, ['Content-Type: application/json', 'Content-Length: 7', 'Content-Length: 3'])}${json}`,
    expected: [400],
  },
  {
    name: 'Content-Length with Transfer-Encoding (smuggling)',
    build: (m, p) =>
      `${head(m, p, ['Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked'])}7\r\n${json}\r\n0\r\n\r\n`,
    expected: [400],
  },
  { name: 'a negative Content-Length', build: (m, p) => head(m, p, ['Content-Length: -1']), expected: [400] },
  { name: 'a non-numeric Content-Length', build: (m, p) => head(m, p, ['Content-Length: 1e3']), expected: [400] },
  {
    name: 'an invalid chunk size',
    build: (m, p) =>
      `${head(m, p, ['Content-Type: application/json', 'Transfer-Encoding: chunked'])}zz\r\n${json}\r\n0\r\n\r\n`,
    expected: [400],
  },
  { name: 'a raw space in the path', build: (m, p) => head(m, `${p}/a b`, []), expected: [400] },
  {
    name: 'raw non-ASCII bytes in the path',
    build: (m, p) =>
      Buffer.concat([
        Buffer.from(`${m} ${p}`),
        Buffer.from([0xc4, 0x90, 0xff]),
        Buffer.from(head('', '', []).slice(1)),
      ]),
    expected: [400, 404],
  },
  // A path one segment longer may name another route (`/conclusions/{id}`) that takes other methods: 405.
  {
    name: 'percent-encoded invalid UTF-8 in the path',
    build: (m, p) => head(m, `${p}/%C0%AF`, []),
    expected: [404, 405],
  },
  { name: 'a percent-encoded NUL in the path', build: (m, p) => head(m, `${p}/%00`, []), expected: [404, 405] },
  { name: 'a 100 KB URL', build: (m, p) => head(m, `${p}?q=${'a'.repeat(100_000)}`, []), expected: [414, 431] },
  { name: 'a 20 KB header', build: (m, p) => head(m, p, [`X-Big: ${'b'.repeat(20_000)}`]), expected: [431] },
  { name: 'an unknown method', build: (_m, p) => head('BREW', p, []), expected: [400, 405] },
  {
    name: 'an absolute-form target to another host',
    build: (m, p) => head(m, `http://evil.example${p}`, []),
    expected: [400, 401, 404, 405, 415, 422, 200],
  },
  {
    name: 'a declared 11 MB body',
    build: (m, p) => head(m, p, ['Content-Type: application/json', `Content-Length: ${11 * 1024 * 1024}`]),
    expected: [413],
  },
  {
    name: 'an 11 MB chunked body',
    build: (m, p) => {
      const chunk = `${(1024 * 1024).toString(16)}\r\n${'x'.repeat(1024 * 1024)}\r\n`;
      return `${head(m, p, ['Content-Type: application/json', 'Transfer-Encoding: chunked'])}${chunk.repeat(11)}0\r\n\r\n`;
    },
    expected: [413],
  },
  {
    name: 'an injected header through an encoded CRLF in the query',
    build: (m, p) => head(m, `${p}?lang=vi%0d%0aSet-Cookie:%20injected=1`, []),
    expected: [200, 400, 401, 404, 405, 411, 415, 422],
  },
];

describe('bad requests through the local gateway', () => {
  let tables: TestTables;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    tables = await createTestTables('badgateway');
    Object.assign(process.env, tables.env, { POWERTOOLS_LOG_LEVEL: 'ERROR', SURVEY_RATE_LIMIT: '1000000' });
    port = await freePort();
    server = await startGateway({ port, repoRoot: REPO_ROOT, siteDir: () => undefined });
  });

  afterAll(async () => {
    await new Promise<void>((done) => {
      server?.close(() => done());
      server?.closeAllConnections();
    });
    await tables?.drop();
  });

  const toResponseLike = (response: RawResponse) => ({ ...response, body: response.body.toString('utf8') });

  for (const route of routes) {
    const path = route.path.replace(/\{[^}]+\}/g, 'abc');
    for (const c of cases) {
      it(`${route.method} ${route.path}: answers ${c.name} with a 4xx problem and writes nothing`, async () => {
        const before = await snapshotTables(tables.doc, tables.names);
        const response = await rawRequest(port, c.build(route.method, path));
        expect(response.status, `${c.name}: ${response.headerLines.join(' | ')}`).toBeLessThan(500);
        if (response.status >= 400) expectProblem(toResponseLike(response), c.expected, c.name);
        else expect(c.expected, c.name).toContain(response.status);
        // Nothing a client sends ends up as a response header of its own choosing.
        expect(response.headerLines.filter((line) => /^(set-cookie|x-a|x-injected)\s*:/i.test(line))).toEqual([]);
        expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
      });
    }
  }

  it('still answers a well-formed request after all of the above', async () => {
    const response = await rawRequest(port, head('GET', '/api/v1/health', []));
    expect(response.status).toBe(200);
  });
});
