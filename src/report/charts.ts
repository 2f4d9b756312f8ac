// Vega-Lite specs for the report, compiled and rendered to SVG here so the report needs no script
// and no network to show them. vega and vega-lite are imported lazily: only commands that draw pay
// for loading them.
import type { TopLevelSpec } from 'vega-lite';
import type { SweepResult } from '../sweep.js';

const B = 1e9;
const COLORS = {
  infeasible: '#c8ccd2',
  feasible: '#4c78a8',
  front: '#f58518',
  design: '#111111',
  preset: '#8e44ad',
} as const;

const STATUS_DOMAIN = ['infeasible', 'feasible', 'Pareto front', 'named design', 'preset'];
const STATUS_RANGE = [COLORS.infeasible, COLORS.feasible, COLORS.front, COLORS.design, COLORS.preset];

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const { spec: compiled } = vl.compile(spec);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}


export function paretoSpec(result: SweepResult): TopLevelSpec {
  const layers: object[] = [];
  const scale = { type: 'log' as const, nice: false };
  const x = { field: 'total', type: 'quantitative' as const, title: 'total parameters (billions): memory', scale, axis: { grid: true } };
  const y = { field: 'active', type: 'quantitative' as const, title: 'active parameters per token (billions): compute', scale, axis: { grid: true } };
  const color = { field: 'status', type: 'nominal' as const, scale: { domain: STATUS_DOMAIN, range: STATUS_RANGE }, legend: { title: null, orient: 'bottom' as const } };
  const plot = result.plot;

  if (plot?.mode === 'points') {
    const values = plot.points.filter((p) => p.status !== 'front').map((p) => ({ total: p.total / B, active: p.active / B, status: p.status }));
    layers.push({
      data: { values },
      mark: { type: 'circle', size: 14, opacity: 0.75 },
      encoding: { x, y, color },
    });
  } else if (plot?.mode === 'bins') {
    const { bins } = plot;
    const values: object[] = [];
    const dx = (bins.x1 - bins.x0) / bins.nx;
    const dy = (bins.y1 - bins.y0) / bins.ny;
    for (const [status, counts] of [['infeasible', plot.infeasible], ['feasible', plot.feasible]] as const) {
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
        x,
        x2: { field: 'total2' },
        y,
        y2: { field: 'active2' },
        color,
        opacity: { field: 'designs', type: 'quantitative', scale: { type: 'log', range: [0.25, 0.95] }, legend: { title: 'designs per cell', orient: 'bottom' } },
      },
    });
  }

  const front = result.front.map((f) => ({ total: f.metrics.total_params / B, active: f.metrics.active_params / B, status: 'Pareto front' }));
  if (front.length > 0) {
    const sorted = [...front].sort((a, b) => a.total - b.total || a.active - b.active);
    layers.push({ data: { values: sorted }, mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' }, encoding: { x, y, color, order: { field: 'total', type: 'quantitative' } } });
    layers.push({ data: { values: sorted }, mark: { type: 'circle', size: 36, opacity: 1 }, encoding: { x, y, color } });
  }
  const labelled = [
    ...result.designs.map((d) => ({ total: d.metrics.total_params / B, active: d.metrics.active_params / B, status: 'named design', label: d.name, shape: 'diamond' })),
    ...result.compare.map((p) => ({ total: p.metrics.total_params / B, active: p.metrics.active_params / B, status: 'preset', label: p.name, shape: 'triangle-up' })),
  ];
  if (labelled.length > 0) {
    layers.push({
      data: { values: labelled },
      layer: [
        { mark: { type: 'point', filled: true, size: 90, stroke: 'white', strokeWidth: 0.8 }, encoding: { x, y, color, shape: { field: 'shape', type: 'nominal', scale: null, legend: null } } },
        { mark: { type: 'text', align: 'left', dx: 7, dy: -6, fontSize: 11 }, encoding: { x, y, text: { field: 'label' }, color } },
      ],
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 760,
    height: 440,
    title: { text: 'Total vs active parameters', subtitle: 'each point is one design; the front holds the feasible designs no other design beats on every objective', anchor: 'start' },
    layer: layers,
    config: { aria: (result.plot?.mode === 'points' ? result.plot.points.length : 0) < 2000, font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

export function heatmapSpec(result: SweepResult): TopLevelSpec | undefined {
  const h = result.heatmap;
  if (!h) return undefined;
  const values: object[] = [];
  h.experts.forEach((e, ie) =>
    h.top_k.forEach((k, ik) => {
      const i = ie * h.top_k.length + ik;
      const evaluated = h.evaluated[i]!;
      if (evaluated === 0) return;
      const share = h.feasible[i]! / evaluated;
      values.push({ experts: e, top_k: k, share, label: share === 0 ? '0' : share < 0.001 ? '<0.1%' : `${(share * 100).toPrecision(2)}%` });
    }),
  );
  const x = { field: 'experts', type: 'ordinal' as const, title: 'routed experts', sort: h.experts };
  const y = { field: 'top_k', type: 'ordinal' as const, title: 'top-k (experts per token)', sort: [...h.top_k].reverse() };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Feasible share of each experts × top-k cell', subtitle: 'over the expert and shared sizes swept; blank cells have top-k > experts (skipped)', anchor: 'start' },
    width: Math.max(240, Math.min(760, h.experts.length * 64)),
    height: Math.max(160, Math.min(420, h.top_k.length * 30)),
    data: { values },
    encoding: { x, y },
    layer: [
      { mark: { type: 'rect' }, encoding: { color: { field: 'share', type: 'quantitative', title: 'feasible', scale: { scheme: 'blues', domain: [0, 1] }, legend: { format: '.0%' } } } },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'label' },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#333' },
        },
      },
    ],
    config: { font: 'sans-serif', axis: { labelAngle: 0 }, view: { stroke: null } },
  } as TopLevelSpec;
}

