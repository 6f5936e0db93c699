import { en } from 'zod/locales';
import { config, type core, pipe, transform, type ZodMiniPipe, type ZodMiniTransform } from 'zod/mini';

/**
 * The project's zod: `zod/mini`, the functional API over zod's core (`z.optional(x)`, `x.check(z.maxLength(n))`),
 * with English messages. Import it as a namespace, `import * as z from '…/zod.js'`, never `zod` or `{ z }`: zod's
 * classic API and the `z` object hold every schema type and all 40 locales, so a Lambda that imported them was
 * 500 KB; with the functions bundlers keep only what a route uses (issue #15).
 * `zod/mini` loads no locale, and without one every message is "Invalid input": the English one is configured
 * here, once, so every module that builds a schema through this one gets the messages problem+json has always
 * carried. Classic `zod` (tests, tooling) shares the same core and configuration.
 */
config(en());

export * from 'zod/mini';

/**
 * `z.preprocess` of classic zod, which zod/mini lacks: `fn` runs on the raw input, then `schema` validates what it
 * returns (classic builds exactly this pipe, so issues and JSON Schema are the same).
 */
export function preprocess<T extends core.$ZodType>(
  fn: (value: unknown) => unknown,
  schema: T,
): ZodMiniPipe<ZodMiniTransform<unknown, unknown>, T> {
  return pipe(transform(fn), schema);
}
