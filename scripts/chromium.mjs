// The one place that says how worldgate's tests and tools start Debian's Chromium headless:
// never a downloaded browser, and no background networking (this machine's network is closed).
// Takes the caller's playwright-core `chromium` (the root project and www/ each install their own).

/** Command-line flags for headless Chromium here. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-quic', '--no-first-run', '--disable-sync',
];

/** The Chromium binary: `$CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** A persistent-profile browser context in `profileDir`. */
export function launchPersistent(chromium, profileDir) {
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
