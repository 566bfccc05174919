// browser.mjs -- drives the page of a running `tocm serve` in Chromium and
// checks the model file on disk after each step (test_serve.sh starts and
// stops the server).
//
//   node browser.mjs URL MODEL TOCM SHOTS
//
// Each page edit is checked against the same edit made with the command
// line on a copy of the file as it was before the step: the two files must
// be the same bytes (so the page's edit is the CLI's edit: validated,
// canonical, with the same `tocm diff`), and `tocm validate` and
// `tocm fmt --check` must pass. Prints "ok   NAME" / "FAIL NAME" lines.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { launch } from '../browser/chromium.mjs';

const [url, model, tocm, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const scratch = join(dirname(model), 'cli');
mkdirSync(scratch, { recursive: true });
let failed = 0;

const ok = (name) => console.log(`ok   ${name}`);
const bad = (name, ...detail) => {
  failed++;
  console.log(`FAIL ${name}`);
  for (const d of detail) console.log(String(d).replace(/^/gm, '     '));
};
const expect = (cond, name, ...detail) => (cond ? ok(name) : bad(name, ...detail));
const run = (...args) => spawnSync(tocm, args, { encoding: 'utf8' });

// A copy of the model as it is now, to replay the step on with the CLI.
let step = 0;
function snapshot() {
  const copy = join(scratch, `before-${++step}.json`);
  copyFileSync(model, copy);
  return copy;
}

// After a page step: the file is valid, canonical, and the same bytes as
// the CLI's edit of the version before (cliArgs run on a copy of it).
function checkFile(name, before, cliArgs) {
  const v = run('validate', model);
  expect(v.status === 0, `${name}: the file is valid`, v.stdout + v.stderr);
  const f = run('fmt', model, '--check');
  expect(f.status === 0, `${name}: the file is canonical (tocm fmt --check)`, f.stderr);
  const cli = before.replace(/\.json$/, '-cli.json');
  copyFileSync(before, cli);
  const c = run(cliArgs[0], cli, ...cliArgs.slice(1));
  if (c.status !== 0) bad(`${name}: the CLI's edit ran`, c.stderr);
  const same = readFileSync(cli, 'utf8') === readFileSync(model, 'utf8');
  const d = run('diff', before, model);
  expect(same, `${name}: the page wrote what 'tocm ${cliArgs.join(' ')}' writes`,
    'tocm diff of the page\'s edit:', d.stdout, 'tocm diff of the CLI\'s edit:', run('diff', before, cli).stdout);
  return d.stdout;
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, name + '.png') });
}

