// Greenlight wallet: redeem a ticket, show a one-time code at a venue, offline.
//
// The rules are Rust compiled to WebAssembly (greenlight_wallet_web.js over greenlight-wallet:
// the key list's root pin, the redeem flow that verifies every token before it is stored,
// token selection, never-show-twice, the status outlook, every refusal's message). This file
// only moves bytes: it fetches from the issuer (GET /v1/keys and the two issuance routes —
// nothing else, and nothing while presenting), keeps the document encrypted in IndexedDB
// (store.js), reads QR codes (scanner.js) and draws what Rust returns.

import init, {
  Wallet, preview_key_list, decode_venue, clock_warning, lang_for, version,
} from './greenlight_wallet_web.js';
import { LANGS, LANG_NAMES, format } from './i18n.js';
import * as store from './store.js';
import * as passkey from './passkey.js';
import { decodeFrame } from './scanner.js';

const KEY_LANG = 'greenlight.wallet.lang';
const SCAN_INTERVAL_MS = 150;

const $ = (id) => document.getElementById(id);
const metaContent = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? '';

/** The issuer this page talks to: its own origin when the issuer serves it, or the origin it
 *  was built for (GREENLIGHT_WALLET_ISSUER; also the CSP's only connect-src). */
const ISSUER = metaContent('greenlight-issuer') || location.origin;
const issuerUrl = (path) => new URL(path, ISSUER).href;

const state = {
  lang: 'en',
  wallet: null,
  status: null,
  screen: 'loading',
  link: { ticket: '', root: '' },
  keysText: null,
  stream: null,
  scanTimer: null,
  shown: null,
  lastShown: null,
  busy: false,
};

/** Catalogue message `key` in the page's language, with named `args`. */
function t(key, args) {
  return format(state.lang, key, args);
}

const now = () => Date.now() / 1000;

/** Rust throws `{"code", "text"}` (already in the page's language). */
function failure(e) {
  try {
    const f = JSON.parse(e && e.message ? e.message : String(e));
    if (f && f.code) return f;
  } catch (_) { /* not one of ours */ }
  return { code: 'internal_error', text: String(e && e.message ? e.message : e) };
}

function showError(id, f) {
  const el = $(id);
  el.textContent = f ? f.text : '';
  el.dataset.code = f ? f.code : '';
  el.hidden = !f;
}

function fmtTime(unix) {
  const d = new Date(unix * 1000);
  const sameDay = d.toDateString() === new Date().toDateString();
  const opts = sameDay ? { hour: '2-digit', minute: '2-digit' } : { weekday: 'short', hour: '2-digit', minute: '2-digit' };
  return d.toLocaleString(state.lang, opts);
}

// ---------------------------------------------------------------- language

