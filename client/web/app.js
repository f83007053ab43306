// Greenlight venue check: scan a visitor's QR code and verify it on this device.
//
// The verification is the Rust code of the CLI compiled to WebAssembly (greenlight_web.js);
// this file only moves text between the camera, localStorage and the screen. It makes no
// network request after the page has loaded — except, when the operator sets the device up
// from a set-up code (GLS1:…), one GET of the key list from this page's own server, or from an
// issuer origin the page was built for (the CSP forbids every other origin anyway) — and a
// service worker keeps every file so the page also starts offline. index.html pins the hash
// of every file it loads, the WebAssembly included (see `wasmSource`).

import init, {
  load_venue, check_venue_update, verify, version, decode_setup, venue_json_from_setup, inspect,
} from './greenlight_web.js';
import { LANGS, format, has, chineseOf, defaultLang } from './i18n.js';
import { initScanner, decodeFrame } from './scanner.js';

const KEY_VENUE = 'greenlight.venue.v1';
const KEY_SEEN = 'greenlight.seen.v1';
const KEY_LANG = 'greenlight.lang';
/** After "scan next", the code just checked is ignored this long, so a phone still held up
 *  does not instantly come back as "already used". */
const SAME_CODE_QUIET_MS = 4000;
const SCAN_INTERVAL_MS = 120;
/** Photos from phone cameras are large: decoded at this many pixels per side first (a
 *  version-27 code filling a third of a 1600 px photo still has 4 pixels per module). */
const PHOTO_MAX_SIDE = 1600;

const $ = (id) => document.getElementById(id);

const metaContent = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? '';

/** The wasm, fetched with the SHA-384 index.html pins: a changed file is refused by the
 *  browser and the page says it could not load, instead of running it. */
function wasmSource() {
  const integrity = metaContent('greenlight-wasm-integrity');
  // Fail closed: a page without the pin (not made by build.sh, or altered) runs no wasm.
  if (!integrity.startsWith('sha384-')) throw new Error('index.html pins no wasm hash');
  return fetch(new URL('greenlight_web_bg.wasm', import.meta.url), { integrity });
}

/** Origins the key list may come from: this page's, and the issuer origins it was built for
 *  (GREENLIGHT_WEB_KEY_ORIGINS, also in its CSP) when it is served from a separate host. */
function keyOriginAllowed(origin) {
  return origin === location.origin || metaContent('greenlight-key-origins').split(' ').includes(origin);
}

const state = {
  lang: 'en',
  venue: null, // VenueHandle
  venueJson: null,
  info: null,
  stream: null,
  camera: null, // which of CAMERAS the stream is for
  scanTimer: null,
  busy: false,
  lastText: null,
  lastTextAt: 0,
  audio: null,
  screen: 'loading',
};

/** Catalogue message `key` in the page's language, with named `args`. */
function t(key, args) {
  return format(state.lang, key, args);
}

// ---------------------------------------------------------------- language

