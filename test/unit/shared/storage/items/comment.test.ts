import { describe, expect, it } from 'vitest';
import { commentItem, commentOf } from '../../../../../shared/storage/items/comment.js';
import type { CommentRecord } from '../../../../../shared/surveys/ports.js';

const pending: CommentRecord = {
  id: '0b7e3f9a-5a55-4a43-8f0e-2c1d9b6a7e11',
  unitId: '00304',
  text: 'Cán bộ hướng dẫn tận tình.',
  status: 'pending',
  submittedAt: '2026-11-29',
};

describe('the comment item', () => {
  it('is built with its moderation queue as gsi1 key and read back as the same comment', () => {
    // Act
    const item = commentItem(pending);

    // Assess
    expect(item).toMatchObject({ pk: `COMMENT#${pending.id}`, gsi1pk: 'COMMENTS#pending', entity: 'comment' });
    expect(commentOf(item)).toEqual(pending);
  });

  it('fails loudly on an item of an unknown status', () => {
    // Act / Assess
    expect(() => commentOf({ ...commentItem(pending), status: 'hidden' })).toThrow(/status/);
  });
});
