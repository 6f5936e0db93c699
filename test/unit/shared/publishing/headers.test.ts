import { describe, expect, it } from 'vitest';
import { CHECKPOINT_CACHE, contentTypeOf, IMMUTABLE, objectHeaders } from '../../../../shared/publishing/headers.js';

describe('objectHeaders', () => {
  it('writes log tiles as immutable octets and the checkpoint as short-lived text', () => {
    // Act / Assess
    expect(objectHeaders('log/tile/0/x001/234')).toEqual({
      contentType: 'application/octet-stream',
      cacheControl: IMMUTABLE,
    });
    expect(objectHeaders('log/tile/entries/000.p/5').cacheControl).toBe(IMMUTABLE);
    expect(objectHeaders('log/checkpoint')).toEqual({
      contentType: 'text/plain; charset=utf-8',
      cacheControl: CHECKPOINT_CACHE,
    });
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
    expect(CHECKPOINT_CACHE).toMatch(/max-age=5\b/);
  });

  it('leaves pages and open data to the distribution cache policy, with their media type', () => {
    // Act / Assess
    expect(objectHeaders('don-vi/00304/index.html')).toEqual({ contentType: 'text/html; charset=utf-8' });
    expect(objectHeaders('data/figures.csv')).toEqual({ contentType: 'text/csv; charset=utf-8' });
    expect(contentTypeOf('data/proofs/conclusion/x/1.tlog-proof')).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf('log/key')).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf('pagefind/pagefind.en_1.pf_meta')).toBe('application/octet-stream');
    expect(contentTypeOf('/tmp/site/_astro/app.CSS')).toBe('text/css; charset=utf-8');
  });
});
