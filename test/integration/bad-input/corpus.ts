/**
 * The nasty-input corpus: bodies and headers a careless or hostile client sends, each with the statuses the
 * contract gives it (CONTRACT.md: 400 not well-formed for its media type, 413 too large, 415 wrong media type,
 * 422 well-formed but breaking the schema). Built from a valid body of each route, so the nasty part sits where
 * the route's own parsing and validation must deal with it, not only at the front door.
 */

export interface BodyTarget {
  /** A valid JSON body of the route. */
  readonly base: Readonly<Record<string, unknown>>;
  /** Dotted path of a required free-text field, and of a required integer field (if the body has one). */
  readonly textField: string;
  readonly numberField?: string;
  /** Dotted path of a free-text field that is stored (to check NFC storage); defaults to `textField`. */
  readonly storedTextField?: string;
  /** Dotted path of a `YYYY-MM-DD` date field given by the client, if the route has one. */
  readonly dateField?: string;
  /** Whether the route also takes `application/x-www-form-urlencoded` (the survey form). */
  readonly acceptsForm: boolean;
  /** Whether unknown fields are refused (strict schema). */
  readonly strict: boolean;
  /** The route's body cap in bytes (256 KiB by CONTRACT.md). */
  readonly maxBytes: number;
}

export interface BadInput {
  readonly name: string;
  /** The Content-Type header; undefined sends none. */
  readonly contentType: string | undefined;
  readonly body: Buffer;
  /** Statuses the contract allows for it: refusals only (so the tables must not change). */
  readonly expected: readonly number[];
  /** Other request headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

export const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const MARK = '\u0001NASTY\u0001';

/** A deep copy of `base` with the value at a dotted path replaced (or removed with `undefined`). */
export function withField(
  base: Readonly<Record<string, unknown>>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(base) as Record<string, unknown>;
  const segments = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (!next || typeof next !== 'object') throw new Error(`no object at ${segment} of ${path}`);
    node = next as Record<string, unknown>;
  }
  const leaf = segments.at(-1) ?? path;
  if (value === undefined) delete node[leaf];
  else node[leaf] = value;
  return copy;
}

