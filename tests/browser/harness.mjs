// The browser tests' tiny harness, shared by verifier.test.mjs and wallet.test.mjs: one line
// per case ("ok   NAME (N ms)" or "FAIL NAME: error"), and the closing "N passed, M failed"
// that run.sh adds up.

export const counts = { passed: 0, failed: 0 };

export async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    counts.passed += 1;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    counts.failed += 1;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

export function assertEq(actual, want, what) {
  if (actual !== want) throw new Error(`${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(want)}`);
}

/** Flags for this closed machine: no background traffic to Google, no sandbox as root. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Prints the count and exits with its status. */
export function finish() {
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 ? 0 : 1);
}