function applyLang() {
  document.documentElement.lang = state.lang;
  document.title = t('app_title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  if (state.wallet && state.wallet.is_set_up()) renderHome();
}

function setLang(lang) {
  state.lang = LANGS.includes(lang) ? lang : 'en';
  localStorage.setItem(KEY_LANG, state.lang);
  applyLang();
}

function langButtons(container) {
  container.replaceChildren();
  for (const l of LANGS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'button';
    b.lang = l;
    b.dataset.lang = l;
    b.textContent = LANG_NAMES[l];
    b.addEventListener('click', () => {
      setLang(l);
      if (state.screen === 'welcome') showTrust();
    });
    container.append(b);
  }
}

// ---------------------------------------------------------------- screens

const SCREENS = ['loading', 'locked', 'welcome', 'home', 'redeem', 'venue', 'present', 'profiles', 'whatsin', 'settings'];

function show(name) {
  state.screen = name;
  for (const s of SCREENS) $(`screen-${s}`).hidden = s !== name;
  document.body.dataset.screen = name;
  document.body.classList.toggle('presenting', name === 'present');
  if (name !== 'redeem' && name !== 'venue') stopCamera();
  const heading = $(`screen-${name}`).querySelector('h2');
  if (heading) heading.focus({ preventScroll: true });
}

// ---------------------------------------------------------------- issuer requests

/** GET /v1/keys: the body, and the issuer's clock from the Date header. */
async function fetchKeys() {
  const resp = await fetch(issuerUrl('/v1/keys'), {
    cache: 'no-store', credentials: 'omit', headers: { Accept: 'application/json' },
  });
  const text = await resp.text();
  if (!resp.ok) throw new Error(JSON.stringify({ code: 'keys_http', text: `HTTP ${resp.status}` }));
  const date = Date.parse(resp.headers.get('Date') || '');
  if (!Number.isNaN(date)) {
    const warn = clock_warning(now(), date / 1000, state.lang);
    $('clock-warning').textContent = warn || '';
    $('clock-warning').hidden = !warn;
  }
  state.keysText = text;
  return text;
}

async function post(path, body) {
  const resp = await fetch(issuerUrl(path), {
    method: 'POST', cache: 'no-store', credentials: 'omit',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body,
  });
  const retry = Number(resp.headers.get('Retry-After'));
  return { status: resp.status, body: await resp.text(), retryAfter: Number.isFinite(retry) && retry >= 0 ? retry : -1 };
}

// ---------------------------------------------------------------- first run

async function showTrust() {
  show('welcome');
  langButtons($('lang-choice'));
  $('trust-box').hidden = true;
  showError('welcome-error', null);
  $('welcome-status').textContent = t('fetching');
  let keys;
  try {
    keys = await fetchKeys();
  } catch (_) {
    $('welcome-status').textContent = '';
    showError('welcome-error', { code: 'offline', text: t('offline_first') });
    return;
  }
  $('welcome-status').textContent = '';
  let preview;
  try {
    preview = JSON.parse(preview_key_list(keys, state.link.root, state.lang));
  } catch (e) {
    showError('welcome-error', failure(e));
    return;
  }
  $('trust-fp').textContent = preview.fingerprint;
  $('trust-issuers').textContent = preview.issuers.join(', ');
  $('trust-match').hidden = preview.matches_given === null;
  $('trust-match').textContent = preview.matches_given ? t('trust_matches') : t('trust_mismatch');
  $('trust-match').className = preview.matches_given ? 'ok' : 'error';
  $('trust-accept').hidden = preview.matches_given === false;
  $('trust-box').hidden = false;
}

async function acceptTrust() {
  try {
    state.wallet = Wallet.create(state.keysText, state.link.root, state.lang);
    await store.saveDoc(state.wallet.to_bytes(state.lang));
  } catch (e) {
    showError('welcome-error', failure(e));
    return;
  }
  await askPersist();
  goHome();
  if (state.link.ticket) openRedeem(state.link.ticket);
}

async function askPersist() {
  const kept = await store.persist();
  $('storage-warning').hidden = kept !== false;
  document.body.dataset.persist = String(kept);
}

// ---------------------------------------------------------------- home / status

function profiles() {
  return state.status ? state.status.profiles : [];
}

function fillProfileSelect(select, keep) {
  const current = keep || select.value;
  select.replaceChildren(...profiles().map((p) => {
    const o = document.createElement('option');
    o.value = p.name;
    o.textContent = `${p.name} — ${t('tokens_left', { n: p.total })}`;
    return o;
  }));
  if (profiles().some((p) => p.name === current)) select.value = current;
}

function renderHome() {
  state.status = JSON.parse(state.wallet.status(now(), state.lang));
  const list = $('profile-list');
  list.replaceChildren();
  for (const p of state.status.profiles) {
    const card = document.createElement('li');
    card.className = 'card profile';
    card.dataset.profile = p.name;
    const name = document.createElement('h3');
    name.textContent = p.name;
    const count = document.createElement('p');
    count.className = 'count';
    count.dataset.total = String(p.total);
    count.textContent = t('tokens_left', { n: p.total });
    card.append(name, count);
    if (p.newest_age_hours !== null) {
      const age = document.createElement('p');
      age.textContent = `${t('newest_age', { h: p.newest_age_hours })} · ${t('usable', { a: p.usable_6h, b: p.usable_24h })}`;
      card.append(age);
    }
    if (p.go_online_by) {
      const by = document.createElement('p');
      by.className = 'deadline';
      by.textContent = t('go_online_by', { t: fmtTime(p.go_online_by) });
      card.append(by);
    }
    for (const w of p.warnings) {
      const warn = document.createElement('p');
      warn.className = 'warning';
      warn.dataset.code = w.code;
      // A warning sign as well as the colour: never colour alone.
      warn.textContent = `⚠ ${w.text.replace('{when}', w.at ? fmtTime(w.at) : '')}`;
      card.append(warn);
    }
    list.append(card);
  }
  $('settings-fp').textContent = state.status.root_fingerprint;
  $('settings-seq').textContent = String(state.status.key_list_sequence);
}

function goHome() {
  renderHome();
  show('home');
}

// ---------------------------------------------------------------- redeem

function openRedeem(ticket) {
  fillProfileSelect($('redeem-profile'));
  if (ticket) $('ticket-input').value = ticket;
  showError('redeem-error', null);
  $('redeem-progress').hidden = true;
  $('redeem-done').hidden = true;
  show('redeem');
}

// Runs a redeem driver (the wasm crate's `RedeemDriver`: every rule of the batches, retries
// and checks) against the issuer: one round trip per request it names, waiting when it says
// so, and storing each batch — before the next is asked for, so a later failure loses
// nothing — then telling `onStored` how far it got. Shared by a redeem and a quiet top-up.
async function driveRedeem(driver, onStored) {
  for (;;) {
    const next = driver.next_request(now(), state.lang);
    if (!next) return;
    const req = JSON.parse(next);
    const resp = await post(req.path, req.body);
    const step = JSON.parse(driver.on_response(state.wallet, resp.status, resp.body, resp.retryAfter, now(), state.lang));
    if (step.step === 'wait') {
      await new Promise((r) => setTimeout(r, step.ms));
    } else if (step.step === 'stored') {
      await store.saveDoc(state.wallet.to_bytes(state.lang));
      onStored(step);
    }
  }
}

async function redeem() {
  if (state.busy) return;
  const ticket = $('ticket-input').value.trim();
  const profile = $('redeem-profile').value;
  showError('redeem-error', null);
  $('redeem-done').hidden = true;
  state.busy = true;
  $('redeem-button').disabled = true;
  const progress = $('redeem-progress');
  const bar = $('redeem-bar');
  progress.hidden = false;
  $('redeem-progress-text').textContent = t('fetching');
  bar.value = 0;
  const started = performance.now();
  let driver;
  try {
    const keys = await fetchKeys();
    driver = beginRedeem(ticket, keys, profile);
    const info = JSON.parse(driver.info());
    bar.max = info.tokens;
    $('redeem-progress-text').textContent = t('redeeming', { a: 0, b: info.tokens });
    await driveRedeem(driver, (step) => {
      bar.value = step.added;
      $('redeem-progress-text').textContent = t('redeeming', { a: step.added, b: step.asked });
      state.lastRedeem = { added: step.added, profile };
    });
    $('ticket-input').value = '';
    history.replaceState(null, '', location.pathname);
    const added = state.lastRedeem ? state.lastRedeem.added : 0;
    $('redeem-done').textContent = t('redeemed', { n: added, who: profile });
    $('redeem-done').hidden = false;
    progress.hidden = true;
    performance.measure('greenlight-redeem', { start: started, end: performance.now() });
    document.body.dataset.redeemMs = String(Math.round(performance.now() - started));
    await keepAfterRedeem(ticket, profile, info, added);
    renderHome();
    fillProfileSelect($('redeem-profile'), profile);
  } catch (e) {
    progress.hidden = true;
    // A batch that was stored stays stored; reload the document to be sure memory matches.
    await reopen();
    showError('redeem-error', failure(e));
  } finally {
    if (driver) driver.free();
    state.busy = false;
    $('redeem-button').disabled = false;
    state.lastRedeem = null;
  }
}

async function reopen() {
  try {
    const fresh = Wallet.open(await store.loadDoc(), state.lang);
    if (state.wallet) state.wallet.free();
    state.wallet = fresh;
  } catch (_) { /* keep what is in memory */ }
}

// ---------------------------------------------------------------- camera

const canvas = document.createElement('canvas');
const ctx2d = canvas.getContext('2d', { willReadFrequently: true });

async function startCamera(videoId, statusId, onText) {
  stopCamera();
  const status = $(statusId);
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = t('camera_unavailable');
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false, video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (e) {
    status.textContent = e && e.name === 'NotAllowedError' ? t('camera_denied') : t('camera_unavailable');
    return;
  }
  state.stream = stream;
  const video = $(videoId);
  video.hidden = false;
  video.srcObject = stream;
  try { await video.play(); } catch (_) { /* muted autoplay */ }
  const tick = async () => {
    state.scanTimer = null;
    if (!state.stream) return;
    if (video.readyState >= 2 && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx2d.drawImage(video, 0, 0);
      const text = await decodeFrame(ctx2d.getImageData(0, 0, canvas.width, canvas.height));
      if (text && state.stream) {
        stopCamera();
        onText(text);
        return;
      }
    }
    if (state.stream) state.scanTimer = setTimeout(tick, SCAN_INTERVAL_MS);
  };
  state.scanTimer = setTimeout(tick, 0);
}

function stopCamera() {
  if (state.scanTimer) clearTimeout(state.scanTimer);
  state.scanTimer = null;
  if (state.stream) for (const tr of state.stream.getTracks()) tr.stop();
  state.stream = null;
  for (const id of ['redeem-video', 'venue-video']) {
    $(id).srcObject = null;
    $(id).hidden = true;
  }
}

// ---------------------------------------------------------------- present

function openVenue() {
  fillProfileSelect($('venue-profile'));
  showError('venue-error', null);
  $('venue-name-preview').textContent = '';
  show('venue');
}

function previewVenue() {
  const text = $('venue-input').value.trim();
  if (!text) {
    $('venue-name-preview').textContent = '';
    return;
  }
  try {
    const v = JSON.parse(decode_venue(text, state.lang));
    $('venue-name-preview').textContent = t('at_venue', { v: v.name });
    showError('venue-error', null);
  } catch (e) {
    $('venue-name-preview').textContent = '';
    showError('venue-error', failure(e));
  }
}

/** The never-show-twice order: take the token out (in wasm), store the document without it
 *  and a "being shown" record in one durable transaction, and only then make the proof and
 *  draw it. No network request happens here. */
async function present() {
  if (state.busy) return;
  state.busy = true;
  const profile = $('venue-profile').value;
  const venueText = $('venue-input').value.trim();
  showError('venue-error', null);
  let pending;
  try {
    const started = performance.now();
    pending = state.wallet.withdraw(profile, venueText, now(), state.lang);
    await store.saveDoc(pending.document(), { state: 'withdrawn', profile, at: now() });
    const shown = JSON.parse(pending.prove(state.lang));
    shown.profile = profile;
    await store.saveShow({ state: 'shown', ...shown });
    document.body.dataset.presentMs = String(Math.round(performance.now() - started));
    showPresentation(shown, false);
  } catch (e) {
    await reopen();
    showError('venue-error', failure(e));
  } finally {
    if (pending) pending.free();
    state.busy = false;
  }
}

function drawQr(qr) {
  const c = $('qr');
  const quiet = 4;
  const n = qr.size + 2 * quiet;
  // Whole device pixels per module, as large as the screen allows: crisp edges scan best.
  const dpr = window.devicePixelRatio || 1;
  const room = Math.min(document.documentElement.clientWidth - 24, window.innerHeight * 0.62);
  const px = Math.max(1, Math.floor((room * dpr) / n));
  c.width = n * px;
  c.height = n * px;
  c.style.width = `${(n * px) / dpr}px`;
  c.style.height = `${(n * px) / dpr}px`;
  const g = c.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = '#000';
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (qr.modules.charCodeAt(y * qr.size + x) === 49) g.fillRect((x + quiet) * px, (y + quiet) * px, px, px);
    }
  }
  c.dataset.version = String(qr.version);
}

