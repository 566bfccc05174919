// app.js -- the page of `tocm serve`: the diagram, the editing panel, and
// the calls to the server's API (core/serve/serve_api.c, serve_edit.c).
//
// Every text from the model reaches the page through textContent or an
// attribute, never through HTML parsing; the diagram (SVG from the graphviz
// plugin) is parsed as XML and stripped of anything active before it is
// shown. The Content-Security-Policy forbids inline code as a second wall.
'use strict';

const token = new URLSearchParams(location.search).get('token') || '';
const $ = (id) => document.getElementById(id);

const state = {
  hash: null,       // the version of the file the page shows
  doc: null,        // the model file's JSON
  findings: [],     // the validator's findings for it
  selected: null,   // id of the node in the panel
  view: 'full',
  color: 'level',
  zoom: '0.75',
  busy: 0,          // requests of ours in flight: the poll waits for them
  undo: 0,
  checkTimer: null,
  checkSeq: 0,
  mode: 'help',     // what the panel shows: help, node, add
  latest: null,     // GET /api/indicators for the version state.hash
};

// ---- the API -------------------------------------------------------------

async function api(path, body) {
  const options = { headers: { 'X-Tocm-Token': token } };
  if (body !== undefined) {
    options.method = 'POST';
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  state.busy++;
  try {
    const r = await fetch(path, options);
    const type = r.headers.get('Content-Type') || '';
    const data = type.startsWith('application/json') ? await r.json() : await r.text();
    return { status: r.status, data };
  } catch (e) {
    return { status: 0, data: { error: 'tocm serve does not answer (was it stopped?)' } };
  } finally {
    state.busy--;
  }
}

function say(text, kind) {
  const m = $('message');
  m.textContent = text;
  m.className = 'message' + (kind ? ' ' + kind : '');
}

// ---- small DOM helpers ---------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (k === 'cls') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

let uid = 0;
function field(label, input, hint) {
  const id = 'f' + (++uid);
  input.id = id;
  const wrap = el('div', { cls: 'field' }, el('label', { for: id, text: label }), input);
  if (hint) wrap.append(el('p', { cls: 'hint', text: hint }));
  return wrap;
}

// ---- the model -------------------------------------------------------------

const nodes = () => (state.doc && Array.isArray(state.doc.nodes) ? state.doc.nodes : []);
const levels = () => (state.doc && Array.isArray(state.doc.levels) ? state.doc.levels : []);
const nodeById = (id) => nodes().find((n) => n.id === id);
const levelRank = (id) => levels().findIndex((l) => l.id === id);
const levelTitle = (id) => {
  const l = levels().find((x) => x.id === id);
  return l ? l.title || l.id : id;
};
const linksOf = (n) => (Array.isArray(n.contributes_to) ? n.contributes_to : []);
const isInferredLink = (n, to) =>
  n.inferred === true || (Array.isArray(n.inferred) && n.inferred.includes(to));

async function loadModel() {
  const r = await api('/api/model');
  if (r.status !== 200) {
    say(r.data.error || 'cannot load the model', 'bad');
    return false;
  }
  const d = r.data;
  state.hash = d.hash;
  state.doc = d.doc;
  state.findings = d.findings || [];
  state.undo = d.undo || 0;
  const program = state.doc && state.doc.program;
  $('program').textContent = (program && program.title) || 'tocm';
  document.title = (program && program.id ? program.id + ' — ' : '') + 'tocm serve';
  $('file').textContent = d.file + (d.canonical ? '' : ' (not in the canonical layout)');
  const health = $('health');
  health.textContent = d.errors
    ? `${d.errors} error${d.errors === 1 ? '' : 's'}, ${d.warnings} warning${d.warnings === 1 ? '' : 's'}`
    : d.warnings ? `valid, ${d.warnings} warning${d.warnings === 1 ? '' : 's'}` : 'valid';
  health.className = 'health ' + (d.errors ? 'bad' : d.warnings ? 'warn' : 'good');
  $('undo').disabled = !state.undo;
  $('undo').textContent = state.undo ? `Undo (${state.undo})` : 'Undo';
  fillViews();
  if (state.selected && !nodeById(state.selected)) state.selected = null;
  return true;
}

function fillViews() {
  const select = $('view');
  const want = state.view;
  const options = [
    ['full', 'Full chain'],
    ['outcomes', 'Outcomes only'],
    ['mapping', 'Projects to outcomes'],
    ['matrix', 'Matrix'],
  ];
  // One view per end-of-program outcome (the level under the goal) and per
  // country, as `tocm render --view` names them.
  const second = levels()[1];
  if (second) for (const n of nodes()) if (n.level === second.id) options.push(['eopo:' + n.id, `${n.id} and what leads to it`]);
  const countries = [...new Set(nodes().map((n) => n.country).filter((c) => typeof c === 'string'))].sort();
  for (const c of countries) options.push(['country:' + c, 'Country ' + c]);
  select.replaceChildren(...options.map(([v, t]) => el('option', { value: v, text: t })));
  select.value = options.some(([v]) => v === want) ? want : 'full';
  state.view = select.value;
}

// ---- the diagram -----------------------------------------------------------

// Removes from parsed SVG everything that could act: scripts, foreign
// content, event attributes, links that leave the page.
function sanitize(root) {
  for (const bad of root.querySelectorAll('script, foreignObject, iframe, object, embed, style'))
    bad.remove();
  for (const e of [root, ...root.querySelectorAll('*')]) {
    for (const a of [...e.attributes]) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on') || name === 'style') e.removeAttribute(a.name);
      else if ((name === 'href' || name === 'xlink:href') && !a.value.startsWith('#')) e.removeAttribute(a.name);
    }
  }
}

