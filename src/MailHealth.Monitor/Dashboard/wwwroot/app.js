// MailHealth dashboard: one ES module, no build step. It reads only the keyed HTTP API of the
// monitor that serves it (same origin) and renders two views: the fleet (#/) and one target
// (#/target/ID). Every status is shown as a shape, a word and a colour. It is let in by a key of
// the monitor's own API, or, where the Functions app has Entra ID sign-in, by the signed-in account.
import uPlot from './uPlot.esm.js';

const KEY_STORAGE = 'mailhealth.key';
const SIGNED_IN_STORAGE = 'mailhealth.signedIn'; // '1' while the platform's sign-in lets this tab in without a key
const REFRESH_MS = 30_000;
const PAGE_CAP = 10; // pages of a list followed at most in one refresh
const HISTORY_PAGE = 1000;
const HISTORY_PAGE_CAP = 5; // 5,000 runs: 17 days of 5-minute runs; older ones are left out (and said so)

// The API's base: the page is served at the host's root or under a prefix (api/ beside it),
// or, in the Functions app, somewhere under /api/ itself.
const API_BASE = (() => {
  const path = location.pathname;
  const at = path.indexOf('/api/');
  return at >= 0 ? path.slice(0, at + 5) : new URL('api/', location.href).pathname;
})();

const STATUS = {
  fail: { rank: 4, text: 'fail', title: 'Fail: broken' },
  warn: { rank: 3, text: 'warn', title: 'Warning: at risk' },
  error: { rank: 2, text: 'error', title: 'Error: could not check' },
  pass: { rank: 1, text: 'pass', title: 'Pass' },
  none: { rank: 0, text: 'no data', title: 'Not run yet' },
};
const SEVERITY_RANK = { critical: 3, warning: 2, info: 1 };
const KIND_ORDER = ['mx', 'smtp', 'spf', 'dkim', 'dmarc', 'mta-sts', 'tls-rpt', 'dane', 'ptr', 'dnsbl', 'dnssec', 'bimi'];
const KIND_LABEL = {
  mx: 'MX', smtp: 'SMTP', spf: 'SPF', dkim: 'DKIM', dmarc: 'DMARC', 'mta-sts': 'MTA-STS', 'tls-rpt': 'TLS-RPT',
  dane: 'DANE', ptr: 'PTR', dnsbl: 'DNSBL', dnssec: 'DNSSEC', bimi: 'BIMI',
};
const SMTP_STAGES = [
  ['connectMs', 'connect'], ['greetingMs', 'greeting'], ['ehloMs', 'EHLO'], ['starttlsMs', 'STARTTLS'],
  ['tlsMs', 'TLS handshake'], ['ehloAfterTlsMs', 'EHLO after TLS'], ['authMs', 'AUTH'], ['totalMs', 'total'],
];
const STAGE_COLORS = ['#0969da', '#8250df', '#bf3989', '#1a7f37', '#bc4c00', '#0a7d8c', '#6e7781', '#24292f'];
const CERT_WARNING_DAYS = 21;
const CERT_CRITICAL_DAYS = 7;
// The receivers' view: DMARC pass share at or above these is shown as pass, warn; below, fail.
const DMARC_PASS_GOOD = 0.98;
const DMARC_PASS_FAIR = 0.9;
const TLS_RESULT_COLORS = ['#cf222e', '#bc4c00', '#8250df', '#0969da', '#bf3989', '#0a7d8c', '#6e7781', '#24292f'];
const RANGES = { '24h': ['24 h', 24 * 3600e3], '7d': ['7 d', 7 * 24 * 3600e3], '30d': ['30 d', 30 * 24 * 3600e3] };

// ---------------------------------------------------------------------------------------------
// DOM helpers: every text goes in as a text node (never as HTML).

function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// A status's shape (circle with a tick, triangle with !, octagon with a cross, dashed circle
// with ?, empty ring): readable without colour, hidden from screen readers (the word says it).
function icon(status) {
  const svg = s('svg', { class: 'icon', viewBox: '0 0 16 16', width: 14, height: 14, 'aria-hidden': 'true', focusable: 'false' });
  switch (status) {
    case 'pass':
      svg.append(s('circle', { cx: 8, cy: 8, r: 7, class: 'shape' }), s('path', { d: 'M4.5 8.2l2.3 2.3 4.7-5', class: 'mark' }));
      break;
    case 'warn':
      svg.append(s('path', { d: 'M8 1.2l7 13.3H1z', class: 'shape' }), s('path', { d: 'M8 5.5v4.5M8 11.6v1', class: 'mark' }));
      break;
    case 'fail':
      svg.append(s('path', { d: 'M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z', class: 'shape' }), s('path', { d: 'M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4', class: 'mark' }));
      break;
    case 'error':
      svg.append(s('circle', { cx: 8, cy: 8, r: 6.5, class: 'shape dashed' }), s('path', { d: 'M6 6.2a2 2 0 1 1 2.6 1.9c-.5.2-.6.5-.6 1v.7M8 11.6v.9', class: 'mark' }));
      break;
    default:
      svg.append(s('circle', { cx: 8, cy: 8, r: 6, class: 'shape hollow' }));
  }
  return svg;
}

function badge(status, extra) {
  const known = STATUS[status] ? status : 'none';
  return h('span', { class: `badge st-${known}`, 'data-status': known, title: extra ? undefined : STATUS[known].title },
    icon(known), h('span', { class: 'badge-text' }, STATUS[known].text));
}

function severityBadge(severity) {
  const status = severity === 'critical' ? 'fail' : severity === 'warning' ? 'warn' : 'pass';
  const shape = severity === 'info' ? 'none' : status;
  return h('span', { class: `badge sev-${severity} st-${shape}` }, icon(shape), h('span', { class: 'badge-text' }, severity));
}

function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}

// "2026-11-29 14:05 UTC": monitors are compared across time zones; UTC is unambiguous.
function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

function ago(iso) {
  if (!iso) return '';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 0) return 'just now';
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

// A time with how long ago it was; `short` leaves out today's date (the full time is in the tooltip).
function timeElement(iso, short = false) {
  if (!iso) return h('span', { class: 'muted' }, 'never');
  const full = formatTime(iso);
  const today = new Date().toISOString().slice(0, 10);
  const shown = short ? (full.startsWith(today) ? full.slice(11) : full.slice(5)) : full;
  return h('time', { datetime: iso, title: full }, shown, h('span', { class: 'muted' }, ` (${ago(iso)})`));
}

// Markdown code spans (`...`) of the findings catalogue as <code>.
function richText(text) {
  return String(text).split('`').map((part, i) => (i % 2 === 1 ? h('code', null, part) : part));
}

// ---------------------------------------------------------------------------------------------
// The API.

class ApiError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

function key() {
  return sessionStorage.getItem(KEY_STORAGE) || '';
}

function signedIn() {
  return sessionStorage.getItem(SIGNED_IN_STORAGE) === '1';
}

function forgetCredentials() {
  sessionStorage.removeItem(KEY_STORAGE);
  sessionStorage.removeItem(SIGNED_IN_STORAGE);
}

// A request to the API. X-Requested-With says it comes from this page's script: a page of another
// site cannot send it, so the API lets a signed-in session (its cookie goes with same-origin
// requests) count only for such requests. Every answer of a monitor with sign-in names where to sign in.
// The browser's cache does as the API's Cache-Control says: what may have changed is asked for
// again with its ETag (If-None-Match), and a 304 hands back the copy kept, so a refresh where
// nothing changed moves no data and costs the monitor no storage read.
async function api(path, options = {}) {
  const headers = { accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' };
  const given = options.key ?? key();
  if (given) headers['x-functions-key'] = given;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(API_BASE + path, {
      method: options.method || 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'default',
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, `the monitor could not be reached (${e.message})`);
  }
  state.signIn = response.headers.get('x-mailhealth-sign-in') || state.signIn;
  if (response.ok) {
    return response.status === 204 ? null : response.json();
  }
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // not a problem document: the status line says enough
  }
  const reason = problem.detail || problem.title || response.statusText || 'no reason given';
  throw new ApiError(response.status, `${response.status} ${problem.title || response.statusText}: ${reason}`, problem);
}

