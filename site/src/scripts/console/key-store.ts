import type { SigningKey } from '../../../../shared/auth/sign-agency-request.js';

/**
 * Keeps the agency's signing key in this browser's IndexedDB when the clerk asks to: the CryptoKey itself,
 * stored as the browser stores keys (structured clone), not extractable, so neither this page nor anything else
 * can read the key material back; it can only sign. "Forget this key" deletes it.
 */

const DATABASE = 'agency-console';
const STORE = 'keys';
const SLOT = 'current';

interface StoredKey {
  readonly agencyId: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = act(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** The remembered key, if any. */
export async function loadKey(): Promise<SigningKey | undefined> {
  const stored = (await run('readonly', (store) => store.get(SLOT))) as StoredKey | undefined;
  if (!stored?.privateKey) return undefined;
  return { agencyId: stored.agencyId, kid: stored.kid, privateKey: stored.privateKey };
}

/** Remembers a key (it must not be extractable). */
export async function saveKey(key: SigningKey): Promise<void> {
  if (key.privateKey.extractable) throw new Error('only a non-extractable key may be kept');
  const stored: StoredKey = { agencyId: key.agencyId, kid: key.kid ?? '', privateKey: key.privateKey };
  await run('readwrite', (store) => store.put(stored, SLOT));
}

/** Deletes the remembered key. */
export async function forgetKey(): Promise<void> {
  await run('readwrite', (store) => store.delete(SLOT));
}