function nodeIdOf(g) {
  const t = g.querySelector(':scope > title');
  return t ? t.textContent : null;
}

async function loadDiagram() {
  const q = new URLSearchParams({ view: state.view, color: state.color });
  const r = await api('/api/svg?' + q.toString());
  const note = $('diagram-note');
  if (r.status !== 200) {
    note.textContent = (r.data && r.data.error) || 'the diagram could not be drawn';
    note.hidden = false;
    return;
  }
  note.hidden = true;
  const parsed = new DOMParser().parseFromString(r.data, 'image/svg+xml');
  const svg = parsed.documentElement;
  if (!svg || svg.nodeName !== 'svg') {
    note.textContent = 'the diagram is not SVG';
    note.hidden = false;
    return;
  }
  sanitize(svg);
  const shown = document.importNode(svg, true);
  shown.setAttribute('role', 'group');
  shown.setAttribute('aria-label', 'Results chain: Tab moves between boxes, Enter opens one');
  $('diagram').replaceChildren(shown);
  applyZoom();
  decorate();
}

function applyZoom() {
  const svg = $('diagram').querySelector('svg');
  if (!svg) return;
  const vb = (svg.getAttribute('viewBox') || '').split(/\s+/).map(Number);
  if (vb.length !== 4) return;
  if (state.zoom === 'fit') {
    svg.setAttribute('width', '100%');
    svg.removeAttribute('height');
  } else {
    const z = Number(state.zoom) * 4 / 3; // pt to px
    svg.setAttribute('width', Math.round(vb[2] * z));
    svg.setAttribute('height', Math.round(vb[3] * z));
  }
}

function decorate() {
  const bad = new Map();
  for (const f of state.findings) {
    if (!f.node) continue;
    if (f.severity === 'error' || !bad.has(f.node)) bad.set(f.node, f.severity);
  }
  for (const g of $('diagram').querySelectorAll('g.node')) {
    if (g.classList.contains('band-label')) continue;
    const id = nodeIdOf(g);
    const n = id && nodeById(id);
    if (!n) continue;
    const wired = g.hasAttribute('data-node');
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('data-node', id);
    const sev = bad.get(id);
    g.setAttribute('aria-label', `${id}: ${n.title}${sev ? ' (has ' + sev + 's)' : ''}`);
    g.classList.toggle('finding-error', sev === 'error');
    g.classList.toggle('finding-warning', sev === 'warning');
    g.classList.toggle('selected', id === state.selected);
    if (wired) continue;
    g.addEventListener('click', () => select(id));
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        select(id);
      }
    });
  }
}

function select(id) {
  state.selected = id;
  state.mode = 'node';
  for (const g of $('diagram').querySelectorAll('g.node[data-node]'))
    g.classList.toggle('selected', g.getAttribute('data-node') === id);
  renderPanel();
  const heading = $('panel').querySelector('h2');
  if (heading) heading.focus();
}

