import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertJava, freePort, LocalSetupError } from '../../../local/dynamodb-local.js';
import { REPO_ROOT } from '../../../local/stack.js';
import { TEST_PROVINCES } from '../../support/units.js';

/** Runs `tsx local/start.ts` as `npm start` does and collects its output until it exits. */
function runStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code) => resolveRun({ code, stderr, stdout }));
  });
}

describe('npm start configuration errors', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('ends with one line and exit code 1 when the port is taken', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(port, '127.0.0.1', () => done()));
    try {
      const result = await runStart({ PORT: String(port), DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `npm start: port ${port} is already in use: stop the other server or set PORT`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it('ends with one line when PORT is not a port', async () => {
    const result = await runStart({ PORT: 'eighty', DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('PORT must be');
  });

  // Serving first means DynamoDB Local, the registry written into it and the demo seeded. The demo's provinces
  // (`UNITS_PROVINCES`, as test/support/units.ts) are enough to die under: with the national registry (14,019 units)
  // this test spent most of its minute writing units before the engine could be killed.
  it('stops cleanly with one line when DynamoDB Local dies under it', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: join(dataDir, 'dies'),
        UNITS_PROVINCES: TEST_PROVINCES.join(','),
      },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      // Wait until it serves, then kill the engine (the Java child of the start process).
      let serving = false;
      const deadline = Date.now() + 240_000;
      while (!serving && Date.now() < deadline && child.exitCode === null) {
        serving = await fetch(`http://127.0.0.1:${port}/api/v1/health`)
          .then((r) => r.ok)
          .catch(() => false);
        if (!serving) await new Promise((r) => setTimeout(r, 250));
      }
      expect(serving, `npm start never served its health check; stderr: ${stderr}`).toBe(true);
      const { execSync } = await import('node:child_process');
      const javaPids = execSync(`pgrep -P ${child.pid} java || true`).toString().trim().split('\n').filter(Boolean);
      expect(javaPids.length).toBe(1);
      process.kill(Number(javaPids[0]), 'SIGKILL');
      expect(await exited).toBe(1);
      expect(stderr).toMatch(/^DynamoDB Local exited unexpectedly/m);
    } finally {
      // A failed assertion must not leave the stack (and its DynamoDB Local) running after the test.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 300_000);

  it('names the missing package when Java is absent', () => {
    const path = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'nojava-'));
    try {
      expect(() => assertJava()).toThrow(LocalSetupError);
      expect(() => assertJava()).toThrow(/openjdk-17-jre-headless/);
    } finally {
      process.env.PATH = path;
    }
  });
});
