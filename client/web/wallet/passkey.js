// Passkey sealing's platform calls: a WebAuthn passkey's PRF output (the `prf` extension, a
// per-credential HMAC the authenticator computes only after user verification) turned by
// WebCrypto HKDF into an AES-GCM key that wraps the wallet's data key (store.js). No
// cryptography is written here: WebAuthn and WebCrypto do it; this file only passes bytes.
//
// The relying party is the page's own host (WebAuthn refuses IP addresses as RP IDs: a
// wallet opened at http://192.168.x.y/ cannot use passkeys and keeps the browser's key).
// There is no server in this ceremony: the challenge is random and nobody checks the
// signature. What matters is the PRF output, which the authenticator releases only to this
// RP ID, for this credential and salt, after user verification.

/** A passkey step that failed, with a stable code for the page's message:
 *  `unavailable` (no WebAuthn here, or not a secure context / not a domain name),
 *  `no_prf` (the authenticator or browser has no PRF), `cancelled` (the resident cancelled, or
 *  no authenticator with one of the wallet's passkeys answered), `failed` (anything else). */
export class PasskeyError extends Error {
  constructor(code, detail) {
    super(`passkey: ${code}${detail ? ` (${detail})` : ''}`);
    this.code = code;
  }
}

// Fixed, versioned HKDF info: a PRF output used for anything else never yields this key.
const HKDF_INFO = new TextEncoder().encode('greenlight wallet: passkey data-key wrap v1');
const RP_NAME = 'Greenlight wallet';
const TIMEOUT_MS = 120_000;

/** Whether this page can try WebAuthn at all (PRF support shows only when it is used). */
export function available() {
  return typeof window.PublicKeyCredential === 'function' && !!navigator.credentials && window.isSecureContext;
}

function b64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function mapError(e) {
  if (e instanceof PasskeyError) return e;
  const name = e && e.name;
  // NotAllowedError covers "cancelled", "timed out" and "no authenticator has this
  // credential": WebAuthn does not tell them apart, on purpose (it would reveal credentials).
  if (name === 'NotAllowedError' || name === 'AbortError') return new PasskeyError('cancelled', name);
  if (name === 'SecurityError' || name === 'NotSupportedError') return new PasskeyError('unavailable', name);
  return new PasskeyError('failed', name || String(e));
}

/** The AES-GCM key-wrapping key from a PRF output and the wrap's salt. The PRF bytes are
 *  zeroed once imported (WebCrypto keeps its own copy, out of this script's reach). */
async function wrappingKey(prfOutput, salt) {
  const ikm = new Uint8Array(prfOutput);
  try {
    const base = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey']);
    return await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt, info: HKDF_INFO },
      base, { name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey'],
    );
  } finally {
    ikm.fill(0);
  }
}

/** One user-verified assertion over the given passkeys ([{id, salt}]), each evaluated at its
 *  own salt. Resolves to {id, kek}: the passkey the resident used and its wrapping key. */
async function evaluate(passkeys) {
  const evalByCredential = {};
  for (const p of passkeys) evalByCredential[b64url(p.id)] = { first: p.salt };
  let assertion;
  try {
    assertion = await navigator.credentials.get({
      publicKey: {
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        allowCredentials: passkeys.map((p) => ({ type: 'public-key', id: p.id })),
        // "required", always: an authenticator's PRF differs with and without user
        // verification, and the wallet must not open on mere presence.
        userVerification: 'required',
        timeout: TIMEOUT_MS,
        extensions: { prf: { evalByCredential } },
      },
    });
  } catch (e) {
    throw mapError(e);
  }
  const id = new Uint8Array(assertion.rawId);
  const used = passkeys.find((p) => b64url(p.id) === b64url(id));
  const out = assertion.getClientExtensionResults().prf?.results?.first;
  if (!used) throw new PasskeyError('failed', 'an unknown passkey answered');
  if (!out) throw new PasskeyError('no_prf');
  return { id, kek: await wrappingKey(out, used.salt) };
}

/** Makes a new passkey for this wallet and its wrapping key. Where the authenticator gives
 *  the PRF only on assertion (many security keys: CTAP2's hmac-secret is not evaluated at
 *  make-credential), a second, user-verified get() asks for it. Resolves to {id, salt, kek}. */
export async function register(label) {
  if (!available()) throw new PasskeyError('unavailable');
  const salt = crypto.getRandomValues(new Uint8Array(32));
  let cred;
  try {
    cred = await navigator.credentials.create({
      publicKey: {
        rp: { name: RP_NAME },
        // A random user handle: the passkey carries no name or account of the resident's.
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: label, displayName: label },
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
        attestation: 'none',
        timeout: TIMEOUT_MS,
        extensions: { prf: { eval: { first: salt } } },
      },
    });
  } catch (e) {
    throw mapError(e);
  }
  const id = new Uint8Array(cred.rawId);
  const prf = cred.getClientExtensionResults().prf;
  // `prf` absent: the browser does not know the extension; `enabled: false`: the
  // authenticator has no PRF. Either way this passkey cannot seal anything.
  if (!prf || (prf.enabled !== true && !prf.results)) throw new PasskeyError('no_prf');
  if (prf.results && prf.results.first) return { id, salt, kek: await wrappingKey(prf.results.first, salt) };
  const { kek } = await evaluate([{ id, salt }]);
  return { id, salt, kek };
}

/** Asks for one of the wallet's passkeys ([{id, salt}]); resolves to {id, kek}. */
export function unlock(passkeys) {
  if (!available()) return Promise.reject(new PasskeyError('unavailable'));
  return evaluate(passkeys);
}