// Follows a list's continuation tokens (at most PAGE_CAP pages); `truncated` says when it stopped early.
async function pages(path, cap = PAGE_CAP) {
  const items = [];
  let continuation;
  for (let page = 0; page < cap; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const result = await api(continuation ? `${path}${separator}continuation=${encodeURIComponent(continuation)}` : path);
    items.push(...result.items);
    continuation = result.continuation;
    if (!continuation) return { items, truncated: false };
  }
  return { items, truncated: true };
}

let findingFixes = null;
async function fixes() {
  if (findingFixes) return findingFixes;
  const response = await fetch('findings.json', { cache: 'no-cache' });
  if (!response.ok) throw new ApiError(response.status, `the fix texts could not be loaded (${response.status})`);
  findingFixes = await response.json();
  return findingFixes;
}

// ---------------------------------------------------------------------------------------------
// Checks, columns and worst things.

function worstStatus(statuses) {
  let worst = 'none';
  for (const status of statuses) if ((STATUS[status]?.rank ?? 0) > STATUS[worst].rank) worst = status;
  return worst;
}

function worstFinding(checks) {
  let worst = null;
  for (const check of checks) {
    for (const finding of check.findings || []) {
      if (!worst || (SEVERITY_RANK[finding.severity] || 0) > (SEVERITY_RANK[worst.severity] || 0)) worst = finding;
    }
  }
  return worst;
}

function portOf(check) {
  const last = check.id.split(':').pop();
  return /^\d+$/.test(last) ? last : '?';
}

function columnOf(check) {
  return check.kind === 'smtp' ? `smtp:${portOf(check)}` : check.kind;
}

function columnLabel(column) {
  if (column.startsWith('smtp:')) return `SMTP ${column.slice(5)}`;
  return KIND_LABEL[column] || column.toUpperCase();
}

function columnOrder(a, b) {
  const kindA = a.split(':')[0];
  const kindB = b.split(':')[0];
  const rank = (kind) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
  if (rank(kindA) !== rank(kindB)) return rank(kindA) - rank(kindB) || kindA.localeCompare(kindB);
  if (kindA !== kindB) return kindA.localeCompare(kindB);
  const portRank = (column) => {
    const port = column.split(':')[1];
    return { 25: 0, 587: 1, 465: 2 }[port] ?? 3 + Number(port || 0) / 1e6;
  };
  return portRank(a) - portRank(b);
}

function findingText(finding) {
  return `${finding.severity} ${finding.code} on ${finding.subject}: ${finding.message}`;
}

// ---------------------------------------------------------------------------------------------
// State, errors and the refresh loop.

const state = {
  view: null, // { name: 'fleet' } | { name: 'target', id }
  generation: 0,
  loading: false,
  fleet: null,
  filters: { status: 'all', tag: 'all' },
  range: '24h',
  ackMessages: new Map(), // alert id -> { text, kind }
  lastHealth: null,
  signIn: null, // where a browser signs in, when the monitor offers Entra ID sign-in
  sourceSort: { key: 'unknown', descending: false }, // the sources table's order; 'unknown': unknown senders first, then messages
  sources: null, // the sources last shown, re-sorted without asking the API again
};

const $ = (id) => document.getElementById(id);

function showError(message) {
  const box = $('error');
  box.replaceChildren(h('strong', null, 'Something went wrong. '), message,
    h('span', { class: 'muted' }, ' The page keeps trying every 30 seconds; "Refresh now" tries at once.'));
  box.hidden = false;
}

function clearError() {
  const box = $('error');
  box.hidden = true;
  box.replaceChildren();
}

function setUpdated() {
  $('updated').textContent = `Updated ${formatTime(new Date().toISOString())}`;
}

// Keeps keyboard focus on the "same" control across a re-render (by its data-focus key).
function rememberFocus() {
  const active = document.activeElement;
  return active && active.dataset ? active.dataset.focus : undefined;
}