function showPresentation(shown, again) {
  state.shown = shown;
  state.lastShown = shown;
  drawQr(shown.qr);
  $('present-venue').textContent = shown.venue_name;
  $('present-status').textContent = t('status_green');
  $('present-valid').textContent = t('valid_for', { a: fmtTime(shown.hour_start), b: fmtTime(shown.hour_end) });
  $('present-person').textContent = `${shown.profile} · ${t('codes_left_after', { n: shown.tokens_left })}`;
  $('present-note').textContent = again ? t('same_code_again') : '';
  $('present-note').hidden = !again;
  $('qr').setAttribute('aria-label', `${t('status_green')} — ${shown.venue_name}`);
  show('present');
  tickClock();
}

/** A live clock beside the QR: with the moving ring, it tells a screen from a screenshot. */
function tickClock() {
  if (state.screen !== 'present') return;
  $('present-clock').textContent = new Date().toLocaleTimeString(state.lang);
  setTimeout(tickClock, 1000);
}

async function finishPresent() {
  state.shown = null;
  await store.saveShow(null);
  goHome();
}

/** After a reload: the code being shown comes back (the same presentation, no new token),
 *  or the resident is told a token went into a code that was never drawn. */
async function resumeShow() {
  let rec = null;
  try {
    rec = await store.loadShow();
  } catch (_) { /* unreadable: drop it */ }
  if (!rec) return false;
  if (rec.state === 'shown' && rec.hour_end > now()) {
    showPresentation(rec, true);
    return true;
  }
  await store.saveShow(null);
  if (rec.state === 'withdrawn') {
    $('home-note').textContent = t('lost_show');
    $('home-note').hidden = false;
  }
  return false;
}

