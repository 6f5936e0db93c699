import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../local/stack.js';

/**
 * `npm run publish:pipeline` and `npm run publish:site` as a shell runs them (cli/lib/command.ts is their shell):
 * `--help` prints the usage (exit 0), wrong arguments print one error line and the usage (exit 2), nothing else runs.
 */
describe('the publishing commands', () => {
  const run = (script: string, args: readonly string[]) => {
    const result = spawnSync('npx', ['tsx', script, ...args], {
      cwd: REPO_ROOT,
      // No store in the environment: a command that got past its arguments would fail on it (exit 1), not 2.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it.each([
    ['cli/publish-pipeline.ts', 'publish:pipeline'],
    ['cli/publish-site.ts', 'publish:site'],
  ])(
    '%s: prints its usage on --help, and refuses an unknown option with the usage',
    (script, name) => {
      // Act
      const help = run(script, ['--help']);
      const unknown = run(script, ['--bogus']);

      // Assess
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: npm run ${name} -- `));
      expect(unknown.status).toBe(2);
      const lines = unknown.stderr.trim().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^${name}: error: .*--bogus`));
      expect(lines[1]).toMatch(new RegExp(`^usage: npm run ${name} -- `));
    },
    240_000,
  );

  it('refuses arguments a command checks itself, with its usage', () => {
    // Act
    const mode = run('cli/publish-pipeline.ts', ['--mode', 'sometimes', '--to', '/tmp/x']);
    const site = run('cli/publish-site.ts', ['--manifest', 'm.json']);

    // Assess
    expect(mode.status).toBe(2);
    expect(mode.stderr).toMatch(/^publish:pipeline: error: --mode is incremental or full\nusage: /);
    expect(site.status).toBe(2);
    expect(site.stderr).toMatch(/^publish:site: error: --site is required\nusage: /);
  }, 240_000);
});
