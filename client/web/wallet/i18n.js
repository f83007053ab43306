// The wallet page's languages. Its labels are in the message catalogue
// (crates/greenlight-messages/locales/*/wallet-page.ftl), which build.sh turns into
// messages.js with ftl2js (failing the build, with the ids, if app.js or index.html uses one
// the catalogue lacks). Every refusal, warning and "what the venue learns" text comes from
// Rust (greenlight_wallet_web, the catalogue's wallet and server groups), the same catalogue
// as the CLI.

export { format, has } from './messages.js';

export const LANGS = ['en', 'zh-Hans', 'zh-Hant'];
export const LANG_NAMES = { en: 'English', 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文' };