function focusNode(id) {
  const g = [...$('diagram').querySelectorAll('g.node[data-node]')].find((x) => x.getAttribute('data-node') === id);
  if (g) g.focus();
}

// ---- writing -----------------------------------------------------------------

// Sends ops as one edit. Returns the answer; on success the page shows the
// new version, with what changed in words.
async function edit(ops, what) {
  const r = await api('/api/edit', { base: state.hash, ops });
  if (r.status === 409 && r.data.changed) {
    await noticeOutside();
    say('The file had changed outside this page; nothing was written. Look at the change, then try again.', 'bad');
    return r;
  }
  if (r.status !== 200) {
    showRefusal(r.data, what);
    return r;
  }
  state.hash = r.data.hash;
  await refresh();
  showDone(what, r.data);
  return r;
}

function showDone(what, d) {
  const box = $('panel').querySelector('.last-change') || el('div');
  if (!d.changed) {
    say(`${what}: nothing to change.`);
    return;
  }
  // The diff's first line counts what changed: "... : 1 node changed."
  const first = (d.diff || '').split('\n')[0];
  const counts = first.includes(': ') ? ' ' + first.slice(first.lastIndexOf(': ') + 2) : '';
  say(`${what}: written to the file.${counts}`, 'good');
  box.replaceChildren(el('h3', { text: 'Last change' }), el('pre', { text: d.diff || '' }));
}

function showRefusal(d, what) {
  const lines = [`${what}: refused. ${d.error || ''}`];
  for (const f of d.added || []) lines.push(`${f.code} ${f.node ? f.node + ': ' : ''}${f.message}`);
  say(lines.join('\n'), 'bad');
}

async function refresh() {
  if (await loadModel()) {
    await loadDiagram();
    renderPanel();
  }
}

async function undo() {
  const r = await api('/api/undo', { base: state.hash });
  if (r.status === 409 && r.data.changed) {
    await noticeOutside();
    return;
  }
  if (r.status !== 200) {
    showRefusal(r.data, 'Undo');
    await refresh();
    return;
  }
  state.hash = r.data.hash;
  await refresh();
  showDone('Undo', r.data);
}

// ---- a change made elsewhere ---------------------------------------------

async function noticeOutside() {
  const old = state.hash;
  const r = await api('/api/diff?' + new URLSearchParams({ from: old }).toString());
  await refresh();
  $('outside-diff').textContent = r.status === 200 ? r.data.text : '(the earlier version is no longer kept)';
  $('outside').hidden = false;
  $('outside-ok').focus();
}

async function poll() {
  if (!state.busy && state.hash) {
    const r = await api('/api/state');
    if (r.status === 200 && r.data.hash !== state.hash && !state.busy) await noticeOutside();
  }
  setTimeout(poll, 1500);
}

// ---- the panel ---------------------------------------------------------------

function findingsList(list, title) {
  if (!list.length) return null;
  return el('div', { cls: 'findings' }, el('h3', { text: title }),
    el('ul', {}, ...list.map((f) => el('li', { cls: f.severity },
      el('span', { cls: 'sev', text: f.severity === 'error' ? 'Error' : 'Warning' }),
      ` ${f.code} `, f.message))));
}

function renderPanel() {
  const panel = $('panel');
  const last = panel.querySelector('.last-change');
  let body;
  if (state.mode === 'add') body = addForm();
  else if (state.mode === 'node' && state.selected && nodeById(state.selected)) body = nodeForm(nodeById(state.selected));
  else body = helpPanel();
  panel.replaceChildren(...body, last || el('div', { cls: 'last-change' }));
}

function helpPanel() {
  const out = [el('h2', { tabindex: '-1', text: 'Edit the results chain' }),
    el('p', { text: 'Click a box in the diagram, or move to it with Tab and press Enter, to see and change it here. Every change is checked before it is written, and written as tocm set, tocm link, … would write it.' })];
  const withNode = state.findings.filter((f) => f.node);
  const general = state.findings.filter((f) => !f.node);
  if (state.findings.length) {
    out.push(el('h3', { text: 'Findings in the model' }));
    out.push(el('ul', { cls: 'findings' }, ...withNode.slice(0, 50).map((f) => el('li', { cls: f.severity },
      el('button', { type: 'button', cls: 'linkish', text: f.node, on: { click: () => select(f.node) } }),
      ` ${f.code} ${f.message}`)), ...general.slice(0, 20).map((f) => el('li', { cls: f.severity, text: `${f.code} ${f.message}` }))));
  }
  return out;
}