function openWhatsIn() {
  const list = $('whatsin-list');
  list.replaceChildren();
  $('whatsin-none').hidden = !!state.lastShown;
  if (state.lastShown) {
    const learns = JSON.parse(state.wallet.describe(state.lastShown.text, state.lang));
    for (const line of learns.lines) {
      const li = document.createElement('li');
      li.textContent = line;
      list.append(li);
    }
    const raw = document.createElement('li');
    raw.className = 'mono';
    raw.textContent = `key ${learns.key_id} · venue ${learns.venue_id} · hour ${fmtTime(learns.hour_start)} · window ${learns.window_hours} h · ${learns.policy} · token ${learns.token_id} · ${learns.text_len} B`;
    list.append(raw);
  }
  show('whatsin');
}

// ---------------------------------------------------------------- profiles

function renderProfiles() {
  const list = $('people-list');
  list.replaceChildren();
  for (const p of profiles()) {
    const li = document.createElement('li');
    li.className = 'card person';
    li.dataset.profile = p.name;
    const name = document.createElement('span');
    name.className = 'person-name';
    name.textContent = `${p.name} — ${t('tokens_left', { n: p.total })}`;
    const rename = document.createElement('button');
    rename.type = 'button';
    rename.className = 'button small';
    rename.textContent = t('rename');
    rename.setAttribute('aria-label', `${t('rename')} ${p.name}`);
    rename.addEventListener('click', () => profileChange(() => {
      const to = window.prompt(t('name_label'), p.name);
      if (to === null) return false;
      state.wallet.rename_profile(p.name, to, state.lang);
      return true;
    }));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'button small danger';
    remove.textContent = t('remove');
    remove.setAttribute('aria-label', `${t('remove')} ${p.name}`);
    remove.addEventListener('click', () => profileChange(() => {
      if (!window.confirm(t('remove_confirm', { n: p.name, c: p.total }))) return false;
      state.wallet.remove_profile(p.name, state.lang);
      return true;
    }));
    li.append(name, rename, remove);
    list.append(li);
  }
}

