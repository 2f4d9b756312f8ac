// Vega-Lite specs for the report, compiled and rendered to SVG here so the report needs no script
// and no network to show them. vega and vega-lite are imported lazily: only commands that draw pay
// for loading them.
import type { TopLevelSpec } from 'vega-lite';
import type { SweepResult } from '../../sweep/types.js';

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

let chartModules: Promise<typeof import('./chart-modules.js')> | undefined;

/** Starts loading vega and vega-lite so it overlaps the evaluation instead of following it. */
export function preloadCharts(): void {
  chartModules ??= import('./chart-modules.js');
}

/**
 * Renders a chart to SVG text. vega numbers gradient ids with a counter that lives as long as the
 * process, so ids are renamed per chart: the same report comes out byte for byte however many were
 * rendered before it, and charts inlined in one page cannot collide.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  preloadCharts();
  const { vegaLite: vl, vega } = await chartModules!;
  // Warnings go nowhere: a report is no place for vega-lite's console chatter, and stderr is the user's.
  const { spec: compiled } = vl.compile(spec, { logger: vega.logger(vega.None) });
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const ids = new Map<string, string>();
    return svg.replace(/gradient_\d+/g, (id) => {
      if (!ids.has(id)) ids.set(id, `${idPrefix}-gradient-${ids.size}`);
      return ids.get(id)!;
    });
  } finally {
    view.finalize();
  }
}

interface Labelled {
  total: number;
  active: number;
  status: string;
  label: string;
  shape: string;
}

function labelled(result: SweepResult): Labelled[] {
  return [
    ...result.designs.map((d) => ({
      total: d.metrics.total_params / B,
      active: d.metrics.active_params / B,
      status: 'named design',
      label: d.name,
      shape: 'diamond',
    })),
    ...result.compare.map((p) => ({
      total: p.metrics.total_params / B,
      active: p.metrics.active_params / B,
      status: 'preset',
      label: p.name,
      shape: 'triangle-up',
    })),
  ];
}

const color = {
  field: 'status',
  type: 'nominal' as const,
  scale: { domain: STATUS_DOMAIN, range: STATUS_RANGE },
  legend: { title: null, orient: 'bottom' as const, symbolOpacity: 1 },
};

function labelLayers(values: Labelled[], x: object, y: object) {
  if (values.length === 0) return [];
  return [
    {
      data: { values },
      layer: [
        {
          mark: { type: 'point', filled: true, size: 90, stroke: 'white', strokeWidth: 0.8, opacity: 1 },
          encoding: { x, y, color, shape: { field: 'shape', type: 'nominal', scale: null, legend: null } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11 },
          encoding: { x, y, text: { field: 'label' }, color },
        },
      ],
    },
  ];
}

function frontValues(result: SweepResult) {
  return result.front
    .map((f) => ({ total: f.metrics.total_params / B, active: f.metrics.active_params / B, status: 'Pareto front' }))
    .sort((a, b) => a.total - b.total || a.active - b.active);
}

function frontLayers(result: SweepResult, x: object, y: object) {
  const values = frontValues(result);
  if (values.length === 0) return [];
  return [
    {
      data: { values },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: { x, y, color, order: { field: 'total', type: 'quantitative' } },
    },
    { data: { values }, mark: { type: 'circle', size: 42, opacity: 1 }, encoding: { x, y, color } },
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
  for (const v of [...marks, ...frontValues(result)]) {
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
      mark: { type: 'rect' },
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
      subtitle: 'log scales; the front holds the feasible designs that no other design beats on every objective',
      anchor: 'start',
    },
    layer: [...layers, ...frontLayers(result, x, y), ...labelLayers(marks, x, y)],
    config: {
      aria: (result.plot?.mode === 'points' ? result.plot.points.length : 0) < 2000,
      font: 'sans-serif',
      view: { stroke: '#ddd' },
    },
  } as TopLevelSpec;
}

/** The front up close, on linear axes, with the named designs and any preset that falls nearby. */
export function frontSpec(result: SweepResult): TopLevelSpec | undefined {
  const front = frontValues(result);
  if (front.length === 0) return undefined;
  const named = labelled(result).filter((l) => l.status === 'named design');
  const feasiblePoints =
    result.plot?.mode === 'points'
      ? result.plot.points
          .filter((p) => p.status === 'feasible')
          .map((p) => ({ total: p.total / B, active: p.active / B, status: 'feasible' }))
      : [];
  const core = [...front, ...named, ...feasiblePoints];
  const pad = (lo: number, hi: number): [number, number] => {
    const span = hi - lo || Math.abs(hi) * 0.1 || 1;
    return [Math.max(0, lo - span * 0.12), hi + span * 0.12]; // parameter counts are never negative
  };
  const xd = pad(Math.min(...core.map((v) => v.total)), Math.max(...core.map((v) => v.total)));
  const yd = pad(Math.min(...core.map((v) => v.active)), Math.max(...core.map((v) => v.active)));
  const nearby = labelled(result).filter(
    (l) => l.status === 'preset' && l.total >= xd[0] && l.total <= xd[1] && l.active >= yd[0] && l.active <= yd[1],
  );
  const x = {
    field: 'total',
    type: 'quantitative' as const,
    title: 'total parameters, billions',
    scale: { domain: xd, nice: false, zero: false },
  };
  const y = {
    field: 'active',
    type: 'quantitative' as const,
    title: 'active parameters per token, billions',
    scale: { domain: yd, nice: false, zero: false },
  };
  const layers: object[] = [];
  if (feasiblePoints.length)
    layers.push({
      data: { values: feasiblePoints },
      mark: { type: 'circle', size: 18, opacity: 0.6 },
      encoding: { x, y, color },
    });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: 340,
    title: {
      text: 'The Pareto front up close',
      subtitle: `linear scales${feasiblePoints.length ? '; every feasible design is drawn' : '; the feasible cloud is in the overview'}`,
      anchor: 'start',
    },
    layer: [...layers, ...frontLayers(result, x, y), ...labelLayers([...named, ...nearby], x, y)],
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
    layer: [
      {
        mark: { type: 'rect', stroke: '#e3e6eb', strokeWidth: 0.5 },
        encoding: {
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
