import { describe, expect, it } from 'vitest';
import { flattenReference } from '../../../infra/nag.js';

describe('flattenReference', () => {
  it('flattens joins of references the way cdk-nag names IAM5 findings', () => {
    // Prepare
    const value = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::b-', { Ref: 'AWS::AccountId' }, '/*']],
    };

    // Act / Assess
    expect(flattenReference(value)).toBe('arn:<AWS::Partition>:s3:::b-<AWS::AccountId>/*');
  });

  it('flattens attributes, substitutions and plain strings', () => {
    // Act / Assess
    expect(flattenReference({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe('<Bucket.Arn>');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template.
    expect(flattenReference({ 'Fn::Sub': 'x-${AWS::Region}' })).toBe('x-<AWS::Region>');
    expect(flattenReference('*')).toBe('*');
  });
});