async function profileChange(fn) {
  showError('people-error', null);
  try {
    if (!fn()) return;
    await store.saveDoc(state.wallet.to_bytes(state.lang));
  } catch (e) {
    await reopen();
    showError('people-error', failure(e));
  }
  renderHome();
  renderProfiles();
}

// ---------------------------------------------------------------- kept ticket: automatic top-up

/** A redeem of the whole ticket, or, when the resident keeps it, of its first part only
 *  (greenlight_wallet::first_redeem decides how many; the rest stays on the issuer's quota). */
function beginRedeem(ticket, keys, profile) {
  return $('keep-ticket').checked
    ? state.wallet.begin_redeem_kept(ticket, keys, profile, now(), state.lang)
    : state.wallet.begin_redeem(ticket, keys, profile, now(), false, state.lang);
}

async function keepAfterRedeem(ticket, profile, info, added) {
  if (!$('keep-ticket').checked) return;
  $('keep-ticket').checked = false;
  const kept = (await store.loadKept()) || {};
  if (info.ticket_tokens > added) kept[profile] = { ticket, total: info.ticket_tokens, redeemed: added };
  else delete kept[profile];
  await store.saveKept(kept);
  await renderKept();
}

/** Home and settings: which profiles have a kept ticket, and how many codes it still holds. */
async function renderKept() {
  let kept = null;
  try {
    kept = await store.loadKept();
  } catch (_) { /* locked or unreadable: say nothing */ }
  const lines = Object.entries(kept || {}).map(([who, k]) => t('kept_note', { n: k.total - k.redeemed, who }));
  $('kept-note').textContent = lines.join(' ');
  $('kept-note').hidden = lines.length === 0;
  $('kept-status').textContent = lines.length ? lines.join(' ') : t('kept_none');
  $('forget-ticket').hidden = lines.length === 0;
}

