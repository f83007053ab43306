// Passkey sealing of the wallet (docs/wallet-web.md, "Passkey sealing"), in headless Chromium
// with DevTools-protocol virtual authenticators (CTAP2, internal transport, user
// verification, PRF): Chromium computes real PRF values there, stable per credential and
// salt and different across authenticators. Run from wallet.test.mjs, against its server.
//
// WebAuthn refuses IP addresses as relying-party IDs, so these pages are opened at
// http://localhost:PORT/wallet/ (a secure context; its own origin, so its own IndexedDB).

import { assert, assertEq } from './harness.mjs';

const AUTHENTICATOR = {
  protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
  isUserVerified: true, hasPrf: true, automaticPresenceSimulation: true,
};

/** Every IndexedDB record of the wallet, described without decrypting anything. */
function rawRecords(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('greenlight-wallet');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const s = open.result.transaction('kv').objectStore('kv');
      const out = {};
      const cur = s.openCursor();
      cur.onsuccess = () => {
        const c = cur.result;
        if (!c) { resolve(out); return; }
        const v = c.value;
        const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
        if (v instanceof CryptoKey) out[c.key] = { cryptoKey: true };
        else if (v && v.wraps) {
          out[c.key] = {
            v: v.v,
            wraps: v.wraps.map((w) => ({
              types: [w.id, w.salt, w.iv, w.wrapped].map((x) => Object.prototype.toString.call(x)),
              id: hex(w.id), salt: w.salt.length, iv: w.iv.length, wrapped: hex(w.wrapped),
            })),
          };
        } else out[c.key] = { iv: v.iv.length, ct: hex(v.ct) };
        c.continue();
      };
    };
  }));
}

let subjects = 0;

