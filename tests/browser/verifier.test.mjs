// Browser tests of the venue verifier page (client/web/dist) in Debian's Chromium, headless,
// driven by playwright-core. The page is served from 127.0.0.1 under /venue/ by Python's
// static server; test data comes from the Rust `fixtures` binary (real issuance, real
// proofs). Prints one line per case and closes with "N passed, M failed".
//
// Environment: DIST (built page), FIXTURES (fixtures dir), FIXTURES_BIN (the `fixtures`
// binary: makes the set-up codes once the server's port is known), OUT (screenshots +
// figures), CHROMIUM (default /usr/bin/chromium), BENCH_BATCHES x BENCH_BATCH (timed
// verifications, default 60 x 5), NATIVE_FIGURES (JSON from `fixtures bench`, for the
// wasm/native ratio).

import { chromium } from 'playwright-core';
import { test, assert, assertEq, finish, CHROMIUM_ARGS } from './harness.mjs';
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = process.env.DIST;
const FIX = process.env.FIXTURES;
const FIXTURES_BIN = process.env.FIXTURES_BIN;
const OUT = process.env.OUT || mkdtempSync(path.join(tmpdir(), 'greenlight-browser-out-'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BENCH_BATCH = Number(process.env.BENCH_BATCH || 5);
const BENCH_BATCHES = Number(process.env.BENCH_BATCHES || 60);
const NATIVE = process.env.NATIVE_FIGURES ? JSON.parse(process.env.NATIVE_FIGURES) : null;
if (!DIST || !FIX || !FIXTURES_BIN) {
  console.error('set DIST, FIXTURES and FIXTURES_BIN');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const T = 30_000;

const fixture = (name) => path.join(FIX, name);
const manifest = JSON.parse(readFileSync(fixture('cases.json'), 'utf8'));
const expected = Object.fromEntries(manifest.cases.map((c) => [c.name, c]));
const venueJson = readFileSync(fixture('venue.json'), 'utf8');
const figures = {};


// ------------------------------------------------------------------ static server

function startServer() {
  // Serve DIST at /venue/, as greenlight-server does: proves the page uses relative URLs.
  // Beside it, /v1/keys answers what the issuer's GET /v1/keys would (the set-up code's
  // fetch). The directory is removed when the test ends.
  const root = mkdtempSync(path.join(tmpdir(), 'greenlight-www-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  symlinkSync(path.resolve(DIST), path.join(root, 'venue'));
  mkdirSync(path.join(root, 'v1'));
  copyFileSync(fixture('keys.json'), path.join(root, 'v1', 'keys'));
  const proc = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', root], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('static server did not start')), 10_000);
    proc.stdout.on('data', (chunk) => {
      const m = /port (\d+)/.exec(String(chunk));
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: `http://127.0.0.1:${m[1]}/venue/` });
      }
    });
    proc.stderr.on('data', () => {}); // access log
    proc.on('exit', (code) => reject(new Error(`static server exited ${code}`)));
  });
}

// ------------------------------------------------------------------ page helpers

async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

async function newPage(browser, options = {}) {
  const context = await browser.newContext({ ...PHONE, locale: 'en-US', ...options });
  // Record vibration requests (headless Chromium has no vibrator to observe).
  await context.addInitScript(() => {
    window.__vibrations = [];
    navigator.vibrate = (pattern) => {
      window.__vibrations.push(pattern);
      return true;
    };
  });
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  return { context, page };
}

async function waitReady(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: T });
}

async function loadVenueFile(page, file) {
  await page.setInputFiles('#venue-file', file);
}

async function screen(page) {
  return page.evaluate(() => document.body.dataset.screen);
}

/** Run `act`, wait for the verdict screen, return what it shows, and go back to scanning. */
async function verdictOf(page, act, { next = true } = {}) {
  const before = await page.evaluate(() => {
    window.__verdicts = window.__verdicts || [];
    if (!window.__verdictHooked) {
      window.__verdictHooked = true;
      document.addEventListener('greenlight:verdict', (e) => window.__verdicts.push(e.detail));
    }
    return window.__verdicts.length;
  });
  await act();
  await page.waitForFunction((n) => window.__verdicts.length > n, before, { timeout: T });
  const v = await page.evaluate(() => {
    const s = document.getElementById('screen-verdict');
    return {
      shown: !s.hidden,
      verdict: s.dataset.verdict,
      reason: s.dataset.reason,
      word: document.getElementById('verdict-word').textContent,
      text: document.getElementById('verdict-reason').textContent,
      hint: document.getElementById('verdict-hint').hidden ? '' : document.getElementById('verdict-hint').textContent,
      detail: window.__verdicts[window.__verdicts.length - 1],
      icon: ['accept', 'reject'].filter((k) => {
        const el = document.getElementById(`icon-${k}`);
        return getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().width > 100;
      }).join(','),
    };
  });
  if (next) await page.click('#verdict-next');
  return v;
}