function applyLang() {
  document.documentElement.lang = { en: 'en', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-Hant' }[state.lang];
  document.title = t('app_title');
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  $('lang-toggle').textContent = t('lang_toggle');
  if (state.info) showVenueSummary();
  if (state.lastVerdict && state.screen === 'verdict') renderVerdict(state.lastVerdict);
}

function initLang() {
  const stored = localStorage.getItem(KEY_LANG);
  const prefs = navigator.languages || [navigator.language];
  // `zh` was the Simplified setting before the page had both scripts.
  const saved = stored === 'zh' ? 'zh-Hans' : stored;
  state.lang = LANGS.includes(saved) ? saved : defaultLang(prefs);
  $('lang-toggle').addEventListener('click', () => {
    // One button, English ↔ Chinese in the script the browser prefers (or was last used).
    state.lang = state.lang !== 'en' ? 'en' : (saved?.startsWith('zh-') ? saved : chineseOf(prefs));
    localStorage.setItem(KEY_LANG, state.lang);
    applyLang();
  });
  applyLang();
}

// ---------------------------------------------------------------- screens

function show(name) {
  state.screen = name;
  for (const s of ['loading', 'setup', 'scan', 'verdict']) {
    $(`screen-${s}`).hidden = s !== name;
  }
  document.body.classList.toggle('verdict-shown', name === 'verdict');
  document.body.dataset.screen = name;
}

function showError(el, message) {
  el.textContent = message;
  el.hidden = !message;
}

// ---------------------------------------------------------------- venue set-up

function errorCode(e) {
  const m = String(e && e.message ? e.message : e);
  const i = m.indexOf(':');
  return i > 0 ? m.slice(0, i) : m;
}

function venueErrorText(e) {
  const code = errorCode(e);
  return has(`venue_errors-${code}`) ? t(`venue_errors-${code}`) : `${t('venue_errors-bad_json')} (${code})`;
}

function now() {
  return Date.now() / 1000;
}

function useVenue(json) {
  const handle = load_venue(json); // throws "<code>: <text>"
  if (state.venue) state.venue.free();
  state.venue = handle;
  state.venueJson = json;
  state.info = JSON.parse(handle.info(now()));
  showVenueSummary();
}

function showVenueSummary() {
  const info = state.info;
  $('venue-summary').hidden = false;
  $('venue-name').textContent = info.venue_name;
  $('scan-venue-name').textContent = info.venue_name;
  $('venue-window').textContent = t('window_value', {
    hours: info.window_hours,
    days: info.window_hours / 24,
    unit: info.window_hours > 24 ? 'days' : 'hours',
  });
  // Only issuers with a key accepted now: a region whose keys are all revoked or expired is
  // not "accepted", whatever the list still names.
  $('venue-issuers').textContent = info.issuers
    .filter((i) => i.keys_accepted_now > 0)
    .map((i) => `${i.display_name} (${i.region})`)
    .join(', ') || '—';
  // In groups of four, to read aloud and compare with what the server printed.
  $('venue-root').textContent = info.root_fingerprint.match(/.{1,4}/g).join(' ');
  $('venue-seq').textContent = String(info.key_list_sequence);
}

/** Load a venue.json chosen or pasted by the operator, refusing a rollback of the key list
 *  and asking before trusting a different root. */
function importVenue(json) {
  const errorEl = $('setup-error');
  showError(errorEl, '');
  let candidate;
  try {
    candidate = load_venue(json);
  } catch (e) {
    showError(errorEl, venueErrorText(e));
    return false;
  }
  const newInfo = JSON.parse(candidate.info(now()));
  candidate.free();
  const old = localStorage.getItem(KEY_VENUE);
  if (old && old !== json) {
    try {
      // The file to keep: the new one, with the list held so far as its previous list.
      json = check_venue_update(old, json, now());
    } catch (e) {
      const code = errorCode(e);
      if (code === 'root_changed') {
        if (!window.confirm(t('root_change_confirm', { fp: newInfo.root_fingerprint }))) return false;
      } else if (code !== 'bad_json' && code !== 'key_list_signature' && code !== 'bad_root_key') {
        // The stored file still loads and the new one is not its successor: refuse.
        showError(errorEl, venueErrorText(e));
        return false;
      }
      // Otherwise the *stored* file no longer loads (damaged storage): replace it.
    }
    let oldVenueId = null;
    try {
      const h = load_venue(old);
      oldVenueId = JSON.parse(h.info(now())).venue_id;
      h.free();
    } catch (_) { /* damaged: treat as a different venue */ }
    // Another venue's replay list means nothing here.
    if (oldVenueId !== newInfo.venue_id) localStorage.removeItem(KEY_SEEN);
  }
  localStorage.setItem(KEY_VENUE, json);
  useVenue(json);
  // The name and fingerprint to compare, and "Start checking", below the set-up choices.
  $('venue-summary').scrollIntoView({ block: 'nearest' });
  return true;
}

/** The set-up code's flow: decode it, fetch the key list from its server (which must be this
 *  page's own origin), let the Rust side check it against the pinned root fingerprint and
 *  build the venue.json the venue's computer holds, then import that like a chosen file —
 *  the same rollback refusal and root-change question. */
async function setupFromCode(text) {
  const errorEl = $('setup-error');
  const status = $('setup-status');
  showError(errorEl, '');
  let info;
  try {
    info = JSON.parse(decode_setup(text));
  } catch (e) {
    showError(errorEl, venueErrorText(e));
    return false;
  }
  // connect-src: the page can fetch only from its own origin and the key origins it was
  // built with.
  if (!keyOriginAllowed(new URL(info.keys_url).origin)) {
    showError(errorEl, t('setup_other_origin', { server: info.server, page: info.page_url }));
    return false;
  }
  status.hidden = false;
  status.textContent = t('fetching_keys', { server: info.server });
  let body;
  try {
    const resp = await fetch(info.keys_url, {
      cache: 'no-store', credentials: 'omit', headers: { Accept: 'application/json' },
    });
    if (!resp.ok) {
      showError(errorEl, t('keys_http_error', { status: resp.status }));
      return false;
    }
    body = await resp.text();
  } catch (_) {
    showError(errorEl, t('venue_errors-keys_unreachable'));
    return false;
  } finally {
    status.hidden = true;
  }
  let json;
  try {
    json = venue_json_from_setup(text, body);
  } catch (e) {
    showError(errorEl, venueErrorText(e));
    return false;
  }
  return importVenue(json);
}

function isSetupCode(text) {
  try {
    return JSON.parse(inspect(text)).kind === 'venue_setup';
  } catch (_) {
    return false;
  }
}

/** What the set-up screen scanned or photographed (`fromQr`: a set-up code or nothing), or
 *  had pasted (a set-up code or venue.json). */
async function setupFromText(text, fromQr) {
  if (isSetupCode(text)) return setupFromCode(text.trim());
  if (!fromQr) return importVenue(text);
  showError($('setup-error'), t('venue_errors-not_setup_code'));
  return false;
}

function initSetup() {
  $('setup-camera').addEventListener('click', () => {
    showError($('setup-error'), '');
    startCamera('setup');
  });
  $('setup-photo').addEventListener('change', async (ev) => {
    const file = ev.target.files && ev.target.files[0];
    ev.target.value = '';
    if (!file) return;
    showError($('setup-error'), '');
    stopCamera();
    const text = await qrFromPhoto(file);
    if (text) await setupFromText(text, true);
    else showError($('setup-error'), t('no_qr_in_photo'));
  });
  $('venue-file').addEventListener('change', async (ev) => {
    const file = ev.target.files && ev.target.files[0];
    ev.target.value = '';
    if (!file) return;
    let text;
    try {
      text = await file.text();
    } catch (_) {
      showError($('setup-error'), t('venue_errors-read_failed'));
      return;
    }
    importVenue(text);
  });
  $('venue-paste-load').addEventListener('click', async () => {
    if (await setupFromText($('venue-paste').value, false)) $('venue-paste').value = '';
  });
  $('start-checking').addEventListener('click', () => {
    unlockAudio();
    enterScan(true);
  });
  $('forget-venue').addEventListener('click', () => {
    if (!window.confirm(t('forget_confirm'))) return;
    localStorage.removeItem(KEY_VENUE);
    localStorage.removeItem(KEY_SEEN);
    if (state.venue) state.venue.free();
    state.venue = null;
    state.info = null;
    $('venue-summary').hidden = true;
  });
}

// ---------------------------------------------------------------- verification

/** Read-verify-write of the replay list must not interleave between two tabs of this page:
 *  hold a Web Lock around it where the browser has them (secure contexts). The verification
 *  itself is synchronous WebAssembly. */
function withSeenLock(fn) {
  if (navigator.locks && navigator.locks.request) {
    return navigator.locks.request('greenlight-seen', () => fn());
  }
  return Promise.resolve(fn());
}

async function checkText(text) {
  if (!state.venue || state.busy) return;
  state.busy = true;
  stopScanLoop();
  try {
    const verdict = await withSeenLock(() => {
      const started = performance.now();
      const raw = JSON.parse(verify(state.venue, text, now(), localStorage.getItem(KEY_SEEN) || ''));
      raw.ms = performance.now() - started;
      localStorage.setItem(KEY_SEEN, JSON.stringify(raw.seen));
      delete raw.seen;
      return raw;
    });
    state.lastText = text;
    state.lastTextAt = Infinity; // quiet until "scan next"
    showVerdict(verdict);
  } catch (e) {
    // Never leave the attendant without an answer: anything unexpected is a REJECT that
    // says to reload (after a trap the wasm instance is not to be trusted).
    const damaged = errorCode(e) === 'seen_damaged';
    showVerdict({
      accept: false,
      reason_code: damaged ? 'seen_damaged' : 'internal_error',
      local_error: damaged ? 'seen_damaged' : 'internal_error',
      seen_count: 0,
    });
  } finally {
    state.busy = false;
  }
}

function renderVerdict(v) {
  const screen = $('screen-verdict');
  screen.classList.toggle('accept', v.accept);
  screen.classList.toggle('reject', !v.accept);
  screen.dataset.verdict = v.accept ? 'accept' : 'reject';
  screen.dataset.reason = v.reason_code;
  // SVG elements have no `hidden` property: toggle the attribute itself.
  $('icon-accept').toggleAttribute('hidden', !v.accept);
  $('icon-reject').toggleAttribute('hidden', v.accept);
  $('verdict-word').textContent = v.accept ? t('accept') : t('reject');
  $('verdict-reason').textContent = v.local_error
    ? t(v.local_error)
    : has(`reasons-${v.reason_code}`) ? t(`reasons-${v.reason_code}`) : v.reason || v.reason_code;
  const hint = (v.scanned_kind && v.scanned_kind !== 'presentation' && has(`hints-kind_${v.scanned_kind}`) && t(`hints-kind_${v.scanned_kind}`))
    || (!v.accept && has(`hints-${v.reason_code}`) && t(`hints-${v.reason_code}`)) || '';
  $('verdict-hint').textContent = hint;
  $('verdict-hint').hidden = !hint;
  const detail = [];
  if (v.accept && v.issuer_name) detail.push(t('issued_by', { name: v.issuer_name }));
  if (typeof v.ms === 'number') detail.push(t('checked_in_ms', { ms: Math.max(1, Math.round(v.ms)) }));
  $('verdict-detail').textContent = detail.join(' · ');
  $('seen-count').textContent = String(v.seen_count ?? 0);
}

function showVerdict(v) {
  state.lastVerdict = v;
  renderVerdict(v);
  show('verdict');
  signal(v.accept);
  $('verdict-next').focus();
  document.dispatchEvent(new CustomEvent('greenlight:verdict', { detail: v }));
}

// ---------------------------------------------------------------- sound and vibration

function unlockAudio() {
  // Browsers start audio only after a tap; create the context on the first one.
  if (state.audio || !(window.AudioContext || window.webkitAudioContext)) return;
  try {
    state.audio = new (window.AudioContext || window.webkitAudioContext)();
  } catch (_) {
    state.audio = null;
  }
}

function tone(freq, start, dur, type) {
  const ctx = state.audio;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = type;
  osc.frequency.value = freq;
  gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
  gain.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + dur);
  osc.connect(gain).connect(ctx.destination);
  osc.start(ctx.currentTime + start);
  osc.stop(ctx.currentTime + start + dur + 0.02);
}