export async function sealTests({ test, browser, newPage, base, fingerprint, ticket, T }) {
  const WALLET = `${base.replace('127.0.0.1', 'localhost')}/wallet/`;
  const link = (params) => `${WALLET}#${Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  const waitReady = (p) => p.waitForSelector('body[data-ready="true"]', { timeout: T });
  const tokensOf = (p) => p.evaluate(() => Number(document.querySelector('#profile-list .profile[data-profile="self"] .count').dataset.total));

  async function setUp(p, tokens) {
    await p.goto(link({ root: fingerprint, ticket: ticket(`seal-${++subjects}`, tokens) }));
    await waitReady(p);
    await p.waitForSelector('#trust-box:not([hidden])');
    await p.click('#trust-accept');
    await p.waitForSelector('#screen-redeem:not([hidden])');
    await p.click('#redeem-button');
    await p.waitForSelector('#redeem-done:not([hidden]), #redeem-error:not([hidden])');
    assert(await p.isHidden('#redeem-error'), `redeem error: ${await p.textContent('#redeem-error')}`);
    await p.click('#screen-redeem [data-back]');
  }
  async function sealStep(p, button) {
    await p.click('#go-settings');
    await p.click(button);
    await p.waitForSelector('#seal-note:not([hidden])');
    return { code: await p.getAttribute('#seal-note', 'data-code'), text: await p.textContent('#seal-note') };
  }
  async function reloadAndUnlock(p) {
    await p.reload();
    await p.waitForSelector('#screen-locked:not([hidden])');
    await p.click('#unlock-button');
    await waitReady(p);
  }

  // One page and its authenticators for the first three cases (one story).
  const w = await newPage(browser, { serviceWorkers: 'block' });
  const cdp = await w.context.newCDPSession(w.page);
  await cdp.send('WebAuthn.enable');
  const first = (await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR })).authenticatorId;
  let second;
  let before;

  await test('passkey sealing: protect with a passkey, reload, unlock with it; the tokens are still there and IndexedDB holds the data key only wrapped', async () => {
    await setUp(w.page, 4);
    await w.page.click('#go-settings');
    // Filled in once the page has read the seal record.
    await w.page.waitForFunction(() => document.getElementById('seal-status').textContent.includes('browser’s own key only'));
    await w.page.click('#screen-settings [data-back]');
    const plain = await rawRecords(w.page);
    assert(plain.key && plain.key.cryptoKey, 'device key before sealing');
    const res = await sealStep(w.page, '#seal-enable');
    assertEq(res.code, 'ok', `enable sealing (${res.text})`);
    assert((await w.page.textContent('#seal-status')).includes('1 passkey'), 'sealed status said');
    const creds = (await cdp.send('WebAuthn.getCredentials', { authenticatorId: first })).credentials;
    assertEq(creds.length, 1, 'one passkey made on the authenticator');
    before = await rawRecords(w.page);
    assertEq(before.key, undefined, 'the device key is gone');
    assert(!Object.values(before).some((v) => v.cryptoKey), 'no CryptoKey stored at all');
    assertEq(before.seal.wraps.length, 1, 'one wrap');
    const wrap = before.seal.wraps[0];
    assertEq(wrap.types.join(','), '[object Uint8Array],[object Uint8Array],[object Uint8Array],[object Uint8Array]', 'wrap fields are bytes');
    assertEq(wrap.wrapped.length / 2, 48, 'a wrapped 256-bit key (32 B + 16 B tag)');
    assertEq(Buffer.from(wrap.id, 'hex').toString('base64url'), creds[0].credentialId.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'), 'the wrap names the credential');
    assertEq(wrap.salt, 32, 'a 32-byte PRF salt beside it');
    assert(before.doc.ct !== plain.doc.ct, 'the document was re-encrypted');
    await reloadAndUnlock(w.page);
    assertEq(await w.page.evaluate(() => document.body.dataset.screen), 'home', 'home after unlock');
    assertEq(await tokensOf(w.page), 4, 'tokens after unlock');
  });

  await test('passkey sealing: a second passkey (a security key) unlocks the same wallet', async () => {
    // Chromium allows one internal (platform) authenticator per page: the spare is a USB key.
    second = (await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { ...AUTHENTICATOR, transport: 'usb' } })).authenticatorId;
    // Only the second authenticator answers from now on (the first waits for a touch).
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: first, enabled: false });
    const res = await sealStep(w.page, '#seal-add');
    assertEq(res.code, 'ok', `add a passkey (${res.text})`);
    assert((await w.page.textContent('#seal-status')).includes('2 passkeys'), 'two passkeys said');
    assertEq((await cdp.send('WebAuthn.getCredentials', { authenticatorId: second })).credentials.length, 1, 'made on the second');
    const raw = await rawRecords(w.page);
    assertEq(raw.seal.wraps.length, 2, 'two wraps');
    assert(raw.seal.wraps[0].wrapped !== raw.seal.wraps[1].wrapped, 'different wraps of one data key');
    assertEq(raw.doc.ct, before.doc.ct, 'the records were not re-encrypted');
    const signs = async (id) => (await cdp.send('WebAuthn.getCredentials', { authenticatorId: id })).credentials[0].signCount;
    const [a0, b0] = [await signs(first), await signs(second)];
    await reloadAndUnlock(w.page);
    assertEq(await tokensOf(w.page), 4, 'tokens after unlocking with the second passkey');
    // (Chromium probes a USB key silently before the real assertion: its count may rise by 2.)
    assertEq(await signs(first) - a0, 0, 'the first passkey was not used');
    assert(await signs(second) > b0, 'the security key answered');
    // And the first still works (the second now silent).
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: first, enabled: true });
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: second, enabled: false });
    await reloadAndUnlock(w.page);
    assertEq(await tokensOf(w.page), 4, 'tokens after unlocking with the first passkey again');
  });

  await test('passkey sealing: with the authenticators gone the wallet cannot be decrypted, says so, and nothing is wiped', async () => {
    const kept = await rawRecords(w.page);
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: second });
    // Some authenticator is there (as on a real phone), just none holding the wallet's passkeys.
    await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR });
    await w.page.reload();
    await w.page.waitForSelector('#screen-locked:not([hidden])');
    assert(await w.page.isHidden('#go-settings'), 'no way around the lock screen');
    await w.page.click('#unlock-button');
    await w.page.waitForSelector('#unlock-error:not([hidden])');
    assertEq(await w.page.getAttribute('#unlock-error', 'data-code'), 'cancelled', 'failure code');
    assert((await w.page.textContent('#unlock-error')).includes('Nothing was changed or deleted'), `said: ${await w.page.textContent('#unlock-error')}`);
    assertEq(await w.page.evaluate(() => document.body.dataset.screen), 'locked', 'still locked');
    // The page's own modules cannot read the document either (what a copied profile has).
    const read = await w.page.evaluate(async () => {
      const store = await import('./store.js');
      try { await store.loadDoc(); return 'read'; } catch (e) { return e.code || String(e); }
    });
    assertEq(read, 'locked', 'the document cannot be read');
    assertEq(JSON.stringify(await rawRecords(w.page)), JSON.stringify(kept), 'every record kept as it was');
    await w.context.close();
  });

  await test('passkey sealing where the authenticator gives the PRF only at get(), not at create()', async () => {
    const g = await newPage(browser, { serviceWorkers: 'block' });
    // What such an authenticator (CTAP2 hmac-secret without the make-credential extension)
    // looks like to the page: "prf enabled", no results on the new credential.
    await g.context.addInitScript(() => {
      const orig = PublicKeyCredential.prototype.getClientExtensionResults;
      window.__prfGets = 0;
      const get = navigator.credentials.get.bind(navigator.credentials);
      navigator.credentials.get = (o) => { window.__prfGets += 1; return get(o); };
      PublicKeyCredential.prototype.getClientExtensionResults = function results() {
        const r = orig.call(this);
        if (this.response instanceof AuthenticatorAttestationResponse && r.prf) return { ...r, prf: { enabled: true } };
        return r;
      };
    });
    const c = await g.context.newCDPSession(g.page);
    await c.send('WebAuthn.enable');
    await c.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR });
    await setUp(g.page, 2);
    const res = await sealStep(g.page, '#seal-enable');
    assertEq(res.code, 'ok', `enable sealing (${res.text})`);
    assertEq(await g.page.evaluate(() => window.__prfGets), 1, 'one get() asked for the PRF');
    await reloadAndUnlock(g.page);
    assertEq(await tokensOf(g.page), 2, 'tokens after unlock');
    await g.context.close();
  });

  await test('no PRF on the authenticator: the wallet stays on the browser\'s own key and says so', async () => {
    const n = await newPage(browser, { serviceWorkers: 'block' });
    const c = await n.context.newCDPSession(n.page);
    await c.send('WebAuthn.enable');
    await c.send('WebAuthn.addVirtualAuthenticator', { options: { ...AUTHENTICATOR, hasPrf: false } });
    await setUp(n.page, 2);
    const res = await sealStep(n.page, '#seal-enable');
    assertEq(res.code, 'no_prf', `failure code (${res.text})`);
    assert(res.text.includes('stays protected by this browser’s own key'), `said: ${res.text}`);
    assertEq(await n.page.evaluate(() => document.body.dataset.sealed), 'false', 'not sealed');
    const raw = await rawRecords(n.page);
    assert(raw.key && raw.key.cryptoKey && !raw.seal, 'device key kept, no seal record');
    await n.page.reload();
    await waitReady(n.page);
    assertEq(await tokensOf(n.page), 2, 'opens without a passkey');
    await n.context.close();
  });
}