/** Tops up quietly from the kept tickets while online: greenlight_wallet's rule (Wallet.top_up)
 *  says whether and how many; the redeem is the usual one, for that many of the ticket's
 *  tokens. A final refusal (Wallet.kept_ticket_spent) forgets the ticket; anything else keeps
 *  it for next time. Never while a code is shown (no request during present). */
async function autoTopUp() {
  if (state.busy || navigator.onLine === false || state.screen === 'present' || !state.wallet || !state.wallet.is_set_up()) return;
  let kept;
  try {
    kept = await store.loadKept();
  } catch (_) {
    return;
  }
  let total = 0;
  if (!kept) {
    document.body.dataset.topup = '0';
    return;
  }
  for (const [profile, k] of Object.entries(kept)) {
    const due = state.wallet.top_up(profile, now(), Math.max(0, k.total - k.redeemed));
    if (!due) continue;
    const plan = JSON.parse(due);
    state.busy = true;
    let driver;
    let added = 0;
    try {
      const keys = await fetchKeys();
      driver = state.wallet.begin_top_up(k.ticket, keys, profile, now(), plan.tokens, state.lang);
      await driveRedeem(driver, (step) => { added = step.added; });
    } catch (e) {
      await reopen();
      if (Wallet.kept_ticket_spent(failure(e).code)) delete kept[profile];
    } finally {
      if (driver) driver.free();
      state.busy = false;
    }
    if (kept[profile]) kept[profile].redeemed += added;
    // The whole quota fetched: nothing more to keep the ticket for.
    if (kept[profile] && kept[profile].redeemed >= kept[profile].total) delete kept[profile];
    total += added;
    if (added) $('home-note').textContent = t('topped_up', { n: added, who: profile });
    $('home-note').hidden = !added && $('home-note').hidden;
  }
  await store.saveKept(kept);
  document.body.dataset.topup = String(total);
  if (state.screen === 'home') renderHome();
  await renderKept();
}

