import { Charset, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { describe, expect, it } from 'vitest';
import { LAMBDA_BUILD_OPTIONS } from '../../../../bench/bundles.js';
import { LAMBDA_BUNDLING, lambdaEsbuildOptions } from '../../../../infra/constructs/lambda-bundling.js';

/**
 * The bench must measure the bundles CDK deploys (issue #15): both read LAMBDA_BUNDLING, and this checks that every
 * deployed bundling setting reaches the bench's esbuild options as the esbuild flag NodejsFunction passes for it.
 */
describe('Lambda bundling', () => {
  it('gives the bench the esbuild options NodejsFunction derives from the deployed bundling', () => {
    const b = LAMBDA_BUNDLING;
    // The CDK enums are the esbuild values.
    expect(b.format).toBe(OutputFormat.ESM);
    expect(b.charset).toBe(Charset.UTF8);
    expect(LAMBDA_BUILD_OPTIONS).toMatchObject({
      bundle: true,
      platform: 'node',
      format: b.format,
      minify: b.minify,
      sourcemap: b.sourceMap,
      sourcesContent: b.sourcesContent,
      target: b.target,
      mainFields: [...b.mainFields],
      banner: { js: b.banner },
      external: [...b.externalModules],
      charset: b.charset,
    });
    // Nothing the bench adds changes the output (only esbuild's own logging).
    const { logLevel, ...output } = LAMBDA_BUILD_OPTIONS;
    expect(logLevel).toBe('silent');
    expect(output).toEqual(lambdaEsbuildOptions());
    // Every deployed setting is mapped (a new one must be added to lambdaEsbuildOptions and here).
    expect(Object.keys(b).sort()).toEqual(
      [
        'banner',
        'charset',
        'externalModules',
        'format',
        'mainFields',
        'minify',
        'sourceMap',
        'sourcesContent',
        'target',
      ].sort(),
    );
  });
});