function restoreFocus(focusKey) {
  if (!focusKey) return;
  const again = document.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`);
  if (again && document.activeElement !== again) again.focus();
}

function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, ''));
  const match = /^\/target\/([^?]+)(?:\?range=(24h|7d|30d))?$/.exec(hash);
  if (match) {
    if (match[2]) state.range = match[2];
    return { name: 'target', id: match[1] };
  }
  return { name: 'fleet' };
}

async function refresh({ navigated = false, force = false } = {}) {
  if (!key() && !signedIn()) {
    renderKeyForm();
    return;
  }
  if (state.loading && !navigated && !force) return;
  const generation = ++state.generation;
  state.loading = true;
  state.view = route();
  if (navigated) state.history = null;
  $('refresh').hidden = false;
  $('change-key').hidden = false;
  $('change-key').textContent = key() ? 'Change key' : 'Use a key';
  try {
    const focusKey = rememberFocus();
    if (state.view.name === 'fleet') {
      const data = await loadFleet();
      if (generation !== state.generation) return;
      renderFleet(data, navigated);
    } else {
      const data = await loadTarget(state.view.id);
      if (generation !== state.generation) return;
      renderTarget(data, navigated);
    }
    restoreFocus(focusKey);
    clearError();
    setUpdated();
  } catch (e) {
    if (generation !== state.generation) return;
    if (e instanceof ApiError && e.status === 401) {
      const hadKey = Boolean(key());
      forgetCredentials();
      renderKeyForm(hadKey
        ? 'Refused (401): no key, or the key is not valid. Enter a read key or an admin key.'
        : 'Refused (401): the sign-in is no longer valid. Sign in again, or enter a read key or an admin key.');
      return;
    }
    showError(`Could not load ${state.view.name === 'fleet' ? 'the fleet' : `target ${state.view.id}`}: ${e.message}.`);
    if (!$('main').querySelector('[data-view]')) {
      $('main').replaceChildren(h('p', { class: 'muted', 'data-view': 'empty' }, 'No data could be loaded yet.'));
    }
  } finally {
    if (generation === state.generation) state.loading = false;
  }
}

// ---------------------------------------------------------------------------------------------
// The key form.

// The form that asks for a key. Unless told not to (`probe: false`, after "Change key"), it first
// asks the anonymous health route whether the monitor offers Entra ID sign-in and, if so, whether
// this browser is signed in already: then it goes on without a key.
function renderKeyForm(message, { probe = true } = {}) {
  $('refresh').hidden = true;
  $('change-key').hidden = true;
  $('alert-count').replaceChildren();
  $('banners').replaceChildren();
  $('updated').textContent = '';
  clearError();
  const input = h('input', { id: 'key-input', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false', 'aria-describedby': 'key-help key-error' });
  const error = h('p', { id: 'key-error', class: 'form-error', role: 'alert' }, message || '');
  const signIn = h('p', { id: 'sign-in', class: 'sign-in', hidden: true });
  const form = h('form', { class: 'key-form', 'data-view': 'key', 'aria-labelledby': 'key-title' },
    h('h1', { id: 'key-title' }, 'Enter your API key'),
    h('p', { id: 'key-help' }, 'Use a key of this monitor\'s API: a read key shows the dashboard; acknowledging an alert needs an admin key. ',
      'The key stays in this browser tab (session storage) and is sent only to this monitor, in the x-functions-key header.'),
    h('label', { for: 'key-input' }, 'API key'),
    h('div', { class: 'key-row' }, input, h('button', { type: 'submit' }, 'Open the dashboard')),
    error,
    signIn);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const given = input.value.trim();
    if (!given) return;
    error.textContent = 'Checking the key…';
    try {
      await api('targets?limit=1', { key: given });
    } catch (e) {
      error.textContent = e.status === 401
        ? 'That key was refused (401): the key is not valid for this monitor.'
        : `The key could not be checked: ${e.message}.`;
      input.focus();
      return;
    }
    sessionStorage.removeItem(SIGNED_IN_STORAGE);
    sessionStorage.setItem(KEY_STORAGE, given);
    refresh({ navigated: true });
  });
  $('main').replaceChildren(form);
  input.focus();
  if (probe) offerSignIn(form, signIn, error);
  else showSignIn(signIn);
}

async function offerSignIn(form, signIn, error) {
  try {
    await api('health', { key: '' });
  } catch {
    // health may answer 503 (storage): its sign-in header counts all the same
  }
  if (!state.signIn || !form.isConnected) return;
  try {
    await api('targets?limit=1', { key: '' });
  } catch (e) {
    if (!form.isConnected) return;
    // 403: signed in, but the account has neither app role.
    if (e.status === 403 && !error.textContent) error.textContent = `Signed in, but refused (403): ${e.problem?.detail || 'the account may not read'}. Enter a key instead.`;
    showSignIn(signIn);
    return;
  }
  if (!form.isConnected) return;
  sessionStorage.setItem(SIGNED_IN_STORAGE, '1');
  refresh({ navigated: true });
}

function showSignIn(signIn) {
  if (!state.signIn) return;
  const back = encodeURIComponent(location.pathname + location.hash);
  signIn.replaceChildren('Or ', h('a', { href: `${state.signIn}?post_login_redirect_uri=${back}`, id: 'sign-in-link' }, 'sign in with your organisation account'),
    ' (Entra ID): the roles MailHealth.Read and MailHealth.Admin let you read and acknowledge without a key.');
  signIn.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Fleet view.

async function loadFleet() {
  const [health, targets, alerts, latest, dmarc] = await Promise.all([
    api('health/detail').catch((e) => ({ failed: e })),
    pages('targets?limit=200'),
    pages('alerts?state=open&limit=1000'),
    pages('status?limit=200'),
    // The DMARC pass share of the last 7 days: from each target's report totals, never its rows by source.
    pages('dmarc?limit=200').catch(() => ({ items: [], failed: true })),
  ]);
  // One request for the whole fleet's latest status; a target added between the two lists has none yet.
  const byId = new Map(latest.items.map((status) => [status.targetId, status]));
  const statuses = targets.items.map((target) => byId.get(target.id) ?? { targetId: target.id, checks: [] });
  const dmarcById = new Map(dmarc.items.map((item) => [item.targetId, item.dmarc]));
  return { health, targets, alerts, statuses, dmarcById, dmarcFailed: Boolean(dmarc.failed) };
}

function renderTopbar(health, openAlerts) {
  const critical = openAlerts.filter((a) => a.severity === 'critical').length;
  const count = $('alert-count');
  count.replaceChildren(
    badge(openAlerts.length === 0 ? 'pass' : critical > 0 ? 'fail' : 'warn', true),
    ' ',
    h('strong', { 'data-testid': 'open-alerts' }, `${openAlerts.length} open alert${openAlerts.length === 1 ? '' : 's'}`),
    critical > 0 ? ` (${critical} critical)` : '');

  const banners = $('banners');
  banners.replaceChildren();
  state.lastHealth = health;
  if (health?.failed) {
    banners.append(h('div', { class: 'banner banner-warn', role: 'status' }, badge('error', true), ' The monitor\'s health could not be read: ', health.failed.message));
    return;
  }
  if (health?.egress?.port25 === 'blocked') {
    banners.append(h('div', { class: 'banner banner-warn', role: 'status', 'data-testid': 'egress-banner' },
      badge('warn', true), ' ', h('strong', null, 'Outbound port 25 is blocked here. '),
      'This monitor cannot reach port 25 on any target (while 587/465 answer): port-25 checks show "error" (could not check), and no alert opens for them. ',
      'See docs/egress.md: get the block lifted or probe port 25 from elsewhere.'));
  }
  const other = (health?.problems || []).filter((p) => !p.startsWith('outbound port 25'));
  if (health?.status === 'degraded' && other.length > 0) {
    banners.append(h('div', { class: 'banner banner-info', role: 'status' }, badge('warn', true), ' The monitor itself: ', other.join('; ')));
  }
}

function renderFleet(data, navigated) {
  state.fleetData = data; // kept for the filters, which re-render without asking the API again
  const { health, targets, alerts, statuses, dmarcById, dmarcFailed } = data;
  renderTopbar(health, alerts.items);
  document.title = 'MailHealth: fleet';

  const rows = targets.items.map((target, i) => {
    const status = statuses[i];
    const byColumn = new Map();
    for (const check of status.checks || []) {
      const column = columnOf(check);
      if (!byColumn.has(column)) byColumn.set(column, []);
      byColumn.get(column).push(check);
    }
    const open = alerts.items.filter((a) => a.key.targetId === target.id);
    return { target, status, byColumn, open, overall: status.status || 'none' };
  });
  const columns = [...new Set(rows.flatMap((r) => [...r.byColumn.keys()]))].sort(columnOrder);
  const tags = [...new Set(targets.items.flatMap((t) => t.tags || []))].sort();

  let view = $('main').querySelector('[data-view="fleet"]');
  if (!view || navigated) {
    view = buildFleetSkeleton();
    $('main').replaceChildren(view);
    $('main').focus({ preventScroll: true });
  }
  updateTagFilter(tags);

  const visible = rows.filter((r) =>
    (state.filters.status === 'all' || r.overall === state.filters.status)
    && (state.filters.tag === 'all' || (r.target.tags || []).includes(state.filters.tag)));

  const counts = {};
  for (const r of rows) counts[r.overall] = (counts[r.overall] || 0) + 1;
  $('fleet-counts').replaceChildren(...['fail', 'warn', 'error', 'pass', 'none'].filter((st) => counts[st])
    .map((st) => h('span', { class: 'count' }, badge(st), ` ${counts[st]}`)));
  $('fleet-shown').textContent = `Showing ${visible.length} of ${rows.length} target${rows.length === 1 ? '' : 's'}`
    + (targets.truncated ? ' (the list was cut at the first pages)' : '') + '.';

  const table = h('table', { class: 'fleet', id: 'fleet-table' },
    h('caption', { class: 'sr-only' }, 'Latest status of every check of every target. Each cell names its status; the worst finding follows it.'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Target'),
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Last run'),
      h('th', { scope: 'col' }, 'Alerts'),
      h('th', { scope: 'col', title: 'Messages that passed DMARC in the receivers\' aggregate reports of the last 7 days' }, 'DMARC pass (7 d)'),
      columns.map((c) => h('th', { scope: 'col', class: 'check-col', 'data-column': c }, columnLabel(c)))))
    ,
    h('tbody', null, visible.map((r) => h('tr', { 'data-target': r.target.id },
      h('th', { scope: 'row', class: 'target-cell' },
        h('a', { href: `#/target/${encodeURIComponent(r.target.id)}`, 'data-focus': `target:${r.target.id}` }, r.target.id),
        h('span', { class: 'domain' }, r.target.domain),
        (r.target.tags || []).length ? h('span', { class: 'tags' }, (r.target.tags || []).map((t) => h('span', { class: 'tag' }, t))) : null,
        r.target.enabled === false ? h('span', { class: 'tag tag-off' }, 'disabled') : null),
      h('td', { 'data-cell': 'status' }, badge(r.overall)),
      h('td', { 'data-cell': 'last-run' }, timeElement(r.status.finishedAt, true)),
      h('td', { 'data-cell': 'alerts' }, r.open.length ? h('span', { class: 'alerts-n' }, `${r.open.length} open`) : h('span', { class: 'muted' }, 'none')),
      dmarcCell(dmarcById.get(r.target.id), dmarcFailed),
      columns.map((c) => checkCell(c, r.byColumn.get(c)))))));
  const body = visible.length === 0
    ? h('p', { class: 'empty', id: 'fleet-table' }, rows.length === 0
      ? 'No targets yet. Add one with PUT api/targets/{id} (docs/api.md).'
      : 'No target matches the filters.')
    : table;
  $('fleet-table').replaceWith(body);
}