function wireKept() {
  window.addEventListener('online', () => { autoTopUp(); });
  $('go-settings').addEventListener('click', renderKept);
  $('forget-ticket').addEventListener('click', async () => {
    await store.saveKept(null);
    await renderKept();
  });
}

// ---------------------------------------------------------------- passkey sealing

function sealText(code) {
  return t(`seal_err_${code}`) ?? t('seal_err_failed');
}

/** Settings: how the wallet is protected now, and the buttons that fit. */
async function renderSeal() {
  const st = await store.sealState();
  const can = passkey.available();
  $('seal-status').textContent = st ? t('seal_on', { n: st.passkeys }) : t(can ? 'seal_off' : 'seal_unavailable');
  $('seal-enable').hidden = !!st || !can;
  $('seal-add').hidden = !st;
  document.body.dataset.sealed = String(!!st);
}

/** Runs a sealing step (enable, add a passkey); every failure leaves the wallet as it was
 *  and says why — where the platform has no PRF, that the browser's own key still protects it. */
async function sealStep(step, doneKey) {
  const note = $('seal-note');
  note.hidden = true;
  for (const id of ['seal-enable', 'seal-add']) $(id).disabled = true;
  try {
    await step(t('seal_passkey_name'));
    note.textContent = t(doneKey);
    note.className = 'ok';
    note.dataset.code = 'ok';
  } catch (e) {
    note.textContent = sealText(e.code);
    note.className = 'error';
    note.dataset.code = e.code || 'failed';
  } finally {
    for (const id of ['seal-enable', 'seal-add']) $(id).disabled = false;
  }
  // The status first, so that the note appears beside what it describes.
  await renderSeal();
  note.hidden = false;
}

/** At start: a sealed wallet shows the lock screen until one of its passkeys unlocks it.
 *  A failed unlock deletes nothing; the resident can try again (another passkey, the
 *  security key plugged in). Resolves once the records can be read. */
async function unlockGate() {
  if (!(await store.sealState())) return;
  $('go-settings').hidden = true;
  document.body.dataset.locked = 'true';
  show('locked');
  await new Promise((resolve) => {
    $('unlock-button').onclick = async () => {
      showError('unlock-error', null);
      $('unlock-button').disabled = true;
      try {
        await store.unlock();
        resolve();
      } catch (e) {
        showError('unlock-error', { code: e.code || 'failed', text: sealText(e.code) });
      } finally {
        $('unlock-button').disabled = false;
      }
    };
  });
  $('go-settings').hidden = false;
  document.body.dataset.locked = 'false';
}

function wireSeal() {
  $('go-settings').addEventListener('click', () => { $('seal-note').hidden = true; renderSeal(); });
  $('seal-enable').addEventListener('click', () => sealStep((label) => store.enableSealing(label), 'seal_done'));
  $('seal-add').addEventListener('click', () => sealStep((label) => store.addPasskey(label), 'seal_added'));
}

// ---------------------------------------------------------------- start-up

function readLink() {
  // The fragment never reaches a server. Take what it carries, then clear it from the
  // address bar (and history) so a ticket is not left there.
  // Not URLSearchParams: it reads "+" as a space, and base45 text (a ticket) has both.
  // A link carries each value percent-encoded (encodeURIComponent); a raw one is taken as is.
  const params = {};
  for (const part of location.hash.slice(1).split('&')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const raw = part.slice(i + 1);
    try {
      params[part.slice(0, i)] = decodeURIComponent(raw);
    } catch (_) {
      params[part.slice(0, i)] = raw;
    }
  }
  state.link.ticket = (params.ticket || '').trim();
  state.link.root = (params.root || '').replace(/\s/g, '');
  if (location.hash) history.replaceState(null, '', location.pathname);
}

