import { describe, expect, it } from 'vitest';
import {
  attachmentAnnouncement,
  attachmentUpload,
  uploadInstructionOf,
} from '../../../../shared/auth/attachment-upload.js';
import type { ApiAnswer } from '../../../../shared/auth/signed-fetch.js';

function answer(status: number, json: Record<string, unknown> | undefined): ApiAnswer {
  return { status, headers: new Headers(), text: JSON.stringify(json ?? null), json };
}

describe('attachment upload protocol', () => {
  it('announces the hash, the size and the media type, signed, at the conclusion’s attachment path', () => {
    const bytes = new Uint8Array([37, 80, 68, 70]);
    const request = attachmentAnnouncement('/api/v1/conclusions/c-1', 'ab'.repeat(32), bytes);
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/conclusions/c-1/attachment', signed: true });
    expect(JSON.parse(new TextDecoder().decode(request.body))).toEqual({
      sha256: 'ab'.repeat(32),
      bytes: 4,
      mediaType: 'application/pdf',
    });
  });

  it('reads the upload instruction of an accepted announcement only', () => {
    const upload = { url: '/api/v1/attachments/x', headers: { 'x-amz-checksum-sha256': 'q' }, signed: true };
    expect(uploadInstructionOf(answer(202, { upload }))).toEqual(upload);
    expect(uploadInstructionOf(answer(409, { upload }))).toBeUndefined();
    expect(uploadInstructionOf(answer(202, {}))).toBeUndefined();
    expect(uploadInstructionOf(answer(202, { upload: { url: 3, headers: {}, signed: true } }))).toBeUndefined();
    expect(uploadInstructionOf(answer(202, { upload: { url: '/u', headers: {}, signed: 'yes' } }))).toBeUndefined();
  });

  it('sends the bytes where the instruction says, signed only when it says so', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const presigned = { url: 'https://bucket.s3.example/k?X-Amz-Signature=s', headers: { a: 'b' }, signed: false };
    expect(attachmentUpload(presigned, bytes)).toEqual({
      method: 'PUT',
      path: presigned.url,
      body: bytes,
      headers: { a: 'b' },
      contentType: 'application/pdf',
      signed: false,
    });
  });
});
