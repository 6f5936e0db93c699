import { describe, expect, it } from 'vitest';
import { searchFor } from '../../../local/site-rebuilder.js';

describe('searchFor', () => {
  const maxStaleMs = 300_000;

  it('never makes a build that publishes a change wait for the search index', () => {
    expect(searchFor({ changed: true, staleSince: undefined, now: 1_000, maxStaleMs })).toBe('deferred');
    // The index is behind already (a deferred build before): the change still goes first.
    expect(searchFor({ changed: true, staleSince: 900, now: 1_000, maxStaleMs })).toBe('deferred');
  });

  it('catches the index up once no change is waiting', () => {
    expect(searchFor({ changed: false, staleSince: 900, now: 1_000, maxStaleMs })).toBe('now');
    expect(searchFor({ changed: false, staleSince: undefined, now: 1_000, maxStaleMs })).toBe('now');
  });

  it('catches it up anyway when changes never stop and it has been behind for maxStaleMs', () => {
    expect(searchFor({ changed: true, staleSince: 0, now: maxStaleMs - 1, maxStaleMs })).toBe('deferred');
    expect(searchFor({ changed: true, staleSince: 0, now: maxStaleMs, maxStaleMs })).toBe('now');
  });
});
