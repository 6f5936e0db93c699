import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { ed25519Thumbprint, signingKeyFromPem } from '../../../../shared/auth/sign-agency-request.js';
import { setUpBulk } from './bulk.js';
import { forgetKey, loadKey, saveKey } from './key-store.js';
import { setUpRecordForm } from './record.js';
import { createSession, type Session } from './session.js';

/**
 * The agency console (/dang-tai/, /en/upload/): the only script of the site that a page needs. It checks that
 * the browser signs with Ed25519 (WebCrypto), then wires the key, the conclusion form, the bulk upload and the
 * key maker. The private key is read from the chosen file into a non-extractable CryptoKey; it is never sent,
 * and kept (in IndexedDB) only when the clerk asks.
 */

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function ed25519Supported(): Promise<boolean> {
  try {
    if (!globalThis.crypto?.subtle) return false;
    await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    return true;
  } catch {
    return false;
  }
}

function setUpKey(session: Session): void {
  const { t } = session;
  const form = byId<HTMLFormElement>('key-form');
  const agency = byId<HTMLInputElement>('agency');
  const file = byId<HTMLInputElement>('privateKey');
  const remember = byId<HTMLInputElement>('remember');
  const status = byId<HTMLElement>('key-status');
  const forget = byId<HTMLButtonElement>('forget-key');

  const show = (stored: boolean) => {
    const key = session.key();
    status.textContent = key
      ? t('key.ready', { agency: key.agencyId, kid: key.kid ?? '', stored: stored ? t('key.stored') : '' })
      : t('key.none');
    forget.hidden = !stored;
  };

  void loadKey()
    .then((key) => {
      if (!key) return;
      agency.value = key.agencyId;
      session.setKey(key);
      show(true);
    })
    .catch(() => undefined);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void use();
  });

  async function use(): Promise<void> {
    const agencyId = agency.value.trim();
    const chosen = file.files?.[0];
    if (agencyId === '') {
      status.textContent = t('key.needAgency');
      agency.focus();
      return;
    }
    if (!chosen) {
      // The remembered key may be used for another agency id only by choosing its file again.
      const key = session.key();
      if (key && key.agencyId !== agencyId) session.setKey(undefined);
      status.textContent = session.key() ? status.textContent : t('key.needFile');
      if (!session.key()) file.focus();
      return;
    }
    try {
      const key = await signingKeyFromPem(agencyId, await chosen.text());
      session.setKey(key);
      if (remember.checked) await saveKey(key);
      show(remember.checked);
    } catch {
      status.textContent = t('key.bad');
    } finally {
      // The file's content is no longer needed on the page: only the CryptoKey is kept.
      file.value = '';
    }
  }

  forget.addEventListener('click', () => {
    void forgetKey().then(() => {
      session.setKey(undefined);
      show(false);
      status.textContent = t('key.forgotten');
      agency.focus();
    });
  });
}

function setUpKeyMaker(session: Session): void {
  const result = byId<HTMLElement>('keygen-result');
  const download = byId<HTMLAnchorElement>('keygen-download');
  let url: string | undefined;
  byId<HTMLButtonElement>('keygen').addEventListener('click', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const privatePem = await exportPKCS8(privateKey);
    const publicPem = await exportSPKI(publicKey);
    const kid = await ed25519Thumbprint((await exportJWK(publicKey)).x ?? '');
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([privatePem], { type: 'application/x-pem-file' }));
    download.href = url;
    const agencyId = byId<HTMLInputElement>('agency').value.trim() || '<agency-id>';
    download.download = `${agencyId.replace(/[^A-Za-z0-9._-]/g, '_')}-private-key.pem`;
    byId<HTMLTextAreaElement>('keygen-public').value = publicPem;
    byId<HTMLInputElement>('keygen-kid').value = kid;
    byId<HTMLTextAreaElement>('keygen-command').value = [
      `npm run admin -- agency add --id ${agencyId} --name "…" --jurisdiction <unit-code> --public-key public-key.pem`,
      `npm run admin -- agency add-key --id ${agencyId} --public-key public-key.pem`,
    ].join('\n');
    result.hidden = false;
    download.focus();
    void session;
  });
}

async function main(): Promise<void> {
  const root = document.querySelector<HTMLElement>('[data-console]');
  if (!root) return;
  if (!(await ed25519Supported())) {
    byId<HTMLElement>('console-unsupported').hidden = false;
    return;
  }
  const session = createSession(document.documentElement.lang === 'en' ? 'en' : 'vi');
  setUpRecordForm(session);
  setUpBulk(session);
  setUpKey(session);
  setUpKeyMaker(session);
  root.hidden = false;
  root.dataset.ready = 'true';
}

void main();
