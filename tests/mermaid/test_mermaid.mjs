// test_mermaid.mjs -- `tocm export -T mermaid` read by Mermaid itself: the
// npm package's parser and renderer, run in Debian's Chromium (never a
// downloaded browser), check every exported diagram.
//
// Usage: node test_mermaid.mjs TOCM SOURCE_DIR
//
// For the bundled model, the worked example and a model of hostile titles and
// ids (hostile.json: quotes, brackets, arrows, %%, <script>, newlines,
// backticks, entities, `end` and ids starting with o and x, ids that collide
// once punctuation is dropped, a bidi override), Mermaid must parse the text
// and render one box per node holding exactly the node's id and title, one
// arrow per link (dashed exactly for the inferred ones), one cluster per level
// with its title, and no element or attribute that runs script.
// TOCM_MERMAID_PNG=DIR also saves a screenshot of each diagram there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [tocm, src] = process.argv.slice(2);
const mermaidJs = join(here, 'node_modules/mermaid/dist/mermaid.min.js');
if (!existsSync(mermaidJs) || !existsSync(join(src, 'tests/browser/node_modules/playwright-core'))) {
  console.log('skip: run `npm ci` in tests/mermaid and tests/browser (bash .ci/setup does)');
  process.exit(77);
}
const { launch } = await import('../browser/chromium.mjs');

let passed = 0, failed = 0;
function check(cond, what) {
  if (cond) { passed++; console.log('ok  ', what); }
  else { failed++; console.log('FAIL', what); }
}

// What a box should read: the id, then the title with its line breaks
// dropped (they are <br>) and other control characters as spaces.
const shown = (s) => s.replace(/\r/g, '').replace(/\n/g, '').replace(/[\x00-\x1f\x7f]/g, ' ');

const work = mkdtempSync(join(tmpdir(), 'tocm-mermaid-'));
// name, model, the level drawn down to (--option down-to) or null for all.
const models = [
  ['hostile', join(here, 'hostile.json'), null],
  ['iptt', join(src, 'examples/iptt/model.json'), null],
  ['asean-act-2021', join(src, 'models/asean-act-2021/model.json'), null],
  ['asean-act-2021 outcomes', join(src, 'models/asean-act-2021/model.json'), 'immediate'],
];
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: mermaidJs });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
  let seq = 0;
  for (const [name, path, downTo] of models) {
    const model = JSON.parse(readFileSync(path, 'utf8'));
    if (downTo) {
      // Only the nodes of the levels down to downTo, and the links between them.
      const ids = model.levels.map((l) => (typeof l === 'string' ? l : l.id));
      const keep = new Set(ids.slice(0, ids.indexOf(downTo) + 1));
      model.nodes = model.nodes.filter((n) => keep.has(n.level));
    }
    const out = join(work, `${name}.mmd`);
    execFileSync(tocm, ['export', path, '-T', 'mermaid', '-o', out,
      ...(downTo ? ['--option', `down-to=${downTo}`] : [])]);
    const text = readFileSync(out, 'utf8');
    const result = await page.evaluate(async ({ text, id }) => {
      try {
        await window.mermaid.parse(text);
      } catch (e) {
        return { error: 'parse: ' + (e.message || e) };
      }
      let svg;
      try {
        ({ svg } = await window.mermaid.render(id, text));
      } catch (e) {
        return { error: 'render: ' + (e.message || e) };
      }
      const out = document.getElementById('out');
      out.innerHTML = svg;
      const root = out.querySelector('svg');
      const labels = [...root.querySelectorAll('g.node')].map((g) => g.textContent);
      const clusters = [...root.querySelectorAll('g.cluster')].map((g) => g.textContent);
      const edges = [...root.querySelectorAll('path.flowchart-link')];
      const dashed = edges.filter((p) => p.classList.contains('edge-pattern-dotted')).length;
      const scripts = root.querySelectorAll('script, iframe, object, embed').length;
      const handlers = [...root.querySelectorAll('*')].filter((e) =>
        [...e.attributes].some((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value))).length;
      const inferredBoxes = root.querySelectorAll('g.node.inferred').length;
      return { labels, clusters, edges: edges.length, dashed, scripts, handlers, inferredBoxes };
    }, { text, id: `d${seq++}` });
    check(!result.error, `${name}: Mermaid parses and renders it${result.error ? ': ' + result.error : ''}`);
    if (result.error) continue;

    const want = model.nodes.map((n) => shown(n.id) + shown(n.title)).sort();
    const got = result.labels.map((l) => l.replace(/\u00a0/g, ' ')).sort();
    const missing = want.filter((w) => !got.includes(w));
    check(missing.length === 0 && got.length === want.length,
      `${name}: ${want.length} boxes, each reading its id and title exactly` +
      (missing.length ? `; not shown as written: ${JSON.stringify(missing.slice(0, 3))}; ` +
        `shown: ${JSON.stringify(got.filter((g) => !want.includes(g)).slice(0, 3))}` : ''));

    let links = 0, inferred = 0;
    for (const n of model.nodes) {
      const marks = Array.isArray(n.inferred) ? n.inferred : [];
      for (const t of n.contributes_to || []) {
        links++;
        if (marks.includes(t)) inferred++;
      }
    }
    check(result.edges === links, `${name}: ${links} arrows (got ${result.edges})`);
    check(result.dashed === inferred, `${name}: ${inferred} dashed inferred arrows (got ${result.dashed})`);
    const inferredNodes = model.nodes.filter((n) => n.inferred === true).length;
    check(result.inferredBoxes === inferredNodes,
      `${name}: ${inferredNodes} inferred boxes with a dashed border (got ${result.inferredBoxes})`);

    const levels = (model.levels || []).map((l) => (typeof l === 'string' ? { id: l, title: l } : l))
      .filter((l) => model.nodes.some((n) => n.level === l.id));
    for (const l of levels) {
      const title = shown(l.title || l.id);
      check(result.clusters.some((c) => c.replace(/\u00a0/g, ' ') === title),
        `${name}: level '${l.id}' is a cluster titled as written`);
    }
    check(result.scripts === 0 && result.handlers === 0,
      `${name}: no script element or event handler in the rendered SVG`);
    if (process.env.TOCM_MERMAID_PNG) {
      const svg = await page.$('#out svg');
      await svg.screenshot({ path: join(process.env.TOCM_MERMAID_PNG, `${name.replace(/ /g, '-')}.png`) });
    }
  }

  // The direction option, and a wrong one refused.
  const lr = execFileSync(tocm, ['export', join(src, 'examples/iptt/model.json'), '-T', 'mermaid',
    '--option', 'direction=LR']).toString();
  check(lr.startsWith('flowchart LR\n'), 'direction=LR is written');
  let refused = '';
  try {
    execFileSync(tocm, ['export', join(src, 'examples/iptt/model.json'), '-T', 'mermaid',
      '--option', 'direction=up'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    refused = e.stderr.toString();
  }
  check(/direction must be TB, BT, LR or RL, not 'up'/.test(refused), `direction=up refused: ${refused.trim()}`);
  refused = '';
  try {
    execFileSync(tocm, ['export', join(src, 'examples/iptt/model.json'), '-T', 'mermaid',
      '--option', 'down-to=projects'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    refused = e.stderr.toString();
  }
  check(/no level 'projects'/.test(refused), `down-to=projects refused: ${refused.trim()}`);
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
