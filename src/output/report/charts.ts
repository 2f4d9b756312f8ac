// Vega-Lite specs for the report, compiled and rendered to SVG here so the report needs no script
// and no network to show them. vega and vega-lite are imported lazily: only commands that draw pay
// for loading them.
import type { TopLevelSpec } from 'vega-lite';
import type { Evaluated, SweepResult } from '../../sweep/types.js';
import { scriptJson } from './json.js';
import { frontRecord, metricAxis, metricValue, recordFiller } from './front.js';

const B = 1e9;
const COLORS = {
  infeasible: '#b9bec6',
  feasible: '#4c78a8',
  front: '#f58518',
  design: '#111111',
  preset: '#8e44ad',
} as const;

const STATUS_DOMAIN = ['infeasible', 'feasible', 'Pareto front', 'named design', 'preset'];
const STATUS_RANGE = [COLORS.infeasible, COLORS.feasible, COLORS.front, COLORS.design, COLORS.preset];
const WIDTH = 860;

/**
 * Past this many items a mark gets no label per item for screen readers (vega-lite's `aria`), only
 * the chart its title: hundreds of labels read one by one tell no one anything, the front table is
 * the readable form of the designs, and the labels were most of the SVG of a binned overview or a
 * large heatmap (and of the time to draw it).
 */
const LABELLED_ITEMS = 500;

/** A mark's `aria` property for `items` items: none (vega-lite's default, a label each) up to LABELLED_ITEMS. */
export const itemLabels = (items: number): { aria?: false } => (items < LABELLED_ITEMS ? {} : { aria: false });

let chartModules: Promise<typeof import('./chart-modules.js')> | undefined;

/** Starts loading vega and vega-lite so it overlaps the evaluation instead of following it. */
export function preloadCharts(): void {
  chartModules ??= import('./chart-modules.js');
}

/**
 * Renders a chart to SVG text, followed by its compiled Vega spec in a JSON data block: the static
 * SVG is the first paint and what prints, and the page's script (src/browser/report.ts) turns every
 * chart that carries a spec into a live view (tooltips on every mark, the chart's own selections).
 * vega numbers gradient ids with a counter that lives as long as the process, so ids are renamed
 * per chart: the same report comes out byte for byte however many were rendered before it, and
 * charts inlined in one page cannot collide.
 * (Each renamed id keeps its own number, so a clip and a gradient never share one.)
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const compiled = await compileChart(spec);
  const { vega } = await chartModules!;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const ids = new Map<string, string>();
    // Clip paths too: the live views number theirs from 1 in the page, next to these.
    const renamed = svg.replace(/\b(?:gradient_|clip)\d+\b/g, (id) => {
      if (!ids.has(id)) ids.set(id, `${idPrefix}-${id.startsWith('clip') ? 'clip' : 'gradient'}-${ids.size}`);
      return ids.get(id)!;
    });
    const { $schema: _, ...live } = compiled;
    passThroughBrushes(live.marks);
    return `${renamed}<script type="application/json" class="vega-live">${scriptJson(live)}</script>`;
  } finally {
    view.finalize();
  }
}

/** A chart's Vega spec as the report draws it: compiled by vega-lite, its names placed (placeNames). */
export async function compileChart(
  spec: TopLevelSpec,
): Promise<ReturnType<typeof import('vega-lite').compile>['spec']> {
  preloadCharts();
  const { vegaLite: vl, vega } = await chartModules!;
  // Warnings go nowhere: a report is no place for vega-lite's console chatter, and stderr is the user's.
  const { spec: compiled } = vl.compile(withTooltips(spec), { logger: vega.logger(vega.None) });
  placeNames(compiled.marks as VegaMark[] | undefined);
  return compiled;
}

/**
 * vega-lite draws an interval brush as a rectangle over the marks that takes the pointer (to drag
 * the brush along), so nothing under a brush could show its tooltip. Brushes here are redrawn, not
 * dragged: the rectangle lets the pointer through.
 */
function passThroughBrushes(marks: unknown[] | undefined): void {
  for (const m of (marks ?? []) as { name?: string; interactive?: boolean; marks?: unknown[] }[]) {
    if (m.name?.endsWith('_brush') && !m.name.endsWith('_brush_bg')) m.interactive = false;
    passThroughBrushes(m.marks);
  }
}

