import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertSameSite, CrossSiteRequestError, siteOriginsFromEnv } from '../../../../shared/http/same-site.js';

describe('assertSameSite', () => {
  it('lets through a request from no page at all (a script: neither header)', () => {
    expect(() => assertSameSite({ headers: { host: 'congvu.vn' } })).not.toThrow();
  });

  it.each(['same-origin', 'none', 'SAME-ORIGIN'])('lets through Sec-Fetch-Site %s', (site) => {
    expect(() => assertSameSite({ headers: { host: 'congvu.vn', 'sec-fetch-site': site } })).not.toThrow();
  });

  it.each(['cross-site', 'same-site', 'bogus'])('refuses Sec-Fetch-Site %s', (site) => {
    expect(() => assertSameSite({ headers: { host: 'congvu.vn', 'sec-fetch-site': site } })).toThrow(
      CrossSiteRequestError,
    );
  });

  it('takes Origin "null" (a no-referrer page) as the site only where Fetch Metadata says same-origin', () => {
    const headers = { host: '127.0.0.1:8080', origin: 'null' };
    expect(() => assertSameSite({ headers: { ...headers, 'sec-fetch-site': 'same-origin' } })).not.toThrow();
    expect(() => assertSameSite({ headers })).toThrow(CrossSiteRequestError);
    expect(() => assertSameSite({ headers: { ...headers, 'sec-fetch-site': 'cross-site' } })).toThrow(
      CrossSiteRequestError,
    );
    expect(() =>
      assertSameSite({
        headers: { host: 'congvu.vn', origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' },
      }),
    ).toThrow(CrossSiteRequestError);
  });

  it('compares Origin with the Host (port included) when no site origin is configured', () => {
    expect(() =>
      assertSameSite({ headers: { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' } }),
    ).not.toThrow();
    expect(() => assertSameSite({ headers: { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:9090' } })).toThrow(
      CrossSiteRequestError,
    );
  });

  it('compares Origin with the configured origins, scheme included, and ignores Host then', () => {
    const siteOrigins = ['https://congvu.vn'];
    const headers = { host: 'abc.execute-api.amazonaws.com' };
    expect(() => assertSameSite({ headers: { ...headers, origin: 'https://congvu.vn' }, siteOrigins })).not.toThrow();
    expect(() => assertSameSite({ headers: { ...headers, origin: 'http://congvu.vn' }, siteOrigins })).toThrow();
    expect(() =>
      assertSameSite({ headers: { ...headers, origin: 'https://abc.execute-api.amazonaws.com' }, siteOrigins }),
    ).toThrow();
  });

  it('refuses any Origin that is not the site, whatever it is', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string()), (origin) => {
        const call = () =>
          assertSameSite({ headers: { host: 'congvu.vn', origin }, siteOrigins: ['https://congvu.vn'] });
        // Only the site's own origin (however written) and an empty header pass.
        if (origin.trim() === '' || safeOrigin(origin.trim()) === 'https://congvu.vn') expect(call).not.toThrow();
        else expect(call).toThrow(CrossSiteRequestError);
      }),
    );
    // Building fc.webUrl() (its domain grammar) costs about a second of CPU once, before any run: over the 5 s
    // default on a loaded two-core CI machine. Fewer runs would not help; the hundred runs take milliseconds.
  }, 30_000);

  it('reads SITE_ORIGINS as a comma-separated list', () => {
    expect(siteOriginsFromEnv({ SITE_ORIGINS: ' https://a.vn , https://b.vn ' })).toEqual([
      'https://a.vn',
      'https://b.vn',
    ]);
    expect(siteOriginsFromEnv({})).toBeUndefined();
  });
});

function safeOrigin(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}
