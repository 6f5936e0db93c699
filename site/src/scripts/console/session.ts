import type { SigningKey } from '../../../../shared/auth/sign-agency-request.js';
import { type ApiAnswer, describeProblem, sendApiRequest } from '../../../../shared/auth/signed-fetch.js';
import { consoleText } from '../../i18n/console.js';
import type { Lang } from '../../lib/lang.js';

/** What the console's parts share: the page's language, the key in use, and signed requests to this origin. */
export interface Session {
  readonly lang: Lang;
  readonly t: ReturnType<typeof consoleText>;
  key(): SigningKey | undefined;
  setKey(key: SigningKey | undefined): void;
  /** Called when the key changes (the record list follows the agency). */
  onKey(listener: (key: SigningKey | undefined) => void): void;
  /** Sends a request signed with the key in use (the API is on this page's own origin). */
  send(request: {
    method: 'GET' | 'POST' | 'PUT';
    path: string;
    body?: Uint8Array;
    headers?: Record<string, string>;
    contentType?: string;
    signed?: boolean;
  }): Promise<ApiAnswer>;
  describe(answer: ApiAnswer): string;
}

export function createSession(lang: Lang): Session {
  let current: SigningKey | undefined;
  const listeners: ((key: SigningKey | undefined) => void)[] = [];
  return {
    lang,
    t: consoleText(lang),
    key: () => current,
    setKey(key) {
      current = key;
      for (const listener of listeners) listener(key);
    },
    onKey(listener) {
      listeners.push(listener);
    },
    async send(request) {
      const signed = request.signed ?? request.method !== 'GET';
      if (signed && !current) throw new Error('no key');
      // An unsigned request (GET, a pre-signed upload) never needs the key; a placeholder satisfies the type.
      const key = current ?? ({ agencyId: '', privateKey: undefined } as unknown as SigningKey);
      return sendApiRequest(window.location.origin, key, {
        method: request.method,
        path: request.path,
        ...(request.body ? { body: request.body } : {}),
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.contentType ? { contentType: request.contentType } : {}),
        signed,
      });
    },
    describe: describeProblem,
  };
}

/** UTF-8 bytes of a JSON body: the exact bytes that are hashed into `bh` and sent. */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