function signal(accept) {
  try {
    if (navigator.vibrate) navigator.vibrate(accept ? 120 : [300, 120, 300]);
  } catch (_) { /* not supported */ }
  if (!state.audio) return;
  try {
    if (state.audio.state === 'suspended') state.audio.resume();
    if (accept) {
      tone(880, 0, 0.12, 'sine');
      tone(1320, 0.14, 0.14, 'sine');
    } else {
      tone(220, 0, 0.5, 'square');
    }
  } catch (_) { /* audio is a nicety */ }
}

// ---------------------------------------------------------------- camera

/** Two places scan with the camera: visitors' codes on the scan screen, the set-up code on
 *  the set-up screen. One stream and one scan loop at a time. */
const CAMERAS = {
  visitor: {
    screen: 'scan', video: 'video', status: 'scan-status', button: 'camera-start', scanning: 'scanning',
    torch: 'torch',
  },
  setup: {
    screen: 'setup', video: 'setup-video', status: 'setup-status', button: 'setup-camera',
    scanning: 'scanning_setup', frame: 'setup-viewfinder',
  },
};

const canvas = document.createElement('canvas');
const ctx2d = canvas.getContext('2d', { willReadFrequently: true });

/** The text of the QR code in `source` (video frame or bitmap) drawn at width × height. */
async function decodeQr(source, width, height) {
  if (!width || !height) return null;
  canvas.width = width;
  canvas.height = height;
  ctx2d.drawImage(source, 0, 0, width, height);
  try {
    return await decodeFrame(ctx2d.getImageData(0, 0, width, height));
  } catch (_) {
    return null; // the decoder could not load (reported by the scan status) or failed
  }
}

