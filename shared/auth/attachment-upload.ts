import type { ApiAnswer, ApiRequest } from './signed-fetch.js';

/**
 * Attaching a PDF is two requests (CONTRACT.md, attachments): announce its hash and size, then send the bytes where
 * the answer says — back to the API (signed) locally, or to a pre-signed S3 address (unsigned) in AWS. The CLI and
 * the browser console both speak it through these, so the protocol is written once.
 */

/** Where the API says to send an announced attachment's bytes. */
export interface UploadInstruction {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** True when the bytes go to the API itself, which wants them signed; false for a pre-signed address. */
  readonly signed: boolean;
}

/** The announcement of a PDF to the conclusion at `conclusionPath` (`/api/v1/conclusions/<id>`). */
export function attachmentAnnouncement(conclusionPath: string, sha256: string, bytes: Uint8Array): ApiRequest {
  const body = new TextEncoder().encode(JSON.stringify({ sha256, bytes: bytes.length, mediaType: 'application/pdf' }));
  return { method: 'POST', path: `${conclusionPath}/attachment`, body, signed: true };
}

/** The upload instruction of an accepted announcement; undefined when it was refused or names none. */
export function uploadInstructionOf(answer: ApiAnswer): UploadInstruction | undefined {
  if (answer.status >= 300) return undefined;
  const upload = answer.json?.upload;
  if (typeof upload !== 'object' || upload === null) return undefined;
  const { url, headers, signed } = upload as Record<string, unknown>;
  if (typeof url !== 'string' || typeof signed !== 'boolean' || typeof headers !== 'object' || headers === null) {
    return undefined;
  }
  return { url, headers: headers as Record<string, string>, signed };
}

/** The request that sends the bytes where the instruction says. */
export function attachmentUpload(upload: UploadInstruction, bytes: Uint8Array): ApiRequest {
  return {
    method: 'PUT',
    path: upload.url,
    body: bytes,
    headers: upload.headers,
    contentType: 'application/pdf',
    signed: upload.signed,
  };
}
