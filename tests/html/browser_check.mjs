// browser_check.mjs -- opens a tocm HTML report in Debian's Chromium and
// reports what a reader's browser sees, as one JSON object on stdout:
//   node browser_check.mjs PAGE.html OUTDIR NAME
// It records console errors and warnings, uncaught exceptions, every
// request other than the page itself (there must be none), whether a
// hostile script set its marker global, what the DOM holds, whether the
// country filter and the diagram's links work from the keyboard, and it
// writes OUTDIR/NAME.png (1280 x 900) and OUTDIR/NAME.pdf (A4, print CSS).
// The caller (test_html.py) judges the figures.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { launch } from '../browser/chromium.mjs';

const [file, outdir, name] = process.argv.slice(2);
if (!file || !outdir || !name) {
  console.error('usage: node browser_check.mjs PAGE.html OUTDIR NAME');
  process.exit(2);
}
const url = pathToFileURL(resolve(file)).href;
const browser = await launch();
const result = { console: [], pageErrors: [], requests: [], failed: [] };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') result.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('requestfailed', (r) => result.failed.push(r.url()));
  // Every request is recorded; none but the page itself is let through.
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    result.requests.push(u);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  result.marker = await page.evaluate(() => typeof window.__tocm_pwned !== 'undefined');
  result.dom = await page.evaluate(() => {
    const q = (s) => document.querySelectorAll(s).length;
    const chain = document.querySelector('#chain svg');
    return {
      title: document.title,
      h1: document.querySelector('h1')?.textContent ?? null,
      scripts: q('script'),
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null,
      indicators: q('article.ind'),
      ipttTables: q('table.iptt'),
      charts: q('figure.chart'),
      chartsWithTitleDesc: [...document.querySelectorAll('figure.chart svg')].filter(
        (s) => s.querySelector('title') && s.querySelector('desc')).length,
      chartDataTables: q('figure.chart table'),
      chainSvg: !!chain,
      chainLinks: chain ? chain.querySelectorAll('a').length : 0,
      brokenLinks: [...document.querySelectorAll('a[href^="#"]')]
        .map((a) => a.getAttribute('href').slice(1))
        .filter((id) => id && !document.getElementById(id)),
      nodes: q('section.node'),
      checksRows: q('#checks tbody tr'),
      sourcesRows: q('#sources tbody tr'),
      countries: q('.filter input[type=radio]'),
      onHandlers: [...document.querySelectorAll('*')].filter((e) =>
        [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      javascriptLinks: [...document.querySelectorAll('[href],[xlink\\:href]')].filter((e) =>
        /^\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('xlink:href') ?? '')).length,
    };
  });
  // The country filter, from the keyboard: focus the first country's
  // radio button and check that rows of other countries are hidden.
  if (result.dom.countries > 1) {
    const visible = () => page.evaluate(() =>
      [...document.querySelectorAll('.cty')].filter((e) => e.offsetParent !== null).length);
    const before = await visible();
    await page.focus('#f-all');
    await page.keyboard.press('ArrowRight');
    const checked = await page.evaluate(() => document.querySelector('.filter input:checked')?.id);
    const after = await visible();
    result.filter = { before, after, checked };
    await page.keyboard.press('ArrowLeft');
  }
  // A node of the diagram, reached with Tab and followed with Enter, lands
  // on its block.
  if (result.dom.chainLinks > 0) {
    const first = await page.evaluate(() => document.querySelector('#chain svg a')
      .getAttribute('href'));
    await page.evaluate(() => document.querySelector('#chain svg a').focus());
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
    result.jump = { href: first, hash: await page.evaluate(() => location.hash) };
    await page.evaluate(() => { location.hash = ''; window.scrollTo(0, 0); });
  }
  await page.screenshot({ path: `${outdir}/${name}.png` });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: `${outdir}/${name}.pdf`, format: 'A4', printBackground: true,
    preferCSSPageSize: true });
  await context.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