/** What the page asks of the camera: as many pixels per module as the device offers (a
 *  version-27 presentation is 125 modules wide: 1080 lines put 4–7 camera pixels on each
 *  module at arm's length; 720 lines fewer than 3 once the code is small), the back camera,
 *  and continuous focus where the browser lets a page ask for it. */
const VIDEO_CONSTRAINTS = {
  facingMode: { ideal: 'environment' },
  width: { ideal: 1920 },
  height: { ideal: 1080 },
  advanced: [{ focusMode: 'continuous' }],
};

/** Shows the torch button when the track has a torch (Chrome on Android; not iOS Safari). */
function offerTorch(stream, which) {
  const button = $(CAMERAS[which].torch);
  if (!button) return;
  const [track] = stream.getVideoTracks();
  const caps = track && typeof track.getCapabilities === 'function' ? track.getCapabilities() : {};
  button.hidden = !caps.torch;
  button.setAttribute('aria-pressed', 'false');
  button.onclick = async () => {
    const on = button.getAttribute('aria-pressed') !== 'true';
    try {
      await track.applyConstraints({ advanced: [{ torch: on }] });
      button.setAttribute('aria-pressed', String(on));
    } catch (_) {
      button.hidden = true;
    }
  };
}

async function startCamera(which) {
  const cam = CAMERAS[which];
  const status = $(cam.status);
  stopCamera();
  status.hidden = false;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = t('camera_unavailable');
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: VIDEO_CONSTRAINTS,
    });
  } catch (e) {
    status.textContent = e && e.name === 'NotAllowedError' ? t('camera_denied') : t('camera_unavailable');
    return;
  }
  stopCamera(); // a second tap while the first was waiting for permission
  status.hidden = false;
  state.stream = stream;
  state.camera = which;
  if (cam.frame) $(cam.frame).hidden = false;
  offerTorch(stream, which);
  const video = $(cam.video);
  video.srcObject = stream;
  try {
    await video.play();
  } catch (_) { /* autoplay of a muted stream is allowed; ignore a race */ }
  $(cam.button).hidden = true;
  status.textContent = t(cam.scanning);
  startScanLoop();
}

