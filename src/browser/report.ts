// The report's live layer, bundled with vega and vega-interpreter into one inline script by
// scripts/build-browser.mjs. Every chart the report renders carries its compiled Vega spec in a
// <script type="application/json" class="vega-live"> beside its static SVG; this turns each into a
// live SVG view. Expressions run in vega-interpreter (parse with ast: true), so the page needs no
// eval and its Content-Security-Policy allows no 'unsafe-eval'.
//
// Selections link by convention, so a chart needs no code here to take part: a top-level signal
// named brush… (an interval) or pick… (a point selection) filters the front table (rows whose
// data-FIELD values lie inside it); every view with a `linked` signal gets the keys of the rows
// left visible, made of the fields its usermeta.live.linkKey names (null when nothing is selected).
import { parse, View, type Spec } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { wireArchitectureCalculator } from './calculator.js';

type Selection = Record<string, unknown[]>;

interface Live {
  view: View;
  linkKey?: string[];
  hasLinked: boolean;
}

const lives: Live[] = [];
/** Non-empty selections by `${view index}:${signal}`. */
const selections = new Map<string, { kind: 'interval' | 'point'; value: Selection }>();

function tooltipElement(): HTMLElement {
  let el = document.getElementById('vega-tooltip');
  if (!el) {
    el = document.createElement('div');
    el.id = 'vega-tooltip';
    el.setAttribute('role', 'tooltip');
    document.body.appendChild(el);
  }
  return el;
}

export function formatValue(v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString('en-US');
    return String(Number(v.toPrecision(4)));
  }
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Fields a datum carries for the page's own use, not worth a tooltip line. */
const HIDDEN = new Set(['shape', 'label2']);

function showTooltip(_handler: unknown, event: MouseEvent, _item: unknown, value: unknown): void {
  const el = tooltipElement();
  if (value === null || value === undefined || value === '') {
    el.classList.remove('visible');
    return;
  }
  el.textContent = '';
  if (typeof value === 'object') {
    const table = document.createElement('table');
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (HIDDEN.has(k) || v === '' || v === null || v === undefined) continue;
      const tr = table.insertRow();
      tr.insertCell().textContent = k;
      tr.insertCell().textContent = formatValue(v);
    }
    el.appendChild(table);
  } else {
    el.textContent = String(value);
  }
  el.classList.add('visible');
  const pad = 14;
  const { innerWidth, innerHeight } = window;
  const r = el.getBoundingClientRect();
  let x = event.clientX + pad;
  let y = event.clientY + pad;
  if (x + r.width > innerWidth) x = Math.max(0, event.clientX - pad - r.width);
  if (y + r.height > innerHeight) y = Math.max(0, event.clientY - pad - r.height);
  el.style.left = `${x}px`;
  el.style.top = `${y}px`;
}

/** Does a table row (its data-* values) satisfy a selection? Fields the row lacks do not filter it. */
function inside(row: HTMLElement, sel: { kind: 'interval' | 'point'; value: Selection }): boolean {
  for (const [field, range] of Object.entries(sel.value)) {
    const attr = row.getAttribute(`data-${field}`);
    if (attr === null || !Array.isArray(range)) continue;
    const v = Number(attr);
    if (sel.kind === 'interval') {
      const [a, b] = range as number[];
      if (!(v >= Math.min(a!, b!) && v <= Math.max(a!, b!))) return false;
    } else if (!range.some((r) => Number(r) === v || String(r) === attr)) return false;
  }
  return true;
}

function linkedRows(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>('table[data-linked] tbody tr'));
}

/** Shows the rows inside every selection, then tells each linked view which designs those are. */
function applySelections(): void {
  const rows = linkedRows();
  const active = [...selections.values()];
  const visible: HTMLElement[] = [];
  for (const row of rows) {
    const ok = active.every((s) => inside(row, s));
    row.hidden = !ok;
    if (ok) visible.push(row);
  }
  const status = document.getElementById('front-filter');
  if (status)
    status.textContent = active.length
      ? `${visible.length} of ${rows.length} front designs inside the selection (double-click the chart to clear it).`
      : '';
  for (const live of lives) {
    if (!live.hasLinked) continue;
    const keys = active.length
      ? visible.map((row) => (live.linkKey ?? ['id']).map((f) => row.getAttribute(`data-${f}`) ?? '').join('|'))
      : null;
    live.view.signal('linked', keys);
    void live.view.runAsync();
  }
}

function isEmptySelection(value: unknown): boolean {
  return !value || typeof value !== 'object' || Object.keys(value).length === 0;
}

