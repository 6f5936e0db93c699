import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { CacheInvalidator } from '../publishing/ports.js';

/**
 * CloudFront as the publisher's cache: one invalidation per publication, named after the publication
 * (`CallerReference`), so a retried request does not invalidate twice. The paths and their limit come from
 * shared/publishing/plan.ts.
 */
export function cloudFrontInvalidator(
  cloudfront: CloudFrontClient,
  distributionId: string,
  reference: string,
): CacheInvalidator {
  return {
    async invalidate(paths) {
      await cloudfront.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: { CallerReference: reference, Paths: { Quantity: paths.length, Items: [...paths] } },
        }),
      );
    },
  };
}
