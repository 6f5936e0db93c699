import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultShards, SHARD_MIN_UNITS } from '../../../../site/scripts/build.js';

describe('defaultShards', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function openData(units: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'shards-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'units'));
    for (let i = 0; i < units; i++) writeFileSync(join(dir, 'units', `${String(i).padStart(5, '0')}.json`), '{}');
    return dir;
  }

  it('renders a national registry in two processes', () => {
    expect(defaultShards(openData(SHARD_MIN_UNITS))).toBe(2);
  });

  it('renders a province or two in one process', () => {
    expect(defaultShards(openData(SHARD_MIN_UNITS - 1))).toBe(1);
  });

  it('renders in one process when the open data has no units folder yet', () => {
    expect(defaultShards(join(tmpdir(), 'no-such-open-data'))).toBe(1);
  });
});
