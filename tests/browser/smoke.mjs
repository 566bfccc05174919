// smoke.mjs -- checks that Debian's Chromium starts headless under
// playwright-core here: `node smoke.mjs` prints "chromium ok VERSION".
import { launch } from './chromium.mjs';
const browser = await launch();
console.log('chromium ok', browser.version());
await browser.close();