/** Screenshot with animations finished, as a person would see the screen a moment later. */
const shot = (p, file) => p.screenshot({ path: file, animations: 'disabled' });

const viaPhoto = (page, name) => () => page.setInputFiles('#photo-file', fixture(`${name}.png`));
async function viaText(page, name) {
  await page.click('#screen-scan details.paste summary');
  await page.fill('#text-input', readFileSync(fixture(`${name}.txt`), 'utf8'));
  await page.click('#text-verify');
}

function expectVerdict(v, name, override) {
  const want = { ...expected[name], ...(override || {}) };
  assert(v.shown, 'verdict screen not shown');
  assertEq(v.verdict, want.accept ? 'accept' : 'reject', `${name}: verdict (${v.reason})`);
  assertEq(v.reason, want.reason_code, `${name}: reason code`);
  assertEq(v.word, want.accept ? 'ACCEPT' : 'REJECT', `${name}: big word`);
  assert(v.text.length > 5, `${name}: no reason text shown`);
  assertEq(v.icon, want.accept ? 'accept' : 'reject', `${name}: the one big icon shown`);
}

// ------------------------------------------------------------------ the tests

const server = await startServer();
const URL_ = server.url;
// The set-up codes name this server (its port is only known now).
const SERVER_BASE = new URL('/', URL_).href;
execFileSync(FIXTURES_BIN, ['setup', FIX, '--server', SERVER_BASE], { stdio: 'ignore' });
const keysJson = JSON.parse(readFileSync(fixture('keys.json'), 'utf8'));
const browser = await launch();
const { context, page } = await newPage(browser);
const requests = [];
context.on('request', (r) => requests.push(r.url()));
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
page.on('console', (m) => {
  if (m.type() === 'error') pageErrors.push(m.text());
});

await test('page loads under /venue/ and the verifier starts', async () => {
  await page.goto(URL_);
  await waitReady(page);
  // Let the page finish loading (favicon, service worker install) before anything is
  // measured, so later "no request" checks see only what verification does.
  await page.waitForLoadState('networkidle');
  assertEq(await screen(page), 'setup', 'first screen');
  figures.ready_ms_first_load = await page.evaluate(
    () => performance.getEntriesByName('greenlight-ready')[0].startTime,
  );
  assert(/^v\d/.test(await page.textContent('#version')), 'version shown');
});

await test('venue.json whose key list another root signed is refused', async () => {
  await loadVenueFile(page, fixture('venue_bad_root.json'));
  await page.waitForSelector('#setup-error:not([hidden])');
  const err = await page.textContent('#setup-error');
  assert(err.includes('not signed by the root key'), `error text: ${err}`);
  assert(await page.isHidden('#venue-summary'), 'no venue shown');
  assertEq(await page.evaluate(() => localStorage.getItem('greenlight.venue.v1')), null, 'stored venue');
});

await test('venue.json loads from the file picker', async () => {
  await loadVenueFile(page, fixture('venue.json'));
  await page.waitForSelector('#venue-summary:not([hidden])');
  assertEq(await page.textContent('#venue-name'), manifest.venue_name, 'venue name');
  assert(await page.isHidden('#setup-error'), 'error hidden');
  const issuers = await page.textContent('#venue-issuers');
  assert(issuers.includes('CN-GD') && issuers.includes('HK'), `issuers: ${issuers}`);
  assert(!issuers.includes('CN-SH'), `an issuer whose only key is revoked is not "accepted": ${issuers}`);
  assertEq(await page.textContent('#venue-window'), 'issued within the last 24 hours', 'window');
  assertEq(await page.evaluate(() => localStorage.getItem('greenlight.venue.v1')), venueJson, 'stored venue');
  await shot(page, path.join(OUT, 'setup-loaded-en.png'));
  await page.click('#start-checking');
  assertEq(await screen(page), 'scan', 'screen after start');
});