// The share of a target's messages that passed DMARC, as receivers reported it; its volume beside it.
function dmarcCell(summary, failed) {
  if (!summary || typeof summary.passShare !== 'number') {
    const words = failed ? 'could not be read' : 'no reports';
    return h('td', { class: 'cell cell-none', 'data-cell': 'dmarc-pass', title: `DMARC aggregate reports of the last 7 days: ${words}` },
      h('span', { 'aria-hidden': 'true', class: 'muted' }, '–'), srOnly(words));
  }
  const level = passLevel(summary.passShare);
  return h('td', {
    class: `cell cell-${level}`, 'data-cell': 'dmarc-pass', 'data-status': level, 'data-share': summary.passShare,
    title: `${formatCount(summary.dmarcPass)} of ${formatCount(summary.messages)} messages passed DMARC (${summary.from} to ${summary.to}, ${summary.reports} report-days)`,
  }, badge(level, true), ' ', h('span', { class: 'share' }, formatShare(summary.passShare)),
  h('span', { class: 'cell-code' }, `${formatCount(summary.messages)} msgs`));
}

function passLevel(share) {
  return share >= DMARC_PASS_GOOD ? 'pass' : share >= DMARC_PASS_FAIR ? 'warn' : 'fail';
}

function formatShare(share) {
  return typeof share === 'number' ? `${(share * 100).toFixed(share >= 0.9995 || share === 0 ? 0 : 1)}%` : '—';
}

// Counts are shares of reports spread over days: whole numbers are shown whole, the rest to one place.
function formatCount(value) {
  if (typeof value !== 'number') return '—';
  return Number.isInteger(value) ? value.toLocaleString('en') : value.toLocaleString('en', { maximumFractionDigits: 1 });
}

function checkCell(column, checks) {
  if (!checks || checks.length === 0) {
    return h('td', { class: 'cell cell-none', 'data-column': column }, h('span', { 'aria-hidden': 'true', class: 'muted' }, '–'), srOnly('not checked'));
  }
  const status = worstStatus(checks.map((c) => c.status));
  const worst = worstFinding(checks);
  const names = checks.map((c) => `${c.id}: ${c.status}`).join('\n');
  const tip = worst ? `${findingText(worst)}\n\n${names}` : names;
  return h('td', { class: `cell cell-${status}`, 'data-column': column, 'data-status': status, title: tip },
    badge(status, true),
    worst && status !== 'pass' ? h('span', { class: 'cell-code', 'aria-hidden': 'true' }, worst.code) : null,
    srOnly(worst ? `; worst finding: ${findingText(worst)}` : `; ${checks.length} check${checks.length === 1 ? '' : 's'}, no finding`));
}

function buildFleetSkeleton() {
  const statusSelect = h('select', { id: 'filter-status', 'data-focus': 'filter-status' },
    [['all', 'All statuses'], ['fail', 'Fail'], ['warn', 'Warning'], ['error', 'Error (could not check)'], ['pass', 'Pass'], ['none', 'Not run yet']]
      .map(([value, label]) => h('option', { value, selected: state.filters.status === value }, label)));
  statusSelect.addEventListener('change', () => {
    state.filters.status = statusSelect.value;
    rerenderFleet();
  });
  const tagSelect = h('select', { id: 'filter-tag', 'data-focus': 'filter-tag' }, h('option', { value: 'all' }, 'All tags'));
  tagSelect.addEventListener('change', () => {
    state.filters.tag = tagSelect.value;
    rerenderFleet();
  });
  return h('section', { 'data-view': 'fleet', 'aria-labelledby': 'fleet-title' },
    h('div', { class: 'view-head' },
      h('h1', { id: 'fleet-title' }, 'Fleet'),
      h('p', { id: 'fleet-counts', class: 'counts' })),
    h('div', { class: 'filters', role: 'group', 'aria-label': 'Filters' },
      h('label', { for: 'filter-status' }, 'Status '), statusSelect,
      h('label', { for: 'filter-tag' }, 'Tag '), tagSelect,
      h('span', { id: 'fleet-shown', class: 'muted', 'aria-live': 'polite' })),
    h('div', { class: 'table-wrap' }, h('p', { id: 'fleet-table' })));
}

function updateTagFilter(tags) {
  const select = $('filter-tag');
  const wanted = ['all', ...tags];
  const have = [...select.options].map((o) => o.value);
  if (wanted.join('\n') === have.join('\n')) return;
  if (!tags.includes(state.filters.tag)) state.filters.tag = 'all';
  select.replaceChildren(h('option', { value: 'all' }, 'All tags'), ...tags.map((t) => h('option', { value: t, selected: state.filters.tag === t }, t)));
}

function rerenderFleet() {
  if (state.fleetData) renderFleet(state.fleetData, false);
}

// ---------------------------------------------------------------------------------------------
// Target view.

// The runs of the range: the first load asks for the whole range, a refresh only for the runs
// since the newest one it has (a run rewritten under the same id replaces the one kept).
async function loadHistory(id) {
  const cacheKey = `${id}|${state.range}`;
  const start = new Date(Date.now() - RANGES[state.range][1]);
  const cached = state.history?.key === cacheKey ? state.history : null;
  const from = cached && cached.newest ? cached.newest : start.toISOString();
  const fetched = await pages(`targets/${encodeURIComponent(id)}/history?from=${encodeURIComponent(from)}&limit=${HISTORY_PAGE}`, HISTORY_PAGE_CAP);
  const byId = new Map((cached?.items || []).map((run) => [run.runId, run]));
  for (const run of fetched.items) byId.set(run.runId, run);
  const items = [...byId.values()].filter((run) => new Date(run.slot) >= start);
  const newest = items.reduce((max, run) => (!max || new Date(run.slot) > new Date(max) ? run.slot : max), null);
  state.history = { key: cacheKey, items, newest, truncated: Boolean(cached?.truncated) || fetched.truncated };
  return state.history;
}

async function loadTarget(id) {
  const target = encodeURIComponent(id);
  const [definition, status, history, alerts, events, health, fixTexts, openAlerts, dmarc, sources, tls] = await Promise.all([
    api(`targets/${target}`),
    api(`targets/${target}/status`),
    loadHistory(id),
    pages(`alerts?state=all&target=${target}&limit=200`),
    api(`events?target=${target}&limit=50`),
    api('health/detail').catch((e) => ({ failed: e })),
    fixes(),
    pages('alerts?state=open&limit=1000'),
    // The receivers' view: the last 30 days (the API's default range); day totals only, the sources come whole below.
    api(`targets/${target}/dmarc?limit=1`),
    api(`targets/${target}/dmarc/sources`),
    api(`targets/${target}/tls-reports`),
  ]);
  return { id, definition, status, history, alerts, events, health, fixTexts, openAlerts, dmarc, sources, tls };
}

function renderTarget(data, navigated) {
  const { definition, status, history, alerts, events, health, fixTexts, openAlerts, dmarc, sources, tls } = data;
  renderTopbar(health, openAlerts.items);
  document.title = `MailHealth: ${definition.domain}`;
  const runs = [...history.items].sort((a, b) => new Date(a.slot) - new Date(b.slot));
  let view = $('main').querySelector(`[data-view="target"][data-target="${CSS.escape(data.id)}"]`);
  if (!view || navigated) {
    view = buildTargetSkeleton(data.id);
    $('main').replaceChildren(view);
  }

  $('target-head').replaceChildren(
    h('h1', { id: 'target-title' }, definition.domain, ' ', h('span', { class: 'muted' }, `(${definition.id})`)),
    h('p', { class: 'target-meta' }, badge(status.status || 'none'), ' Last run: ', timeElement(status.finishedAt),
      (definition.tags || []).length ? h('span', { class: 'tags' }, ' Tags: ', definition.tags.map((t) => h('span', { class: 'tag' }, t))) : null,
      definition.enabled === false ? h('span', { class: 'tag tag-off' }, 'disabled') : null));

  renderAlerts(alerts.items);
  renderFindings(status, fixTexts);
  renderTimeline(runs, status, history.truncated);
  renderLatency(runs);
  renderCertificates(runs, status);
  renderEvents(events.items);
  renderDmarc(dmarc);
  renderSources(sources);
  renderTls(tls);
  for (const button of view.querySelectorAll('[data-range]')) {
    button.setAttribute('aria-pressed', String(button.dataset.range === state.range));
  }
  if (navigated) $('target-head').focus();
}

