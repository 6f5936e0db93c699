import fc from 'fast-check';
import { CONCLUSION_CONTENT_FIELDS } from '../../shared/conclusions/schemas.js';
import { exampleConclusion } from './agency-fixtures.js';

/**
 * Generators of conclusion request bodies that must be refused, each with the reason it must be: not JSON (400),
 * not UTF-8 (400), JSON that is not a conclusion object (422), a valid conclusion with exactly one field broken
 * (422), too large (413), or sent with a wrong media type (415). Every case is invalid by construction, so an
 * accepted one is a bug, not a flaky generator.
 */

export interface MalformedCase {
  readonly body: Buffer;
  readonly contentType: string;
  readonly expected: readonly number[];
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** Values that are not what any field of a conclusion accepts where they are put. */
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double({ noNaN: false }),
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.constant(1.5),
  fc.constant(''),
  fc.constant('   '),
  fc.string({ minLength: 1, maxLength: 8 }).map((s) => `\u0000${s}`),
  fc.constant({}),
  fc.constant([]),
  fc.constant('x'.repeat(25_000)),
);

/** Every content field of a conclusion, from the schema: a field added there is broken here too. */
const FIELDS = CONCLUSION_CONTENT_FIELDS;
/** The lists a conclusion may send empty (`violatingUnits` may not, while violations are stated). */
const EMPTY_ALLOWED: readonly string[] = ['legalBasis', 'discipline', 'recommendations', 'sources'];

/** A valid conclusion with one thing broken. */
const brokenConclusion: fc.Arbitrary<MalformedCase> = fc
  .oneof(
    // A field replaced by a value of the wrong type or out of bounds for it.
    fc
      .tuple(fc.constantFrom(...FIELDS), wrongValue)
      // An empty list is a valid value of the optional lists: not a wrong value there.
      .filter(
        ([field, value]) =>
          !(Array.isArray(value) && EMPTY_ALLOWED.includes(field)) &&
          // Every measure is optional: an empty object states none.
          !(field === 'otherMeasures' && isEmptyObject(value)),
      )
      .map(([field, value]) => exampleConclusion({ [field]: value })),
    // A required field removed (`violations` is optional: absent when the source does not state them). Written out,
    // not read from the schema: a required field made optional by mistake must fail here.
    fc.constantFrom('documentNumber', 'issuedOn', 'kind', 'inspectedUnits', 'topics', 'summary').map((field) => {
      const body = exampleConclusion();
      delete body[field];
      return body;
    }),
    // An unknown field (the schema is strict).
    fc
      .string({ minLength: 1, maxLength: 20 })
      .filter(
        (key) =>
          !(FIELDS as readonly string[]).includes(key) && !['__proto__', 'constructor', 'prototype'].includes(key),
      )
      .map((key) => ({ ...exampleConclusion(), [key]: 1 })),
    // Nested breakage.
    wrongValue.map((value) => exampleConclusion({ violations: { organizations: value, individuals: 0 } })),
    fc
      .constantFrom('flogging', 'REPRIMAND', '')
      .map((form) => exampleConclusion({ discipline: [{ form, organizations: 0, individuals: 1 }] })),
    fc
      .integer({ min: 3, max: 1000 })
      .map((n) => exampleConclusion({ discipline: [{ form: 'warning', organizations: 0, individuals: n }] })),
    fc
      .constantFrom('2024-02-30', '2024-13-01', '24-05-20', '2999-01-01', '1900-01-01')
      .map((issuedOn) => exampleConclusion({ issuedOn })),
    fc.constantFrom('1', '0030', '003044', 'abcde', '').map((code) => exampleConclusion({ inspectedUnits: [code] })),
    fc.constant(exampleConclusion({ inspectedUnits: ['00304', '00304'] })),
    fc.constant(exampleConclusion({ inspectedUnits: [] })),
  )
  .map((body) => ({ body: json(body), contentType: 'application/json', expected: [422] }));

/** JSON that is not an object, or an object of the wrong shape entirely. */
const wrongJson: fc.Arbitrary<MalformedCase> = fc
  .oneof(
    fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
    fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }),
  )
  .map((value) => ({ body: json(value), contentType: 'application/json', expected: [400, 422] }));

/** Bytes that are not well-formed JSON, or not UTF-8. */
const notJson: fc.Arbitrary<MalformedCase> = fc
  .oneof(
    fc
      .string({ maxLength: 200 })
      .filter((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      })
      .map((text) => Buffer.from(text)),
    fc
      .uint8Array({ minLength: 1, maxLength: 200 })
      .map((bytes) =>
        Buffer.concat([Buffer.from('{"a":"'), Buffer.from(bytes), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      ),
    fc.constant(Buffer.from('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]')),
  )
  .map((body) => ({ body, contentType: 'application/json', expected: [400] }));

/** Wrong media types (the body itself is a valid conclusion). */
const wrongMediaType: fc.Arbitrary<MalformedCase> = fc
  .constantFrom(
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
    '',
  )
  .map((contentType) => ({ body: json(exampleConclusion()), contentType, expected: [415] }));

/** Bodies over the 256 KiB cap. */
const tooLarge: fc.Arbitrary<MalformedCase> = fc
  .integer({ min: 256 * 1024 + 1, max: 400 * 1024 })
  .map((size) => ({ body: Buffer.alloc(size, 0x20), contentType: 'application/json', expected: [413] }));

/** Every kind of malformed request, weighted towards the subtle ones. */
export const malformedConclusionRequest: fc.Arbitrary<MalformedCase> = fc.oneof(
  { arbitrary: brokenConclusion, weight: 6 },
  { arbitrary: wrongJson, weight: 2 },
  { arbitrary: notJson, weight: 2 },
  { arbitrary: wrongMediaType, weight: 1 },
  { arbitrary: tooLarge, weight: 1 },
);