function textInput(value, attrs) {
  return el('input', { type: 'text', value: value || '', ...attrs });
}

function textArea(value, rows) {
  const t = el('textarea', { rows: String(rows || 2) });
  t.value = value || '';
  return t;
}

// The node's editable fields: [name, label, kind] with kind text, list, level.
const FIELDS = [
  ['title', 'Title', 'long'],
  ['description', 'Description', 'long'],
  ['level', 'Level', 'level'],
  ['country', 'Country (ISO code, e.g. KH; empty for regional work)', 'text'],
  ['status', 'Status (e.g. completed, some delays, on hold)', 'text'],
  ['partners', 'Partners (one per line)', 'list'],
  ['assumptions', 'Assumptions (one per line)', 'list'],
  ['notes', 'Notes', 'long'],
];

function nodeForm(n) {
  const inputs = {};
  const out = [];
  out.push(el('h2', { tabindex: '-1', text: `${n.id} · ${levelTitle(n.level)}` }));
  const form = el('form', { cls: 'node-form', 'aria-label': 'Fields of ' + n.id });
  for (const [name, label, kind] of FIELDS) {
    let input;
    if (kind === 'level') {
      input = el('select', {}, ...levels().map((l) => el('option', { value: l.id, text: l.title || l.id })));
      input.value = n.level;
    } else if (kind === 'list') {
      input = textArea(Array.isArray(n[name]) ? n[name].join('\n') : '', 2);
    } else if (kind === 'long') {
      input = textArea(typeof n[name] === 'string' ? n[name] : '', 3);
    } else {
      input = textInput(typeof n[name] === 'string' ? n[name] : '');
    }
    input.name = name;
    input.addEventListener('input', () => scheduleCheck(n.id, inputs));
    inputs[name] = input;
    const f = field(label, input);
    f.setAttribute('data-field', name);
    form.append(f);
  }
  const inferred = el('input', { type: 'checkbox', name: 'inferred' });
  inferred.checked = n.inferred === true;
  inferred.addEventListener('change', () => scheduleCheck(n.id, inputs));
  inputs.inferred = inferred;
  form.append(el('div', { cls: 'field check', 'data-field': 'inferred' },
    el('label', {}, inferred, ' The node itself is the modeller\'s inference (not in the source)')));
  form.append(el('div', { cls: 'live', 'aria-live': 'polite' }));
  form.append(el('div', { cls: 'actions' },
    el('button', { type: 'submit', text: 'Save changes' }),
    el('button', { type: 'button', text: 'Close', on: { click: () => { state.mode = 'help'; state.selected = null; renderPanel(); decorate(); focusNode(n.id); } } })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const ops = fieldOps(n, inputs);
    if (!ops.length) {
      say('Nothing changed in the fields.');
      return;
    }
    await edit(ops, `Saving ${n.id}`);
  });
  out.push(form);
  const mine = state.findings.filter((f) => f.node === n.id);
  const list = findingsList(mine, 'Findings about this node');
  if (list) out.push(list);
  out.push(linksSection(n));
  out.push(indicatorsSection(n));
  out.push(renameSection(n));
  out.push(removeSection(n));
  return out;
}

// The set operations that make the node's fields what the form says.
function fieldOps(n, inputs) {
  const ops = [];
  for (const [name, , kind] of FIELDS) {
    const raw = inputs[name].value;
    let want;
    if (kind === 'list') {
      const items = raw.split('\n').map((s) => s.trim()).filter((s) => s);
      want = items.length ? items : null;
    } else if (name === 'title' || name === 'level') {
      want = raw;
    } else {
      want = raw.trim() === '' ? null : raw;
    }
    const had = n[name] === undefined ? null : n[name];
    if (JSON.stringify(had) !== JSON.stringify(want)) ops.push({ op: 'set', id: n.id, field: name, value: want });
  }
  const wasWhole = n.inferred === true;
  if (inputs.inferred.checked !== wasWhole) {
    // Unticked: the node is no longer inferred as a whole; its links keep
    // no marks (tick a link's box below to mark one).
    ops.push({ op: 'set', id: n.id, field: 'inferred', value: inputs.inferred.checked ? true : null });
  }
  return ops;
}

