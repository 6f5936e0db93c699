import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/errors.js';
import {
  attachmentStoreFromEnv,
  LocalAttachmentStore,
  S3AttachmentStore,
} from '../../../../shared/storage/attachments-repository.js';

const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
const sha = createHash('sha256').update(pdf).digest('hex');
const key = `kaaaaaaaaaaaaaaaaaaa-v1-${sha}.pdf`;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cong-vu-attachments-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('LocalAttachmentStore', () => {
  it('writes the file under its name and reads it back', async () => {
    const store = new LocalAttachmentStore(dir);
    await store.write(key, pdf, sha);
    expect(readFileSync(join(dir, key)).equals(pdf)).toBe(true);
    expect(await store.locate(key)).toEqual({ bytes: pdf });
  });

  it('refuses bytes without the announced SHA-256 and writes nothing', async () => {
    const store = new LocalAttachmentStore(dir);
    await expect(store.write(key, Buffer.from('other'), sha)).rejects.toBeInstanceOf(ValidationError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves no temporary file behind when the final rename fails', async () => {
    // Prepare: a directory where the file should go makes the rename fail after the bytes were written.
    mkdirSync(join(dir, key));
    const store = new LocalAttachmentStore(dir);

    // Act
    const failure = store.write(key, pdf, sha);

    // Assess
    await expect(failure).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([key]);
  });

  it('answers undefined for a file not uploaded yet, and refuses names that are not attachment keys', async () => {
    const store = new LocalAttachmentStore(dir);
    expect(await store.locate(key)).toBeUndefined();
    await expect(store.locate('../etc/passwd')).rejects.toThrow(RangeError);
  });
});

/**
 * A real client (signing, presigning) whose HEAD requests get `head`'s answer instead of reaching S3, which has no
 * local engine: what S3 answers for an object that is there or not, as the client surfaces it.
 */
function s3WithHead(head: () => object): S3Client {
  const s3 = new S3Client({
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  s3.middlewareStack.add(
    (next, context) => async (args) =>
      context.commandName === 'HeadObjectCommand'
        ? ({ output: head(), response: {} } as Awaited<ReturnType<typeof next>>)
        : next(args),
    { step: 'initialize', name: 'headStandIn' },
  );
  return s3;
}

describe('S3AttachmentStore', () => {
  it('redirects to a short-lived signed download when the object is there, and answers undefined when not', async () => {
    // Prepare
    const there = new S3AttachmentStore(
      s3WithHead(() => ({ $metadata: {} })),
      'attachments-bucket',
    );
    const missing = new S3AttachmentStore(
      s3WithHead(() => {
        throw new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } });
      }),
      'attachments-bucket',
    );

    // Act
    const found = await there.locate(key);
    const notFound = await missing.locate(key);

    // Assess
    const url = new URL(found?.redirect ?? 'http://none');
    expect(url.pathname).toBe(`/${key}`);
    // Followed at once by the browser: five minutes, not the upload URL's fifteen.
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(5 * 60));
    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="${key}"`);
    expect(notFound).toBeUndefined();
  });

  it('fails when S3 refuses the HEAD for another reason than a missing object', async () => {
    // Prepare
    const refused = new S3ServiceException({
      name: 'Forbidden',
      $fault: 'client',
      message: 'Forbidden',
      $metadata: { httpStatusCode: 403 },
    });
    const store = new S3AttachmentStore(
      s3WithHead(() => {
        throw refused;
      }),
      'attachments-bucket',
    );

    // Act / Assess
    await expect(store.locate(key)).rejects.toBe(refused);
  });

  it('pre-signs a PUT that binds the SHA-256 and the length as signed headers', async () => {
    // Prepare: presigning is local computation; these credentials never reach AWS.
    const s3 = new S3Client({
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const store = new S3AttachmentStore(s3, 'attachments-bucket');

    // Act
    const upload = await store.prepareUpload(key, { sha256: sha, bytes: pdf.length, mediaType: 'application/pdf' });

    // Assess
    const signed = new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')?.split(';');
    expect(signed).toEqual(expect.arrayContaining(['content-length', 'content-type', 'x-amz-checksum-sha256']));
    expect(upload.headers['x-amz-checksum-sha256']).toBe(Buffer.from(sha, 'hex').toString('base64'));
    expect(upload.signed).toBe(false);
  });

  it('makes its client on the first transfer, with the SDK it loads then (from the environment: ATTACHMENTS_BUCKET)', async () => {
    // Prepare
    let made = 0;
    const store = new S3AttachmentStore((sdk) => {
      made += 1;
      return new sdk.S3Client({
        region: 'ap-southeast-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
        requestChecksumCalculation: 'WHEN_REQUIRED',
      });
    }, 'attachments-bucket');
    const fromEnv = attachmentStoreFromEnv({ ATTACHMENTS_BUCKET: 'attachments-bucket' });

    // Act
    const url = store.publicUrl(key);
    const madeBeforeTransfer = made;
    const first = await store.prepareUpload(key, { sha256: sha, bytes: pdf.length, mediaType: 'application/pdf' });
    const second = await store.prepareUpload(key, { sha256: sha, bytes: pdf.length, mediaType: 'application/pdf' });

    // Assess
    expect(url).toBe(`/api/v1/attachments/${key}`);
    expect(madeBeforeTransfer).toBe(0);
    expect(made).toBe(1);
    expect(new URL(first.url).hostname).toBe(new URL(second.url).hostname);
    expect(fromEnv).toBeInstanceOf(S3AttachmentStore);
  });
});
