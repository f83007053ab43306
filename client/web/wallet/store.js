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
//   ticket {iv, ct}  tickets the resident chose to keep for automatic top-up (JSON
//                   {profile: {ticket, total, redeemed}}), encrypted like the rest
//   seal  {v, wraps: [{id, salt, iv, wrapped, added}]}  only once the wallet is protected
//                   with a passkey (passkey.js): then the records are encrypted under a
//                   random data key that is stored only wrapped, once per passkey (its
//                   credential id and PRF salt beside it), and `key` is deleted. The data key
//                   exists unwrapped only in this page's memory, after an unlock.

import * as passkey from './passkey.js';

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

/** The passkey-unwrapped data key, once unlocked (null: not sealed, or still locked). It is
 *  extractable only so that another passkey can wrap it; it is never stored unwrapped. */
let dataKey = null;

/** Thrown by every read or write of a sealed wallet that has not been unlocked yet. */
export class LockedError extends Error {
  constructor() {
    super('the wallet is locked');
    this.code = 'locked';
  }
}

async function key() {
  if (dataKey) return dataKey;
  // Sealed and locked: never fall back to (or make) a device key, which would write the
  // wallet in a form the passkey no longer protects (another tab may have sealed it).
  const [sealed, existing] = await tx('readonly', async (s) => [await request(s.get('seal')), await request(s.get('key'))]);
  if (sealed) throw new LockedError();
  if (existing) return existing;
  const made = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  // Two tabs starting at once: keep whichever was stored first.
  return tx('readwrite', async (s) => {
    if (await request(s.get('seal'))) throw new LockedError();
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

/** The kept tickets ({profile: {ticket, total, redeemed}}), or null. */
export async function loadKept() {
  const rec = await tx('readonly', (s) => request(s.get('ticket')));
  const bytes = await unseal(rec);
  if (!bytes) return null;
  const kept = JSON.parse(dec.decode(bytes));
  bytes.fill(0);
  return kept;
}

/** Stores the kept tickets (null or an empty object: deletes the record). */
export async function saveKept(kept) {
  const sealed = kept && Object.keys(kept).length ? await seal(enc.encode(JSON.stringify(kept))) : null;
  await tx('readwrite', (s) => request(sealed ? s.put(sealed, 'ticket') : s.delete('ticket')));
}

/** Deletes everything (the wallet's "remove all data"). */
export async function wipe() {
  await tx('readwrite', (s) => request(s.clear()));
  dataKey = null;
}

// ---------------------------------------------------------------- passkey sealing

const SEAL_VERSION = 1;
const isSealedRecord = (v) => v && v.iv instanceof Uint8Array && v.ct instanceof Uint8Array;

/** null (not sealed: the browser's own key) or {passkeys: N, unlocked}. */
export async function sealState() {
  const seal = await tx('readonly', (s) => request(s.get('seal')));
  return seal ? { passkeys: seal.wraps.length, unlocked: dataKey !== null } : null;
}

async function wrapFor(pk, key) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = new Uint8Array(await crypto.subtle.wrapKey('raw', key, pk.kek, { name: 'AES-GCM', iv }));
  return { id: pk.id, salt: pk.salt, iv, wrapped, added: Math.floor(Date.now() / 1000) };
}

/** Protects the wallet with a new passkey: makes a random data key, re-encrypts every record
 *  under it, stores it wrapped under the passkey's PRF-derived key and deletes the browser's
 *  device key — the last three in one transaction, so a failure leaves the wallet as it was.
 *  Throws passkey.PasskeyError (code `unavailable`, `no_prf`, `cancelled`, `failed`): the
 *  wallet then stays on the device key. */
export async function enableSealing(label) {
  if (await sealState()) throw new Error('already sealed');
  const pk = await passkey.register(label);
  const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const wrap = await wrapFor(pk, fresh);
  // Decrypt with the device key, encrypt with the data key; outside the transaction, which
  // would commit while WebCrypto works.
  const entries = await tx('readonly', async (s) => {
    const keys = await request(s.getAllKeys());
    const values = await request(s.getAll());
    return keys.map((k, i) => [k, values[i]]);
  });
  const resealed = [];
  for (const [name, value] of entries) {
    if (!isSealedRecord(value)) continue;
    const plain = await unseal(value);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, fresh, plain));
    plain.fill(0);
    resealed.push([name, { iv, ct }]);
  }
  await tx('readwrite', async (s) => {
    for (const [name, rec] of resealed) await request(s.put(rec, name));
    await request(s.put({ v: SEAL_VERSION, wraps: [wrap] }, 'seal'));
    await request(s.delete('key'));
  });
  dataKey = fresh;
}

/** Adds another passkey that can unlock the wallet (a second device, a spare security key):
 *  the same data key, wrapped once more. Needs the wallet sealed and unlocked. */
export async function addPasskey(label) {
  if (!dataKey) throw new LockedError();
  const pk = await passkey.register(label);
  const wrap = await wrapFor(pk, dataKey);
  await tx('readwrite', async (s) => {
    const seal = await request(s.get('seal'));
    seal.wraps.push(wrap);
    await request(s.put(seal, 'seal'));
  });
}

/** Asks for one of the wallet's passkeys and unwraps the data key. Throws
 *  passkey.PasskeyError; `wrong_key` when the passkey answered but its key does not unwrap
 *  (a PRF that changed, a damaged record). Nothing is deleted on any failure. */
export async function unlock() {
  const seal = await tx('readonly', (s) => request(s.get('seal')));
  if (!seal) return;
  const { id, kek } = await passkey.unlock(seal.wraps.map((w) => ({ id: w.id, salt: w.salt })));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const wrap = seal.wraps.find((w) => same(w.id, id));
  try {
    dataKey = await crypto.subtle.unwrapKey(
      'raw', wrap.wrapped, kek, { name: 'AES-GCM', iv: wrap.iv },
      { name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'],
    );
  } catch (_) {
    throw new passkey.PasskeyError('wrong_key');
  }
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
