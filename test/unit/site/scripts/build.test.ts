import {
  existsSync,
  promises as fsPromises,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultShards, SHARD_MIN_UNITS, writePagesSynchronously } from '../../../../site/scripts/build.js';

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

describe('writePagesSynchronously', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function scratch(): string {
    const dir = mkdtempSync(join(tmpdir(), 'writes-'));
    dirs.push(dir);
    return dir;
  }

  it("writes a page as Astro writes it, with the same results and errors as Node's promises", async () => {
    // Prepare
    const dir = scratch();
    const { mkdir, writeFile } = fsPromises;
    const restore = writePagesSynchronously();
    let results: unknown[];
    let refusal: unknown;
    try {
      // Act: a new folder (its first created path), the same again (undefined), a page in it, and a page that cannot be
      // written (its folder is a file).
      expect(fsPromises.mkdir).not.toBe(mkdir);
      results = [
        await fsPromises.mkdir(join(dir, 'don-vi', '00001'), { recursive: true }),
        await fsPromises.mkdir(join(dir, 'don-vi', '00001'), { recursive: true }),
        await fsPromises.writeFile(join(dir, 'don-vi', '00001', 'index.html'), Buffer.from('<p>Trang</p>')),
        await fsPromises.writeFile(new URL(`file://${join(dir, 'don-vi', 'feed.xml')}`), '<feed/>'),
      ];
      writeFileSync(join(dir, 'file'), '');
      refusal = await fsPromises.writeFile(join(dir, 'file', 'index.html'), 'x').catch((error: unknown) => error);
    } finally {
      restore();
    }

    // Assess
    expect(results).toEqual([join(dir, 'don-vi'), undefined, undefined, undefined]);
    expect(readFileSync(join(dir, 'don-vi', '00001', 'index.html'), 'utf8')).toBe('<p>Trang</p>');
    expect(readFileSync(join(dir, 'don-vi', 'feed.xml'), 'utf8')).toBe('<feed/>');
    expect((refusal as NodeJS.ErrnoException).code).toBe('ENOTDIR');
    expect([fsPromises.mkdir, fsPromises.writeFile]).toEqual([mkdir, writeFile]);
  });

  it("leaves any other call to Node's own", async () => {
    const dir = scratch();
    const restore = writePagesSynchronously();
    try {
      // Not recursive: refused for a missing parent, as Node refuses it; with options: written with them.
      const refused = await fsPromises.mkdir(join(dir, 'a', 'b')).catch((error: unknown) => error);
      await fsPromises.writeFile(join(dir, 'latin1.txt'), 'é', { encoding: 'latin1' });

      expect((refused as NodeJS.ErrnoException).code).toBe('ENOENT');
      expect(existsSync(join(dir, 'a'))).toBe(false);
      expect(readFileSync(join(dir, 'latin1.txt'))).toEqual(Buffer.from([0xe9]));
    } finally {
      restore();
    }
  });
});