await test('valid presentation QR (photo) is accepted, with no network request', async () => {
  // Resource timing entries can be reported late (the favicon's is), so count entries by
  // when their request *started*, not by when they appeared.
  const since = await page.evaluate(() => performance.now());
  const cdp = await context.newCDPSession(page);
  const cdpRequests = [];
  cdp.on('Network.requestWillBeSent', (e) => cdpRequests.push(e.request.url));
  await cdp.send('Network.enable');
  const before = requests.length;
  const v = await verdictOf(page, viaPhoto(page, 'valid_1'), { next: false });
  expectVerdict(v, 'valid_1');
  assert(v.detail.token_id && v.detail.token_id.length === 64, 'token id in verdict');
  assertEq(v.detail.issuer_region, 'CN-GD', 'issuer region');
  const resources = await page.evaluate(
    (t) => performance.getEntriesByType('resource').filter((e) => e.startTime >= t).map((e) => e.name),
    since,
  );
  assertEq(resources.length, 0, `resource timing entries during verification (${resources.join(', ')})`);
  assertEq(requests.length - before, 0, `page requests during verification (${requests.slice(before).join(', ')})`);
  assertEq(cdpRequests.length, 0, `CDP network requests during verification (${cdpRequests.join(', ')})`);
  await cdp.detach();
  const vib = await page.evaluate(() => window.__vibrations);
  assert(vib.length >= 1, 'vibration requested on verdict');
  await shot(page, path.join(OUT, 'verdict-accept-en.png'));
  await page.click('#verdict-next');
});

await test('the same presentation again is rejected (replay)', async () => {
  const v = await verdictOf(page, viaPhoto(page, 'valid_1'), { next: false });
  expectVerdict(v, 'valid_1', { accept: false, reason_code: 'replayed' });
  await shot(page, path.join(OUT, 'verdict-reject-replayed-en.png'));
  await page.click('#verdict-next');
});

for (const name of ['tampered', 'split_view', 'other_venue', 'revoked_key', 'clock_skew', 'truncated', 'other_region']) {
  await test(`${name}: ${expected[name].accept ? 'accepted' : `rejected as ${expected[name].reason_code}`}`, async () => {
    const v = await verdictOf(page, viaPhoto(page, name), { next: false });
    expectVerdict(v, name);
    if (name === 'tampered') await shot(page, path.join(OUT, 'verdict-reject-tampered-en.png'));
    await page.click('#verdict-next');
  });
}

await test('scanning the venue\'s own code says so', async () => {
  const v = await verdictOf(page, viaPhoto(page, 'venue_code'));
  expectVerdict(v, 'venue_code');
  assert(v.hint.includes('venue code'), `hint: ${v.hint}`);
});

await test('scanning the venue\'s set-up code at the door says what it is', async () => {
  const v = await verdictOf(page, viaPhoto(page, 'venue_setup'));
  expectVerdict(v, 'venue_setup');
  assertEq(v.detail.scanned_kind, 'venue_setup', 'scanned kind');
  assert(v.hint.includes('set-up code'), `hint: ${v.hint}`);
});

await test('presentation pasted as text is accepted', async () => {
  const v = await verdictOf(page, () => viaText(page, 'valid_2'));
  expectVerdict(v, 'valid_2');
});

await test('Chinese: toggle shows 通过 / 不通过 and the reason in Chinese', async () => {
  await page.click('#lang-toggle');
  assertEq(await page.textContent('#scan-status'), '请将摄像头对准访客的二维码', 'scan screen in Chinese');
  const v = await verdictOf(page, viaPhoto(page, 'valid_3'), { next: false });
  assertEq(v.verdict, 'accept', 'verdict');
  assertEq(v.word, '通过', 'accept word in Chinese');
  assertEq(v.text, '绿码，近期签发', 'reason in Chinese');
  await shot(page, path.join(OUT, 'verdict-accept-zh.png'));
  await page.click('#verdict-next');
  const r = await verdictOf(page, viaPhoto(page, 'valid_3'), { next: false });
  assertEq(r.word, '不通过', 'reject word in Chinese');
  assertEq(r.reason, 'replayed', 'reason code');
  assert(/只能使用一次/.test(r.text), `Chinese reason: ${r.text}`);
  await shot(page, path.join(OUT, 'verdict-reject-zh.png'));
  await page.click('#verdict-next');
  await page.click('#lang-toggle');
  assertEq(await page.textContent('#scan-status'), 'Point the camera at the visitor’s QR code', 'back to English');
});

await test('navigator.language zh-CN defaults the page to Chinese', async () => {
  const zh = await newPage(browser, { locale: 'zh-CN' });
  await zh.page.goto(URL_);
  await waitReady(zh.page);
  assertEq(await zh.page.textContent('h1'), '绿灯场所核验', 'title');
  assertEq(await zh.page.evaluate(() => document.documentElement.lang), 'zh-CN', 'html lang');
  await shot(zh.page, path.join(OUT, 'setup-zh.png'));
  await zh.context.close();
});

await test('opened without the trailing slash, the page moves to /venue/ and works', async () => {
  // greenlight-server nests the directory at /venue, so /venue itself may answer with
  // index.html; simulate that (Python's server would redirect by itself).
  const bare = URL_.replace(/\/$/, '');
  const ctx = await browser.newContext(PHONE);
  await ctx.route(bare, (route) => route.fulfill({ contentType: 'text/html', body: readFileSync(path.join(DIST, 'index.html')) }));
  const p = await ctx.newPage();
  await p.goto(bare);
  await waitReady(p);
  assertEq(p.url(), URL_, 'final URL');
  assertEq(await screen(p), 'setup', 'screen');
  await ctx.close();
});