async function waitMessage(page, text) {
  await page.waitForFunction((t) => document.getElementById('message').textContent.includes(t), text,
    { timeout: 20000 });
}

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  // 1. The page opens and draws the chain, one focusable box per node.
  await page.goto(url);
  await page.waitForSelector('g.node[data-node="A101"]', { timeout: 20000 });
  const boxes = await page.$$eval('g.node[data-node]', (gs) => gs.length);
  expect(boxes === 36, `the diagram shows the 36 nodes as boxes (${boxes})`);
  expect((await page.textContent('#health')) === 'valid', 'the page says the model is valid');
  await shot(page, '01-open');

  // 2. Click a node: its fields in the panel.
  await page.click('g.node[data-node="A101"]');
  await page.waitForSelector('.node-form');
  expect((await page.textContent('#panel h2')).startsWith('A101'), 'a click opens the node in the panel');
  expect((await page.inputValue('textarea[name="title"]')) === 'Bohol TIP Workplan', 'the panel shows its title');
  await shot(page, '02-selected');

  // 3. As the user types, the server validates without writing: an empty
  // title is an error shown beside the field.
  const untouched = readFileSync(model, 'utf8');
  await page.fill('textarea[name="title"]', '');
  await page.waitForSelector('.field[data-field="title"].has-error .field-finding', { timeout: 20000 });
  const finding = await page.textContent('.field[data-field="title"] .field-finding');
  expect(/Error E\d+/.test(finding), `an empty title shows its finding beside the field: ${finding}`);
  expect(readFileSync(model, 'utf8') === untouched, 'checking as the user types writes nothing');
  await shot(page, '03-live-finding');

  // 4. Change the title and save.
  let before = snapshot();
  await page.fill('textarea[name="title"]', 'Bohol trafficking-in-persons workplan');
  await page.waitForFunction(() => (document.querySelector('.live') || {}).textContent?.includes('can be saved'));
  await page.click('.node-form button[type="submit"]');
  await waitMessage(page, 'written to the file');
  let diff = checkFile('title', before, ['set', 'A101', 'title=Bohol trafficking-in-persons workplan']);
  expect(diff.includes('title changed from "Bohol TIP Workplan" to "Bohol trafficking-in-persons workplan"'),
    'tocm diff says the title changed', diff);
  expect((await page.textContent('.last-change pre')).includes('Bohol trafficking-in-persons workplan'),
    'the page shows the change in words');
  await shot(page, '04-title-saved');

  // 5. Add a link.
  before = snapshot();
  await page.selectOption('select[name="link-to"]', 'O1.3');
  await page.click('.links form.row button[type="submit"]');
  await waitMessage(page, 'written to the file');
  diff = checkFile('link', before, ['link', 'A101', 'O1.3']);
  expect(/A101/.test(diff) && /O1\.3/.test(diff), 'tocm diff names the new link', diff);
  await page.waitForSelector('.links li button.linkish:text("O1.3")');
  await shot(page, '05-link-added');

  // 6. Remove a node, reattaching what linked to it.
  before = snapshot();
  const removedBefore = before;
  await page.click('g.node[data-node="CL-ACTIP"]');
  await page.waitForSelector('.remove');
  await page.check('.remove input[value="reattach"]');
  await page.selectOption('select[name="reattach-to"]', 'CL-NAT');
  await page.click('.remove button.danger');
  await page.waitForSelector('.remove .preview pre');
  expect(readFileSync(model, 'utf8') === readFileSync(before, 'utf8'), 'the removal preview writes nothing');
  await shot(page, '06-remove-preview');
  await page.click('.remove .preview button.danger');
  await waitMessage(page, 'written to the file');
  diff = checkFile('remove', before, ['rm', 'CL-ACTIP', '--reattach-to', 'CL-NAT']);
  expect(/CL-ACTIP/.test(diff) && /CL-NAT/.test(diff), 'tocm diff names the removed node and the reattached links', diff);
  expect(!(await page.$('g.node[data-node="CL-ACTIP"]')), 'the diagram no longer shows the node');
  await shot(page, '07-removed');

  // 7. A terminal user edits the file while the page is open: the page
  // notices, reloads, and says what changed.
  const set = run('set', model, 'O1.3', 'status=completed');
  expect(set.status === 0, 'a CLI edit while the page is open', set.stderr);
  await page.waitForSelector('#outside:not([hidden])', { timeout: 20000 });
  const said = await page.textContent('#outside-diff');
  expect(said.includes("O1.3") && said.includes('completed'), `the page shows tocm diff of the outside change`, said);
  await shot(page, '08-outside-change');
  await page.click('#outside-ok');

  // 8. Undo the removal: the inverse edit, on top of the outside change.
  await page.click('#undo');
  await waitMessage(page, 'Undo: written');
  const expected = join(scratch, 'undo-expected.json');
  copyFileSync(removedBefore, expected);
  execFileSync(tocm, ['set', expected, 'O1.3', 'status=completed']);
  const same = readFileSync(expected, 'utf8') === readFileSync(model, 'utf8');
  expect(same, 'undo puts the removed node and its links back, keeping the outside change',
    run('diff', expected, model).stdout);
  expect(run('validate', model).status === 0 && run('fmt', model, '--check').status === 0,
    'after undo the file is valid and canonical');
  await page.waitForSelector('g.node[data-node="CL-ACTIP"]');
  await shot(page, '09-undone');

  // 9. The keyboard: Tab reaches a box, Enter opens it, focus is visible.
  await page.keyboard.press('Escape');
  await page.focus('g.node[data-node="GOAL"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#panel h2')?.textContent.startsWith('GOAL'));
  ok('Enter on a focused box opens it');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    return { tag: e.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(outline.style !== 'none' && outline.width >= 2, `the focused control has a visible outline (${JSON.stringify(outline)})`);
  await shot(page, '10-keyboard');
  const tabbable = await page.evaluate(async () => {
    // Every box is in the tab order.
    return [...document.querySelectorAll('g.node[data-node]')].every((g) => g.tabIndex === 0);
  });
  expect(tabbable, 'every box of the diagram is in the tab order');

  // 10. 200% zoom: the same window at twice the scale (640 x 400 CSS px).
  const zoomed = await browser.newPage({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  await zoomed.goto(url);
  await zoomed.waitForSelector('g.node[data-node]', { timeout: 20000 });
  await zoomed.click('g.node[data-node="O1.1"]');
  await zoomed.waitForSelector('.node-form');
  const fits = await zoomed.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  expect(fits, 'at 200% zoom nothing needs sideways scrolling');
  await zoomed.screenshot({ path: join(shots, '11-zoom-200.png') });
  await zoomed.screenshot({ path: join(shots, '12-zoom-200-panel.png'), fullPage: true });
  await zoomed.close();

  expect(errors.length === 0, 'no script errors in the page', ...errors);
} catch (e) {
  bad('the browser steps ran to the end', e.stack || e);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
