import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../../../infra/config.js';

/**
 * The image's entry (functions/site-publisher/index.mjs, the Dockerfile's CMD) as Lambda's Node runtime loads it:
 * plain JavaScript imported by a fresh Node, which must register the TypeScript loader itself and export the
 * handler. Run in a child process: the loader it registers would otherwise stay in the test's own process.
 */
describe('the site publisher image entry', () => {
  it('loads the TypeScript handler in a plain Node process and exports it', () => {
    // Act: the handler is invoked without its configuration, so it fails before touching anything
    const script = [
      "const entry = await import('./functions/site-publisher/index.mjs');",
      'console.log(typeof entry.handler);',
      "await entry.handler({ action: 'publish' }).catch((error) => console.log(error.message));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      timeout: 60_000,
    });

    // Assess
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual([
      'function',
      'PUBLISH_STATE_DIR, SITE_DIR, SITE_BUCKET and PUBLICATION_RECORD_BUCKET must be set',
      '',
    ]);
  });
});
