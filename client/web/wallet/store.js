// The wallet's storage: IndexedDB, everything secret encrypted with AES-GCM under a key made
// by WebCrypto as non-extractable. The key itself is kept in IndexedDB as a CryptoKey object:
// the browser stores it, but no script (this page's included) can read its bytes, and a copy
// of the database files outside the browser's own key store is useless without it
// (docs/wallet-web.md says what that does and does not protect against). No cryptography is
// written here: WebCrypto encrypts, the wallet's rules run in Rust (greenlight_wallet_web).
//
// Records in the object store "kv":
//   key   CryptoKey (AES-GCM 256, non-extractable)
//   doc   {iv, ct}  the wallet document (pinned root, key list, per profile holder secret
//                   and tokens), as greenlight_wallet_web's Wallet.to_bytes()
//   show  {iv, ct}  the presentation being shown (JSON), so a reload shows the same code
//                   instead of a new one, and a code interrupted before it was drawn is
//                   reported instead of lost silently

const DB_NAME = 'greenlight-wallet';
const DB_VERSION = 1;
const STORE = 'kv';

let dbPromise = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function db() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const open = indexedDB.open(DB_NAME, DB_VERSION);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }
  return dbPromise;
}

/** Runs `fn(store)` in one transaction; resolves once it has committed. "strict" durability
 *  asks the browser to flush to disk before reporting completion: the never-show-twice rule
 *  needs the document without the shown token stored before its code is drawn. */
async function tx(mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(STORE, mode, { durability: 'strict' });
    let result;
    Promise.resolve(fn(t.objectStore(STORE))).then((r) => { result = r; }, reject);
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error('transaction aborted'));
  });
}

async function key() {
  const existing = await tx('readonly', (s) => request(s.get('key')));
  if (existing) return existing;
  const made = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  // Two tabs starting at once: keep whichever was stored first.
  return tx('readwrite', async (s) => {
    const again = await request(s.get('key'));
    if (again) return again;
    await request(s.put(made, 'key'));
    return made;
  });
}

async function seal(bytes) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await key(), bytes));
  return { iv, ct };
}

async function unseal(record) {
  if (!record) return null;
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, await key(), record.ct);
  return new Uint8Array(plain);
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The stored document's bytes, or an empty array. */
export async function loadDoc() {
  const rec = await tx('readonly', (s) => request(s.get('doc')));
  return (await unseal(rec)) || new Uint8Array(0);
}

/** Stores the document (and, if given, the presentation record) in one durable transaction.
 *  `show === null` deletes the record; `undefined` leaves it. */
export async function saveDoc(bytes, show) {
  const doc = await seal(bytes);
  bytes.fill(0);
  const sealedShow = show ? await seal(enc.encode(JSON.stringify(show))) : show;
  await tx('readwrite', async (s) => {
    await request(s.put(doc, 'doc'));
    if (sealedShow === null) await request(s.delete('show'));
    else if (sealedShow !== undefined) await request(s.put(sealedShow, 'show'));
  });
}

export async function loadShow() {
  const rec = await tx('readonly', (s) => request(s.get('show')));
  const bytes = await unseal(rec);
  return bytes ? JSON.parse(dec.decode(bytes)) : null;
}

export async function saveShow(show) {
  const sealed = show ? await seal(enc.encode(JSON.stringify(show))) : null;
  await tx('readwrite', (s) => request(sealed ? s.put(sealed, 'show') : s.delete('show')));
}

/** Deletes everything (the wallet's "remove all data"). */
export async function wipe() {
  await tx('readwrite', (s) => request(s.clear()));
}

/** Asks the browser to keep this site's storage under pressure. Resolves to true (kept),
 *  false (refused) or null (no such API). */
export async function persist() {
  if (!navigator.storage || !navigator.storage.persist) return null;
  try {
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch (_) {
    return false;
  }
}