await test('replacing the venue: another venue resets the replay list, a rollback is refused', async () => {
  const other = await newPage(browser);
  const p = other.page;
  await p.goto(URL_);
  await waitReady(p);
  await loadVenueFile(p, fixture('venue.json'));
  await p.waitForSelector('#venue-summary:not([hidden])');
  const stale = JSON.stringify({ version: 1, seen: { ['ef'.repeat(32)]: Math.floor(Date.now() / 3.6e6) } });
  await p.evaluate((v) => localStorage.setItem('greenlight.seen.v1', v), stale);
  // Venue B, same root and the same key list: accepted; A's replay list means nothing there.
  await loadVenueFile(p, fixture('venue_b.json'));
  await p.waitForFunction(() => document.getElementById('venue-name').textContent === 'Harbour Gym');
  assert(await p.isHidden('#setup-error'), 'no error');
  assertEq(await p.evaluate(() => localStorage.getItem('greenlight.seen.v1')), null, 'replay list reset');
  // Back to A with the list's next version: an update.
  await loadVenueFile(p, fixture('venue_seq2.json'));
  await p.waitForFunction(() => document.getElementById('venue-seq').textContent === '2');
  // The older list again: refused, nothing changes.
  await p.evaluate((v) => localStorage.setItem('greenlight.seen.v1', v), stale);
  p.once('dialog', (d) => d.dismiss());
  await loadVenueFile(p, fixture('venue.json'));
  await p.waitForSelector('#setup-error:not([hidden])');
  assert((await p.textContent('#setup-error')).includes('older than'), 'rollback message');
  assertEq(await p.textContent('#venue-seq'), '2', 'still the newer list');
  assertEq(await p.evaluate(() => localStorage.getItem('greenlight.seen.v1')), stale, 'replay list kept');
  assertEq(
    JSON.parse(await p.evaluate(() => localStorage.getItem('greenlight.venue.v1'))).key_list,
    JSON.parse(readFileSync(fixture('venue_seq2.json'), 'utf8')).key_list,
    'stored venue.json',
  );
  await other.context.close();
});

// ---- set-up code: the page fetches the key list itself, from its own origin

/** The stored venue.json, parsed, or null. */
const storedVenue = (p) => p.evaluate(() => JSON.parse(localStorage.getItem('greenlight.venue.v1')));

await test('set-up code (photo): the page fetches the key list from its own server and is set up', async () => {
  const fresh = await newPage(browser);
  const p = fresh.page;
  try {
    await p.goto(URL_);
    await waitReady(p);
    await p.waitForLoadState('networkidle');
    const seen = [];
    fresh.context.on('request', (r) => seen.push(r.url()));
    await p.setInputFiles('#setup-photo', fixture('setup.png'));
    await p.waitForSelector('#venue-summary:not([hidden])');
    assert(await p.isHidden('#setup-error'), `error: ${await p.textContent('#setup-error')}`);
    // Besides the page's own files (the service worker may still be caching them), the one
    // request is GET /v1/keys on this origin (the service worker may pass it on: twice).
    const keysUrl = new URL('/v1/keys', URL_).href;
    const outside = seen.filter((u) => !u.startsWith(URL_));
    assert(outside.length >= 1 && outside.every((u) => u === keysUrl), `requests during set-up: ${outside.join(', ')}`);
    assertEq(await p.textContent('#venue-name'), manifest.venue_name, 'venue name');
    const venueFile = JSON.parse(venueJson);
    // The fingerprint shown is the root of the venue's own venue.json.
    const want = await p.evaluate(async (json) => {
      const m = await import('./greenlight_web.js');
      const h = m.load_venue(json);
      const fp = JSON.parse(h.info(Date.now() / 1000)).root_fingerprint;
      h.free();
      return fp;
    }, venueJson);
    assertEq((await p.textContent('#venue-root')).replace(/ /g, ''), want, 'root fingerprint shown');
    // The same venue.json the venue's computer holds (the server named in the code).
    const stored = await storedVenue(p);
    assertEq(stored.key_list, venueFile.key_list, 'key list');
    assertEq(stored.venue_code, venueFile.venue_code, 'venue code');
    assertEq(stored.root_public_key, keysJson.root_public_key, 'root');
    assertEq(stored.clock_tolerance_hours, 1, 'tolerance');
    assertEq(stored.server, SERVER_BASE, 'server');
    await shot(p, path.join(OUT, 'setup-from-code-en.png'));
    await p.click('#start-checking');
    const v = await verdictOf(p, viaPhoto(p, 'valid_2'));
    expectVerdict(v, 'valid_2');
  } finally {
    await fresh.context.close();
  }
});

