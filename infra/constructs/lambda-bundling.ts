/**
 * How every Lambda is bundled, in one place: `HandlerFunction` hands these to CDK's NodejsFunction (which runs
 * esbuild with them), and bench/bundles.ts builds with the esbuild options they stand for (`lambdaEsbuildOptions`),
 * so the bundle the bench measures is the one deployed (test/unit/infra/constructs/lambda-bundling.test.ts).
 * No CDK import here, so the bench reads it without loading the CDK.
 *
 * `@aws-sdk/*` comes from the Lambda runtime (Node 24 ships the SDK v3, every package the handlers use), as CDK
 * does by default: bundled, the DynamoDB client alone is 330 KB minified in every function, where a handler's own
 * code is 40–140 KB (issue #15). Powertools, middy, zod and jose are bundled at the versions the lockfile pins.
 */

/**
 * The esbuild banner: the bundle is ESM, but some bundled dependencies still call `require` for Node built-ins.
 * Defining it once at the top keeps those calls working without marking anything external.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __cvCreateRequire } from 'node:module'; const require = __cvCreateRequire(import.meta.url);";

export const LAMBDA_BUNDLING = {
  format: 'esm',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  externalModules: ['@aws-sdk/*'],
  charset: 'utf8',
} as const;

/**
 * The committed unit registry, shipped beside the bundle of a function that resolves units (`unitRegistry` on
 * HandlerFunction) as a file, not as code: `shared/units/bundled.ts` reads it on first use from `./data/` relative
 * to its own module, which in a bundle is the bundle's folder. The JS bundle stays as small as without it.
 */
export const UNIT_REGISTRY_ASSET = {
  source: 'shared/units/data/registry.json.gz',
  target: 'data/registry.json.gz',
} as const;

/** The deployed `NODE_OPTIONS`: stack traces point into the sources through the bundled source map. */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/** The esbuild options NodejsFunction derives from `LAMBDA_BUNDLING` (it always bundles, for Node). */
export function lambdaEsbuildOptions() {
  const b = LAMBDA_BUNDLING;
  return {
    bundle: true,
    platform: 'node' as const,
    format: b.format,
    minify: b.minify,
    sourcemap: b.sourceMap,
    sourcesContent: b.sourcesContent,
    target: b.target,
    mainFields: [...b.mainFields],
    banner: { js: b.banner },
    external: [...b.externalModules],
    charset: b.charset,
  };
}
