import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AttachmentStore, UploadInstructions } from '../conclusions/ports.js';
import { ServiceUnavailableError, ValidationError } from '../errors.js';

/**
 * Where the signed PDFs of conclusions are kept. In AWS: an S3 bucket, uploaded by the agency itself through a
 * pre-signed PUT that binds the SHA-256 (S3 refuses any other bytes). Locally: files under ATTACHMENTS_DIR,
 * uploaded through the API (signed like any agency request), written to a temporary file and renamed, so a full
 * disk or a crash never leaves half a file under a published name.
 */

/** The download route every attachment is published under (it serves the file or redirects to it). */
export const ATTACHMENT_ROUTE_PREFIX = '/api/v1/attachments/';
/** How long an upload URL is valid: an agency's client uploads right after it registers the attachment. */
const URL_LIFETIME_SECONDS = 15 * 60;
/**
 * How long a download redirect's URL is valid: the browser follows it at once, and a shorter life makes a link
 * copied out of the redirect stop working sooner (the route itself, not this URL, is what is published).
 */
const DOWNLOAD_URL_LIFETIME_SECONDS = 5 * 60;
const KEY_PATTERN = /^[a-z0-9][a-z0-9.-]{0,200}\.pdf$/;

function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

function expiresAt(): string {
  return new Date(Date.now() + URL_LIFETIME_SECONDS * 1000).toISOString();
}

function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new RangeError(`not an attachment key: ${key}`);
}

/** Files under a directory (the local stack's `.data/attachments`). */
export class LocalAttachmentStore implements AttachmentStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = resolve(dir);
  }

  /** The upload goes to this API's upload route, signed by the agency. */
  async prepareUpload(key: string, attachment: { mediaType: string }): Promise<UploadInstructions> {
    checkKey(key);
    return {
      method: 'PUT',
      url: `${ATTACHMENT_ROUTE_PREFIX}${key}`,
      headers: { 'content-type': attachment.mediaType },
      signed: true,
      expiresAt: expiresAt(),
    };
  }

  /** Writes all the bytes or none: temporary file, fsync, rename. ENOSPC is a 503 that leaves nothing behind. */
  async write(key: string, bytes: Uint8Array, sha256: string): Promise<void> {
    checkKey(key);
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      throw new ValidationError([{ path: 'body', message: 'the bytes do not have the recorded SHA-256' }]);
    }
    const target = join(this.#dir, key);
    const temporary = join(this.#dir, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(this.#dir, { recursive: true });
      const file = await open(temporary, 'wx', 0o644);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        throw new ServiceUnavailableError(60, 'The attachment store is full; nothing was stored. Try again later.', {
          cause: error,
        });
      }
      throw error;
    }
  }

  publicUrl(key: string): string {
    return `${ATTACHMENT_ROUTE_PREFIX}${key}`;
  }

  async locate(key: string): Promise<{ bytes: Uint8Array } | undefined> {
    checkKey(key);
    try {
      return { bytes: await readFile(join(this.#dir, key)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}

type S3Sdk = typeof import('@aws-sdk/client-s3') & typeof import('@aws-sdk/s3-request-presigner');
let s3Sdk: Promise<S3Sdk> | undefined;

/**
 * The S3 SDK, loaded on the first transfer, not with the module: every conclusion route names attachments
 * (`publicUrl`), and only the three that move files load the client (issue #15: it is a third of a cold start).
 */
function loadS3Sdk(): Promise<S3Sdk> {
  s3Sdk ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]).then(
    ([client, presigner]) => ({ ...client, ...presigner }),
  );
  return s3Sdk;
}

/** An S3 bucket (ATTACHMENTS_BUCKET), with pre-signed uploads bound to the SHA-256. */
export class S3AttachmentStore implements AttachmentStore {
  private client: Promise<S3Client> | undefined;

  /** `s3`: a client, or how to make one on the first transfer. */
  constructor(
    private readonly s3: S3Client | ((sdk: S3Sdk) => S3Client),
    private readonly bucket: string,
  ) {}

  private async sdk(): Promise<{ sdk: S3Sdk; s3: S3Client }> {
    const sdk = await loadS3Sdk();
    const make = this.s3;
    this.client ??= Promise.resolve(typeof make === 'function' ? make(sdk) : make);
    return { sdk, s3: await this.client };
  }

  /** A pre-signed PUT: S3 checks the bytes against the signed `x-amz-checksum-sha256` and the length. */
  async prepareUpload(
    key: string,
    attachment: { sha256: string; bytes: number; mediaType: string },
  ): Promise<UploadInstructions> {
    checkKey(key);
    const { sdk, s3 } = await this.sdk();
    const checksum = hexToBase64(attachment.sha256);
    const command = new sdk.PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: attachment.mediaType,
      ContentLength: attachment.bytes,
      ChecksumSHA256: checksum,
    });
    // The checksum stays a signed header (not hoisted into the query), so the upload must carry exactly it and
    // S3 verifies the bytes against it; the length is signed too.
    const url = await sdk.getSignedUrl(s3, command, {
      expiresIn: URL_LIFETIME_SECONDS,
      signableHeaders: new Set(['content-type', 'content-length', 'x-amz-checksum-sha256']),
      unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
    });
    return {
      method: 'PUT',
      url,
      headers: {
        'content-type': attachment.mediaType,
        'content-length': String(attachment.bytes),
        'x-amz-checksum-sha256': checksum,
      },
      signed: false,
      expiresAt: expiresAt(),
    };
  }

  /** A direct write (small files through the API): S3 verifies the checksum. */
  async write(key: string, bytes: Uint8Array, sha256: string): Promise<void> {
    checkKey(key);
    const { sdk, s3 } = await this.sdk();
    await s3.send(
      new sdk.PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentType: 'application/pdf',
        ChecksumSHA256: hexToBase64(sha256),
      }),
    );
  }

  publicUrl(key: string): string {
    return `${ATTACHMENT_ROUTE_PREFIX}${key}`;
  }

  /** A short-lived GET URL when the object is there (the upload may not have happened yet). */
  async locate(key: string): Promise<{ redirect: string } | undefined> {
    checkKey(key);
    const { sdk, s3 } = await this.sdk();
    try {
      await s3.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      // A HEAD has no body to name the error: S3's 404 is the client's NotFound (never NoSuchKey). Any other
      // failure (access refused, throttling) is not "not uploaded yet".
      if (error instanceof sdk.NotFound) return undefined;
      throw error;
    }
    return {
      // Served as a download named after its key, as locally (functions/conclusions/download.ts).
      redirect: await sdk.getSignedUrl(
        s3,
        new sdk.GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ResponseContentDisposition: `attachment; filename="${key}"`,
          ResponseContentType: 'application/pdf',
        }),
        { expiresIn: DOWNLOAD_URL_LIFETIME_SECONDS },
      ),
    };
  }
}

/** ATTACHMENTS_BUCKET (AWS) or ATTACHMENTS_DIR (local; `.data/attachments` by default). */
export function attachmentStoreFromEnv(env: NodeJS.ProcessEnv = process.env): AttachmentStore {
  if (env.ATTACHMENTS_BUCKET) {
    // Only the checksums we bind ourselves: a default CRC32 of an empty body would break pre-signed uploads.
    return new S3AttachmentStore(
      (sdk) => new sdk.S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' }),
      env.ATTACHMENTS_BUCKET,
    );
  }
  return new LocalAttachmentStore(env.ATTACHMENTS_DIR ?? join(env.DATA_DIR ?? '.data', 'attachments'));
}
