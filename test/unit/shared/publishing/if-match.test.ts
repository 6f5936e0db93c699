import { describe, expect, it } from 'vitest';
import { PreconditionFailedError, PreconditionRequiredError } from '../../../../shared/errors.js';
import {
  optionalVersion,
  parseVersion,
  requireVersion,
  staleIfMatch,
  versionEtag,
} from '../../../../shared/publishing/if-match.js';

describe('versionEtag', () => {
  it('writes the version as the quoted ETag that If-Match reads back', () => {
    // Act
    const etag = versionEtag(3);

    // Assess
    expect(etag).toBe('"3"');
    expect(requireVersion(etag)).toBe(3);
    expect(requireVersion(`W/${versionEtag(12)}`)).toBe(12);
  });
});

describe('requireVersion', () => {
  it('reads a quoted, weak or bare version', () => {
    // Act / Assess
    expect(requireVersion('"3"')).toBe(3);
    expect(requireVersion('W/"3"')).toBe(3);
    expect(requireVersion(' 3 ')).toBe(3);
  });

  it('throws 428 when If-Match is absent or blank, naming the record', () => {
    // Act / Assess
    expect(() => requireVersion(undefined, 'report')).toThrow(PreconditionRequiredError);
    expect(() => requireVersion('  ', 'report')).toThrow(/ETag of the report/);
  });

  it('throws 412 when If-Match names no version', () => {
    // Act / Assess
    for (const ifMatch of ['*', '"0"', '"abc"', '"1234567"', '"1.5"']) {
      expect(() => requireVersion(ifMatch), ifMatch).toThrow(PreconditionFailedError);
    }
  });
});

describe('parseVersion', () => {
  it('reads the version of a quoted, weak or bare ETag, and undefined when it names none', () => {
    // Act / Assess
    expect(parseVersion(versionEtag(7))).toBe(7);
    expect(parseVersion('W/"7"')).toBe(7);
    expect(parseVersion('7')).toBe(7);
    for (const value of ['', 'latest', '"0"', '-1', '1.5', '""7""']) expect(parseVersion(value), value).toBeUndefined();
  });
});

describe('optionalVersion', () => {
  it('is undefined without If-Match and otherwise reads it as requireVersion does', () => {
    // Act / Assess
    expect(optionalVersion(undefined)).toBeUndefined();
    expect(optionalVersion('"2"')).toBe(2);
    expect(() => optionalVersion('')).toThrow(PreconditionRequiredError);
  });
});

describe('staleIfMatch', () => {
  it('is a 412 naming both versions', () => {
    // Act
    const error = staleIfMatch(2, 3);

    // Assess
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(error.message).toBe('If-Match names version 2; the current version is 3.');
  });
});
