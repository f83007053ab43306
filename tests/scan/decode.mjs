// The web decoders for the scanning harness (greenlight-scan run --node decode.mjs): the
// venue page's decoder as built (DIST/scanner.js on zxing-wasm, with the options the page
// uses) and jsQR, the page's decoder before (with the options it used); the arguments, if
// any, are name prefixes of the decoders to run. Reads lines
// "PATH WIDTH HEIGHT" (a file of grey bytes) on stdin, answers each with one JSON line
// {"decoder": {"texts": [...], "ms": N}, ...}; the first line it prints names the decoders.
//
// Environment: DIST (default client/web/dist: build it with client/web/build.sh).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST || path.join(here, '../../client/web/dist');
const scanner = await import(pathToFileURL(path.join(dist, 'scanner.js')).href);
await scanner.initScanner({ wasmBinary: readFileSync(path.join(dist, 'zxing_reader.wasm')) });
const jsQR = (await import(pathToFileURL(path.join(here, 'node_modules/jsqr/dist/jsQR.js')).href)).default;

const ZXING = 'zxing-wasm-page';
const JSQR = 'jsqr-page-before';
// Arguments: name prefixes of the decoders to run (default: both).
const wanted = (name) => process.argv.length <= 2 || process.argv.slice(2).some((p) => name.startsWith(p));
console.log(JSON.stringify({ decoders: [ZXING, JSQR].filter(wanted) }));

for await (const line of createInterface({ input: process.stdin })) {
  const [file, w, h] = line.trim().split(' ');
  const width = Number(w);
  const height = Number(h);
  const grey = readFileSync(file);
  // The page hands decoders RGBA canvas pixels.
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < grey.length; i++) {
    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = grey[i];
    rgba[4 * i + 3] = 255;
  }
  const answer = {};
  if (wanted(ZXING)) {
    const t = performance.now();
    const text = await scanner.decodeFrame({ data: rgba, width, height });
    answer[ZXING] = { texts: text === null ? [] : [text], ms: performance.now() - t };
  }
  if (wanted(JSQR)) {
    const t = performance.now();
    const found = jsQR(rgba, width, height, { inversionAttempts: 'attemptBoth' });
    answer[JSQR] = { texts: found && found.data ? [found.data] : [], ms: performance.now() - t };
  }
  console.log(JSON.stringify(answer));
}
