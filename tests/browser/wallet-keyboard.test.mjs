// Keyboard only: the wallet walked screen by screen with Tab (and Enter to act), as a resident
// without a pointer would. On every screen the Tab order is the visible controls' reading
// order (header, then the screen top to bottom, wrapping round), every control is reached,
// and every control has an accessible name. Run from wallet.test.mjs, against its server.

import { assert, assertEq } from './harness.mjs';

/** The visible, enabled, focusable controls of the page in DOM order, each with a short id
 *  and its accessible name (aria-label, aria-labelledby, <label for>, an enclosing <label>,
 *  or its text) — computed in the page. */
function controls(p) {
  return p.evaluate(() => {
    const sel = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';
    const visible = (el) => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden';
    const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : '');
    return [...document.querySelectorAll(sel)].filter((el) => !el.disabled && visible(el)).map((el) => {
      const labelledBy = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
        .map((id) => text(document.getElementById(id))).join(' ');
      const forLabel = el.id ? text(document.querySelector(`label[for="${el.id}"]`)) : '';
      const name = el.getAttribute('aria-label') || labelledBy || forLabel || text(el.closest('label'))
        || (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) ? '' : text(el)) || el.title || '';
      return { key: window.__keyOf(el), name };
    });
  });
}

const KEY_OF = () => {
  window.__keyOf = (el) => {
    if (!el || el === document.body) return null;
    if (el.id) return el.id;
    if (el.dataset.back !== undefined) return 'back';
    if (el.dataset.lang) return `lang-${el.dataset.lang}`;
    return el.getAttribute('aria-label') || el.tagName.toLowerCase();
  };
};

export async function keyboardTests({ test, browser, newPage, wallet, fingerprint, ticket, venueCode, T }) {
  const k = await newPage(browser, { serviceWorkers: 'block', hasTouch: false, isMobile: false });
  const p = k.page;
  await k.context.addInitScript(KEY_OF);
  const focused = () => p.evaluate(() => window.__keyOf(document.activeElement));
  const screen = () => p.evaluate(() => document.body.dataset.screen);
  const walked = {};

  /** Tabs round the whole screen; asserts the order, reach and names; returns the keys. */
  async function walk(name) {
    const want = await controls(p);
    assert(want.length > 0, `${name}: no controls`);
    const unnamed = want.filter((c) => !c.name).map((c) => c.key);
    assertEq(unnamed.join(', '), '', `${name}: controls without an accessible name`);
    const keys = want.map((c) => c.key);
    const seen = [];
    for (let i = 0; i < 2 * keys.length + 4; i++) {
      await p.keyboard.press('Tab');
      seen.push(await focused());
    }
    const start = seen.indexOf(keys[0]);
    assert(start >= 0, `${name}: ${keys[0]} never focused (${seen.join(' → ')})`);
    assertEq(seen.slice(start, start + keys.length).join(' → '), keys.join(' → '), `${name}: Tab order`);
    walked[name] = keys;
    return keys;
  }
  /** Tabs to the control `key`, failing if Tab never gets there. */
  async function tabTo(key) {
    for (let i = 0; i < 40; i++) {
      if ((await focused()) === key) return;
      await p.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${key} on ${await screen()}`);
  }
  async function activate(key) {
    await tabTo(key);
    await p.keyboard.press('Enter');
  }
  async function typeInto(key, text) {
    await tabTo(key);
    await p.keyboard.insertText(text);
  }
  const onScreen = (s) => p.waitForSelector(`#screen-${s}:not([hidden])`);

  await test('keyboard only: every screen walked with Tab — order, reach and names — from first run to present and back', async () => {
    const link = `${wallet}#root=${encodeURIComponent(fingerprint)}&ticket=${encodeURIComponent(ticket('keyboard-1', 3))}`;
    await p.goto(link);
    await p.waitForSelector('body[data-ready="true"]', { timeout: T });
    await p.waitForSelector('#trust-box:not([hidden])');
    const welcome = await walk('welcome');
    assertEq(welcome.slice(0, 4).join(','), 'go-settings,lang-en,lang-zh-Hans,lang-zh-Hant', 'welcome: header and languages first');
    await activate('trust-accept');
    await onScreen('redeem');
    const redeem = await walk('redeem');
    for (const id of ['ticket-input', 'redeem-profile', 'keep-ticket', 'redeem-button']) assert(redeem.includes(id), `redeem: ${id} reachable`);
    await activate('redeem-button');
    await p.waitForSelector('#redeem-done:not([hidden])');
    await activate('back');
    await onScreen('home');
    await walk('home');
    await activate('go-profiles');
    await onScreen('profiles');
    const people = await walk('profiles');
    assert(people.includes('Rename self') && people.includes('Remove self'), `profiles: per-person buttons named (${people})`);
    await activate('back');
    await onScreen('home');
    await activate('go-whatsin');
    await onScreen('whatsin');
    await walk('whatsin');
    await activate('back');
    await onScreen('home');
    await activate('go-venue');
    await onScreen('venue');
    await walk('venue');
    await typeInto('venue-input', venueCode);
    await p.waitForFunction(() => document.getElementById('venue-name-preview').textContent !== '');
    await activate('present-button');
    await onScreen('present');
    const present = await walk('present');
    assertEq(present.slice(-2).join(','), 'present-whatsin,present-done', 'present: its two buttons');
    await activate('present-done');
    await onScreen('home');
    await activate('go-settings');
    await onScreen('settings');
    const settings = await walk('settings');
    for (const id of ['lang-en', 'lang-zh-Hant', 'wipe', 'back']) assert(settings.includes(id), `settings: ${id} reachable`);
    await activate('back');
    await onScreen('home');
    assertEq(Object.keys(walked).length, 8, 'screens walked');
    await k.context.close();
  });
}