await test('set-up code (pasted): wrong root, older list, other origin and a missing key list are refused', async () => {
  // No service worker here: Playwright's routing (the 404 below) does not see requests a
  // service worker makes.
  const fresh = await newPage(browser, { serviceWorkers: 'block' });
  const p = fresh.page;
  try {
    await p.goto(URL_);
    await waitReady(p);
    const paste = async (text) => {
      await p.evaluate(() => {
        const el = document.getElementById('setup-error');
        el.hidden = true;
        el.textContent = '';
      });
      if (!(await p.isVisible('#venue-paste'))) await p.click('#screen-setup details.paste summary');
      await p.fill('#venue-paste', text);
      await p.click('#venue-paste-load');
      await p.waitForSelector('#setup-error:not([hidden])');
      return p.textContent('#setup-error');
    };
    const read = (name) => readFileSync(fixture(name), 'utf8');
    let err = await paste(read('setup_wrong_root.txt'));
    assert(err.includes('does NOT match the fingerprint'), `wrong root: ${err}`);
    err = await paste(read('setup_newer_list.txt'));
    assert(err.includes('older key list'), `older list: ${err}`);
    const seen = [];
    fresh.context.on('request', (r) => seen.push(r.url()));
    err = await paste(read('venue_setup.txt'));
    assert(err.includes('https://issuer.example/venue/'), `other origin: ${err}`);
    assertEq(seen.length, 0, `requests for another origin's set-up code (${seen.join(', ')})`);
    await fresh.context.route('**/v1/keys', (r) => r.fulfill({ status: 404, body: 'not found' }));
    err = await paste(read('setup.txt'));
    assert(err.includes('HTTP 404'), `404: ${err}`);
    await fresh.context.unroute('**/v1/keys');
    err = await paste(read('valid_1.txt'));
    assert(err.includes('not a venue.json'), `a presentation pasted: ${err}`);
    assertEq(await storedVenue(p), null, 'nothing stored');
    assert(await p.isHidden('#venue-summary'), 'no venue shown');
    // And then the right one, as text.
    await p.fill('#venue-paste', read('setup.txt'));
    await p.click('#venue-paste-load');
    await p.waitForSelector('#venue-summary:not([hidden])');
    assertEq((await storedVenue(p)).venue_code, JSON.parse(venueJson).venue_code, 'venue code');
  } finally {
    await fresh.context.close();
  }
});

await test('set-up code on a device that holds the venue: same venue, replay list kept; older list refused', async () => {
  const fresh = await newPage(browser);
  const p = fresh.page;
  try {
    await p.goto(URL_);
    await waitReady(p);
    await loadVenueFile(p, fixture('venue_seq2.json'));
    await p.waitForFunction(() => document.getElementById('venue-seq').textContent === '2');
    const stale = JSON.stringify({ version: 1, seen: { ['ef'.repeat(32)]: Math.floor(Date.now() / 3.6e6) } });
    await p.evaluate((v) => localStorage.setItem('greenlight.seen.v1', v), stale);
    // The server's list (version 1) is older than the one held: the same refusal as a file.
    await p.click('#screen-setup details.paste summary');
    await p.fill('#venue-paste', readFileSync(fixture('setup.txt'), 'utf8'));
    await p.click('#venue-paste-load');
    await p.waitForSelector('#setup-error:not([hidden])');
    assert((await p.textContent('#setup-error')).includes('older than'), 'rollback message');
    assertEq(await p.textContent('#venue-seq'), '2', 'still the newer list');
    assertEq(await p.evaluate(() => localStorage.getItem('greenlight.seen.v1')), stale, 'replay list kept');
  } finally {
    await fresh.context.close();
  }
});

await test('replay list survives a reload and is kept in localStorage', async () => {
  await page.reload();
  await waitReady(page);
  assertEq(await screen(page), 'scan', 'stored venue goes straight to scanning');
  figures.ready_ms_reload_with_venue = await page.evaluate(
    () => performance.getEntriesByName('greenlight-ready')[0].startTime,
  );
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('greenlight.seen.v1')));
  assertEq(stored.version, 1, 'stored format (the CLI\'s seen.json)');
  assertEq(Object.keys(stored.seen).length, 4, 'accepted ids stored (valid_1, other_region, valid_2, valid_3)');
  assertEq(await page.textContent('#seen-count'), '4', 'count shown');
  const v = await verdictOf(page, viaPhoto(page, 'valid_1'));
  assertEq(v.reason, 'replayed', 'replay after reload');
  await shot(page, path.join(OUT, 'scan-en.png'));
});

