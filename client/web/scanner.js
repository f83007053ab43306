// The one QR decoder of the web pages: ZXing-C++ compiled to WebAssembly (npm `zxing-wasm`,
// reader build), the same library the CLI links (the `zxing-cpp` crate), with the same
// options. docs/scanning.md has the corpus figures that chose it: jsQR, the decoder before,
// read 39 % of the frames a door camera sees and lost a version-27 code from 10–15° of tilt.
//
// Self-hosted: build.sh copies zxing_reader.js, zxing_share.js and zxing_reader.wasm next to
// this file. zxing-wasm would fetch its WebAssembly from a CDN by default; here it never
// fetches anything itself: this module fetches the .wasm from its own directory, with the
// SHA-384 the page pins (<meta name="greenlight-zxing-integrity">), and hands the bytes over.
//
// Any page that scans (the venue page, the web wallet) imports `decodeFrame` from here.

import { prepareZXingModule, readBarcodes } from './zxing_reader.js';

const WASM_FILE = 'zxing_reader.wasm';

/** The reader options, as in greenlight-qr's `decode_luma`: QR codes only, the slower pass
 *  that finds tilted and small codes, rotations; no inverted codes (ours are dark on light). */
const READER_OPTIONS = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  tryDownscale: true,
  textMode: 'Plain',
  maxNumberOfSymbols: 1,
};

let ready = null;

/**
 * Loads the decoder once (later calls share the first). `decodeFrame` calls it; a page may
 * call it early so the first frame does not wait.
 *
 * options.wasmBinary: the WebAssembly bytes (node, tests); otherwise they are fetched from
 *   this module's directory with options.integrity, default the page's
 *   <meta name="greenlight-zxing-integrity"> — a page without that pin decodes nothing.
 */
export function initScanner(options = {}) {
  if (!ready) {
    ready = load(options);
    // A failed load (offline before the service worker cached the file) may be retried.
    ready.catch(() => { ready = null; });
  }
  return ready;
}

async function load(options) {
  let wasmBinary = options.wasmBinary;
  if (!wasmBinary) {
    const integrity = options.integrity
      ?? globalThis.document?.querySelector('meta[name="greenlight-zxing-integrity"]')?.content
      ?? '';
    if (!integrity.startsWith('sha384-')) throw new Error('the page pins no QR decoder hash');
    const res = await fetch(new URL(WASM_FILE, import.meta.url), { integrity });
    if (!res.ok) throw new Error(`${WASM_FILE}: HTTP ${res.status}`);
    wasmBinary = await res.arrayBuffer();
  }
  await prepareZXingModule({
    overrides: {
      wasmBinary,
      // Never used while wasmBinary is given; if it were, it stays on this origin.
      locateFile: (path) => new URL(path, import.meta.url).href,
    },
    fireImmediately: true,
  });
}

/**
 * The text of the QR code in `imageData` ({data: RGBA bytes, width, height}, as
 * CanvasRenderingContext2D.getImageData gives), or null when there is none (or it does not
 * decode).
 */
export async function decodeFrame(imageData) {
  await initScanner();
  const found = await readBarcodes(imageData, READER_OPTIONS);
  const code = found.find((b) => b.isValid);
  return code ? code.text : null;
}