function buildTargetSkeleton(id) {
  const rangeButtons = Object.entries(RANGES).map(([value, [label]]) => h('button', {
    type: 'button', 'data-range': value, 'data-focus': `range:${value}`, 'aria-pressed': String(state.range === value),
    onclick: () => {
      state.range = value;
      history.replaceState(null, '', `#/target/${encodeURIComponent(id)}?range=${value}`);
      refresh({ force: true });
    },
  }, label));
  const section = (name, title, ...extra) => h('section', { class: 'panel', 'aria-labelledby': `${name}-title`, id: `${name}-section` },
    h('h2', { id: `${name}-title` }, title), ...extra, h('div', { id: `${name}-body` }));
  return h('div', { 'data-view': 'target', 'data-target': id },
    h('p', { class: 'back' }, h('a', { href: '#/', 'data-focus': 'back' }, '← All targets')),
    h('div', { id: 'target-head', class: 'view-head', tabindex: '-1' }),
    section('alerts', 'Alerts: open and recent'),
    section('findings', 'Findings of the latest run'),
    section('timeline', 'Status timeline',
      h('div', { class: 'range', role: 'group', 'aria-label': 'Time range' }, h('span', { class: 'muted' }, 'Range: '), rangeButtons)),
    section('latency', 'SMTP stage latencies'),
    section('certs', 'Certificates: days left'),
    section('events', 'Changes'),
    h('h2', { class: 'group-title', id: 'receivers-title' }, 'As receivers see it',
      h('span', { class: 'muted' }, ' — from the DMARC aggregate and SMTP TLS reports they sent, last 30 days')),
    section('dmarc', 'DMARC: pass share and volume per day'),
    section('sources', 'Who sends as this domain'),
    section('tls', 'TLS failures reported, by result type'));
}