function wire() {
  $('trust-accept').addEventListener('click', acceptTrust);
  $('go-redeem').addEventListener('click', () => openRedeem(''));
  $('go-venue').addEventListener('click', openVenue);
  $('go-profiles').addEventListener('click', () => { renderProfiles(); show('profiles'); });
  $('go-whatsin').addEventListener('click', openWhatsIn);
  $('go-settings').addEventListener('click', () => { langButtons($('settings-langs')); show('settings'); });
  for (const b of document.querySelectorAll('[data-back]')) b.addEventListener('click', goHome);
  $('redeem-button').addEventListener('click', redeem);
  $('redeem-scan').addEventListener('click', () => startCamera('redeem-video', 'redeem-error-cam', (text) => {
    $('ticket-input').value = text;
  }));
  $('venue-scan').addEventListener('click', () => startCamera('venue-video', 'venue-error-cam', (text) => {
    $('venue-input').value = text;
    previewVenue();
  }));
  $('venue-input').addEventListener('input', previewVenue);
  $('present-button').addEventListener('click', present);
  $('present-done').addEventListener('click', finishPresent);
  $('present-whatsin').addEventListener('click', openWhatsIn);
  $('add-person').addEventListener('click', () => profileChange(() => {
    state.wallet.add_profile($('person-name').value, state.lang);
    $('person-name').value = '';
    return true;
  }));
  $('wipe').addEventListener('click', async () => {
    if (!window.confirm(t('wipe_confirm'))) return;
    await store.wipe();
    location.reload();
  });
  // A second link followed while the page is open changes only the fragment.
  window.addEventListener('hashchange', () => {
    readLink();
    if (!state.wallet.is_set_up()) showTrust();
    else if (state.link.ticket && state.screen !== 'present') openRedeem(state.link.ticket);
  });
  window.addEventListener('online', () => { $('offline-note').hidden = true; });
  window.addEventListener('offline', () => { $('offline-note').hidden = false; });
}

async function main() {
  readLink();
  const stored = localStorage.getItem(KEY_LANG);
  state.lang = LANGS.includes(stored) ? stored : 'en';
  applyLang();
  if (typeof WebAssembly !== 'object') {
    $('loading-error').textContent = t('no_wasm');
    $('loading-error').hidden = false;
    return;
  }
  try {
    const integrity = metaContent('greenlight-wasm-integrity');
    if (!integrity.startsWith('sha384-')) throw new Error('index.html pins no wasm hash');
    await init({ module_or_path: fetch(new URL('greenlight_wallet_web_bg.wasm', import.meta.url), { integrity }) });
  } catch (_) {
    $('loading-error').textContent = t('load_failed');
    $('loading-error').hidden = false;
    return;
  }
  if (!stored) state.lang = lang_for((navigator.languages || [navigator.language]).join(' '));
  applyLang();
  $('version').textContent = `v${version()}`;
  $('offline-note').hidden = navigator.onLine !== false;
  wire();
  wireSeal();
  wireKept();
  await unlockGate();
  try {
    state.wallet = Wallet.open(await store.loadDoc(), state.lang);
  } catch (e) {
    $('loading-error').textContent = failure(e).text;
    $('loading-error').hidden = false;
    return;
  }
  if (!state.wallet.is_set_up()) {
    await showTrust();
  } else {
    renderHome();
    if (!(await resumeShow())) {
      show('home');
      if (state.link.ticket) openRedeem(state.link.ticket);
    }
    store.persist().then((kept) => {
      $('storage-warning').hidden = kept !== false;
      document.body.dataset.persist = String(kept);
    });
    // Online: take in the issuer's newer key list quietly (append-only successors only).
    if (navigator.onLine !== false && state.screen === 'home') {
      fetchKeys().then(async (keys) => {
        if (state.wallet.update_keys(keys, state.lang)) {
          await store.saveDoc(state.wallet.to_bytes(state.lang));
          if (state.screen === 'home') renderHome();
        }
      }).catch(() => { /* offline or refused: keep the held list */ });
    }
  }
  performance.mark('greenlight-ready');
  document.body.dataset.ready = 'true';
  if (state.wallet && state.wallet.is_set_up()) {
    await renderKept();
    autoTopUp();
  }
}

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch(() => { /* plain http on a LAN address */ });
}

main();