// As the user types: the server validates the would-be model (writing
// nothing) and the findings about this node are shown beside its fields.
function scheduleCheck(id, inputs) {
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(() => check(id, inputs), 350);
}

async function check(id, inputs) {
  const n = nodeById(id);
  if (!n) return;
  const ops = fieldOps(n, inputs);
  const seq = ++state.checkSeq;
  const live = $('panel').querySelector('.live');
  for (const f of $('panel').querySelectorAll('.field[data-field]')) f.classList.remove('has-error', 'has-warning');
  for (const p of $('panel').querySelectorAll('.field-finding')) p.remove();
  if (!ops.length) {
    if (live) live.replaceChildren();
    return;
  }
  const r = await api('/api/edit', { base: state.hash, ops, check: true });
  if (seq !== state.checkSeq || !live) return;
  if (r.status === 409 && r.data.changed) {
    await noticeOutside();
    return;
  }
  const all = (r.data.findings || []).filter((f) => f.node === id || f.node === undefined && (r.data.added || []).some((a) => a.message === f.message));
  const added = r.data.added || [];
  const messages = [];
  if (r.status === 200 && r.data.ok) messages.push(el('p', { cls: 'ok', text: added.length ? 'This change can be saved, with new warnings:' : 'This change can be saved.' }));
  else messages.push(el('p', { cls: 'bad', text: r.data.error || 'This change would be refused.' }));
  for (const f of all) {
    const m = /\/nodes\/\d+\/([a-z_]+)/.exec(f.path || '');
    const box = m && $('panel').querySelector(`.field[data-field="${m[1]}"]`);
    const line = el('p', { cls: 'field-finding ' + f.severity, text: `${f.severity === 'error' ? 'Error' : 'Warning'} ${f.code}: ${f.message}` });
    if (box) {
      box.classList.add(f.severity === 'error' ? 'has-error' : 'has-warning');
      box.append(line);
    } else {
      messages.push(line);
    }
  }
  live.replaceChildren(...messages);
}

function linksSection(n) {
  const sec = el('section', { cls: 'links', 'aria-label': 'Links' });
  sec.append(el('h3', { text: 'Contributes to' }));
  const list = el('ul', {});
  for (const to of linksOf(n)) {
    const t = nodeById(to);
    const box = el('input', { type: 'checkbox', 'aria-label': `Link from ${n.id} to ${to} is inferred` });
    box.checked = isInferredLink(n, to);
    box.disabled = n.inferred === true;
    box.addEventListener('change', () => edit([{ op: 'infer', from: n.id, to, inferred: box.checked }], `Marking the link ${n.id} → ${to}`));
    list.append(el('li', {},
      el('button', { type: 'button', cls: 'linkish', text: to, on: { click: () => select(to) } }),
      ` ${t ? t.title : '(no such node)'} `,
      el('label', { cls: 'inline' }, box, ' inferred'),
      el('button', { type: 'button', cls: 'small', text: 'Remove link', 'aria-label': `Remove the link from ${n.id} to ${to}`, on: { click: () => edit([{ op: 'unlink', from: n.id, to }], `Removing the link ${n.id} → ${to}`) } })));
  }
  if (!linksOf(n).length) list.append(el('li', { text: 'nothing (the top of the chain, or not linked yet)' }));
  sec.append(list);
  // New links go up the chain: to nodes of a higher level.
  const rank = levelRank(n.level);
  const targets = nodes().filter((m) => m.id !== n.id && levelRank(m.level) < rank && !linksOf(n).includes(m.id));
  if (targets.length) {
    const pick = el('select', { name: 'link-to' }, ...targets.map((m) => el('option', { value: m.id, text: `${m.id} · ${m.title}`.slice(0, 90) })));
    const inferred = el('input', { type: 'checkbox', name: 'link-inferred' });
    sec.append(el('form', { cls: 'row', on: { submit: (ev) => { ev.preventDefault(); edit([{ op: 'link', from: n.id, to: pick.value, inferred: inferred.checked }], `Linking ${n.id} → ${pick.value}`); } } },
      field('Add a link to', pick), el('label', { cls: 'inline' }, inferred, ' inferred'),
      el('button', { type: 'submit', text: 'Add link' })));
  }
  const from = nodes().filter((m) => linksOf(m).includes(n.id));
  sec.append(el('h3', { text: 'Contributed to by' }));
  sec.append(el('ul', {}, ...(from.length ? from.map((m) => el('li', {},
    el('button', { type: 'button', cls: 'linkish', text: m.id, on: { click: () => select(m.id) } }), ` ${m.title}`)) : [el('li', { text: 'nothing' })])));
  return sec;
}

