import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REGION, readDeploymentConfig } from '../../../infra/config.js';
import { DeploymentConfigError } from '../../../infra/errors.js';
import { testApp } from './infra-fixtures.js';

function read(context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  return readDeploymentConfig(testApp(context).node, env);
}

describe('readDeploymentConfig', () => {
  it('reads the dev stage from cdk.json when no stage is given', () => {
    // Prepare / Act
    const config = read({});

    // Assess
    expect(config.stage).toBe('dev');
    expect(config.prefix).toBe('CongVu-dev');
  });

  it('lets dev resources be destroyed and keeps prod resources', () => {
    // Act
    const dev = read({ stage: 'dev' });
    const prod = read({ stage: 'prod' });

    // Assess
    expect(dev.removalPolicy).toBe(RemovalPolicy.DESTROY);
    expect(dev.deletionProtection).toBe(false);
    expect(prod.removalPolicy).toBe(RemovalPolicy.RETAIN);
    expect(prod.deletionProtection).toBe(true);
    expect(prod.logRetention).toBe(RetentionDays.ONE_YEAR);
  });

  it('throws for a stage that is not dev or prod', () => {
    // Act / Assess
    expect(() => read({ stage: 'staging' })).toThrow(DeploymentConfigError);
  });

  it('deploys to the context region, else Singapore, whatever region the CLI defaults to', () => {
    // Act
    const fromContext = read({ region: 'ap-northeast-1' }, { CDK_DEFAULT_REGION: 'us-east-1' });
    const byDefault = read({}, { CDK_DEFAULT_REGION: 'us-east-1', CDK_DEFAULT_ACCOUNT: '123456789012' });
    const offline = read({});

    // Assess
    expect(fromContext.region).toBe('ap-northeast-1');
    expect(byDefault.region).toBe(DEFAULT_REGION);
    expect(byDefault.account).toBe('123456789012');
    expect(offline.account).toBeUndefined();
  });

  it('names the dossier HMAC parameter per stage unless context names it', () => {
    // Act
    const byDefault = read({ stage: 'prod' });
    const named = read({ dossierHmacParameter: '/x/hmac' });

    // Assess
    expect(byDefault.dossierHmacParameterName).toBe('/congvu/prod/dossier-hmac-key');
    expect(named.dossierHmacParameterName).toBe('/x/hmac');
  });

  it('parses numbers given as strings with -c, and refuses a WAF limit below 10', () => {
    // Act
    const config = read({ rebuildEveryMinutes: '3', surveyRateLimitPer5Minutes: '50' });

    // Assess
    expect(config.rebuildInterval.toMinutes()).toBe(3);
    expect(config.surveyRateLimitPer5Minutes).toBe(50);
    expect(() => read({ surveyRateLimitPer5Minutes: '5' })).toThrow(DeploymentConfigError);
    expect(() => read({ rebuildEveryMinutes: 'soon' })).toThrow(DeploymentConfigError);
  });

  it('debounces publishing by 5 seconds unless told otherwise, within what a pipe can batch (300 s)', () => {
    // Act / Assess
    expect(read({}).publishDebounce.toSeconds()).toBe(5);
    expect(read({ publishDebounceSeconds: '30' }).publishDebounce.toSeconds()).toBe(30);
    expect(() => read({ publishDebounceSeconds: '301' })).toThrow(DeploymentConfigError);
    expect(() => read({ publishDebounceSeconds: '0' })).toThrow(DeploymentConfigError);
  });

  it('requires a custom domain and its certificate together', () => {
    // Act / Assess
    expect(() => read({ domainName: 'congvu.example.vn' })).toThrow(DeploymentConfigError);
    expect(
      read({ domainName: 'congvu.example.vn', certificateArn: 'arn:aws:acm:us-east-1:1:certificate/x' }).domainName,
    ).toBe('congvu.example.vn');
  });

  it('gives a deployment its own token audience: the context one, else its custom domain, else none', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:1:certificate/x';
    expect(read({}).apiAudience).toBeUndefined();
    expect(read({ domainName: 'congvu.example.vn', certificateArn }).apiAudience).toBe('congvu.example.vn');
    expect(read({ apiAudience: 'staging.congvu.vn' }).apiAudience).toBe('staging.congvu.vn');
  });

  it('knows the site origins survey posts must come from: the context ones, else the custom domain, else none', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:1:certificate/x';
    expect(read({}).siteOrigins).toEqual([]);
    expect(read({ domainName: 'congvu.example.vn', certificateArn }).siteOrigins).toEqual([
      'https://congvu.example.vn',
    ]);
    expect(read({ siteOrigins: ' https://d1.cloudfront.net , https://a.vn ' }).siteOrigins).toEqual([
      'https://d1.cloudfront.net',
      'https://a.vn',
    ]);
    expect(() => read({ siteOrigins: 'http://a.vn' })).toThrow(DeploymentConfigError);
    expect(() => read({ siteOrigins: 'https://a.vn/path' })).toThrow(DeploymentConfigError);
  });
});