await test('old entries are pruned from the replay list', async () => {
  await page.evaluate(() => {
    const stored = JSON.parse(localStorage.getItem('greenlight.seen.v1'));
    stored.seen['ab'.repeat(32)] = 1000; // first seen in 1970
    stored.seen['cd'.repeat(32)] = Math.floor(Date.now() / 3.6e6) - 1; // an hour ago
    localStorage.setItem('greenlight.seen.v1', JSON.stringify(stored));
  });
  const v = await verdictOf(page, viaPhoto(page, 'valid_4'));
  expectVerdict(v, 'valid_4');
  const { seen } = await page.evaluate(() => JSON.parse(localStorage.getItem('greenlight.seen.v1')));
  assert(!('ab'.repeat(32) in seen), 'ancient entry pruned');
  assert('cd'.repeat(32) in seen, 'recent entry kept');
  assert(v.detail.token_id in seen, 'new id stored');
});

await test('a damaged replay list rejects instead of forgetting', async () => {
  await page.evaluate(() => localStorage.setItem('greenlight.seen.v1', '{"not hex": 1}'));
  const v = await verdictOf(page, viaPhoto(page, 'valid_5'));
  assertEq(v.verdict, 'reject', 'verdict');
  assertEq(v.reason, 'seen_damaged', 'reason');
  assertEq(await page.evaluate(() => localStorage.getItem('greenlight.seen.v1')), '{"not hex": 1}', 'storage untouched');
  await page.evaluate(() => localStorage.removeItem('greenlight.seen.v1'));
});

await test('no script errors or CSP violations on the page', async () => {
  assertEq(pageErrors.length, 0, `errors: ${pageErrors.join(' | ')}`);
});

await test('index.html pins every file it runs: a changed script or wasm is refused', async () => {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  assert(!/__[A-Za-z0-9_.]+__/.test(html), 'no placeholder left in the built index.html');
  const flipLast = (b) => { const c = Buffer.from(b); c[c.length - 1] ^= 1; return c; };
  const appendComment = (b) => Buffer.concat([b, Buffer.from('\n// changed in transit\n')]);
  const cases = [
    ['app.js', appendComment, 'text/javascript'],
    ['i18n.js', appendComment, 'text/javascript'],
    ['greenlight_web.js', appendComment, 'text/javascript'],
    ['scanner.js', appendComment, 'text/javascript'],
    ['zxing_reader.js', appendComment, 'text/javascript'],
    ['zxing_share.js', appendComment, 'text/javascript'],
    ['style.css', appendComment, 'text/css'],
    ['zxing_reader.wasm', flipLast, 'application/wasm'],
    ['greenlight_web_bg.wasm', flipLast, 'application/wasm'],
  ];
  for (const [file, change, contentType] of cases) {
    // A fresh context: no service worker, every file from the (tampering) network.
    const { context: ctx, page: p } = await newPage(browser);
    const errors = [];
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await ctx.route(`**/venue/${file}`, (route) => route.fulfill({
      body: change(readFileSync(path.join(DIST, file))), contentType,
    }));
    await p.goto(URL_);
    await p.waitForLoadState('networkidle');
    assert(errors.some((e) => /integrity/i.test(e)), `${file}: an integrity error (${errors.join(' | ')})`);
    if (file === 'zxing_reader.wasm' || file === 'style.css') {
      // The QR decoder's WebAssembly (or the style sheet) is refused; the verifier itself
      // still starts (text input works). The decoder's modules are imported by app.js: a
      // changed one stops the page like app.js itself.
      await waitReady(p);
    } else {
      assert(await p.evaluate(() => document.body.dataset.ready !== 'true'), `${file}: the page must not start`);
    }
    if (file === 'greenlight_web_bg.wasm') {
      assert(await p.isVisible('#loading-error'), 'the page says it could not load');
    }
    await ctx.close();
  }
});

// ---- wasm vs native timing (figures, not asserted: no speed targets in timed tests)
await test('timing: verification in Chromium (wasm)', async () => {
  const bench = readFileSync(fixture('bench.txt'), 'utf8');
  // Batches, because performance.now() is coarsened to 0.1 ms in a page that is not
  // cross-origin isolated: the figure is the median over batches of (batch time / size).
  const r = await page.evaluate(async ({ venue, text, batches, size }) => {
    const m = await import('./greenlight_web.js');
    const h = m.load_venue(venue);
    const once = () => {
      const v = JSON.parse(m.verify(h, text, Date.now() / 1000, ''));
      if (!v.accept) throw new Error(`bench presentation rejected: ${v.reason_code}`);
    };
    for (let i = 0; i < 10; i++) once();
    const per = [];
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      for (let i = 0; i < size; i++) once();
      per.push((performance.now() - t0) / size);
    }
    h.free();
    per.sort((a, b) => a - b);
    return { median: per[Math.floor(batches / 2)], min: per[0], max: per[batches - 1], verifications: batches * size };
  }, { venue: venueJson, text: bench, batches: BENCH_BATCHES, size: BENCH_BATCH });
  figures.wasm_verify_ms = r;
  assert(r.median > 0, 'timed something');
});

