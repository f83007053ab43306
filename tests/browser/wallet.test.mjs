// Browser tests of the residents' wallet (/wallet/) in Debian's Chromium, headless, driven by
// playwright-core — against a real greenlight-server that serves both pages (/wallet/ and
// /venue/) and issues the tokens. The whole story: first run (language, root pinned from the
// authority's link), redeem from a #ticket= link, present (venue code pasted or scanned with
// the fake camera), the venue page ACCEPTs the wallet's on-screen QR seen through its own
// fake camera and then REJECTs it as a replay; reload mid-present, the network cut, profiles,
// zh-Hant, storage encrypted, no request while presenting, 360×740 screenshots whose QR is
// decoded back. Prints one line per case and closes with "N passed, M failed".
//
// Environment: SERVER_BIN (greenlight-server), FIXTURES_BIN (the venue page's `fixtures`: a
// venue for the server, camera videos, decoding screenshots), WALLET_FIXTURES_BIN
// (wallet-fixtures: native present timing), DIST
// (venue page), WALLET_DIST (wallet page), OUT (screenshots + figures), CHROMIUM.

import { chromium } from 'playwright-core';
import { test as run, assert, assertEq, finish, CHROMIUM_ARGS } from './harness.mjs';
import { sealTests } from './wallet-seal.test.mjs';
import { topUpTests } from './wallet-topup.test.mjs';
import { keyboardTests } from './wallet-keyboard.test.mjs';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const SERVER_BIN = process.env.SERVER_BIN;
const FIX_BIN = process.env.FIXTURES_BIN;
const WALLET_FIX_BIN = process.env.WALLET_FIXTURES_BIN;
const DIST = process.env.DIST;
const WALLET_DIST = process.env.WALLET_DIST;
const OUT = process.env.OUT || mkdtempSync(path.join(tmpdir(), 'greenlight-wallet-out-'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!SERVER_BIN || !FIX_BIN || !WALLET_FIX_BIN || !DIST || !WALLET_DIST) {
  console.error('set SERVER_BIN, FIXTURES_BIN, WALLET_FIXTURES_BIN, DIST and WALLET_DIST');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });

// The issue's reference phone: 360×740.
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const T = 60_000;
const figures = {};


/** Cases are named "wallet: …" in the shared log. */
const test = (name, fn) => run(`wallet: ${name}`, fn);

// ------------------------------------------------------------------ the issuer

