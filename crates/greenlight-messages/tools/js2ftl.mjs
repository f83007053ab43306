// One-off converter (kept for re-runs at merge): a page's former `STRINGS` table (an i18n.js
// exporting { lang: { id: string | (args) => string | { key: string } } }) → Fluent files.
//   node tools/js2ftl.mjs PAGE/i18n.js GROUP 'en=en,zh=zh-Hans' OUTDIR
// Nested tables become `table-key` ids (`reasons-bad_encoding`); a function becomes a
// message whose variables are its parameter names. Functions that choose between texts
// (`n === 1 ? … : …`) are listed on stderr: write their selectors by hand. With
// ONLY_AFTER='// --- passkey / top-up labels ---', only the entries after that marker in
// each table are converted (labels added after the conversion, to fold in at merge).
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';

const [, , file, group, langMap, outDir] = process.argv;
const { STRINGS } = await import(pathToFileURL(path.resolve(file)).href);
const src = fs.readFileSync(file, 'utf8');
const only = process.env.ONLY_AFTER;
// The keys between each marker and the end of its language's table (a line `},`).
const after = only
  ? new Set(src.split(only).slice(1).flatMap((part) => [...part.split(/^\s*\},?\s*$/m)[0].matchAll(/^\s*([a-z_0-9]+):/gm)].map((m) => m[1])))
  : null;

const ftlText = (s) => {
  let out = s.replace(/[{}]/g, (c) => `{ "${c}" }`).replace(/\u0001([a-z_0-9]+)\u0001/gi, '{ $$$1 }');
  const lead = /^[ \n]+/.exec(out);
  if (lead) out = `{ "${lead[0].replace(/\n/g, '\\u000A')}" }` + out.slice(lead[0].length);
  const trail = / +$/.exec(out);
  if (trail) out = out.slice(0, trail.index) + `{ "${trail[0]}" }`;
  if (out.includes('\n')) throw new Error(`line break in ${s}`);
  return out;
};
const params = (fn) => {
  const m = /^\s*(?:\(([^)]*)\)|([A-Za-z_$][\w$]*))\s*=>/.exec(fn.toString());
  return (m[1] ?? m[2]).split(',').map((p) => p.trim()).filter(Boolean);
};
for (const pair of langMap.split(',')) {
  const [from, to] = pair.split('=');
  const lines = [];
  const emit = (id, v) => {
    if (after && !after.has(id.split('-')[0])) return;
    if (typeof v === 'string') lines.push(`${id} = ${ftlText(v)}`);
    else if (typeof v === 'function') {
      const ps = params(v);
      if (/\?|===|[<>]/.test(v.toString().split('=>').slice(1).join('=>'))) {
        console.error(`${to} ${id}: chooses between texts, write by hand: ${v.toString()}`);
      }
      lines.push(`${id} = ${ftlText(v(...ps.map((p) => `\u0001${p}\u0001`)))}`);
    } else if (v && typeof v === 'object') {
      for (const [k, w] of Object.entries(v)) emit(`${id}-${k}`, w);
    }
  };
  for (const [id, v] of Object.entries(STRINGS[from])) emit(id, v);
  fs.mkdirSync(path.join(outDir, to), { recursive: true });
  fs.writeFileSync(path.join(outDir, to, `${group}.ftl`), lines.join('\n') + '\n');
  console.error(`${to}: ${lines.length} messages`);
}
