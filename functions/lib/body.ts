import { MalformedRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../shared/errors.js';
import { normalizeDeep } from '../../shared/text/normalize.js';

/**
 * Turns the raw body of an API Gateway v2 event into a plain value, refusing anything that is not well-formed
 * for its media type. Pure and total: every input either parses or throws a DomainError (fuzzed in tests).
 */

export type MediaType = 'application/json' | 'application/x-www-form-urlencoded';

export interface BodyOptions {
  /** Largest body accepted, in bytes after base64 decoding. */
  readonly maxBytes: number;
  readonly mediaTypes: readonly MediaType[];
}

export interface ParsedBody {
  readonly mediaType: MediaType;
  readonly raw: Buffer;
  readonly value: unknown;
}

/** Deepest nesting accepted in a JSON body: the schemas need 4 levels; 32 leaves room and stops stack abuse. */
export const MAX_DEPTH = 32;
/** Most fields accepted in a form body. */
export const MAX_FORM_FIELDS = 100;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const FORM_KEY_SEGMENT = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The decoded bytes of the body (API Gateway base64-encodes some bodies). */
export function rawBody(body: string | undefined, isBase64Encoded: boolean): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  return isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** Reads the media type (lower-cased, without parameters) and refuses a charset other than UTF-8. */
export function mediaTypeOf(contentType: string | undefined): { type: string; charset?: string } | undefined {
  if (!contentType) return undefined;
  const [type, ...params] = contentType.split(';');
  const result: { type: string; charset?: string } = { type: (type ?? '').trim().toLowerCase() };
  for (const param of params) {
    const [key, value] = param.split('=');
    if (key?.trim().toLowerCase() === 'charset' && value !== undefined) {
      result.charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    }
  }
  return result;
}

/** The decoded bytes of the body, refusing (413) more than `maxBytes`. */
export function cappedRawBody(body: string | undefined, isBase64Encoded: boolean, maxBytes: number): Buffer {
  // Cheap check on the encoded length first, so a 10 MB body is refused before it is decoded.
  const encodedLength = body ? body.length : 0;
  if (encodedLength > maxBytes * (isBase64Encoded ? 1.34 : 4) + 16) {
    throw new PayloadTooLargeError(`The body exceeds ${maxBytes} bytes.`);
  }
  const raw = rawBody(body, isBase64Encoded);
  if (raw.length > maxBytes) throw new PayloadTooLargeError(`The body exceeds ${maxBytes} bytes.`);
  return raw;
}

/** Parses and NFC-normalizes a body; throws 413, 415 or 400 as DomainErrors. */
export function parseBody(
  body: string | undefined,
  isBase64Encoded: boolean,
  contentType: string | undefined,
  options: BodyOptions,
): ParsedBody {
  const raw = cappedRawBody(body, isBase64Encoded, options.maxBytes);

  const media = mediaTypeOf(contentType);
  const mediaType = options.mediaTypes.find((m) => m === media?.type);
  if (!media || !mediaType) {
    throw new UnsupportedMediaTypeError(`Send the body as ${options.mediaTypes.join(' or ')}.`);
  }
  if (media.charset && media.charset !== 'utf-8' && media.charset !== 'utf8') {
    throw new UnsupportedMediaTypeError('Only UTF-8 bodies are accepted.');
  }

  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new MalformedRequestError('The body is not valid UTF-8.');
  }

  const value = mediaType === 'application/json' ? parseJson(text) : parseForm(text);
  return { mediaType, raw, value: normalizeDeep(value) };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw new MalformedRequestError('The body is empty; a JSON document is expected.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedRequestError('The body is not well-formed JSON.');
  }
  assertShallow(value);
  assertNoDuplicateKeys(text);
  return value;
}

/**
 * Refuses an object with the same key twice. `JSON.parse` keeps the last one silently, while other parsers keep
 * the first: a signer's tool and this server could then read one signed body as two different records. Runs on
 * text `JSON.parse` already accepted, so it only has to follow strings, objects and arrays.
 */
function assertNoDuplicateKeys(text: string): void {
  // One frame per open object (its keys so far) or array (null); `expectKey` is true right after `{` or `,` in
  // an object, where the next string is a key.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const keys = stack.at(-1);
      if (expectKey && keys) {
        // Compared as NFC: the body is normalized next, and two spellings of one key would collapse there.
        const key = (JSON.parse(text.slice(i, end + 1)) as string).normalize('NFC');
        if (keys.has(key)) throw new MalformedRequestError(`The key "${key.slice(0, 64)}" is given twice.`);
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (char === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (char === '[') {
      stack.push(null);
      expectKey = false;
    } else if (char === '}' || char === ']') {
      stack.pop();
      expectKey = false;
    } else if (char === ',') {
      expectKey = stack.at(-1) instanceof Set;
    }
  }
}

/** Refuses nesting deeper than MAX_DEPTH and keys that could reach an object's prototype, iteratively. */
function assertShallow(value: unknown): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_DEPTH) throw new MalformedRequestError(`The JSON is nested deeper than ${MAX_DEPTH} levels.`);
    for (const [key, inner] of Object.entries(node)) {
      if (FORBIDDEN_KEYS.has(key)) throw new MalformedRequestError(`The key "${key}" is not allowed.`);
      stack.push([inner, depth + 1]);
    }
  }
}

/** `a.b=1&c=2` → `{ a: { b: '1' }, c: '2' }`; dotted names nest (CONTRACT.md: `ratings.access`). */
function parseForm(text: string): Record<string, unknown> {
  const params = new URLSearchParams(text);
  const out: Record<string, unknown> = Object.create(null);
  let count = 0;
  for (const [name, value] of params) {
    count += 1;
    if (count > MAX_FORM_FIELDS) throw new MalformedRequestError(`The form has more than ${MAX_FORM_FIELDS} fields.`);
    const segments = name.split('.');
    if (segments.length > 4 || !segments.every((s) => FORM_KEY_SEGMENT.test(s) && !FORBIDDEN_KEYS.has(s))) {
      throw new MalformedRequestError(`The form field name "${name.slice(0, 64)}" is not allowed.`);
    }
    let target = out;
    for (const segment of segments.slice(0, -1)) {
      const existing = target[segment];
      if (existing === undefined) {
        const child: Record<string, unknown> = Object.create(null);
        target[segment] = child;
        target = child;
      } else if (typeof existing === 'object' && existing !== null) {
        target = existing as Record<string, unknown>;
      } else {
        throw new MalformedRequestError(`The form field "${name.slice(0, 64)}" conflicts with another.`);
      }
    }
    const leaf = segments.at(-1) ?? name;
    if (leaf in target) throw new MalformedRequestError(`The form field "${name.slice(0, 64)}" is given twice.`);
    target[leaf] = value;
  }
  return out;
}