function indicatorsSection(n) {
  const inds = (state.doc.indicators || []).filter((i) => Array.isArray(i.nodes) && i.nodes.includes(n.id));
  const sec = el('section', { cls: 'indicators', 'aria-label': 'Indicators' }, el('h3', { text: 'Indicators' }));
  if (!inds.length) {
    sec.append(el('p', { text: 'No indicator measures this node.' }));
    return sec;
  }
  const latest = {};
  sec.append(el('ul', {}, ...inds.map((i) => {
    latest[i.id] = el('span', { cls: 'latest', text: ' …' });
    return el('li', { 'data-indicator': i.id }, el('strong', { text: i.id }), ` ${i.title || ''}`,
      i.unit || i.measure ? el('span', { cls: 'hint', text: ` (${[i.measure, i.unit].filter(Boolean).join(', ')})` }) : null,
      latest[i.id]);
  })));
  const note = el('p', { cls: 'hint', text: 'Latest figure and status, as tocm report computes them.' });
  sec.append(note);
  fillLatest(latest, note);
  return sec;
}

// The latest figures come from the report the server computes (once per
// version of the file).
async function fillLatest(spans, note) {
  if (!state.latest || state.latest.hash !== state.hash) {
    const r = await api('/api/indicators');
    state.latest = r.status === 200 ? r.data : { error: (r.data && r.data.error) || 'no figures' };
  }
  const d = state.latest;
  if (d.error) {
    note.textContent = d.error;
    for (const s of Object.values(spans)) s.textContent = '';
    return;
  }
  for (const [id, span] of Object.entries(spans)) {
    const f = (d.indicators || {})[id];
    if (!f) {
      span.textContent = '';
      continue;
    }
    const parts = [f.period, f.display + (f.target_display ? ' of ' + f.target_display : '')];
    span.textContent = ' — ' + parts.filter(Boolean).join(': ');
    if (f.status) span.append(' ', el('span', { cls: 'status', text: f.status }));
  }
}

function renameSection(n) {
  const input = textInput(n.id, { name: 'new-id', autocomplete: 'off' });
  return el('form', { cls: 'row', 'aria-label': 'Rename', on: { submit: async (ev) => {
    ev.preventDefault();
    const to = input.value.trim();
    if (!to || to === n.id) return;
    const r = await edit([{ op: 'rename', from: n.id, to }], `Renaming ${n.id} to ${to}`);
    if (r.status === 200) select(to);
  } } }, el('h3', { text: 'Rename' }), field('New id (every link to it follows)', input), el('button', { type: 'submit', text: 'Rename' }));
}

