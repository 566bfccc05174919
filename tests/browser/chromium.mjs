// chromium.mjs -- the one way the browser tests start Chromium: Debian's
// /usr/bin/chromium (never a downloaded build), headless, with the flags that
// keep it off the network this machine does not have.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.TOCM_CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
