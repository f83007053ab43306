// QR decoding for the Greenlight pages: one function, one home. The wallet imports it; the
// venue page is to follow (its own copy of the jsQR call is in app.js today).
//
// decodeFrame(imageData) → the text of the QR code in an ImageData (a camera frame, a photo
// drawn to a canvas), or null. Backed by jsQR (vendored by build.sh from npm, loaded as a
// classic script beside this module, pinned by index.html's integrity attributes); async so
// that a decoder compiled to WebAssembly can replace it without changing callers.

export async function decodeFrame(imageData) {
  const jsQR = globalThis.jsQR;
  if (!jsQR || !imageData || !imageData.width || !imageData.height) return null;
  const found = jsQR(imageData.data, imageData.width, imageData.height, { inversionAttempts: 'attemptBoth' });
  return found && found.data ? found.data : null;
}
