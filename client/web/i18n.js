// The page's languages. Every text is in the message catalogue
// (crates/greenlight-messages/locales/*/venue-page.ftl); build.sh turns it into messages.js
// with ftl2js, which also fails the build if app.js or index.html uses an id the catalogue
// lacks. Reasons are keyed by the verifier's stable reason codes (greenlight-venue
// `Reason::code`: `reasons-<code>`, `hints-<code>`), venue-file and set-up errors by
// greenlight-venue's `ConfigError::code` / `SetupError::code` (`venue_errors-<code>`, with the
// page's own `bad_keys_response`, `keys_unreachable`, `not_setup_code`).

export { format, has } from './messages.js';

export const LANGS = ['en', 'zh-Hans', 'zh-Hant'];

/** The Chinese script the browser prefers (Traditional for zh-Hant, zh-TW, zh-HK, zh-MO). */
export function chineseOf(languages) {
  for (const l of languages || []) {
    const tag = String(l).toLowerCase().replace(/_/g, '-');
    if (tag === 'zh' || tag.startsWith('zh-')) {
      return /(^|-)(hant|tw|hk|mo)(-|$)/.test(tag) ? 'zh-Hant' : 'zh-Hans';
    }
  }
  return 'zh-Hans';
}

/** The default language: Chinese when the browser prefers any Chinese, else English. */
export function defaultLang(languages) {
  for (const l of languages || []) {
    const tag = String(l).toLowerCase();
    if (tag.startsWith('zh')) return chineseOf([l]);
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