function renderAlerts(alerts) {
  const body = $('alerts-body');
  const sorted = [...alerts].sort((a, b) =>
    (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1)
    || (SEVERITY_RANK[b.severity] || 0) - (SEVERITY_RANK[a.severity] || 0)
    || new Date(b.lastSeenAt) - new Date(a.lastSeenAt));
  if (sorted.length === 0) {
    body.replaceChildren(h('p', { class: 'empty' }, badge('pass'), ' No open or recent alert.'));
    return;
  }
  body.replaceChildren(h('table', { class: 'list' },
    h('thead', null, h('tr', null, ['Severity', 'Finding', 'State', 'Since', 'Action'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, sorted.map((alert) => {
      const stateText = alert.status === 'open'
        ? (alert.acknowledgedAt ? `open, acknowledged by ${alert.acknowledgedBy || 'someone'} ${formatTime(alert.acknowledgedAt)}` : 'open')
        : alert.status === 'resolved' ? `resolved ${formatTime(alert.resolvedAt)}` : alert.status;
      return h('tr', { 'data-alert': alert.id, 'data-state': alert.acknowledgedAt && alert.status === 'open' ? 'acknowledged' : alert.status },
        h('td', null, severityBadge(alert.severity)),
        h('td', null, h('code', null, alert.key.code), ' on ', h('span', { class: 'subject' }, alert.key.subject), h('br'), h('span', { class: 'message' }, alert.message)),
        h('td', { 'data-cell': 'state' }, stateText),
        h('td', null, timeElement(alert.openedAt || alert.firstSeenAt)),
        h('td', null, ackControl(alert)));
    }))));
}

function ackControl(alert) {
  if (alert.status !== 'open') return h('span', { class: 'muted' }, '—');
  const messageId = `ack-msg-${alert.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const previous = state.ackMessages.get(alert.id);
  const message = h('span', { id: messageId, class: `ack-msg ${previous?.kind || ''}`, role: 'status' }, previous?.text || '');
  if (alert.acknowledgedAt) {
    return h('span', null, h('span', { class: 'acked' }, '✓ acknowledged'), message);
  }
  const button = h('button', {
    type: 'button', class: 'ack', 'data-focus': `ack:${alert.id}`, 'aria-describedby': messageId,
    'aria-label': `Acknowledge ${alert.key.code} on ${alert.key.subject}`,
  }, 'Acknowledge');
  button.addEventListener('click', () => acknowledge(alert, button, message));
  return h('span', null, button, message);
}

async function acknowledge(alert, button, message) {
  button.disabled = true;
  message.className = 'ack-msg';
  message.textContent = 'Acknowledging…';
  try {
    await api(`alerts/${encodeURIComponent(alert.id)}/ack`, { method: 'POST', body: { by: 'dashboard' } });
    state.ackMessages.delete(alert.id);
    message.className = 'ack-msg ok';
    message.textContent = 'Acknowledged.';
    await refresh({ force: true });
  } catch (e) {
    let text;
    if (e.status === 403) {
      text = key()
        ? 'Refused (403): this key may only read; acknowledging an alert needs an admin key. Use "Change key" and enter one.'
        : `Refused (403): ${e.problem?.detail || 'this account may only read'}. Acknowledging an alert needs an admin key or the MailHealth.Admin role.`;
    } else if (e.status === 401) text = 'Refused (401): no key, or the key is not valid any more.';
    else if (e.status === 409) text = `Not acknowledged (409): ${e.problem?.detail || 'the alert is not open any more'}.`;
    else text = `Not acknowledged: ${e.message}.`;
    state.ackMessages.set(alert.id, { text, kind: 'refused' });
    message.className = 'ack-msg refused';
    message.textContent = text;
    button.disabled = false;
    button.title = text;
    button.dataset.refused = String(e.status);
  }
}

function renderFindings(status, fixTexts) {
  const body = $('findings-body');
  const findings = (status.checks || []).flatMap((check) => (check.findings || []).map((f) => ({ ...f, checkId: check.id })));
  findings.sort((a, b) => (SEVERITY_RANK[b.severity] || 0) - (SEVERITY_RANK[a.severity] || 0) || a.code.localeCompare(b.code));
  if (!status.runId) {
    body.replaceChildren(h('p', { class: 'empty' }, badge('none'), ' This target has not been run yet.'));
    return;
  }
  if (findings.length === 0) {
    body.replaceChildren(h('p', { class: 'empty' }, badge('pass'), ' No finding in the latest run.'));
    return;
  }
  body.replaceChildren(h('ul', { class: 'findings' }, findings.map((f) => h('li', { 'data-code': f.code, class: `finding sev-${f.severity}` },
    h('p', { class: 'finding-head' }, severityBadge(f.severity), ' ', h('code', null, f.code), ' on ', h('span', { class: 'subject' }, f.subject),
      h('span', { class: 'muted' }, ` (check ${f.checkId})`)),
    h('p', { class: 'message' }, f.message),
    fixTexts[f.code]
      ? h('p', { class: 'fix' }, h('strong', null, 'How to fix: '), richText(fixTexts[f.code]))
      : h('p', { class: 'fix muted' }, 'No fix text is catalogued for this code.')))));
}

// One row per check: one mark per stored run that has the check, oldest left, newest right.
function renderTimeline(runs, status, truncated) {
  const body = $('timeline-body');
  const [label] = RANGES[state.range];
  const checkIds = [...new Set([...(status.checks || []).map((c) => c.id), ...runs.flatMap((r) => r.checks.map((c) => c.id))])];
  const kindOf = new Map([...runs.flatMap((r) => r.checks), ...(status.checks || [])].map((c) => [c.id, c]));
  checkIds.sort((a, b) => columnOrder(columnOf(kindOf.get(a)), columnOf(kindOf.get(b))) || a.localeCompare(b));
  if (runs.length === 0) {
    body.replaceChildren(h('p', { class: 'empty' }, `No run stored in the last ${label}.`));
    return;
  }
  const summary = h('p', { class: 'muted', 'data-testid': 'run-count' },
    `${runs.length} run${runs.length === 1 ? '' : 's'} in the last ${label}, from ${formatTime(runs[0].slot)} to ${formatTime(runs[runs.length - 1].slot)}`
    + (truncated ? ' (only the newest are shown)' : '') + '.');
  const slotsShown = Math.max(runs.length, 48);
  const rows = checkIds.map((id) => {
    const marks = runs.map((run) => ({ run, check: run.checks.find((c) => c.id === id) })).filter((m) => m.check);
    const counts = {};
    for (const m of marks) counts[m.check.status] = (counts[m.check.status] || 0) + 1;
    const description = `${id}: ${marks.length} run${marks.length === 1 ? '' : 's'}, `
      + (Object.entries(counts).map(([st, n]) => `${n} ${STATUS[st]?.text || st}`).join(', ') || 'none');
    const width = 4;
    const svg = s('svg', { class: 'beats', viewBox: `0 0 ${slotsShown * width} 20`, preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
    const offset = slotsShown - runs.length;
    runs.forEach((run, i) => {
      const check = run.checks.find((c) => c.id === id);
      if (!check) return;
      const worst = worstFinding([check]);
      svg.append(s('rect', {
        class: `mark st-${check.status}`, 'data-status': check.status, 'data-slot': run.slot,
        x: (offset + i) * width + 0.5, y: check.status === 'pass' ? 3 : 0, width: width - 1, height: check.status === 'pass' ? 17 : 20, rx: 1,
      }, s('title', null, `${formatTime(run.slot)}: ${STATUS[check.status]?.text || check.status}${worst ? ` (${worst.code})` : ''}`)));
    });
    const latest = marks.length ? marks[marks.length - 1].check.status : 'none';
    return h('div', { class: 'beat-row', 'data-check': id },
      h('span', { class: 'beat-label' }, h('span', { class: 'beat-id', title: id }, id), badge(latest)),
      h('div', { class: 'beat-track', role: 'img', 'aria-label': description, title: description }, svg));
  });
  body.replaceChildren(summary, h('div', { class: 'beats-wrap' }, rows,
    h('div', { class: 'beat-axis', 'aria-hidden': 'true' }, h('span', null, `${label} ago`), h('span', null, 'now'))));
}

const charts = [];
function destroyCharts(container) {
  for (let i = charts.length - 1; i >= 0; i--) {
    if (!container || container.contains(charts[i].root)) {
      charts[i].destroy();
      charts.splice(i, 1);
    }
  }
}

function chartWidth(container) {
  return Math.max(320, Math.min(1100, (container.clientWidth || 800) - 8));
}

function renderLatency(runs) {
  const body = $('latency-body');
  destroyCharts(body);
  const smtpIds = [...new Set(runs.flatMap((r) => r.checks.filter((c) => c.kind === 'smtp').map((c) => c.id)))]
    .sort((a, b) => columnOrder(`smtp:${a.split(':').pop()}`, `smtp:${b.split(':').pop()}`) || a.localeCompare(b));
  if (smtpIds.length === 0) {
    body.replaceChildren(h('p', { class: 'empty' }, 'No SMTP check in this range.'));
    return;
  }
  body.replaceChildren();
  for (const id of smtpIds) {
    const points = runs.map((run) => ({ run, check: run.checks.find((c) => c.id === id) })).filter((p) => p.check);
    const stages = SMTP_STAGES.filter(([metric]) => points.some((p) => typeof p.check.metrics?.[metric] === 'number'));
    const latest = points[points.length - 1].check;
    const figure = h('figure', { class: 'chart', 'data-chart': `latency:${id}` },
      h('figcaption', null, h('strong', null, id), ' — milliseconds per stage, one point per run. Latest: ',
        stages.map(([metric, label]) => `${label} ${formatMs(latest.metrics?.[metric])}`).join(', ') || 'no timing (the probe did not connect)'));
    body.append(figure);
    if (stages.length === 0) continue;
    const data = [points.map((p) => new Date(p.run.slot).getTime() / 1000),
      ...stages.map(([metric]) => points.map((p) => (typeof p.check.metrics?.[metric] === 'number' ? p.check.metrics[metric] : null)))];
    const chart = new uPlot({
      width: chartWidth(body), height: 200,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(10, (max || 0) * 1.15)] } },
      series: [{ label: 'time (UTC)', value: (u, v) => (v == null ? '—' : formatTime(new Date(v * 1000).toISOString())) },
        ...stages.map(([, label], i) => ({
          label, stroke: STAGE_COLORS[i % STAGE_COLORS.length], width: 2, points: { show: true, size: 6 },
          dash: i % 2 ? [6, 3] : undefined, value: (u, v) => formatMs(v),
        }))],
      axes: [timeAxis(), { label: 'ms', size: 56 }],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
    }, data, figure);
    fitTime(chart, data[0]);
    charts.push(chart);
  }
}

// The x scale: the runs' times; one run alone gets an hour around it (uPlot would span years).
function fitTime(chart, xs) {
  const known = xs.filter((x) => x != null);
  if (known.length === 0) return;
  const min = Math.min(...known);
  const max = Math.max(...known);
  chart.setScale('x', min === max ? { min: min - 1800, max: max + 1800 } : { min, max });
}

// The x axis of a chart: times in UTC, 24-hour, with the date when the range spans days.
function timeAxis() {
  return {
    values: (u, splits) => {
      const span = (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0);
      return splits.map((v) => {
        const iso = new Date(v * 1000).toISOString();
        return span > 2 * 86400 ? iso.slice(5, 10) : span > 20 * 3600 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
      });
    },
  };
}

function formatMs(value) {
  return typeof value === 'number' ? `${Math.round(value)} ms` : '—';
}

function certificateSeries(runs) {
  // smtp checks: certDaysLeft; mta-sts: the policy host's certificateDaysLeft.
  const ids = new Map();
  for (const run of runs) {
    for (const check of run.checks) {
      const metric = typeof check.metrics?.certDaysLeft === 'number' ? 'certDaysLeft'
        : typeof check.metrics?.certificateDaysLeft === 'number' ? 'certificateDaysLeft' : null;
      if (metric && !ids.has(check.id)) ids.set(check.id, { metric, label: check.kind === 'smtp' ? check.subject : `${check.id} (policy host)` });
    }
  }
  return ids;
}

const THRESHOLDS = [[CERT_WARNING_DAYS, '#9a6700', [8, 4]], [CERT_CRITICAL_DAYS, '#cf222e', [3, 3]]];

function drawThresholds(u) {
  const { ctx, bbox } = u;
  const ratio = window.devicePixelRatio || 1;
  for (const [days, color, dash] of THRESHOLDS) {
    const y = Math.round(u.valToPos(days, 'y', true));
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5 * ratio;
    ctx.setLineDash(dash.map((d) => d * ratio));
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.restore();
  }
}

function renderCertificates(runs, status) {
  const body = $('certs-body');
  destroyCharts(body);
  const series = certificateSeries(runs);
  if (series.size === 0) {
    body.replaceChildren(h('p', { class: 'empty' }, 'No certificate was seen in this range (no TLS on the probed ports, or no run yet).'));
    return;
  }
  const latestById = new Map((status.checks || []).map((c) => [c.id, c]));
  const rows = [...series.entries()].map(([id, { metric, label }]) => {
    const latest = latestById.get(id);
    const days = latest?.metrics?.[metric];
    const level = typeof days !== 'number' ? 'none' : days < 0 ? 'fail' : days < CERT_CRITICAL_DAYS ? 'fail' : days < CERT_WARNING_DAYS ? 'warn' : 'pass';
    const words = typeof days !== 'number' ? 'unknown' : days < 0 ? `expired ${-days} day${days === -1 ? '' : 's'} ago` : `${days} day${days === 1 ? '' : 's'} left`;
    return { id, label, days, level, words };
  });
  const table = h('table', { class: 'list certs', 'data-testid': 'cert-table' },
    h('caption', null, `Latest run. Thresholds: warning below ${CERT_WARNING_DAYS} days, critical below ${CERT_CRITICAL_DAYS} days.`),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Certificate of'), h('th', { scope: 'col' }, 'Days left'), h('th', { scope: 'col' }, 'State'))),
    h('tbody', null, rows.map((r) => h('tr', { 'data-cert': r.id, 'data-days': r.days },
      h('th', { scope: 'row' }, r.label), h('td', null, r.words), h('td', null, badge(r.level))))));
  const figure = h('figure', { class: 'chart', 'data-chart': 'certificates' },
    h('figcaption', null, 'Days left on each certificate over time; dashed lines: the 21-day warning and 7-day critical thresholds.'));
  body.replaceChildren(figure, table);
  const x = runs.map((r) => new Date(r.slot).getTime() / 1000);
  const colors = ['#0969da', '#8250df', '#bf3989', '#0a7d8c', '#bc4c00', '#24292f'];
  const entries = [...series.entries()];
  const data = [x,
    ...entries.map(([id, { metric }]) => runs.map((run) => {
      const check = run.checks.find((c) => c.id === id);
      return typeof check?.metrics?.[metric] === 'number' ? check.metrics[metric] : null;
    })),
    x.map(() => CERT_WARNING_DAYS), x.map(() => CERT_CRITICAL_DAYS)];
  const chart = new uPlot({
    width: chartWidth(body), height: 220,
    scales: {
      x: { time: true },
      y: { range: (u, min, max) => [Math.min(0, (min ?? 0) - 2), Math.max(CERT_WARNING_DAYS + 9, (max ?? 0) + 5)] },
    },
    series: [{ label: 'time (UTC)', value: (u, v) => (v == null ? '—' : formatTime(new Date(v * 1000).toISOString())) },
      ...entries.map(([, { label }], i) => ({ label, stroke: colors[i % colors.length], width: 2, points: { show: true, size: 7 }, value: (u, v) => (v == null ? '—' : `${v} d`) })),
      // The thresholds: in the legend as series, drawn across the whole plot by the hook below
      // (a series line needs two runs; the thresholds must show with one).
      { label: `warning (${CERT_WARNING_DAYS} d)`, stroke: THRESHOLDS[0][1], width: 1.5, dash: THRESHOLDS[0][2], points: { show: false }, paths: () => null },
      { label: `critical (${CERT_CRITICAL_DAYS} d)`, stroke: THRESHOLDS[1][1], width: 1.5, dash: THRESHOLDS[1][2], points: { show: false }, paths: () => null }],
    hooks: { draw: [drawThresholds] },
    axes: [timeAxis(), { label: 'days left', size: 56 }],
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
  }, data, figure);
  fitTime(chart, x);
  charts.push(chart);
}

// A day (yyyy-MM-dd, UTC) as uPlot's x: seconds at noon, so a point sits in the middle of its day.
function dayX(day) {
  return Date.parse(`${day}T12:00:00Z`) / 1000;
}

function dayAxis() {
  return { values: (u, splits) => splits.map((v) => new Date(v * 1000).toISOString().slice(5, 10)) };
}

// The x scale of a day chart: the range asked for, so a single day is not stretched across it.
function fitDays(chart, view) {
  chart.setScale('x', { min: dayX(view.from) - 43200, max: dayX(view.to) + 43200 });
}

function renderDmarc(view) {
  const body = $('dmarc-body');
  destroyCharts(body);
  const days = view.days || [];
  if (days.length === 0) {
    body.replaceChildren(h('p', { class: 'empty', 'data-testid': 'dmarc-empty' },
      `No DMARC aggregate report arrived for this domain from ${view.from} to ${view.to}. `,
      'Receivers send them to the addresses in the domain\'s rua= tag; docs/reports.md says how this monitor reads them.'));
    return;
  }
  const messages = days.reduce((sum, d) => sum + d.totals.messages, 0);
  const passed = days.reduce((sum, d) => sum + d.totals.dmarcPass, 0);
  const share = messages > 0 ? passed / messages : null;
  const latest = days[days.length - 1];
  const figure = h('figure', { class: 'chart', 'data-chart': 'dmarc' },
    h('figcaption', null, h('strong', null, `${formatShare(share)} passed DMARC`), ` of ${formatCount(messages)} messages reported, ${days.length} day${days.length === 1 ? '' : 's'} with reports. `,
      `Latest day ${latest.day}: ${formatShare(latest.totals.passShare)} of ${formatCount(latest.totals.messages)}. `,
      'Bars: messages per day (left axis); line: the share that passed DMARC (right axis).'));
  const table = h('table', { class: 'list dmarc-days', 'data-testid': 'dmarc-days' },
    h('caption', { class: 'sr-only' }, 'The same figures per day.'),
    h('thead', null, h('tr', null, ['Day', 'Messages', 'Passed DMARC', 'Share', 'Quarantined', 'Rejected', 'Reports'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, [...days].reverse().map((d) => h('tr', { 'data-day': d.day },
      h('th', { scope: 'row' }, d.day), h('td', null, formatCount(d.totals.messages)), h('td', null, formatCount(d.totals.dmarcPass)),
      h('td', null, badge(passLevel(d.totals.passShare ?? 0), true), ' ', formatShare(d.totals.passShare)),
      h('td', null, formatCount(d.totals.dispositionQuarantine)), h('td', null, formatCount(d.totals.dispositionReject)), h('td', null, String(d.reports))))));
  body.replaceChildren(figure, h('details', null, h('summary', null, 'Figures per day'), table));
  const data = [days.map((d) => dayX(d.day)), days.map((d) => d.totals.messages), days.map((d) => (typeof d.totals.passShare === 'number' ? d.totals.passShare * 100 : null))];
  const chart = new uPlot({
    width: chartWidth(body), height: 220,
    scales: { x: { time: true }, messages: { range: (u, min, max) => [0, Math.max(10, (max || 0) * 1.15)] }, share: { range: [0, 100] } },
    series: [{ label: 'day (UTC)', value: (u, v) => (v == null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
      { label: 'messages', scale: 'messages', stroke: '#6e7781', fill: 'rgba(110,119,129,0.25)', width: 1, paths: uPlot.paths.bars({ size: [0.6, 40] }), points: { show: false }, value: (u, v) => formatCount(v) },
      { label: 'passed DMARC', scale: 'share', stroke: '#1a7f37', width: 2, points: { show: true, size: 7 }, value: (u, v) => (v == null ? '—' : `${v.toFixed(1)}%`) }],
    axes: [dayAxis(), { scale: 'messages', label: 'messages', size: 60 }, { scale: 'share', side: 1, label: '% passed', size: 50, grid: { show: false } }],
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
  }, data, figure);
  fitDays(chart, view);
  charts.push(chart);
}

// A source nobody named (no PTR name) or that no term of the domain's SPF record authorises:
// someone sends as this domain, a service nobody added, or one whose name is not known yet.
function unknownSender(source) {
  return source.unknown ?? (!source.name || !source.spfTerm);
}

const SOURCE_COLUMNS = [
  ['unknown', 'Sender', (a, b) => Number(unknownSender(b)) - Number(unknownSender(a)) || b.messages - a.messages],
  ['sourceIp', 'Address', (a, b) => a.sourceIp.localeCompare(b.sourceIp, 'en', { numeric: true })],
  ['name', 'Name (PTR)', (a, b) => (a.name || '\uffff').localeCompare(b.name || '\uffff')],
  ['spfTerm', 'SPF term', (a, b) => (a.spfTerm || '\uffff').localeCompare(b.spfTerm || '\uffff')],
  ['messages', 'Messages', (a, b) => a.messages - b.messages],
  ['passShare', 'Passed DMARC', (a, b) => (a.passShare ?? -1) - (b.passShare ?? -1)],
  ['firstSeen', 'First seen', (a, b) => a.firstSeen.localeCompare(b.firstSeen)],
  ['lastSeen', 'Last seen', (a, b) => a.lastSeen.localeCompare(b.lastSeen)],
];

function renderSources(view) {
  state.sources = view;
  const body = $('sources-body');
  const sources = view.sources || [];
  if (sources.length === 0) {
    body.replaceChildren(h('p', { class: 'empty', 'data-testid': 'sources-empty' }, `No source appears in the aggregate reports from ${view.from} to ${view.to}.`));
    return;
  }
  const { key: sortKey, descending } = state.sourceSort;
  const [, , compare] = SOURCE_COLUMNS.find(([k]) => k === sortKey) ?? SOURCE_COLUMNS[0];
  const sorted = [...sources].sort((a, b) => (descending ? -compare(a, b) : compare(a, b)) || a.sourceIp.localeCompare(b.sourceIp));
  const unknown = sources.filter(unknownSender).length;
  const header = SOURCE_COLUMNS.map(([k, label]) => {
    const sortedHere = k === sortKey;
    return h('th', { scope: 'col', 'aria-sort': sortedHere ? (descending ? 'descending' : 'ascending') : 'none' },
      h('button', {
        type: 'button', class: 'sort', 'data-sort': k, 'data-focus': `sort:${k}`,
        onclick: () => {
          state.sourceSort = { key: k, descending: sortedHere ? !descending : k === 'messages' || k === 'lastSeen' };
          renderSources(state.sources);
          document.querySelector(`[data-sort="${k}"]`)?.focus();
        },
      }, label, h('span', { 'aria-hidden': 'true', class: 'sort-mark' }, sortedHere ? (descending ? ' ▼' : ' ▲') : '')));
  });
  body.replaceChildren(
    h('p', { class: 'muted' }, `${sources.length} source${sources.length === 1 ? '' : 's'} from ${view.from} to ${view.to}; `,
      h('strong', { 'data-testid': 'unknown-count' }, `${unknown} unknown`),
      ' (no name, or no term of the SPF record authorises them). Click a heading to sort.'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'list sources', 'data-testid': 'sources-table' },
      h('caption', { class: 'sr-only' }, 'Each address that sent mail as this domain, as receivers reported it.'),
      h('thead', null, h('tr', null, header)),
      h('tbody', null, sorted.map((src) => h('tr', { 'data-source': src.sourceIp, 'data-unknown': String(unknownSender(src)) },
        h('td', null, unknownSender(src) ? h('span', { class: 'tag tag-unknown' }, 'unknown') : h('span', { class: 'tag' }, 'known')),
        h('th', { scope: 'row' }, h('code', null, src.sourceIp)),
        h('td', null, src.name ? [src.name, src.baseDomain ? h('span', { class: 'domain' }, src.baseDomain) : null] : h('span', { class: 'muted' }, 'not named')),
        h('td', null, src.spfTerm ? h('code', null, src.spfTerm) : h('span', { class: 'muted' }, src.spfResult ? `none (SPF ${src.spfResult})` : 'none')),
        h('td', { class: 'num' }, formatCount(src.messages)),
        h('td', null, badge(passLevel(src.passShare ?? 0), true), ' ', formatShare(src.passShare)),
        h('td', null, src.firstSeen), h('td', null, src.lastSeen)))))));
}

function renderTls(view) {
  const body = $('tls-body');
  destroyCharts(body);
  const days = view.days || [];
  if (days.length === 0) {
    body.replaceChildren(h('p', { class: 'empty', 'data-testid': 'tls-empty' },
      `No SMTP TLS report arrived for this domain from ${view.from} to ${view.to} (receivers send them to the domain's TLS-RPT rua=).`));
    return;
  }
  const failures = days.flatMap((d) => d.results.filter((r) => r.resultType).map((r) => ({ ...r, day: d.day })));
  const successful = days.reduce((sum, d) => sum + d.successfulSessions, 0);
  const failed = days.reduce((sum, d) => sum + d.failedSessions, 0);
  const types = [...new Set(failures.map((f) => f.resultType))].sort();
  const caption = h('figcaption', null, h('strong', null, `${formatCount(failed)} failed`), ` and ${formatCount(successful)} successful TLS sessions reported. `,
    types.length ? 'One line per result type: failed sessions per day.' : 'No failure was reported.');
  const figure = h('figure', { class: 'chart', 'data-chart': 'tls' }, caption);
  const byHost = new Map();
  for (const f of failures) {
    const k = `${f.resultType}\n${f.mxHost}\n${f.policyType}`;
    byHost.set(k, { ...f, failedSessions: (byHost.get(k)?.failedSessions ?? 0) + f.failedSessions, lastDay: f.day });
  }
  const table = types.length === 0 ? null : h('table', { class: 'list tls-failures', 'data-testid': 'tls-table' },
    h('caption', null, 'Failures over the range, by result type and MX host.'),
    h('thead', null, h('tr', null, ['Result type', 'MX host', 'Policy', 'Failed sessions', 'Last day'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, [...byHost.values()].sort((a, b) => b.failedSessions - a.failedSessions).map((f) => h('tr', { 'data-result': f.resultType },
      h('th', { scope: 'row' }, h('code', null, f.resultType)), h('td', null, f.mxHost || '—'), h('td', null, f.policyType),
      h('td', { class: 'num' }, formatCount(f.failedSessions)), h('td', null, f.lastDay)))));
  body.replaceChildren(figure, table ?? h('p', { class: 'empty' }, badge('pass'), ' Every reported session set up TLS.'));
  if (types.length === 0) return;
  const data = [days.map((d) => dayX(d.day)),
    ...types.map((t) => days.map((d) => d.results.filter((r) => r.resultType === t).reduce((sum, r) => sum + r.failedSessions, 0)))];
  const chart = new uPlot({
    width: chartWidth(body), height: 200,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(5, (max || 0) * 1.15)] } },
    series: [{ label: 'day (UTC)', value: (u, v) => (v == null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
      ...types.map((t, i) => ({ label: t, stroke: TLS_RESULT_COLORS[i % TLS_RESULT_COLORS.length], width: 2, dash: i % 2 ? [6, 3] : undefined, points: { show: true, size: 7 }, value: (u, v) => formatCount(v) }))],
    axes: [dayAxis(), { label: 'failed sessions', size: 60 }],
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
  }, data, figure);
  fitDays(chart, view);
  charts.push(chart);
}

function renderEvents(events) {
  const body = $('events-body');
  if (events.length === 0) {
    body.replaceChildren(h('p', { class: 'empty' }, 'No change recorded: the records and certificates were the same at every run.'));
    return;
  }
  body.replaceChildren(h('table', { class: 'list events' },
    h('thead', null, h('tr', null, ['When', 'What', 'Change'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, events.map((e) => h('tr', { 'data-event': e.item },
      h('td', null, timeElement(e.at)),
      h('td', null, h('code', null, e.item)),
      h('td', null, h('span', { class: 'summary' }, e.summary),
        (e.before !== undefined || e.after !== undefined)
          ? h('div', { class: 'diff' }, h('span', { class: 'before' }, srOnly('before: '), e.before ?? '(none)'), h('span', { 'aria-hidden': 'true' }, ' → '), h('span', { class: 'after' }, srOnly(', after: '), e.after ?? '(none)'))
          : null))))));
}

// ---------------------------------------------------------------------------------------------
// Start.

function start() {
  $('loading')?.remove();
  $('openapi-link').setAttribute('href', `${API_BASE}openapi.json`);
  $('legend').replaceChildren(...['pass', 'warn', 'fail', 'error', 'none'].map((st) => h('span', { class: 'legend-item' }, badge(st), ` ${STATUS[st].title}`)));
  $('refresh').addEventListener('click', () => refresh({ navigated: false }));
  $('change-key').addEventListener('click', () => {
    forgetCredentials();
    state.ackMessages.clear();
    renderKeyForm('', { probe: false });
  });
  window.addEventListener('hashchange', () => refresh({ navigated: true }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refresh();
  });
  setInterval(() => {
    if (document.visibilityState !== 'hidden') refresh();
  }, REFRESH_MS);
  refresh({ navigated: true });
}

start();