// A mid-range phone is several times slower than this machine: the same figures with
// Chromium's CPU throttling (4x), from a cold start of a fresh context.
await test('timing: ready and verify with the CPU throttled 4x (phone-like)', async () => {
  const slow = await newPage(browser);
  const cdp = await slow.context.newCDPSession(slow.page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await slow.page.goto(URL_);
  await waitReady(slow.page);
  const ready = await slow.page.evaluate(() => performance.getEntriesByName('greenlight-ready')[0].startTime);
  const bench = readFileSync(fixture('bench.txt'), 'utf8');
  const ms = await slow.page.evaluate(async ({ venue, text }) => {
    const m = await import('./greenlight_web.js');
    const h = m.load_venue(venue);
    for (let i = 0; i < 3; i++) m.verify(h, text, Date.now() / 1000, '');
    const n = 20;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      if (!JSON.parse(m.verify(h, text, Date.now() / 1000, '')).accept) throw new Error('rejected');
    }
    return (performance.now() - t0) / n;
  }, { venue: venueJson, text: bench });
  figures.cpu_4x_slower = { ready_ms_first_load: ready, verify_ms: ms };
  await slow.context.close();
  assert(ready > 0 && ms > 0, 'measured');
});

// ---- camera: Chromium's fake capture device plays a video of a QR code

/** Runs `body(page)` on a page whose fake camera plays the fixture video `y4m`, with the
 *  camera granted and venue A loaded (the "Start checking" button showing). */
async function withFakeCamera(y4m, body) {
  const cam = await launch([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${fixture(y4m)}`,
  ]);
  try {
    const { context: cctx, page: cpage } = await newPage(cam);
    await cctx.grantPermissions(['camera'], { origin: new URL(URL_).origin });
    await cpage.goto(URL_);
    await waitReady(cpage);
    await loadVenueFile(cpage, fixture('venue.json'));
    await cpage.waitForSelector('#venue-summary:not([hidden])');
    await body(cpage);
  } finally {
    await cam.close();
  }
}

await test('camera path: fake camera showing a QR code is scanned and accepted', async () => {
  await withFakeCamera('camera.y4m', async (cpage) => {
    const started = Date.now();
    const v = await verdictOf(cpage, () => cpage.click('#start-checking'), { next: false });
    figures.camera_scan_to_verdict_ms = Date.now() - started;
    assertEq(v.verdict, 'accept', `camera verdict (${v.reason})`);
    assertEq(v.reason, 'ok', 'reason');
    await shot(cpage, path.join(OUT, 'camera-accept.png'));
    // The same code still in front of the camera after "next" is not re-checked at once…
    await cpage.click('#verdict-next');
    await cpage.waitForTimeout(1500);
    await shot(cpage, path.join(OUT, 'camera-scanning.png'));
    assertEq(await screen(cpage), 'scan', 'still scanning during the quiet period');
    // …but once the quiet period is over it is, and it is a replay.
    const again = await verdictOf(cpage, async () => {}, { next: false });
    assertEq(again.reason, 'replayed', 'same code later');
  });
});

await test('camera path: a tilted, blurred capture of a presentation is scanned and accepted', async () => {
  // The fixtures' simulated camera: a version-27 presentation on a phone tilted 20°, rolled
  // 15°, blur σ 1 px, glare and noise, in a 1280×720 stream (jsQR, the decoder before, did
  // not read it).
  await withFakeCamera('camera_tilted.y4m', async (cpage) => {
    const started = Date.now();
    const v = await verdictOf(cpage, () => cpage.click('#start-checking'), { next: false });
    figures.tilted_camera_scan_to_verdict_ms = Date.now() - started;
    assertEq(v.verdict, 'accept', `camera verdict (${v.reason})`);
    const settings = await cpage.evaluate(() => {
      const track = document.getElementById('video').srcObject?.getVideoTracks()[0];
      return track ? track.getSettings() : null;
    });
    assert(settings && settings.width >= 1280, `camera stream ${JSON.stringify(settings)}`);
    assert(await cpage.isHidden('#torch'), 'no torch button for a camera without a torch');
  });
});

// ---- the page's QR decoder: the same frame decoded in the page (figures, not asserted)
await test('timing: QR decoding of a 1280×720 frame in Chromium (zxing-wasm)', async () => {
  const grey = readFileSync(fixture('camera_tilted.gray'));
  const expected = readFileSync(fixture('camera_tilted.txt'), 'utf8');
  const r = await page.evaluate(async ({ b64, width, height, runs }) => {
    const grey = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const img = new ImageData(width, height);
    for (let i = 0; i < grey.length; i++) {
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = grey[i];
      img.data[4 * i + 3] = 255;
    }
    const { decodeFrame } = await import('./scanner.js');
    const text = await decodeFrame(img);
    const ms = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await decodeFrame(img);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    // An empty frame (nothing to find) costs the most: the decoder tries every pass.
    const empty = new ImageData(width, height);
    empty.data.fill(128);
    const t0 = performance.now();
    const none = await decodeFrame(empty);
    return { text, none, median: ms[ms.length >> 1], min: ms[0], empty_ms: performance.now() - t0 };
  }, { b64: grey.toString('base64'), width: 1280, height: 720, runs: 15 });
  assertEq(r.text, expected, 'the page decodes the tilted frame to the presentation');
  assertEq(r.none, null, 'nothing in an empty frame');
  figures.qr_decode_ms_1280x720 = { median: r.median, min: r.min, empty_frame: r.empty_ms };
});

await test('set-up code scanned with the camera on the set-up screen', async () => {
  const cam = await launch([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${fixture('setup_camera.y4m')}`,
  ]);
  try {
    const { context: cctx, page: cpage } = await newPage(cam);
    await cctx.grantPermissions(['camera'], { origin: new URL(URL_).origin });
    await cpage.goto(URL_);
    await waitReady(cpage);
    await cpage.click('#setup-camera');
    await cpage.waitForSelector('#venue-summary:not([hidden])');
    assert(await cpage.isHidden('#setup-error'), `error: ${await cpage.textContent('#setup-error')}`);
    assertEq(await cpage.textContent('#venue-name'), manifest.venue_name, 'venue name');
    assert(await cpage.isHidden('#setup-viewfinder'), 'camera stopped after the code was read');
  } finally {
    await cam.close();
  }
});