function removeSection(n) {
  const sec = el('form', { cls: 'remove', 'aria-label': 'Remove' });
  sec.append(el('h3', { text: 'Remove' }));
  const name = 'mode' + (++uid);
  const radio = (value, label, checked) => {
    const r = el('input', { type: 'radio', name, value });
    r.checked = !!checked;
    return el('label', { cls: 'choice' }, r, ' ' + label);
  };
  const others = nodes().filter((m) => m.id !== n.id);
  const same = others.filter((m) => m.level === n.level);
  const pick = el('select', { name: 'reattach-to' }, ...(same.length ? same : others).map((m) => el('option', { value: m.id, text: `${m.id} · ${m.title}`.slice(0, 90) })));
  const hasIn = nodes().some((m) => linksOf(m).includes(n.id));
  sec.append(el('fieldset', {}, el('legend', { text: 'What happens to what links to it' }),
    radio('only', 'Only this node (refused if anything links to it)', !hasIn),
    radio('cascade', 'Also remove what is left contributing to nothing (--cascade)'),
    radio('reattach', 'Move its links and indicators to another node (--reattach-to):', hasIn),
    field('Reattach to', pick)));
  const preview = el('div', { cls: 'preview', 'aria-live': 'polite' });
  sec.append(preview);
  sec.append(el('button', { type: 'submit', cls: 'danger', text: `Remove ${n.id}…` }));
  sec.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const mode = sec.querySelector(`input[name="${name}"]:checked`).value;
    const op = { op: 'remove', id: n.id, mode };
    if (mode === 'reattach') op.to = pick.value;
    // First what it would do, in words; then the user confirms.
    const r = await api('/api/edit', { base: state.hash, ops: [op], check: true });
    if (r.status !== 200 || !r.data.ok) {
      preview.replaceChildren(el('p', { cls: 'bad', text: r.data.error || 'refused' }));
      return;
    }
    const confirm = el('button', { type: 'button', cls: 'danger', text: 'Confirm removal', on: { click: async () => {
      const done = await edit([op], `Removing ${n.id}`);
      if (done.status === 200) {
        state.mode = 'help';
        state.selected = null;
        renderPanel();
      }
    } } });
    preview.replaceChildren(el('p', { text: 'This would change the file so:' }), el('pre', { text: r.data.diff || '' }), confirm,
      el('button', { type: 'button', text: 'Cancel', on: { click: () => preview.replaceChildren() } }));
    confirm.focus();
  });
  return sec;
}

function addForm() {
  const id = textInput('', { name: 'id', autocomplete: 'off' });
  const level = el('select', { name: 'level' }, ...levels().map((l) => el('option', { value: l.id, text: l.title || l.id })));
  const title = textArea('', 2);
  title.name = 'title';
  const to = el('select', { name: 'contributes-to' });
  const fillTargets = () => {
    const rank = levelRank(level.value);
    to.replaceChildren(el('option', { value: '', text: '(none yet)' }),
      ...nodes().filter((m) => levelRank(m.level) < rank).map((m) => el('option', { value: m.id, text: `${m.id} · ${m.title}`.slice(0, 90) })));
  };
  level.value = (levels()[levels().length - 1] || {}).id || '';
  level.addEventListener('change', fillTargets);
  fillTargets();
  const form = el('form', { cls: 'add-form' },
    field('Id (short, unique: e.g. P12)', id), field('Level', level), field('Title', title), field('Contributes to', to),
    el('div', { cls: 'actions' }, el('button', { type: 'submit', text: 'Add node' }),
      el('button', { type: 'button', text: 'Cancel', on: { click: () => { state.mode = 'help'; renderPanel(); } } })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const ops = [{ op: 'add', id: id.value.trim(), level: level.value, title: title.value }];
    if (to.value) ops.push({ op: 'link', from: id.value.trim(), to: to.value });
    const r = await edit(ops, `Adding ${id.value.trim()}`);
    if (r.status === 200) select(id.value.trim());
  });
  return [el('h2', { tabindex: '-1', text: 'Add a node' }), form];
}

// ---- start -----------------------------------------------------------------

function wire() {
  $('view').addEventListener('change', () => { state.view = $('view').value; loadDiagram(); });
  $('color').addEventListener('change', () => { state.color = $('color').value; loadDiagram(); });
  $('zoom').addEventListener('change', () => { state.zoom = $('zoom').value; applyZoom(); });
  $('undo').addEventListener('click', undo);
  $('new-node').addEventListener('click', () => {
    state.mode = 'add';
    renderPanel();
    $('panel').querySelector('h2').focus();
  });
  $('outside-ok').addEventListener('click', () => { $('outside').hidden = true; });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && state.mode !== 'help') {
      const was = state.selected;
      state.mode = 'help';
      state.selected = null;
      renderPanel();
      decorate();
      if (was) focusNode(was);
    }
  });
}

async function start() {
  wire();
  if (!token) {
    say('This address lacks the token: open the address tocm serve printed.', 'bad');
    return;
  }
  await refresh();
  setTimeout(poll, 1500);
}

start();
