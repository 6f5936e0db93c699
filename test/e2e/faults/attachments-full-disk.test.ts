import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../local/stack.js';
import { type SigningKey, signAgencyRequest } from '../../../shared/auth/sign-agency-request.js';
import { conclusionBody, ensureUnits, registerLoadAgency } from '../../support/workload.js';

/**
 * A full disk for attachments: ATTACHMENTS_DIR is a 64 KiB tmpfs, and an agency uploads a 200 KiB PDF through
 * the gateway. The upload is refused with 503 and Retry-After; nothing is left on the disk (no partial file, no
 * temporary one) and nothing is served under the published name. Once space is freed the same upload succeeds
 * and the served bytes are the announced ones. Needs permission to mount a tmpfs (root, as in the CI container);
 * without it the test says so and is skipped.
 */

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200 * 1024), Buffer.from('\n%%EOF\n')]);
const SHA256 = createHash('sha256').update(PDF).digest('hex');

/** Mounts a tmpfs of the given size, or answers why it cannot. */
function mountTmpfs(dir: string, size: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return (error as { stderr?: Buffer }).stderr?.toString().trim() || String(error);
  }
}

/** Whether a tmpfs can be mounted here: tried on a probe directory, unmounted at once (nothing is left mounted). */
function mountProblem(): string | undefined {
  const probe = mkdtempSync(join(tmpdir(), 'full-disk-probe-'));
  try {
    const problem = mountTmpfs(probe, '16k');
    if (!problem) execFileSync('umount', [probe], { stdio: 'pipe' });
    return problem;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const cannotMount = mountProblem();
if (cannotMount) console.warn(`full-disk test skipped: cannot mount a tmpfs (${cannotMount})`);

describe.skipIf(cannotMount !== undefined)('fault: a full disk for attachments', () => {
  let stack: Stack;
  let dataDir: string;
  let signing: SigningKey;
  let uploadPath: string;
  let mountPoint: string;
  let mounted = false;

  const signed = async (method: string, path: string, body: Buffer, headers: Record<string, string>) => {
    const authorization = await signAgencyRequest(signing, { method, pathWithQuery: path, body });
    return fetch(`${stack.origin}${path}`, { method, headers: { ...headers, authorization }, body });
  };

  beforeAll(async () => {
    mountPoint = mkdtempSync(join(tmpdir(), 'full-disk-'));
    const problem = mountTmpfs(mountPoint, '64k');
    if (problem) throw new Error(`cannot mount the tmpfs: ${problem}`);
    mounted = true;
    dataDir = mkdtempSync(join(tmpdir(), 'fault-disk-'));
    stack = await startStack({
      port: 0,
      dataDir,
      inMemory: true,
      env: { ATTACHMENTS_DIR: mountPoint, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    await ensureUnits(stack.doc, stack.tables.records);
    signing = await registerLoadAgency(stack.doc, stack.tables.records, 'full-disk');
    const created = await signed(
      'POST',
      '/api/v1/conclusions',
      Buffer.from(JSON.stringify(conclusionBody('disk', 1))),
      {
        'content-type': 'application/json',
      },
    );
    const { id } = (await created.json()) as { id: string };
    const announced = await signed(
      'POST',
      `/api/v1/conclusions/${id}/attachment`,
      Buffer.from(JSON.stringify({ sha256: SHA256, bytes: PDF.length, mediaType: 'application/pdf' })),
      { 'content-type': 'application/json' },
    );
    const answer = (await announced.json()) as { upload: { url: string } };
    uploadPath = answer.upload.url;
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    if (mounted) execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    if (mountPoint) rmSync(mountPoint, { recursive: true, force: true });
  });

  it('refuses the upload with 503 and Retry-After when the disk is full, and leaves nothing on it', async () => {
    const response = await signed('PUT', uploadPath, PDF, { 'content-type': 'application/pdf' });
    expect(response.status, await response.clone().text()).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(readdirSync(mountPoint)).toEqual([]);
    const served = await fetch(`${stack.origin}${uploadPath}`);
    expect(served.status).toBe(404);
  });

  it('keeps answering other requests meanwhile', async () => {
    expect((await fetch(`${stack.origin}/api/v1/health`)).status).toBe(200);
  });

  it('accepts the same upload once space is freed, and serves exactly the announced bytes', async () => {
    execFileSync('mount', ['-o', 'remount,size=4m', mountPoint], { stdio: 'pipe' });
    const response = await signed('PUT', uploadPath, PDF, { 'content-type': 'application/pdf' });
    expect(response.status, await response.clone().text()).toBe(200);
    const served = await fetch(`${stack.origin}${uploadPath}`);
    expect(served.status).toBe(200);
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(SHA256);
    expect(readdirSync(mountPoint).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
