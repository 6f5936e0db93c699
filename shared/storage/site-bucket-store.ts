import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Digests } from '../publishing/plan.js';
import type { ObjectStore } from '../publishing/ports.js';

/**
 * The site bucket as the publisher's object store: one PutObject per file (so its ETag is the MD5 the plan
 * compares: the bucket uses S3-managed encryption), DeleteObjects by 1,000, and the listing's ETags as digests.
 * Thin on purpose: what to write, in which order and with which headers is decided in shared/publishing/ (plan.ts, headers.ts).
 */
export function s3Store(s3: S3Client, bucket: string): ObjectStore {
  return {
    async list(prefix) {
      const digests = new Map<string, string>();
      let token: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            ...(prefix ? { Prefix: prefix } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const object of page.Contents ?? []) {
          // A multipart upload's ETag (`<md5 of parts>-<n>`) never equals a file's MD5: such an object is seen as
          // changed once and rewritten in one part.
          if (object.Key && object.ETag) digests.set(object.Key, object.ETag.replaceAll('"', ''));
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return digests satisfies Digests;
    },
    async read(path) {
      const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: path }));
      if (!answer.Body) throw new Error(`s3://${bucket}/${path} has no body`);
      return answer.Body.transformToByteArray();
    },
    async put(path, bytes, headers) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: path,
          Body: bytes,
          ContentType: headers.contentType,
          ...(headers.cacheControl ? { CacheControl: headers.cacheControl } : {}),
        }),
      );
    },
    async delete(paths) {
      if (paths.length === 0) return;
      const answer = await s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: paths.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = answer.Errors ?? [];
      if (failed.length > 0) {
        throw new Error(`could not delete ${failed.length} object(s), first ${failed[0]?.Key}: ${failed[0]?.Message}`);
      }
    },
  };
}