/** The JSON of `base` with the value at `path` replaced by raw bytes (invalid UTF-8, number literals JSON.stringify cannot write). */
export function withRawField(base: Readonly<Record<string, unknown>>, path: string, raw: Buffer | string): Buffer {
  const text = JSON.stringify(withField(base, path, MARK));
  const [before, after] = text.split(JSON.stringify(MARK));
  return Buffer.concat([
    Buffer.from(before ?? ''),
    Buffer.isBuffer(raw) ? raw : Buffer.from(raw),
    Buffer.from(after ?? ''),
  ]);
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function nested(depth: number, leaf: string): string {
  return '['.repeat(depth) + leaf + ']'.repeat(depth);
}

/** Every bad input for a route. */
export function badInputs(target: BodyTarget): BadInput[] {
  const { base, textField, numberField } = target;
  const valid = json(base);
  const refusedForm = target.acceptsForm ? [400, 422] : [415];
  // A script posting a form asks for JSON; a browser gets the form page again (tested on its own).
  const wantsJson = { accept: 'application/json' };
  // Longer than any text field allows, yet under the body cap, so the schema (422) and not the cap (413) refuses it.
  // As deep as the body cap allows (up to 100,000): the parser must refuse it without overflowing the stack.
  const deepest = Math.min(100_000, Math.floor((target.maxBytes - 1) / 2));
  const longText = 'ệ'.repeat(Math.min(60_000, Math.floor((target.maxBytes - valid.length) / 3) - 16));
  const cases: BadInput[] = [
    // Not well-formed for the media type: 400.
    {
      name: 'invalid UTF-8 (lone continuation byte)',
      contentType: JSON_TYPE,
      body: withRawField(base, textField, Buffer.from([0x22, 0x61, 0x80, 0x62, 0x22])),
      expected: [400],
    },
    {
      name: 'invalid UTF-8 (overlong "/")',
      contentType: JSON_TYPE,
      body: withRawField(base, textField, Buffer.from([0x22, 0xc0, 0xaf, 0x22])),
      expected: [400],
    },
    {
      name: 'invalid UTF-8 (encoded surrogate)',
      contentType: JSON_TYPE,
      body: withRawField(base, textField, Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])),
      expected: [400],
    },
    {
      name: 'invalid UTF-8 (truncated sequence at the end)',
      contentType: JSON_TYPE,
      body: Buffer.concat([valid, Buffer.from([0xe1, 0xbb])]),
      expected: [400],
    },
    {
      name: 'UTF-16 body declared as JSON',
      contentType: JSON_TYPE,
      body: Buffer.from(valid.toString(), 'utf16le'),
      expected: [400],
    },
    { name: 'empty body', contentType: JSON_TYPE, body: Buffer.alloc(0), expected: [400] },
    { name: 'whitespace only', contentType: JSON_TYPE, body: Buffer.from(' \r\n\t '), expected: [400] },
    {
      name: 'truncated JSON',
      contentType: JSON_TYPE,
      body: valid.subarray(0, Math.floor(valid.length / 2)),
      expected: [400],
    },
    {
      name: 'JSON with trailing garbage',
      contentType: JSON_TYPE,
      body: Buffer.concat([valid, Buffer.from('}{')]),
      expected: [400],
    },
    {
      name: 'XML sent as JSON',
      contentType: JSON_TYPE,
      body: Buffer.from('<?xml version="1.0"?><a/>'),
      expected: [400],
    },
    {
      name: `JSON nested ${deepest.toLocaleString('en-US')} deep`,
      contentType: JSON_TYPE,
      body: Buffer.from(nested(deepest, '1')),
      expected: [400],
    },
    {
      name: 'a field nested 64 deep',
      contentType: JSON_TYPE,
      body: withRawField(base, textField, nested(64, '"x"')),
      expected: [400],
    },
    // Prototype pollution: refused before any object is built from the keys.
    {
      name: '__proto__ at the top',
      contentType: JSON_TYPE,
      body: Buffer.from(`{"__proto__":{"polluted":true},${valid.toString().slice(1)}`),
      expected: [400],
    },
    {
      name: '__proto__ inside a field',
      contentType: JSON_TYPE,
      body: withRawField(base, textField, '{"__proto__":{"polluted":true}}'),
      expected: [400],
    },
    {
      name: 'constructor.prototype',
      contentType: JSON_TYPE,
      body: Buffer.from(`{"constructor":{"prototype":{"polluted":true}},${valid.toString().slice(1)}`),
      expected: [400],
    },
    // Size: 413, whatever the content.
    {
      name: 'one byte over the cap',
      contentType: JSON_TYPE,
      body: withRawField(base, textField, json('x'.repeat(target.maxBytes))),
      expected: [413],
    },
    {
      name: '10 MB body',
      contentType: JSON_TYPE,
      body: withRawField(base, textField, json('ư'.repeat(5 * 1024 * 1024))),
      expected: [413],
    },
    // Media types: 415.
    { name: 'no Content-Type', contentType: undefined, body: valid, expected: [415] },
    { name: 'text/plain', contentType: 'text/plain', body: valid, expected: [415] },
    { name: 'application/xml', contentType: 'application/xml', body: valid, expected: [415] },
    {
      name: 'multipart/form-data',
      contentType: 'multipart/form-data; boundary=x',
      body: Buffer.from(`--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n${valid.toString()}\r\n--x--\r\n`),
      expected: [415],
    },
    { name: 'a JSON-like media type', contentType: 'application/json-patch+json', body: valid, expected: [415] },
    {
      name: 'JSON declared as ISO-8859-1',
      contentType: `${JSON_TYPE}; charset=iso-8859-1`,
      body: valid,
      expected: [415],
    },
    {
      name: 'header injection in Content-Type',
      contentType: `${JSON_TYPE}\r\nX-Injected: 1`,
      body: valid,
      expected: [415],
    },
    {
      name: 'a form post',
      contentType: FORM_TYPE,
      body: Buffer.from('a=1&b=2'),
      expected: refusedForm,
      headers: wantsJson,
    },
    {
      name: 'a form post with __proto__',
      contentType: FORM_TYPE,
      body: Buffer.from('__proto__.polluted=1&constructor.prototype.polluted=1'),
      expected: target.acceptsForm ? [400] : [415],
      headers: wantsJson,
    },
    {
      name: 'a form field given twice',
      contentType: FORM_TYPE,
      body: Buffer.from('a=1&a=2'),
      expected: target.acceptsForm ? [400] : [415],
      headers: wantsJson,
    },
    {
      name: 'a form with 200 fields',
      contentType: FORM_TYPE,
      body: Buffer.from(Array.from({ length: 200 }, (_, i) => `f${i}=1`).join('&')),
      expected: target.acceptsForm ? [400] : [415],
      headers: wantsJson,
    },
    // Well-formed, wrong shape: 422.
    { name: 'JSON null', contentType: JSON_TYPE, body: Buffer.from('null'), expected: [422] },
    { name: 'JSON array', contentType: JSON_TYPE, body: Buffer.from(`[${valid.toString()}]`), expected: [422] },
    { name: 'JSON string', contentType: JSON_TYPE, body: json(valid.toString()), expected: [422] },
    { name: 'empty object', contentType: JSON_TYPE, body: Buffer.from('{}'), expected: [422] },
    { name: 'text as a number', contentType: JSON_TYPE, body: json(withField(base, textField, 5)), expected: [422] },
    {
      name: 'text as an object',
      contentType: JSON_TYPE,
      body: json(withField(base, textField, { vi: 'x' })),
      expected: [422],
    },
    {
      name: `text of ${longText.length} characters`,
      contentType: JSON_TYPE,
      body: json(withField(base, textField, longText)),
      expected: [422],
    },
    {
      name: 'a required text field missing',
      contentType: JSON_TYPE,
      body: json(withField(base, textField, undefined)),
      expected: [422],
    },
  ];
  if (numberField !== undefined) {
    // Numbers: JSON allows what a double cannot hold, and schemas bound what a count may be.
    cases.push(
      { name: 'NaN literal', contentType: JSON_TYPE, body: withRawField(base, numberField, 'NaN'), expected: [400] },
      {
        name: 'number too large for a double (1e309)',
        contentType: JSON_TYPE,
        body: withRawField(base, numberField, '1e309'),
        expected: [422],
      },
      {
        name: 'a 400-digit integer',
        contentType: JSON_TYPE,
        body: withRawField(base, numberField, '9'.repeat(400)),
        expected: [422],
      },
      {
        name: '2^53 + 1',
        contentType: JSON_TYPE,
        body: withRawField(base, numberField, '9007199254740993'),
        expected: [422],
      },
      { name: 'negative count', contentType: JSON_TYPE, body: json(withField(base, numberField, -1)), expected: [422] },
      {
        name: 'fractional count',
        contentType: JSON_TYPE,
        body: json(withField(base, numberField, 1.5)),
        expected: [422],
      },
      {
        name: 'number as a string',
        contentType: JSON_TYPE,
        body: json(withField(base, numberField, '1')),
        expected: [422],
      },
      {
        name: 'a required number field missing',
        contentType: JSON_TYPE,
        body: json(withField(base, numberField, undefined)),
        expected: [422],
      },
      {
        name: 'a required number field null',
        contentType: JSON_TYPE,
        body: json(withField(base, numberField, null)),
        expected: [422],
      },
    );
  }
  if (target.strict) {
    cases.push({
      name: 'an unknown field',
      contentType: JSON_TYPE,
      body: json({ ...base, isAdmin: true }),
      expected: [422],
    });
  }
  if (target.dateField) {
    // Dates are calendar dates in Vietnam: instants, other notations and impossible days are refused.
    const dates: [string, unknown][] = [
      ['an impossible day', '2024-02-30'],
      ['a 13th month', '2024-13-01'],
      ['day 32 at the year end', '2024-12-32'],
      ['the year boundary as a UTC instant', '2024-12-31T17:00:00Z'],
      ['the year boundary as a UTC+7 instant', '2025-01-01T00:00:00+07:00'],
      ['a Vietnamese-style date', '31/12/2024'],
      ['an expanded year', '+002024-12-31'],
      ['full-width digits', '２０２４-１２-３１'],
      ['a date with a trailing space', '2024-12-31 '],
      ['a date as a number', 20241231],
      ['an empty date', ''],
    ];
    for (const [name, value] of dates) {
      cases.push({
        name: `date: ${name}`,
        contentType: JSON_TYPE,
        body: json(withField(base, target.dateField, value)),
        expected: [422],
      });
    }
  }
  return cases;
}

/** A valid body whose stored Vietnamese text is decomposed (NFD): accepted, and stored NFC. */
export function nfdBody(target: BodyTarget, text: string): Buffer {
  return json(withField(target.base, target.storedTextField ?? target.textField, text.normalize('NFD')));
}
