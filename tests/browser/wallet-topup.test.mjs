// A kept ticket and automatic top-up (docs/wallet-web.md, "Keeping the ticket"), against the
// running greenlight-server of wallet.test.mjs: the first redeem takes only part of the
// ticket, the ticket is stored encrypted, and a start with few codes left tops up quietly,
// within the ticket's quota, as greenlight_wallet::topup decides.

import { assert, assertEq } from './harness.mjs';

export async function topUpTests({ test, browser, newPage, wallet, fingerprint, ticket, presentFor, done, counts, T }) {
  const link = (params) => `${wallet}#${Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  const waitReady = (p) => p.waitForSelector('body[data-ready="true"]', { timeout: T });
  /** Reloads and waits for the start's top-up pass to finish; its count of new codes. */
  async function reloadTopUp(p) {
    await p.reload();
    await waitReady(p);
    await p.waitForFunction(() => document.body.dataset.topup !== undefined, null, { timeout: T });
    return Number(await p.evaluate(() => document.body.dataset.topup));
  }
  async function use(p, n) {
    for (let i = 0; i < n; i++) {
      await presentFor(p, 'self');
      await done(p);
    }
  }

  const k = await newPage(browser, { serviceWorkers: 'block' });
  const p = k.page;
  const ticketText = ticket('keeper-1', 12);

  await test('keep the ticket: the first redeem takes 8 of its 12 codes and keeps the ticket, encrypted', async () => {
    await p.goto(link({ root: fingerprint, ticket: ticketText }));
    await waitReady(p);
    await p.waitForSelector('#trust-box:not([hidden])');
    await p.click('#trust-accept');
    await p.waitForSelector('#screen-redeem:not([hidden])');
    await p.check('#keep-ticket');
    await p.click('#redeem-button');
    await p.waitForSelector('#redeem-done:not([hidden]), #redeem-error:not([hidden])');
    assert(await p.isHidden('#redeem-error'), `redeem error: ${await p.textContent('#redeem-error')}`);
    await p.click('#screen-redeem [data-back]');
    assertEq((await counts(p)).self, 8, 'codes after the first redeem');
    await p.waitForSelector('#kept-note:not([hidden])');
    assert((await p.textContent('#kept-note')).includes('4 more codes'), `kept note: ${await p.textContent('#kept-note')}`);
    const raw = await p.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('greenlight-wallet');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const s = open.result.transaction('kv').objectStore('kv');
        const all = s.getAll();
        const keys = s.getAllKeys();
        all.onsuccess = () => keys.onsuccess = () => resolve(keys.result.map((key, i) => {
          const v = all.result[i];
          return { key, bytes: v instanceof CryptoKey ? [] : [...(v.iv || []), ...(v.ct || [])] };
        }));
      };
    }));
    const rec = raw.find((r) => r.key === 'ticket');
    assert(rec && rec.bytes.length > 0, 'a ticket record');
    const stored = Buffer.concat(raw.map((r) => Buffer.from(r.bytes)));
    const body = ticketText.slice('GLT1:'.length);
    for (const needle of [ticketText, body.slice(0, 24), body.slice(-24)]) {
      assert(stored.indexOf(Buffer.from(needle)) < 0, 'the ticket text is not stored in the clear');
    }
    const kept = await p.evaluate(async () => (await import('./store.js')).loadKept());
    assertEq(kept.self.ticket, ticketText, 'the kept ticket decrypts to the ticket');
  });

  await test('top-up: fresh codes enough → no request; few left → a quiet top-up within the ticket\'s quota, then the spent ticket is forgotten', async () => {
    const posts = [];
    const onReq = (r) => { if (r.method() === 'POST') posts.push(r.url()); };
    k.context.on('request', onReq);
    assertEq(await reloadTopUp(p), 0, 'eight fresh codes: nothing to do');
    assertEq(posts.length, 0, 'no issuance request');
    await use(p, 6);
    assertEq((await counts(p)).self, 2, 'two left');
    // Few left (under 3 for 24 h venues): fill up towards 8, but the ticket holds only 4 more.
    assertEq(await reloadTopUp(p), 4, 'topped up by the quota left');
    assertEq((await counts(p)).self, 6, 'codes after the top-up');
    assert(posts.some((u) => u.endsWith('/v1/issuance/finish')), 'the top-up went to the issuer');
    assert((await p.textContent('#home-note')).includes('Topped up: 4 new codes for self'), `note: ${await p.textContent('#home-note')}`);
    assert(await p.isHidden('#kept-note'), 'the spent ticket is no longer shown');
    assertEq(await p.evaluate(async () => (await import('./store.js')).loadKept()), null, 'and no longer stored');
    // With the ticket gone, few codes left bring no request.
    await use(p, 4);
    posts.length = 0;
    assertEq(await reloadTopUp(p), 0, 'nothing kept: no top-up');
    assertEq(posts.length, 0, 'no issuance request');
    k.context.off('request', onReq);
    await k.context.close();
  });
}