// ---- offline: the server goes away; the page reloads from the service worker and verifies
await test('offline: after the server is gone the page reloads and verifies', async () => {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await waitReady(page);
  }
  assert(await page.evaluate(() => !!navigator.serviceWorker.controller), 'service worker controls the page');
  server.proc.kill('SIGTERM');
  await new Promise((r) => server.proc.once('exit', r));
  await context.setOffline(true);
  await page.reload();
  await waitReady(page);
  // Anything not in the service worker's cache now fails: the network is really gone.
  const probe = await page.evaluate(() => fetch(`./not-cached-${Date.now()}`).then(() => 'reached', () => 'failed'));
  assertEq(probe, 'failed', 'a request past the cache');
  figures.ready_ms_offline_reload = await page.evaluate(
    () => performance.getEntriesByName('greenlight-ready')[0].startTime,
  );
  const v = await verdictOf(page, viaPhoto(page, 'valid_6'));
  expectVerdict(v, 'valid_6');
  const r = await verdictOf(page, viaPhoto(page, 'tampered'));
  expectVerdict(r, 'tampered');
});

await browser.close();
if (server.proc.exitCode === null) server.proc.kill('SIGTERM');

if (NATIVE && figures.wasm_verify_ms) {
  figures.native_verify_ms = NATIVE.native_verify_ms;
  // Both sides are timed the same way; the machine is shared, so the least-disturbed batch
  // (min) is the steadier comparison and the median is shown beside it.
  figures.wasm_over_native = {
    min: figures.wasm_verify_ms.min / NATIVE.native_verify_ms.min,
    median: figures.wasm_verify_ms.median / NATIVE.native_verify_ms.median,
  };
}
const transfer = ['greenlight_web_bg.wasm', 'greenlight_web.js'].map((f) => gzipSync(readFileSync(path.join(DIST, f)), { level: 9 }).length);
figures.wasm_plus_js_gzip_bytes = transfer[0] + transfer[1];
const gz = (f) => gzipSync(readFileSync(path.join(DIST, f)), { level: 9 }).length;
figures.qr_decoder_gzip_bytes = ['scanner.js', 'zxing_reader.js', 'zxing_share.js', 'zxing_reader.wasm']
  .reduce((sum, f) => sum + gz(f), 0);
figures.page_gzip_bytes = readdirSync(DIST).filter((f) => !f.endsWith('.gz')).reduce((sum, f) => sum + gz(f), 0);
writeFileSync(path.join(OUT, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
console.log(`figures: ${JSON.stringify(figures)}`);
console.log(`screenshots: ${OUT}`);
finish();
