import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BodyOptions, MAX_DEPTH, parseBody } from '../../../../functions/lib/body.js';
import {
  DomainError,
  MalformedRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../../../shared/errors.js';

const options: BodyOptions = { maxBytes: 1024, mediaTypes: ['application/json', 'application/x-www-form-urlencoded'] };
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

describe('parseBody', () => {
  it('parses JSON and normalizes every string to NFC', () => {
    const nfd = 'Vĩnh Hưng'.normalize('NFD');
    const parsed = parseBody(JSON.stringify({ name: nfd, [nfd]: [nfd] }), false, 'application/json', options);
    expect(parsed.value).toEqual({ name: 'Vĩnh Hưng', 'Vĩnh Hưng': ['Vĩnh Hưng'] });
    expect(parsed.raw.toString('utf8')).toContain(nfd);
  });

  it('nests dotted form fields', () => {
    const parsed = parseBody(
      'unit=00304&ratings.access=5&ratings.feedback=',
      false,
      'application/x-www-form-urlencoded',
      options,
    );
    expect(JSON.parse(JSON.stringify(parsed.value))).toEqual({ unit: '00304', ratings: { access: '5', feedback: '' } });
  });

  it('refuses invalid UTF-8 with 400', () => {
    expect(() => parseBody(b64(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), true, 'application/json', options)).toThrow(
      MalformedRequestError,
    );
  });

  it('refuses a body over the cap with 413, before decoding it', () => {
    expect(() => parseBody('x'.repeat(10 * 1024 * 1024), false, 'application/json', options)).toThrow(
      PayloadTooLargeError,
    );
    expect(() => parseBody(`"${'x'.repeat(1100)}"`, false, 'application/json', options)).toThrow(PayloadTooLargeError);
  });

  it('refuses other media types and charsets with 415', () => {
    expect(() => parseBody('{}', false, 'text/plain', options)).toThrow(UnsupportedMediaTypeError);
    expect(() => parseBody('{}', false, undefined, options)).toThrow(UnsupportedMediaTypeError);
    expect(() => parseBody('{}', false, 'application/json; charset=latin1', options)).toThrow(
      UnsupportedMediaTypeError,
    );
  });

  it('accepts a media type with parameters and odd case', () => {
    expect(parseBody('{"a":1}', false, 'Application/JSON; Charset="UTF-8"', options).value).toEqual({ a: 1 });
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => parseBody(deep, false, 'application/json', { ...options, maxBytes: 1_000_000 })).toThrow(DomainError);
    const justDeepEnough = `${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`;
    expect(() => parseBody(justDeepEnough, false, 'application/json', options)).not.toThrow();
  });

  it('refuses prototype-pollution keys in JSON and forms', () => {
    expect(() => parseBody('{"a":{"__proto__":{"x":1}}}', false, 'application/json', options)).toThrow(
      MalformedRequestError,
    );
    expect(() => parseBody('constructor.prototype.x=1', false, 'application/x-www-form-urlencoded', options)).toThrow(
      MalformedRequestError,
    );
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    ['at the top', '{"overall": 5, "overall": 1}'],
    ['in a nested object', '{"ratings": {"access": 5, "staff": 1, "access": 1}}'],
    ['inside an array', '[{"a": 1}, {"a": 2, "b": {"c": "x\\"y", "c": 1}}]'],
    ['written with an escape', '{"unit": "1", "\\u0075nit": "2"}'],
    ['in two Unicode spellings', `{"${'Vĩnh'.normalize('NFC')}": 1, "${'Vĩnh'.normalize('NFD')}": 2}`],
  ])('refuses a JSON key given twice %s (400)', (_label, body) => {
    expect(() => parseBody(body, false, 'application/json', options)).toThrow(/given twice/);
  });

  it('accepts the same key in sibling objects and strings that look like keys', () => {
    const body = '{"a": {"k": 1}, "b": {"k": 2}, "c": ["k", "k"], "d": "\\"k\\": 1, \\"k\\": 2"}';
    expect(parseBody(body, false, 'application/json', options).value).toMatchObject({ a: { k: 1 }, b: { k: 2 } });
  });

  it('never finds a duplicate in what JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        if (Buffer.byteLength(text) > options.maxBytes) return;
        // Keys that collapse under NFC are real duplicates, and prototype keys are refused on their own.
        if (text !== text.normalize('NFC') || /__proto__|"constructor"|"prototype"/.test(text)) return;
        expect(() => parseBody(text, false, 'application/json', options)).not.toThrow();
      }),
    );
  });

  it('refuses a form field given twice or conflicting with a nested one', () => {
    const form = 'application/x-www-form-urlencoded';
    expect(() => parseBody('a=1&a=2', false, form, options)).toThrow(MalformedRequestError);
    expect(() => parseBody('a=1&a.b=2', false, form, options)).toThrow(MalformedRequestError);
  });

  it('either parses or throws a DomainError for any input (fuzzed)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a).toString('latin1')),
        ),
        fc.boolean(),
        fc.constantFrom(
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
          undefined,
          'application/json; charset=utf-16',
        ),
        (body, base64, contentType) => {
          try {
            parseBody(base64 ? b64(body) : body, base64, contentType, options);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