const work = mkdtempSync(path.join(tmpdir(), 'greenlight-wallet-test-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const dataDir = path.join(work, 'issuer');

function startServer() {
  const proc = spawn(SERVER_BIN, [
    'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--ticket-rate', '0', '--client-rate', '0',
    '--web-dir', DIST, '--wallet-dir', WALLET_DIST,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    proc.stdout.on('data', (chunk) => {
      out += String(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      const fp = /root key fingerprint ([0-9a-f]+)/.exec(out);
      if (m && fp) {
        clearTimeout(timer);
        resolve({ proc, base: m[1].replace(/\/$/, ''), fingerprint: fp[1], out });
      }
    });
    proc.stderr.on('data', () => {});
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function ticket(subject, tokens) {
  const out = execFileSync(SERVER_BIN, [
    'ticket', '--data-dir', dataDir, '--subject', subject, '--status', 'green', '--tokens', String(tokens),
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const line = out.split('\n').find((l) => l.startsWith('GLT1:'));
  if (!line) throw new Error(`no ticket in: ${out}`);
  return line;
}

const server = await startServer();
const BASE = server.base;
const WALLET = `${BASE}/wallet/`;
const VENUE_PAGE = `${BASE}/venue/`;
const keysText = await (await fetch(`${BASE}/v1/keys`)).text();
writeFileSync(path.join(work, 'keys.json'), keysText);
execFileSync(FIX_BIN, ['venue', path.join(work, 'keys.json'), work, '--server', `${BASE}/`]);
const VENUE_CODE = readFileSync(path.join(work, 'venue_code.txt'), 'utf8').trim();
const fx = (name) => path.join(work, name);

// ------------------------------------------------------------------ page helpers

async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}
async function newPage(browser, options = {}) {
  const context = await browser.newContext({ ...PHONE, locale: 'en-US', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // Confirmations (remove a person) are accepted; prompts get the name the test set.
  page.on('dialog', (d) => d.accept(page.__promptAnswer || undefined));
  return { context, page, errors };
}
const waitReady = (p) => p.waitForSelector('body[data-ready="true"]', { timeout: T });
const screenOf = (p) => p.evaluate(() => document.body.dataset.screen);
const shot = (p, name) => p.screenshot({ path: path.join(OUT, name), animations: 'disabled' });
const link = (params) => `${WALLET}#${Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;

/** Tokens left per profile, as the home screen shows them. */
async function counts(p) {
  return p.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('#profile-list .profile')].map((c) => [c.dataset.profile, Number(c.querySelector('.count').dataset.total)]),
  ));
}

/** First run from the authority's link, then redeem the link's ticket; back on the home screen. */
async function setUpAndRedeem(p, ticketText) {
  await p.goto(link({ root: server.fingerprint, ticket: ticketText }));
  await waitReady(p);
  await p.waitForSelector('#trust-box:not([hidden])');
  await p.click('#trust-accept');
  await p.waitForSelector('#screen-redeem:not([hidden])');
  await p.click('#redeem-button');
  await p.waitForSelector('#redeem-done:not([hidden]), #redeem-error:not([hidden])');
  assert(await p.isHidden('#redeem-error'), `redeem error: ${await p.textContent('#redeem-error')}`);
}

async function presentFor(p, profile, venueText = VENUE_CODE) {
  await p.click('#go-venue');
  await p.fill('#venue-input', venueText);
  await p.selectOption('#venue-profile', profile);
  await p.click('#present-button');
  await p.waitForSelector('#screen-present:not([hidden]), #venue-error:not([hidden])');
  assert(await p.isHidden('#venue-error'), `present error: ${await p.textContent('#venue-error')}`);
}

/** "Done" on the presentation: back on the home screen (the record cleared first). */
async function done(p) {
  await p.click('#present-done');
  await p.waitForSelector('#screen-home:not([hidden])');
}

/** The decrypted wallet document, read by the page's own modules. */
const docOf = (p) => p.evaluate(async () => {
  const store = await import('./store.js');
  return new TextDecoder().decode(await store.loadDoc());
});

const shownText = (p) => p.evaluate(async () => {
  const store = await import('./store.js');
  const show = await store.loadShow();
  return show ? show.text : null;
});

/** Decodes the QR in a PNG with the CLI's decoder (ZXing-C++, native). */
function decodePng(file) {
  return execFileSync(FIX_BIN, ['decode', file], { encoding: 'utf8' }).trim();
}

// ------------------------------------------------------------------ the tests

const browser = await launch();
const main = await newPage(browser);
const page = main.page;
const requests = [];
main.context.on('request', (r) => requests.push({ url: r.url(), method: r.method() }));
let firstTicket;

await test('served by greenlight-server at /wallet/: first run offers three languages', async () => {
  await page.goto(WALLET);
  await waitReady(page);
  assertEq(await screenOf(page), 'welcome', 'first screen');
  const langs = await page.$$eval('#lang-choice button', (bs) => bs.map((b) => b.textContent));
  assertEq(langs.join('|'), 'English|简体中文|繁體中文', 'language buttons');
  figures.wallet_ready_ms_first_load = await page.evaluate(() => performance.getEntriesByName('greenlight-ready')[0].startTime);
  await page.waitForSelector('#trust-box:not([hidden])');
  assertEq((await page.textContent('#trust-fp')).replace(/ /g, ''), server.fingerprint, 'fingerprint shown = the server\'s');
  assert(await page.isHidden('#trust-match'), 'no link root: nothing to compare');
  await shot(page, 'wallet-welcome-en.png');
});

await test('installable and served compressed: manifest, /wallet without the slash, gzipped files', async () => {
  const manifest = await (await fetch(`${WALLET}manifest.webmanifest`)).json();
  assertEq(manifest.display, 'standalone', 'display');
  assertEq(manifest.start_url, './', 'start_url');
  assert(manifest.icons.length > 0, 'icons');
  const wasm = await fetch(`${WALLET}greenlight_wallet_web_bg.wasm`, { headers: { 'Accept-Encoding': 'gzip' } });
  assertEq(wasm.headers.get('content-encoding'), 'gzip', 'the .gz sibling is sent');
  const bare = await newPage(browser, { serviceWorkers: 'block' });
  await bare.page.goto(WALLET.replace(/\/$/, ''));
  await waitReady(bare.page);
  assertEq(bare.page.url(), WALLET, 'moved to /wallet/');
  await bare.context.close();
});

await test('a link whose #root= is another fingerprint is refused: no trust button', async () => {
  const other = await newPage(browser, { serviceWorkers: 'block' });
  await other.page.goto(link({ root: '00'.repeat(16) }));
  await waitReady(other.page);
  await other.page.waitForSelector('#trust-box:not([hidden])');
  assert((await other.page.textContent('#trust-match')).includes('does NOT match'), 'mismatch shown');
  assert(await other.page.isHidden('#trust-accept'), 'no way to trust it');
  await other.context.close();
});

await test('the authority\'s link (#root=, #ticket=): root pinned, ticket redeemed (16 tokens), fragment cleared', async () => {
  firstTicket = ticket('resident-1', 16);
  // The page is open already: following the link changes only the fragment.
  await page.evaluate((url) => { location.href = url; }, link({ root: server.fingerprint, ticket: firstTicket }));
  await page.waitForFunction(() => document.getElementById('trust-match').hidden === false);
  assertEq(new URL(page.url()).hash, '', 'ticket removed from the address bar');
  await page.waitForSelector('#trust-box:not([hidden])');
  assert((await page.textContent('#trust-match')).includes('matches'), 'link root matches');
  await page.click('#trust-accept');
  await page.waitForSelector('#screen-redeem:not([hidden])');
  assertEq(await page.inputValue('#ticket-input'), firstTicket, 'ticket from the link');
  await page.click('#redeem-button');
  await page.waitForSelector('#redeem-done:not([hidden]), #redeem-error:not([hidden])');
  assert(await page.isHidden('#redeem-error'), `redeem error: ${await page.textContent('#redeem-error')}`);
  figures.redeem_16_ms = Number(await page.evaluate(() => document.body.dataset.redeemMs));
  assert((await page.textContent('#redeem-done')).includes('16'), 'count reported');
  await shot(page, 'wallet-redeemed-en.png');
  await page.click('#screen-redeem [data-back]');
  assertEq((await counts(page)).self, 16, 'tokens stored');
  await shot(page, 'wallet-home-en.png');
});

await test('every token in storage verified and stored encrypted: IndexedDB holds no raw holder secret or token bytes', async () => {
  const doc = JSON.parse(await docOf(page));
  const profile = doc.profiles.self;
  assertEq(profile.tokens.length, 16, 'tokens in the document');
  const raw = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('greenlight-wallet');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const t = open.result.transaction('kv');
      const s = t.objectStore('kv');
      const out = {};
      const cur = s.openCursor();
      cur.onsuccess = () => {
        const c = cur.result;
        if (!c) { resolve(out); return; }
        const v = c.value;
        if (v instanceof CryptoKey) out[c.key] = { cryptoKey: true, extractable: v.extractable, algorithm: v.algorithm.name };
        else out[c.key] = { iv: Array.from(v.iv), ct: Array.from(v.ct) };
        c.continue();
      };
    };
  }));
  assertEq(raw.key.extractable, false, 'the AES key is not extractable');
  assertEq(raw.key.algorithm, 'AES-GCM', 'AES-GCM');
  const stored = Buffer.concat(Object.values(raw).filter((v) => v.ct).map((v) => Buffer.from([...v.iv, ...v.ct])));
  const holder = Buffer.from(profile.holder, 'hex');
  const needles = [holder, Buffer.from(profile.holder), ...profile.tokens.map((t) => Buffer.from(t, 'base64url')), Buffer.from(profile.tokens[0])];
  for (const n of needles) assert(stored.indexOf(n.subarray(0, 24)) < 0, 'secret bytes found in IndexedDB');
  assert(stored.indexOf(Buffer.from('"holder"')) < 0, 'plain JSON in IndexedDB');
  // Nor in localStorage (only the language).
  const ls = await page.evaluate(() => JSON.stringify(localStorage));
  assert(!ls.includes(profile.holder) && !ls.includes(profile.tokens[0].slice(0, 20)), 'secrets in localStorage');
});

await test('server refusals read from the CLI\'s catalogue: the same ticket again is quota_exceeded', async () => {
  await page.click('#go-redeem');
  await page.fill('#ticket-input', firstTicket);
  await page.click('#redeem-button');
  await page.waitForSelector('#redeem-error:not([hidden])');
  assertEq(await page.getAttribute('#redeem-error', 'data-code'), 'quota_exceeded', 'code');
  assertEq(await page.textContent('#redeem-error'), 'this ticket has already been used for all the tokens it allows', 'the catalogue text');
  // A venue code pasted as a ticket: named, before any request.
  const before = requests.length;
  await page.fill('#ticket-input', VENUE_CODE);
  await page.click('#redeem-button');
  await page.waitForFunction(() => document.getElementById('redeem-error').dataset.code === 'wrong_kind');
  assert((await page.textContent('#redeem-error')).includes('venue code'), 'says what it is');
  assert(requests.slice(before).every((r) => r.url.endsWith('/v1/keys')), 'no issuance request for a wrong code');
  await shot(page, 'wallet-redeem-error-en.png');
  await page.click('#screen-redeem [data-back]');
});

let firstShown;
await test('present: token marked used before the QR is drawn; full screen with venue, hour and text status; no network request', async () => {
  const cdp = await main.context.newCDPSession(page);
  const cdpRequests = [];
  cdp.on('Network.requestWillBeSent', (e) => cdpRequests.push(e.request.url));
  await cdp.send('Network.enable');
  await page.click('#go-venue');
  await page.fill('#venue-input', VENUE_CODE);
  await page.waitForFunction(() => document.getElementById('venue-name-preview').textContent.includes('Lucky'));
  const since = await page.evaluate(() => performance.now());
  const before = requests.length;
  // Hook the storage write: the QR canvas must still be empty when the document without the
  // token is stored.
  await page.evaluate(() => {
    window.__order = [];
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      if (key === 'doc') window.__order.push(`doc-stored qr-width=${document.getElementById('qr').width}`);
      return put.call(this, value, key);
    };
    new MutationObserver(() => {
      if (document.body.dataset.screen === 'present') window.__order.push('qr-shown');
    }).observe(document.body, { attributes: true, attributeFilter: ['data-screen'] });
  });
  await page.click('#present-button');
  await page.waitForSelector('#screen-present:not([hidden])');
  const order = await page.evaluate(() => window.__order);
  assertEq(order[0], 'doc-stored qr-width=300', `order: ${order.join(', ')}`);
  assert(order.indexOf('qr-shown') > 0, `order: ${order.join(', ')}`);
  assertEq(requests.length - before, 0, `requests while presenting: ${requests.slice(before).map((r) => r.url).join(', ')}`);
  assertEq(cdpRequests.length, 0, `CDP requests while presenting: ${cdpRequests.join(', ')}`);
  const resources = await page.evaluate((t) => performance.getEntriesByType('resource').filter((e) => e.startTime >= t).map((e) => e.name), since);
  assertEq(resources.length, 0, `resource timing entries: ${resources.join(', ')}`);
  await cdp.detach();
  assertEq(await page.textContent('#present-venue'), 'Lucky Café 幸運咖啡', 'venue name');
  assertEq(await page.textContent('#present-status'), 'GREEN · one-time code', 'status in words');
  firstShown = await shownText(page);
  // The hour in the resident's locale (en-US: "11:00 AM–12:00 PM").
  assert(/^Valid \d{1,2}:00( [AP]M)?–\d{1,2}:00( [AP]M)? only$/.test(await page.textContent('#present-valid')), `hour: ${await page.textContent('#present-valid')}`);
  assert(firstShown && firstShown.startsWith('GLP1:'), 'presentation kept for a reload');
  const doc = JSON.parse(await docOf(page));
  assertEq(doc.profiles.self.tokens.length, 15, 'one token gone from storage');
  figures.wallet_present_ms_in_page = Number(await page.evaluate(() => document.body.dataset.presentMs));
});

await test('360×740 screenshot of the presentation: the QR decodes (ZXing-C++, the CLI decoder) to the code shown, and the ring moves while the QR does not', async () => {
  const file = path.join(OUT, 'wallet-present-en.png');
  await page.screenshot({ path: file, animations: 'allow' });
  assertEq(decodePng(file), firstShown, 'decoded from the screenshot');
  const anim = await page.evaluate(() => document.querySelector('.liveness').getAnimations().length);
  assert(anim > 0, 'liveness animation running');
  const a = await page.evaluate(() => document.getElementById('qr').toDataURL());
  await page.waitForTimeout(400);
  const b = await page.evaluate(() => document.getElementById('qr').toDataURL());
  assertEq(a, b, 'QR modules unchanged by the animation');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 360, `no horizontal scrolling at 360 px (${width})`);
});

await test('the presentation screen as a door camera films it (simulated tilt, blur, glare, 640×480): read rate with ZXing-C++', async () => {
  // The 360×740 screenshot (the whole screen: band, text, ring) through the scanning
  // corpus's camera model and CI grid (docs/scanning.md); reported, and bounded loosely so a
  // screen the camera cannot read at all fails.
  const file = path.join(OUT, 'wallet-present-en.png');
  const geometry = await page.evaluate(() => {
    const c = document.getElementById('qr');
    const r = c.getBoundingClientRect();
    const side = 17 + 4 * Number(c.dataset.version);
    const px = r.width / (side + 8);
    return { x: Math.round(r.left + 4 * px), y: Math.round(r.top + 4 * px), px, side };
  });
  assert(Number.isInteger(geometry.px), `whole pixels per module (${geometry.px})`);
  const textFile = path.join(work, 'shown.txt');
  writeFileSync(textFile, firstShown);
  const rates = JSON.parse(execFileSync(FIX_BIN, ['screen', file, textFile, '--x', String(geometry.x), '--y', String(geometry.y),
    '--px', String(geometry.px), '--side', String(geometry.side), '--seed', '13'], { encoding: 'utf8' }));
  figures.present_screen_camera_read = rates;
  assertEq(rates.all.frames, 60, 'frames filmed');
  assert(rates['A: 1280x720, tilt <= 15'].read >= rates['A: 1280x720, tilt <= 15'].frames / 2, `read rate A: ${JSON.stringify(rates)}`);
});

await test('the venue page (its fake camera seeing the wallet\'s screen) ACCEPTs the code, then REJECTs it as a replay', async () => {
  const qrPng = path.join(work, 'wallet_qr.png');
  await page.locator('#qr').screenshot({ path: qrPng });
  const y4m = path.join(work, 'wallet_qr.y4m');
  execFileSync(FIX_BIN, ['y4m', qrPng, y4m, '--scale', '2']);
  const cam = await launch([
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`,
  ]);
  try {
    const v = await newPage(cam, { viewport: { width: 390, height: 844 } });
    await v.context.grantPermissions(['camera'], { origin: BASE });
    await v.page.goto(VENUE_PAGE);
    await v.page.waitForSelector('body[data-ready="true"]');
    await v.page.setInputFiles('#venue-file', fx('venue.json'));
    await v.page.waitForSelector('#venue-summary:not([hidden])');
    await v.page.evaluate(() => {
      window.__verdicts = [];
      document.addEventListener('greenlight:verdict', (e) => window.__verdicts.push(e.detail));
    });
    await v.page.click('#start-checking');
    await v.page.waitForFunction(() => window.__verdicts.length > 0, null, { timeout: T });
    const first = await v.page.evaluate(() => window.__verdicts[0]);
    assertEq(first.accept, true, `verdict ${first.reason_code}`);
    await v.page.screenshot({ path: path.join(OUT, 'wallet-venue-accept.png') });
    await v.page.click('#verdict-next');
    // The same screen photographed again: a replay.
    await v.page.setInputFiles('#photo-file', path.join(OUT, 'wallet-present-en.png'));
    await v.page.waitForFunction(() => window.__verdicts.length > 1, null, { timeout: T });
    const second = await v.page.evaluate(() => window.__verdicts[1]);
    assertEq(second.accept, false, 'second verdict');
    assertEq(second.reason_code, 'replayed', 'reason');
  } finally {
    await cam.close();
  }
});

await test('"What\'s in my QR": the fields the venue learns, the token id of the code shown', async () => {
  await page.click('#present-whatsin');
  await page.waitForSelector('#screen-whatsin:not([hidden])');
  const lines = await page.$$eval('#whatsin-list li', (ls) => ls.map((l) => l.textContent));
  assert(lines.some((l) => l.includes('Not in it: your name')), `lines: ${lines.join(' / ')}`);
  const tokenId = await page.evaluate(async (text) => {
    const m = await import('./greenlight_wallet_web.js');
    const store = await import('./store.js');
    const w = m.Wallet.open(await store.loadDoc(), 'en');
    return JSON.parse(w.describe(text, 'en')).token_id;
  }, firstShown);
  assert(lines.some((l) => l.includes(tokenId)), 'token id listed');
  await shot(page, 'wallet-whatsin-en.png');
  await page.click('#screen-whatsin [data-back]');
});

await test('reload during present: the same code comes back, no second token is used', async () => {
  await presentFor(page, 'self');
  const shown = await shownText(page);
  const left = JSON.parse(await docOf(page)).profiles.self.tokens.length;
  await page.reload();
  await waitReady(page);
  assertEq(await screenOf(page), 'present', 'still presenting after the reload');
  assertEq(await shownText(page), shown, 'the same presentation');
  assert(await page.isVisible('#present-note'), 'says it is the same code');
  assertEq(JSON.parse(await docOf(page)).profiles.self.tokens.length, left, 'no token used by the reload');
  figures.wallet_ready_ms_reload = await page.evaluate(() => performance.getEntriesByName('greenlight-ready')[0].startTime);
  await done(page);
  assertEq(await screenOf(page), 'home', 'done → home');
  assertEq(await shownText(page), null, 'record cleared');
});

await test('reduced motion: the ring and the dot stop, the live clock still ticks', async () => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  try {
    await presentFor(page, 'self');
    assertEq(await page.evaluate(() => getComputedStyle(document.querySelector('.liveness')).animationName), 'none', 'ring');
    const a = await page.textContent('#present-clock');
    await page.waitForFunction((t) => document.getElementById('present-clock').textContent !== t, a, { timeout: 5000 });
    await done(page);
  } finally {
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  }
});

await test('a code interrupted before it was drawn is reported, not lost silently', async () => {
  await page.evaluate(async () => {
    const store = await import('./store.js');
    await store.saveShow({ state: 'withdrawn', profile: 'self', at: Date.now() / 1000 });
  });
  await page.reload();
  await waitReady(page);
  assertEq(await screenOf(page), 'home', 'home screen');
  assert((await page.textContent('#home-note')).includes('never shown'), 'the resident is told');
});

await test('family members: add, redeem for, present for (profile switch), rename, remove — each with its own secret', async () => {
  await page.click('#go-profiles');
  await page.fill('#person-name', 'father');
  await page.click('#add-person');
  await page.waitForSelector('#people-list [data-profile="father"]');
  await page.fill('#person-name', 'bad name');
  await page.click('#add-person');
  await page.waitForSelector('#people-error:not([hidden])');
  await shot(page, 'wallet-family-en.png');
  await page.click('#screen-profiles [data-back]');
  await page.click('#go-redeem');
  await page.fill('#ticket-input', ticket('resident-2', 2));
  await page.selectOption('#redeem-profile', 'father');
  await page.click('#redeem-button');
  await page.waitForSelector('#redeem-done:not([hidden]), #redeem-error:not([hidden])');
  assert(await page.isHidden('#redeem-error'), `redeem: ${await page.textContent('#redeem-error')}`);
  await page.click('#screen-redeem [data-back]');
  const before = await counts(page);
  assertEq(before.father, 2, 'father redeemed');
  // Few left: the status warns, with words.
  assert((await page.textContent('#profile-list [data-profile="father"]')).includes('Only 2 left'), 'few-left warning');
  await presentFor(page, 'father');
  assert((await page.textContent('#present-person')).startsWith('father'), 'presented for father');
  await done(page);
  const after = await counts(page);
  assertEq(after.father, 1, 'father used one');
  assertEq(after.self, before.self, 'self untouched');
  const doc = JSON.parse(await docOf(page));
  assert(doc.profiles.father.holder !== doc.profiles.self.holder, 'own holder secret');
  page.__promptAnswer = '外公';
  await page.click('#go-profiles');
  await page.click('#people-list [data-profile="father"] button:has-text("Rename")');
  await page.waitForSelector('#people-list [data-profile="外公"]');
  await page.click('#people-list [data-profile="外公"] button:has-text("Remove")');
  await page.waitForFunction(() => !document.querySelector('#people-list [data-profile="外公"]'));
  await page.click('#screen-profiles [data-back]');
  assertEq(Object.keys(await counts(page)).join(','), 'self', 'only self left');
});

await test('present with the network cut after load, and offline reload from the service worker', async () => {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await waitReady(page);
  }
  await main.context.setOffline(true);
  try {
    const left = (await counts(page)).self;
    await presentFor(page, 'self');
    assert((await shownText(page)).startsWith('GLP1:'), 'presented offline');
    await done(page);
    assertEq((await counts(page)).self, left - 1, 'one used');
    await page.reload();
    await waitReady(page);
    figures.wallet_ready_ms_offline_reload = await page.evaluate(() => performance.getEntriesByName('greenlight-ready')[0].startTime);
    assertEq(await screenOf(page), 'home', 'starts offline');
    assert(await page.isVisible('#offline-note'), 'says it is offline');
    await presentFor(page, 'self');
    await done(page);
  } finally {
    await main.context.setOffline(false);
  }
});

await test('zh-Hant interface: labels, the status and a server refusal in Traditional Chinese', async () => {
  await page.click('#go-settings');
  await page.click('#settings-langs button[data-lang="zh-Hant"]');
  await page.click('#screen-settings [data-back]');
  assertEq(await page.evaluate(() => document.documentElement.lang), 'zh-Hant', 'html lang');
  assertEq(await page.textContent('#go-venue'), '在場所出示我的碼', 'button label');
  assert((await page.textContent('#profile-list .count')).startsWith('剩餘'), 'status in zh-Hant');
  await shot(page, 'wallet-home-zh-Hant.png');
  await page.click('#go-redeem');
  await page.fill('#ticket-input', firstTicket);
  await page.click('#redeem-button');
  await page.waitForSelector('#redeem-error:not([hidden])');
  assertEq(await page.textContent('#redeem-error'), '該憑單可換取的憑證已全部領取', 'quota_exceeded in zh-Hant');
  await page.click('#screen-redeem [data-back]');
  await presentFor(page, 'self');
  assert((await page.textContent('#present-status')).startsWith('綠碼'), 'status in zh-Hant');
  await shot(page, 'wallet-present-zh-Hant.png');
  assertEq(decodePng(path.join(OUT, 'wallet-present-zh-Hant.png')), await shownText(page), 'zh-Hant screenshot decodes');
  await done(page);
  await page.click('#go-settings');
  await page.click('#settings-langs button[data-lang="en"]');
  await page.click('#screen-settings [data-back]');
});

await test('network requests only to the issuer: GET /v1/keys and POST /v1/issuance/{start,finish}, besides the page\'s own files', async () => {
  const api = requests.filter((r) => !r.url.startsWith(WALLET));
  const allowed = (r) => (r.method === 'GET' && r.url === `${BASE}/v1/keys`)
    || (r.method === 'POST' && (r.url === `${BASE}/v1/issuance/start` || r.url === `${BASE}/v1/issuance/finish`));
  const other = api.filter((r) => !allowed(r));
  assertEq(other.length, 0, `other requests: ${other.map((r) => `${r.method} ${r.url}`).join(', ')}`);
  assert(api.some((r) => r.url.endsWith('/v1/issuance/finish')), 'issuance requests seen');
  const csp = readFileSync(path.join(WALLET_DIST, 'index.html'), 'utf8');
  assert(/connect-src 'self';/.test(csp), 'CSP: connect-src only the issuer that serves it');
});

await test('clock skew: a phone clock 2 h off the issuer\'s Date header is warned about', async () => {
  const skew = await newPage(browser, { serviceWorkers: 'block' });
  await skew.context.route(`${BASE}/v1/keys`, async (route) => {
    const resp = await route.fetch();
    await route.fulfill({ response: resp, headers: { ...resp.headers(), date: new Date(Date.now() - 2 * 3600e3).toUTCString() } });
  });
  await skew.page.goto(WALLET);
  await waitReady(skew.page);
  await skew.page.waitForSelector('#clock-warning:not([hidden])');
  assert((await skew.page.textContent('#clock-warning')).includes('120 min ahead'), `warning: ${await skew.page.textContent('#clock-warning')}`);
  await skew.context.close();
});

await test('the venue\'s code scanned with the wallet\'s camera (fake camera), then presented', async () => {
  const cam = await launch([
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${fx('venue_camera.y4m')}`,
  ]);
  try {
    const w = await newPage(cam);
    await w.context.grantPermissions(['camera'], { origin: BASE });
    await setUpAndRedeem(w.page, ticket('resident-3', 3));
    await w.page.click('#screen-redeem [data-back]');
    await w.page.click('#go-venue');
    await w.page.click('#venue-scan');
    await w.page.waitForFunction(() => document.getElementById('venue-input').value.startsWith('GLV1:'));
    assertEq(await w.page.inputValue('#venue-input'), VENUE_CODE, 'venue code read by the camera');
    assert((await w.page.textContent('#venue-name-preview')).includes('Lucky'), 'venue named');
    await w.page.click('#present-button');
    await w.page.waitForSelector('#screen-present:not([hidden])');
  } finally {
    await cam.close();
  }
});

await test('no script errors or CSP violations on the wallet page', async () => {
  // The issuer's refusals of the reused ticket (409) are logged by Chromium; they were meant.
  const errors = main.errors.filter((e) => !/status of 409/.test(e));
  assertEq(errors.length, 0, `errors: ${errors.join(' | ')}`);
  assert(main.errors.length >= 1, 'the refusals were seen');
});

await test('index.html pins every file: a changed wallet script or wasm is refused', async () => {
  for (const [file, type] of [['app.js', 'text/javascript'], ['store.js', 'text/javascript'], ['greenlight_wallet_web_bg.wasm', 'application/wasm']]) {
    const t = await newPage(browser, { serviceWorkers: 'block' });
    const errors = [];
    t.page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await t.context.route(`**/wallet/${file}`, (route) => route.fulfill({
      body: Buffer.concat([readFileSync(path.join(WALLET_DIST, file)), Buffer.from('\n')]), contentType: type,
    }));
    await t.page.goto(WALLET);
    await t.page.waitForLoadState('networkidle');
    assert(errors.some((e) => /integrity/i.test(e)), `${file}: integrity error (${errors.join(' | ')})`);
    assert(await t.page.evaluate(() => document.body.dataset.ready !== 'true'), `${file}: must not start`);
    await t.context.close();
  }
});

// ---- passkey sealing (wallet-seal.test.mjs)
await sealTests({ test, browser, newPage, base: BASE, fingerprint: server.fingerprint, ticket, T });

// ---- a kept ticket and automatic top-up (wallet-topup.test.mjs)
await topUpTests({ test, browser, newPage, wallet: WALLET, fingerprint: server.fingerprint, ticket, presentFor, done, counts, T });

// ---- keyboard only (wallet-keyboard.test.mjs)
await keyboardTests({ test, browser, newPage, wallet: WALLET, fingerprint: server.fingerprint, ticket, venueCode: VENUE_CODE, T });

// ---- figures (reported, not asserted)
await test('timing: present in Chromium (wasm) and natively, on the same wallet document', async () => {
  const docFile = path.join(work, 'doc.json');
  writeFileSync(docFile, await docOf(page));
  writeFileSync(fx('venue.txt'), VENUE_CODE);
  const runs = 5;
  const wasm = await page.evaluate(async ({ venue, runs: n }) => {
    const m = await import('./greenlight_wallet_web.js');
    const store = await import('./store.js');
    const bytes = await store.loadDoc();
    const times = [];
    for (let i = 0; i < n; i++) {
      const w = m.Wallet.open(bytes, 'en');
      const t0 = performance.now();
      const p = w.withdraw('self', venue, Date.now() / 1000, 'en');
      p.prove('en');
      times.push(performance.now() - t0);
      p.free();
      w.free();
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(n / 2)], min: times[0], runs: n };
  }, { venue: VENUE_CODE, runs });
  figures.wasm_present_ms = wasm;
  figures.native_present_ms = JSON.parse(execFileSync(WALLET_FIX_BIN, ['bench', docFile, fx('venue.txt'), '--batches', String(runs)], { encoding: 'utf8' })).native_present_ms;
  figures.present_wasm_over_native = { min: wasm.min / figures.native_present_ms.min, median: wasm.median / figures.native_present_ms.median };
  assert(wasm.median > 0, 'timed');
});

await browser.close();
server.proc.kill('SIGTERM');

const gz = (f) => gzipSync(readFileSync(path.join(WALLET_DIST, f)), { level: 9 }).length;
figures.wallet_wasm_plus_js_gzip_bytes = gz('greenlight_wallet_web_bg.wasm') + gz('greenlight_wallet_web.js');
figures.wallet_all_files_gzip_bytes = ['greenlight_wallet_web_bg.wasm', 'greenlight_wallet_web.js', 'app.js', 'i18n.js', 'messages.js', 'store.js', 'passkey.js', 'scanner.js', 'zxing_reader.js', 'zxing_share.js', 'zxing_reader.wasm', 'style.css', 'base.css', 'index.html', 'sw.js', 'manifest.webmanifest']
  .reduce((n, f) => n + gz(f), 0);
figures.venue_wasm_plus_js_gzip_bytes = gzipSync(readFileSync(path.join(DIST, 'greenlight_web_bg.wasm')), { level: 9 }).length
  + gzipSync(readFileSync(path.join(DIST, 'greenlight_web.js')), { level: 9 }).length;
writeFileSync(path.join(OUT, 'wallet-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
console.log(`wallet figures: ${JSON.stringify(figures)}`);
finish();
