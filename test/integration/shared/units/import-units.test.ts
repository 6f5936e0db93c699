import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RegistryFileSchema } from '../../../../shared/units/registry-file.js';

/** The CLI (`npm run units:import`), run as a child process on the same Node as the tests. */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function importUnits(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'cli/import-units.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

describe('cli/import-units', () => {
  const dir = mkdtempSync(join(tmpdir(), 'units-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the chosen provinces to --out and prints the counts', () => {
    // Prepare
    const out = join(dir, 'qn.json');

    // Act
    const run = importUnits('--provinces', '22', '--out', out);

    // Assess
    expect(run.status).toBe(0);
    const file = RegistryFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(file.provinces).toEqual(['22']);
    expect(file.units.filter((u) => u.level === 2)).toHaveLength(13);
    expect(run.stdout).toContain(`${file.count.toLocaleString('en-US')} units (provinces 22 in full)`);
    expect(run.stdout).toContain('communes:  171 before 2025-07-01, 54 from then (1 the same unit)');
  });

  it('prints a missing input file as one line without a stack, and exits 1', () => {
    // Act
    const run = importUnits('--data', join(dir, 'nowhere'), '--out', join(dir, 'x.json'));

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `import-units: cannot read ${join(dir, 'nowhere', 'units-2025-03-01.json')}: file not found`,
    ]);
  });

  it('refuses an unknown option with the usage, and exits 2', () => {
    // Act
    const run = importUnits('--province', '01');

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: npm run units:import');
  });
});