function stopCamera() {
  stopScanLoop();
  if (state.stream) {
    for (const track of state.stream.getTracks()) track.stop();
  }
  state.stream = null;
  state.camera = null;
  for (const cam of Object.values(CAMERAS)) {
    $(cam.video).srcObject = null;
    $(cam.button).hidden = false;
    if (cam.frame) $(cam.frame).hidden = true;
    if (cam.torch) $(cam.torch).hidden = true;
  }
  $('setup-status').hidden = true;
}

function startScanLoop() {
  stopScanLoop();
  const which = state.camera;
  const cam = CAMERAS[which];
  if (!cam) return;
  const video = $(cam.video);
  const tick = async () => {
    state.scanTimer = null;
    if (state.camera !== which || state.screen !== cam.screen || !state.stream || state.busy) return;
    if (video.readyState >= 2) {
      const text = await decodeQr(video, video.videoWidth, video.videoHeight);
      // The camera stopped or the screen changed while the frame was decoded.
      if (state.camera !== which || state.screen !== cam.screen || !state.stream || state.busy) return;
      if (text && which === 'setup') {
        stopCamera();
        setupFromText(text, true);
        return;
      }
      const quiet = text === state.lastText && performance.now() - state.lastTextAt < SAME_CODE_QUIET_MS;
      if (text && !quiet) {
        checkText(text);
        return;
      }
    }
    state.scanTimer = setTimeout(tick, SCAN_INTERVAL_MS);
  };
  state.scanTimer = setTimeout(tick, 0);
}

