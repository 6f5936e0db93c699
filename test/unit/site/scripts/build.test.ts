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
import {
  defaultShards,
  mergeRecords,
  SHARD_MIN_UNITS,
  writePagesSynchronously,
} from '../../../../site/scripts/build.js';

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

describe('mergeRecords', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function records(dir: string, name: string, pages: Record<string, unknown>): string {
    const file = join(dir, name);
    // As lib/dependencies.ts writes a shard's records.
    writeFileSync(file, JSON.stringify({ pages }));
    return file;
  }

  it('writes the bytes JSON.stringify gives the pages of every shard in one object', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'records-'));
    dirs.push(dir);
    const first = { '/don-vi/[id] [["id","00001"]]': { deps: ['unit:00001'], digest: 'a', props: 'p', key: 'k' } };
    const second = {
      '/en/units/[id] [["id","00004"]]': {
        deps: ['file:units/00004.json', 'unit:00004'],
        digest: 'b',
        props: 'q',
        key: 'k',
      },
      '/xep-hang/[group] [["group","phường"]]': { deps: ['units'], digest: 'c', props: 'r', key: 'k' },
    };
    const files = [records(dir, 'a.json', first), records(dir, 'empty.json', {}), records(dir, 'b.json', second)];

    // Act
    mergeRecords(files, join(dir, 'merged.json'));

    // Assess
    const merged = readFileSync(join(dir, 'merged.json'), 'utf8');
    expect(merged).toBe(JSON.stringify({ pages: { ...first, ...second } }));
    expect(JSON.parse(merged)).toEqual({ pages: { ...first, ...second } });
  });

  it('writes an empty record when no shard recorded a page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'records-'));
    dirs.push(dir);
    mergeRecords([records(dir, 'a.json', {}), records(dir, 'b.json', {})], join(dir, 'merged.json'));
    expect(readFileSync(join(dir, 'merged.json'), 'utf8')).toBe('{"pages":{}}');
  });

  it('throws when a file is not a record of pages as a shard writes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'records-'));
    dirs.push(dir);
    const spaced = join(dir, 'spaced.json');
    writeFileSync(spaced, JSON.stringify({ pages: {} }, null, 2));
    expect(() => mergeRecords([spaced], join(dir, 'merged.json'))).toThrow(/spaced\.json is not a record of pages/);
  });
});
