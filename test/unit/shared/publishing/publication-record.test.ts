import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directoryStore } from '../../../../shared/publishing/directory-store.js';
import {
  PUBLICATION_RECORD_KEY,
  readPublicationRecord,
  writePublicationRecord,
} from '../../../../shared/publishing/publication-record.js';

describe('the record of the last publication', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'publication-record-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reads back what was written, the files as digests', async () => {
    // Prepare
    const store = directoryStore(root);
    const files = new Map([
      ['don-vi/00304/index.html', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['data/units.json', '0cc175b9c0f1b6a831c399e269772661'],
    ]);

    // Act
    await writePublicationRecord(store, { files, publishedAt: '2026-11-30T19:00:00.000Z', publisher: 'codebuild 1' });
    const record = await readPublicationRecord(store);

    // Assess
    expect(record).toEqual({ files, publishedAt: '2026-11-30T19:00:00.000Z', publisher: 'codebuild 1' });
  });

  it('is undefined when there is none, or when it cannot be read', async () => {
    // Prepare
    const store = directoryStore(root);
    const none = await readPublicationRecord(store);
    mkdirSync(join(root, 'publication'));
    writeFileSync(join(root, PUBLICATION_RECORD_KEY), 'not gzip');

    // Act
    const unreadable = await readPublicationRecord(store);

    // Assess
    expect(none).toBeUndefined();
    expect(unreadable).toBeUndefined();
  });
});