function stopScanLoop() {
  if (state.scanTimer) clearTimeout(state.scanTimer);
  state.scanTimer = null;
}

/** The text of the QR code in a photo, or null. */
async function qrFromPhoto(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (_) {
    return null;
  }
  const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  let text = await decodeQr(bitmap, Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  if (!text && scale < 1) text = await decodeQr(bitmap, bitmap.width, bitmap.height);
  bitmap.close();
  return text;
}

async function checkPhoto(file) {
  const text = await qrFromPhoto(file);
  if (!text) {
    $('scan-status').textContent = t('no_qr_in_photo');
    return;
  }
  await checkText(text);
}

function enterScan(autoCamera) {
  show('scan');
  $('scan-status').textContent = t('point_camera');
  if (state.stream && state.camera === 'visitor') startScanLoop();
  else if (autoCamera && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) startCamera('visitor');
  else if (state.stream) stopCamera();
}

function initScan() {
  $('camera-start').addEventListener('click', () => {
    unlockAudio();
    startCamera('visitor');
  });
  $('photo-file').addEventListener('change', (ev) => {
    unlockAudio();
    const file = ev.target.files && ev.target.files[0];
    ev.target.value = '';
    if (file) checkPhoto(file);
  });
  $('text-verify').addEventListener('click', () => {
    unlockAudio();
    const text = $('text-input').value.trim();
    if (text) {
      $('text-input').value = '';
      checkText(text);
    }
  });
  $('to-setup').addEventListener('click', () => {
    stopCamera();
    show('setup');
  });
  $('verdict-next').addEventListener('click', () => {
    state.lastTextAt = performance.now();
    enterScan(false);
  });
}

// ---------------------------------------------------------------- start-up

async function main() {
  initLang();
  try {
    await init({ module_or_path: wasmSource() });
  } catch (e) {
    showError($('loading-error'), t('load_failed'));
    return;
  }
  $('version').textContent = `v${version()}`;
  // The QR decoder loads in the background: the page is usable (set-up, typed codes) without
  // it, and the camera is not started before a tap anyway.
  initScanner().catch(() => { /* retried at the first frame */ });
  initSetup();
  initScan();
  const stored = localStorage.getItem(KEY_VENUE);
  let ready = false;
  if (stored) {
    try {
      useVenue(stored);
      ready = true;
    } catch (e) {
      showError($('setup-error'), venueErrorText(e));
    }
  }
  const seen = localStorage.getItem(KEY_SEEN);
  try {
    $('seen-count').textContent = String(Object.keys((seen && JSON.parse(seen).seen) || {}).length);
  } catch (_) { /* shown as damaged at the first check */ }
  if (ready) enterScan(false);
  else show('setup');
  performance.mark('greenlight-ready');
  document.body.dataset.ready = 'true';
}

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch(() => {
    /* http on a LAN address: no service worker, the page still works online */
  });
}

main();
