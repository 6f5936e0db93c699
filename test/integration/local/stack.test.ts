import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/dynamodb-local.js';
import { type Stack, startStack } from '../../../local/stack.js';

describe('local stack', () => {
  let stack: Stack;
  let dataDir: string;
  let environmentBefore: Record<string, string | undefined>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stack-'));
    environmentBefore = { ...process.env };
    stack = await startStack({ port: 0, dataDir, inMemory: true, buildSite: null });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('answers health through the gateway with the security headers', async () => {
    const response = await fetch(`${stack.origin}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });

  it('configures its handlers with its own object and leaves process.env as it was', async () => {
    // The handlers answered above from this stack's tables, which process.env does not name.
    expect(process.env).toEqual(environmentBefore);
    expect(stack.config.RECORDS_TABLE).toBe(stack.tables.records);
    expect(stack.config.DYNAMODB_ENDPOINT).toBe(stack.engine.endpoint);
    expect(process.env.RECORDS_TABLE).not.toBe(stack.tables.records);
  });

  it('answers an unknown API route with a problem', async () => {
    const response = await fetch(`${stack.origin}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers a wrong method with 405', async () => {
    const response = await fetch(`${stack.origin}/api/v1/health`, { method: 'DELETE' });
    expect(response.status).toBe(405);
  });

  it('refuses a body over the gateway limit with 413', async () => {
    const response = await fetch(`${stack.origin}/api/v1/health`, {
      method: 'GET',
      headers: { 'content-length': String(11 * 1024 * 1024) },
    }).catch(() => undefined);
    // A GET with a declared body is refused or ignored, never a 5xx.
    expect(response === undefined || response.status < 500).toBe(true);
  });

  it('refuses path traversal out of the site directory', async () => {
    const response = await fetch(`${stack.origin}/..%2f..%2fetc/passwd`);
    expect(response.status).not.toBe(200);
  });

  it('says clearly when the port is taken', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((done) => blocker.listen(port, '127.0.0.1', () => done()));
    try {
      await expect(
        startStack({ port, dataDir: join(dataDir, 'second'), inMemory: true, buildSite: null }),
      ).rejects.toThrow(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });
});