async function start(script: HTMLScriptElement, index: number): Promise<void> {
  const spec = JSON.parse(script.textContent ?? '{}') as Spec & {
    usermeta?: { live?: { linkKey?: string[]; parallel?: { range: Record<string, [number, number]> } } };
    signals?: { name: string }[];
  };
  const container = script.parentElement!;
  const host = document.createElement('div');
  host.className = 'vega-view';
  container.appendChild(host);
  const view = new View(parse(spec, undefined, { ast: true }), {
    renderer: 'svg',
    container: host,
    hover: true,
    expr: expressionInterpreter,
    tooltip: showTooltip,
  } as ConstructorParameters<typeof View>[1]);
  await view.runAsync();
  container.classList.add('live');
  performance.mark(`moe-sweep-live:${container.id}`);
  const names = (spec.signals ?? []).map((s) => s.name);
  const parallel = spec.usermeta?.live?.parallel;
  if (parallel && names.includes('brushaxes')) {
    // Parallel coordinates: the brush covers axes (x) and a share of each one's span (y); as a
    // selection of the table it is the same share of each covered axis, in that axis's units.
    view.addSignalListener('brushaxes', (_n, value) => {
      const key = `${index}:brushaxes`;
      const v = value as { axis?: string[]; norm?: number[] } | null;
      if (!v?.axis?.length || !v.norm) selections.delete(key);
      else {
        const [lo, hi] = [Math.min(...v.norm), Math.max(...v.norm)];
        const ranges: Selection = {};
        for (const axis of v.axis) {
          const [min, max] = parallel.range[axis] ?? [0, 0];
          ranges[axis] = [min + lo * (max - min), min + hi * (max - min)];
        }
        selections.set(key, { kind: 'interval', value: ranges });
      }
      applySelections();
    });
  }
  lives.push({ view, linkKey: spec.usermeta?.live?.linkKey, hasLinked: names.includes('linked') });
  for (const name of names) {
    const kind = /^brush/.test(name) ? 'interval' : /^pick/.test(name) ? 'point' : undefined;
    if (!kind || name.includes('_') || name === 'brushaxes') continue;
    view.addSignalListener(name, (_n, value) => {
      const key = `${index}:${name}`;
      if (isEmptySelection(value)) selections.delete(key);
      else selections.set(key, { kind, value: value as Selection });
      applySelections();
    });
  }
}

// ---- the front table: sorting, copy as YAML, open in calculator ----

function sortTable(table: HTMLTableElement, th: HTMLTableCellElement): void {
  const col = th.cellIndex;
  const ascending = th.getAttribute('aria-sort') !== 'ascending';
  for (const h of Array.from(table.tHead!.rows[0]!.cells)) h.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  const body = table.tBodies[0]!;
  const key = (tr: HTMLTableRowElement) => {
    const cell = tr.cells[col]!;
    return cell.getAttribute('data-sort') ?? cell.textContent ?? '';
  };
  const numeric = th.classList.contains('num');
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
    return (ascending ? c : -c) || a.sectionRowIndex - b.sectionRowIndex;
  });
  for (const r of rows) body.appendChild(r);
}

function copyYaml(row: HTMLElement): void {
  const text = row.getAttribute('data-yaml') ?? '';
  const out = document.getElementById('yaml-out') as HTMLTextAreaElement | null;
  if (out) {
    out.value = text;
    out.hidden = false;
    out.rows = Math.min(16, text.split('\n').length + 1);
    out.select();
  }
  navigator.clipboard?.writeText(text).catch(() => {
    // file:// pages may be refused the clipboard; the text stays selected in the box above.
  });
}

let loadArchitecture: ((fields: Record<string, string>) => void) | undefined;

function openInCalculator(row: HTMLElement): void {
  const [e, k, x, s] = (row.getAttribute('data-calc') ?? '').split(',');
  if (loadArchitecture && row.hasAttribute('data-arch')) {
    // An architecture design: its fields into the architecture inputs, which count the four numbers.
    const fields: Record<string, string> = { num_experts: e!, num_experts_per_tok: k! };
    for (const a of Array.from(row.attributes)) if (a.name.startsWith('data-')) fields[a.name.slice(5)] ??= a.value;
    loadArchitecture(fields);
    finishOpen(row);
    return;
  }
  const set = (id: string, v: string | undefined) => {
    const input = document.getElementById(id) as HTMLInputElement | null;
    if (input && v !== undefined) {
      input.value = v;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  };
  set('calc-experts', e);
  set('calc-top-k', k);
  set('calc-expert-params', x);
  set('calc-shared', s);
  finishOpen(row);
}

function finishOpen(row: HTMLElement): void {
  const label = document.getElementById('calc-loaded');
  if (label)
    label.textContent = `Loaded ${row.getAttribute('data-id') ?? ''}${row.getAttribute('data-design') ? ` (${row.getAttribute('data-design')})` : ''}.`;
  document.getElementById('calculator')?.scrollIntoView({ block: 'start' });
}

function wireTables(): void {
  for (const table of Array.from(document.querySelectorAll<HTMLTableElement>('table.sortable'))) {
    for (const th of Array.from(table.tHead?.rows[0]?.cells ?? [])) {
      if (th.classList.contains('nosort')) continue;
      th.tabIndex = 0;
      th.addEventListener('click', () => sortTable(table, th));
      th.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') sortTable(table, th);
      });
    }
  }
  document.addEventListener('click', (ev) => {
    const button = (ev.target as Element | null)?.closest?.('button[data-action]');
    const row = button?.closest('tr') as HTMLElement | null | undefined;
    if (!button || !row) return;
    if (button.getAttribute('data-action') === 'yaml') copyYaml(row);
    else if (button.getAttribute('data-action') === 'calc') openInCalculator(row);
  });
}

async function main(): Promise<void> {
  // When the page's script starts: what came before is loading and parsing the page.
  performance.mark('moe-sweep-script');
  document.documentElement.classList.add('js');
  wireTables();
  loadArchitecture = wireArchitectureCalculator();
  const scripts = Array.from(document.querySelectorAll<HTMLScriptElement>('script.vega-live'));
  await Promise.all(scripts.map((s, i) => start(s, i)));
  document.documentElement.setAttribute('data-live', String(lives.length));
  // When every chart is live, for the browser test's load-time guard.
  performance.mark('moe-sweep-live');
}

void main().catch((err: unknown) => {
  document.documentElement.setAttribute('data-live-error', String(err));
  throw err;
});