/** Every mark shows its datum on hover unless the spec says otherwise. */
function withTooltips(spec: TopLevelSpec): TopLevelSpec {
  const config = (spec.config ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return { ...spec, config: { ...config, mark: { tooltip: { content: 'data' }, ...config.mark } } } as TopLevelSpec;
}

/**
 * The two interval selections of a scatter: drag brushes (the page filters the front table by it
 * and highlights the brushed designs elsewhere), the wheel zooms, shift-drag pans, a double click
 * resets both. Put on the first layer drawn: selections belong to one unit of a layered chart.
 */
export function scatterParams(encodings: readonly ('x' | 'y')[] = ['x', 'y']): object[] {
  return [
    {
      name: 'zoom',
      select: {
        type: 'interval',
        encodings,
        zoom: 'wheel!',
        translate: '[pointerdown[event.shiftKey], window:pointerup] > window:pointermove!',
        clear: 'dblclick',
      },
      bind: 'scales',
    },
    {
      name: 'brush',
      select: {
        type: 'interval',
        encodings,
        on: '[pointerdown[!event.shiftKey], window:pointerup] > window:pointermove!',
        zoom: false,
        clear: 'dblclick',
      },
    },
  ];
}

/**
 * A top-level parameter the page sets to the keys of the designs another view selected (null: no
 * selection anywhere); `usermeta.live.linkKey` names the fields a key is made of.
 */
export const LINKED_PARAM = { name: 'linked', value: null };

/** The stroke that marks a datum whose key is in `linked`. */
function linkedStroke(keyExpr: string, width = 2) {
  const test = `isArray(linked) && indexof(linked, ${keyExpr}) >= 0`;
  return {
    stroke: { condition: { test, value: '#111111' }, value: null },
    strokeWidth: { condition: { test, value: width }, value: 0 },
  };
}

/** Adds the scatter selections to the first unit (a layer with a mark) of a layer list. */
function withScatterParams(layers: object[]): object[] {
  const [first, ...rest] = layers as Record<string, unknown>[];
  if (!first) return layers;
  if (Array.isArray(first.layer)) return [{ ...first, layer: withScatterParams(first.layer as object[]) }, ...rest];
  return [{ ...first, params: scatterParams() }, ...rest];
}

interface Labelled {
  total: number;
  active: number;
  status: string;
  label: string;
  shape: string;
}

/** What a named design's or preset's tooltip says besides its position: its numbers and verdict. */
function verdict(d: Evaluated) {
  return {
    experts: d.experts,
    top_k: d.top_k,
    expert_params: d.expert_params,
    shared_params: d.shared_params,
    ...d.fields,
    verdict: d.feasible ? 'feasible' : 'fails',
    ...(d.violations.length ? { fails: d.violations.join(', ') } : {}),
  };
}

function labelled(result: SweepResult): Labelled[] {
  return [
    ...result.designs.map((d) => ({
      label: d.name,
      total: d.metrics.total_params / B,
      active: d.metrics.active_params / B,
      status: 'named design',
      shape: 'diamond',
      ...verdict(d),
    })),
    ...result.compare.map((p) => ({
      label: p.name,
      total: p.metrics.total_params / B,
      active: p.metrics.active_params / B,
      status: 'preset',
      shape: 'triangle-up',
      ...verdict(p),
    })),
  ];
}

const color = {
  field: 'status',
  type: 'nominal' as const,
  scale: { domain: STATUS_DOMAIN, range: STATUS_RANGE },
  legend: { title: null, orient: 'bottom' as const, symbolOpacity: 1 },
};

/** Layer names that mark the labelled points and their names for placeNames(), below. */
const NAMED_POINTS = 'named_points';
const NAMES = 'named_points_names';

/**
 * Named designs and presets as marks with their names. Where each name goes is left to vega's label
 * transform (placeNames, once compiled): beside its mark, inside the plot, clear of every other name.
 */
function labelLayers(values: object[], x: object, y: object) {
  if (values.length === 0) return [];
  return [
    {
      data: { values },
      layer: [
        {
          name: NAMED_POINTS,
          mark: { type: 'point', filled: true, size: 90, stroke: 'white', strokeWidth: 0.8, opacity: 1 },
          encoding: { x, y, color, shape: { field: 'shape', type: 'nominal', scale: null, legend: null } },
        },
        { name: NAMES, mark: { type: 'text', fontSize: 11 }, encoding: { x, y, text: { field: 'label' }, color } },
      ],
    },
  ];
}

/** Where a name may go around its point, in the order tried: above right first, as a reader expects. */
const NAME_ANCHORS = ['top-right', 'right', 'bottom-right', 'top-left', 'left', 'bottom-left', 'top', 'bottom'];
/** Pixels between a point's centre and its name: clear of the point's mark (size 90 px², about 5.4 px out). */
const NAME_GAP = 7;

type VegaMark = {
  type: string;
  name?: string;
  encode?: { update?: Record<string, unknown> };
  transform?: object[];
  marks?: VegaMark[];
};

/**
 * Hands the names layer of labelLayers, as vega-lite compiled it (vega-lite has no label
 * transform), to vega's label transform: it places each name at the first of NAME_ANCHORS, NAME_GAP
 * pixels from its point, where it stays inside the plot and covers no other name and no named
 * point's centre, or hides a name it cannot place (its point keeps the tooltip). The names are a
 * mark over the points' data, not over the point marks: the transform then avoids the points as
 * positions, which needs no canvas to draw the marks into, and the SVG drawn in Node has none. The
 * page's live view runs the same spec, measuring text with the browser's fonts.
 */
function placeNames(marks: VegaMark[] | undefined): void {
  for (const m of marks ?? []) {
    if (m.name === `${NAMES}_marks` && m.type === 'text') {
      const { dx: _x, dy: _y, align: _a, baseline: _b, ...update } = m.encode?.update ?? {};
      m.encode = { ...m.encode, update };
      m.transform = [
        {
          type: 'label',
          size: { signal: '[width, height]' },
          anchor: NAME_ANCHORS,
          offset: [NAME_GAP],
          // Named designs are placed before presets, then left to right. Sorting on x also runs the
          // transform again when the points move (zoom, pan): it runs only when a parameter, the
          // items or its sort fields change, and without it a zoomed name sat on its point.
          sort: { field: ['datum.status', 'x'] },
        },
      ];
    }
    placeNames(m.marks);
  }
}

function frontValues(result: SweepResult) {
  const fill = recordFiller(result);
  return result.front
    .map((f, i) => ({ ...frontRecord(result, f, i, fill), status: 'Pareto front' }))
    .sort((a, b) => a.total - b.total || a.active - b.active);
}

/** The front as marks, no line: in total-vs-active space a front of other objectives zigzags. */
function frontLayers(values: ReturnType<typeof frontValues>, x: object, y: object) {
  if (values.length === 0) return [];
  return [
    {
      data: { values },
      mark: { type: 'circle', size: 42, opacity: 1 },
      encoding: { x, y, color, ...linkedStroke('datum.id') },
    },
  ];
}

/** A log domain padded by a quarter of a decade each side, so no mark sits on the frame. */
function logDomain(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return [lo / 10 ** 0.15, hi * 10 ** 0.15];
}

/** The whole design space: every design (or its density), the front, named designs and presets. */
export function overviewSpec(result: SweepResult): TopLevelSpec {
  const plot = result.plot;
  const layers: object[] = [];
  const extentX: number[] = [];
  const extentY: number[] = [];
  const marks = labelled(result);
  const front = frontValues(result);
  for (const v of [...marks, ...front]) {
    extentX.push(v.total);
    extentY.push(v.active);
  }
  if (plot?.mode === 'points') {
    const values = plot.points
      .filter((p) => p.status !== 'front')
      .map((p) => ({ total: p.total / B, active: p.active / B, status: p.status }));
    for (const v of values) {
      extentX.push(v.total);
      extentY.push(v.active);
    }
    layers.push({
      data: { values },
      mark: { type: 'circle', size: 14, opacity: 0.7 },
      encoding: { x: 'X', y: 'Y', color },
    });
  } else if (plot?.mode === 'bins') {
    const { bins } = plot;
    const values: object[] = [];
    const dx = (bins.x1 - bins.x0) / bins.nx;
    const dy = (bins.y1 - bins.y0) / bins.ny;
    extentX.push(10 ** bins.x0 / B, 10 ** bins.x1 / B);
    extentY.push(10 ** bins.y0 / B, 10 ** bins.y1 / B);
    for (const [status, counts] of [
      ['infeasible', plot.infeasible],
      ['feasible', plot.feasible],
    ] as const) {
      for (let by = 0; by < bins.ny; by++) {
        for (let bx = 0; bx < bins.nx; bx++) {
          const n = counts[by * bins.nx + bx]!;
          if (n === 0) continue;
          values.push({
            total: 10 ** (bins.x0 + bx * dx) / B,
            total2: 10 ** (bins.x0 + (bx + 1) * dx) / B,
            active: 10 ** (bins.y0 + by * dy) / B,
            active2: 10 ** (bins.y0 + (by + 1) * dy) / B,
            status,
            designs: n,
          });
        }
      }
    }
    layers.push({
      data: { values },
      mark: { type: 'rect', ...itemLabels(values.length) },
      encoding: {
        x: 'X',
        x2: { field: 'total2' },
        y: 'Y',
        y2: { field: 'active2' },
        color,
        opacity: { field: 'designs', type: 'quantitative', scale: { type: 'log', range: [0.3, 1] }, legend: null },
      },
    });
  }
  const x = {
    field: 'total',
    type: 'quantitative' as const,
    title: 'total parameters, billions (memory)',
    scale: { type: 'log' as const, domain: logDomain(extentX), nice: false },
  };
  const y = {
    field: 'active',
    type: 'quantitative' as const,
    title: 'active parameters per token, billions (compute)',
    scale: { type: 'log' as const, domain: logDomain(extentY), nice: false },
  };
  for (const l of layers as { encoding: Record<string, unknown> }[]) {
    l.encoding.x = x;
    l.encoding.y = y;
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: 440,
    title: {
      text: 'The design space: total vs active parameters',
      subtitle:
        'log scales; the front holds the feasible designs that no other design beats on its objectives (drawn in their own space below)',
      anchor: 'start',
    },
    params: [LINKED_PARAM],
    usermeta: { live: { linkKey: ['id'] } },
    layer: withScatterParams([...layers, ...frontLayers(front, x, y), ...labelLayers(marks, x, y)]),
    config: {
      aria: (result.plot?.mode === 'points' ? result.plot.points.length : 0) < LABELLED_ITEMS,
      font: 'sans-serif',
      view: { stroke: '#ddd' },
    },
  } as TopLevelSpec;
}

/** The 2-D Pareto front of points under two senses, sorted by x: the projection's own staircase. */
export function projectionFront<T>(
  points: T[],
  x: (p: T) => number,
  y: (p: T) => number,
  senses: readonly ['min' | 'max', 'min' | 'max'],
): T[] {
  const sx = senses[0] === 'min' ? 1 : -1;
  const sy = senses[1] === 'min' ? 1 : -1;
  // Best x first (ties: best y first); a point is on the front when its y beats every y before it.
  const sorted = [...points].sort((a, b) => sx * (x(a) - x(b)) || sy * (y(a) - y(b)));
  const front: T[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (const p of sorted) {
    if (sy * y(p) < best) {
      front.push(p);
      best = sy * y(p);
    }
  }
  return front.sort((a, b) => x(a) - x(b));
}

/**
 * The front in the space of its own objectives: the first two as axes, a third as colour. The
 * staircase joins the designs that are a front of the two axes alone (all of them with two
 * objectives): after each design along x the boundary keeps its y until the next design when x is
 * minimised (step-after), and takes the next design's y at once when x is maximised (step-before).
 * With one objective, total vs active up close.
 */
export function frontSpec(result: SweepResult): TopLevelSpec | undefined {
  const records = frontValues(result);
  if (records.length === 0) return undefined;
  const objectives = result.spec.objectives;
  const [ox, oy, oc] =
    objectives.length >= 2
      ? [
          metricAxis(objectives[0]!.metric),
          metricAxis(objectives[1]!.metric),
          objectives[2] && metricAxis(objectives[2].metric),
        ]
      : [
          { field: 'total', title: 'total parameters, billions', scale: B, unit: 'B' },
          { field: 'active', title: 'active parameters per token, billions', scale: B, unit: 'B' },
          undefined,
        ];
  const senses = [objectives[0]?.sense ?? 'min', objectives[1]?.sense ?? 'min'] as const;
  const has = (r: object) =>
    typeof (r as Record<string, unknown>)[ox.field] === 'number' &&
    typeof (r as Record<string, unknown>)[oy.field] === 'number';
  const front = records.filter(has);
  if (front.length === 0) return undefined;
  const named = [
    ...result.designs.map((d) => ({ d, status: 'named design', shape: 'diamond' })),
    ...result.compare.map((d) => ({ d, status: 'preset', shape: 'triangle-up' })),
  ]
    .map(({ d, status, shape }) => {
      const vx = ox.field === 'total' ? d.metrics.total_params : metricValue(d, ox.field);
      const vy = oy.field === 'active' ? d.metrics.active_params : metricValue(d, oy.field);
      if (vx === undefined || vy === undefined) return undefined;
      return { label: d.name, status, shape, [ox.field]: vx / ox.scale, [oy.field]: vy / oy.scale, ...verdict(d) };
    })
    .filter((v) => v !== undefined);
  const num = (r: object, f: string) => (r as Record<string, number>)[f]!;
  const core = [...front, ...named.filter((n) => n.status === 'named design')];
  const pad = (vals: number[]): [number, number] => {
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    const span = hi - lo || Math.abs(hi) * 0.1 || 1;
    return [lo - span * 0.12, hi + span * 0.12];
  };
  const xd = pad(core.map((r) => num(r, ox.field)));
  const yd = pad(core.map((r) => num(r, oy.field)));
  const nearby = named.filter(
    (n) =>
      n.status === 'named design' ||
      (num(n, ox.field) >= xd[0] &&
        num(n, ox.field) <= xd[1] &&
        num(n, oy.field) >= yd[0] &&
        num(n, oy.field) <= yd[1]),
  );
  const x = {
    field: ox.field,
    type: 'quantitative' as const,
    title: ox.title,
    scale: { domain: xd, nice: false, zero: false },
  };
  const y = {
    field: oy.field,
    type: 'quantitative' as const,
    title: oy.title,
    scale: { domain: yd, nice: false, zero: false },
  };
  const stairs =
    objectives.length >= 2
      ? projectionFront(
          front,
          (r) => num(r, ox.field),
          (r) => num(r, oy.field),
          senses,
        )
      : [];
  const pointColor = oc
    ? {
        field: oc.field,
        type: 'quantitative' as const,
        title: oc.title,
        scale: { scheme: 'viridis' },
        legend: { orient: 'right' as const },
      }
    : color;
  const layers: object[] = [
    {
      data: { values: front },
      params: scatterParams(),
      mark: { type: 'circle', size: 54, opacity: 1 },
      encoding: { x, y, color: pointColor, ...linkedStroke('datum.id', 2.5) },
    },
  ];
  if (stairs.length > 1)
    layers.unshift({
      data: {
        values: stairs.map((r) => ({
          [ox.field]: num(r, ox.field),
          [oy.field]: num(r, oy.field),
          status: 'Pareto front',
        })),
      },
      mark: {
        type: 'line',
        strokeWidth: 1.5,
        interpolate: senses[0] === 'min' ? 'step-after' : 'step-before',
        tooltip: false,
      },
      encoding: { x, y, color: { value: COLORS.front }, order: { field: ox.field, type: 'quantitative' } },
    });
  const subtitle =
    objectives.length >= 2
      ? `${objectives.map((o) => `${o.sense} ${o.metric}`).join(', ')}; ${
          objectives.length > 2
            ? `colour is ${oc!.field}; the staircase joins the designs that are a front of the two axes alone`
            : 'the staircase bounds what the front dominates'
        }; linear scales`
      : 'linear scales';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH - (oc ? 80 : 0),
    height: 340,
    title: { text: "The Pareto front in its objectives' space", subtitle, anchor: 'start' },
    params: [LINKED_PARAM],
    usermeta: { live: { linkKey: ['id'] } },
    layer: [...layers, ...labelLayers(nearby, x, y)],
    resolve: oc ? { scale: { color: 'independent' } } : undefined,
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

export function heatmapSpec(result: SweepResult): TopLevelSpec | undefined {
  const h = result.heatmap;
  if (!h) return undefined;
  const values: object[] = [];
  let maxShare = 0;
  h.experts.forEach((e, ie) =>
    h.top_k.forEach((k, ik) => {
      const i = ie * h.top_k.length + ik;
      const evaluated = h.evaluated[i]!;
      if (evaluated === 0) return;
      const share = h.feasible[i]! / evaluated;
      maxShare = Math.max(maxShare, share);
      values.push({
        experts: e,
        top_k: k,
        share,
        label: share === 0 ? '' : share < 0.001 ? '<.1%' : `${Number((share * 100).toPrecision(2))}%`,
      });
    }),
  );
  const cellWidth = Math.max(12, Math.min(64, Math.floor(WIDTH / h.experts.length)));
  const cellHeight = Math.max(12, Math.min(30, Math.floor(420 / h.top_k.length)));
  // Labels only where a cell is wide enough to hold "12%" at 9–10 px; otherwise colour alone.
  const showLabels = cellWidth >= 30 && cellHeight >= 14;
  const x = {
    field: 'experts',
    type: 'ordinal' as const,
    title: 'routed experts',
    sort: h.experts,
    axis: { labelAngle: 0, labelOverlap: 'parity' },
  };
  const y = {
    field: 'top_k',
    type: 'ordinal' as const,
    title: 'top-k (experts per token)',
    sort: [...h.top_k].reverse(),
  };
  const top = maxShare > 0 ? maxShare : 1;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Feasible share of each experts × top-k cell',
      subtitle:
        'over the expert and shared sizes swept; white cells have no feasible design; blank cells have top-k > experts (skipped)',
      anchor: 'start',
    },
    width: cellWidth * h.experts.length,
    height: cellHeight * h.top_k.length,
    data: { values },
    encoding: { x, y },
    params: [LINKED_PARAM],
    // A click selects the cell's experts x top-k (the page filters the front table by it); the
    // cells of designs brushed elsewhere get a dark outline.
    usermeta: { live: { linkKey: ['experts', 'top_k'] } },
    layer: [
      {
        params: [
          { name: 'pick', select: { type: 'point', fields: ['experts', 'top_k'], on: 'click', clear: 'dblclick' } },
        ],
        mark: { type: 'rect', stroke: '#e3e6eb', strokeWidth: 0.5, cursor: 'pointer', ...itemLabels(values.length) },
        encoding: {
          stroke: {
            condition: [
              { param: 'pick', empty: false, value: '#f58518' },
              { test: "isArray(linked) && indexof(linked, datum.experts + '|' + datum.top_k) >= 0", value: '#111111' },
            ],
            value: '#e3e6eb',
          },
          strokeWidth: {
            condition: [
              { param: 'pick', empty: false, value: 3 },
              { test: "isArray(linked) && indexof(linked, datum.experts + '|' + datum.top_k) >= 0", value: 2 },
            ],
            value: 0.5,
          },
          color: {
            condition: { test: 'datum.share === 0', value: '#ffffff' },
            field: 'share',
            type: 'quantitative',
            title: 'feasible',
            scale: { range: ['#deebf7', '#08306b'], domain: [0, top] },
            legend: { format: '.1%' },
          },
        },
      },
      ...(showLabels
        ? [
            {
              mark: { type: 'text', fontSize: 9.5 },
              encoding: {
                text: { field: 'label' },
                color: { condition: { test: `datum.share > ${top * 0.55}`, value: 'white' }, value: '#333' },
              },
            },
          ]
        : []),
    ],
    config: { font: 'sans-serif', view: { stroke: null } },
  } as TopLevelSpec;
}
