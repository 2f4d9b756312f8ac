// The report's serving views, for specs with `serving:` (and `hardware:`): memory (weights and KV
// cache) of the front and the compared presets, the decode estimate and bound and the time per
// output token against batch, and how
// active parameters and that estimate move with top-k for one design. The numbers are computed
// beforehand (report/data.ts, by evaluateDesign, the function behind the CSV's serving columns);
// these functions only lay them out as charts.
import type { TopLevelSpec } from 'vega-lite';
import type { Design } from '../../metrics/design.js';
import type { SweepResult } from '../../sweep/types.js';
import { formatBytes, formatCount } from '../../formats/units.js';
import type { CalibrationResult } from './calibration.js';

const GB = 1e9;
const WIDTH = 860;

/** A design of the memory chart, with its evaluation under the spec. */
export interface ServedBar extends Design {
  label: string;
  weight_bytes: number;
  kv_cache_bytes: number;
}

/** One point of the decode-throughput chart. */
export interface ThroughputPoint {
  design: string;
  batch: number;
  /** the estimate, decode_tokens_per_s */
  tokens: number;
  /** what binds the estimate */
  bound: string;
  /** the upper bound, decode_bound_tokens_per_s */
  bound_tokens: number;
  tpot_ms: number;
  ttft_ms: number;
  saturated: boolean;
}

/** One point of the top-k chart. */
export interface TopKPoint {
  top_k: number;
  active: number;
  tokens: number | undefined;
  chosen: boolean;
}

/** What the serving views draw, computed before rendering. */
export interface ServingViews {
  /** The first front designs, then every compared preset. */
  bars: ServedBar[];
  /** Decode estimate, bound and TPOT per batch (with hardware); empty when no line has a point. */
  throughput: ThroughputPoint[];
  /** The calibration table: published measurements beside the estimate (with hardware). */
  calibration?: CalibrationResult[];
  /** The design the top-k chart varies, and its points. */
  topK?: { label: string; experts: number; top_k: number; values: TopKPoint[] };
}

export const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

export function memorySpec(result: SweepResult, views: ServingViews | undefined): TopLevelSpec | undefined {
  const spec = result.spec;
  if (!spec.serving || !views) return undefined;
  const rows = views.bars;
  if (rows.length === 0) return undefined;
  const values = rows.flatMap((d) => {
    const expertsBytes = d.experts * d.expert_params * spec.formats.experts;
    const parts = [
      ['routed experts', expertsBytes],
      ['everything else', d.weight_bytes - expertsBytes],
      ['KV cache', d.kv_cache_bytes],
    ] as const;
    return parts.map(([part, bytes], order) => ({
      design: d.label,
      part,
      order,
      gb: bytes / GB,
      text: formatBytes(bytes),
    }));
  });
  const budget = spec.hardware ? (spec.hardware.count * spec.hardware.memory_bytes) / GB : undefined;
  const x = {
    field: 'gb',
    type: 'quantitative' as const,
    title: 'GB (weights in the spec dtype, KV cache at the spec context and batch)',
    stack: 'zero',
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH - 180,
    title: {
      text: 'Memory: weights and KV cache',
      subtitle: `${spec.serving.batch} × ${spec.serving.context.toLocaleString('en-US')} tokens, KV in ${spec.serving.kvDtype}${budget ? `; the rule is ${spec.hardware!.count} × ${spec.hardware!.gpu} (every GPU must fit its share too: see per_gpu_bytes)` : ''}`,
      anchor: 'start',
    },
    layer: [
      {
        data: { values },
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y: {
            field: 'design',
            type: 'nominal',
            title: null,
            sort: rows.map((r) => r.label),
            axis: { labelLimit: 250 },
          },
          x,
          color: {
            field: 'part',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['routed experts', 'everything else', 'KV cache'],
              range: ['#4c78a8', '#9ecae9', '#f58518'],
            },
            legend: { orient: 'bottom' },
          },
          order: { field: 'order' },
          tooltip: [{ field: 'design' }, { field: 'part' }, { field: 'text', title: 'bytes' }],
        },
      },
      ...(budget
        ? [
            {
              data: { values: [{ gb: budget }] },
              mark: { type: 'rule', color: '#c0392b', strokeDash: [4, 3], strokeWidth: 1.5 },
              encoding: { x: { field: 'gb', type: 'quantitative' } },
            },
          ]
        : []),
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

/**
 * Decode tokens/s at batch 1 … 2048 for the compared presets and the first front design: the
 * estimate (solid) beside the bound (dashed), and below it the time per output token, with the
 * time to first token of one prompt in the tooltip.
 */
export function throughputSpec(result: SweepResult, views: ServingViews | undefined): TopLevelSpec | undefined {
  const spec = result.spec;
  if (!spec.serving || !spec.hardware || !views) return undefined;
  const points = views.throughput;
  if (points.length === 0) return undefined;
  const values = points.flatMap((p) => [
    { ...p, kind: 'estimate', value: p.tokens },
    { ...p, kind: 'bound', value: p.bound_tokens },
  ]);
  const x = {
    field: 'batch',
    type: 'quantitative' as const,
    title: 'batch (concurrent sequences)',
    scale: { type: 'log', base: 2 },
    axis: { values: BATCHES, format: 'd' },
  };
  const color = {
    field: 'design',
    type: 'nominal' as const,
    title: null,
    legend: { orient: 'bottom', columns: 2, labelLimit: 400 },
  };
  const tooltip = [
    { field: 'design' },
    { field: 'batch' },
    { field: 'tokens', title: 'estimate tokens/s', format: ',.0f' },
    { field: 'bound', title: 'binds' },
    { field: 'bound_tokens', title: 'bound tokens/s', format: ',.0f' },
    { field: 'tpot_ms', title: 'TPOT ms', format: ',.2f' },
    { field: 'ttft_ms', title: 'TTFT ms (one prompt, idle)', format: ',.1f' },
  ];
  const input = (result.spec.serving?.input ?? spec.serving.context).toLocaleString('en-US');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Decode on ${spec.hardware.count} × ${spec.hardware.gpu}: estimate and bound, time per output token`,
      subtitle: [
        `at ${spec.serving.context.toLocaleString('en-US')} tokens of context; solid: the estimate (decode_tokens_per_s), dashed: the bound (decode_bound_tokens_per_s)`,
        'a line stops where its weights and KV cache no longer fit every GPU; hollow points: past the saturation batch',
        `TTFT (tooltip) is one ${input}-token prompt on an idle deployment, the same at every batch`,
      ],
      anchor: 'start',
    },
    data: { values },
    vconcat: [
      {
        width: WIDTH - 180,
        height: 300,
        encoding: {
          x,
          y: {
            field: 'value',
            type: 'quantitative',
            title: 'decode tokens/s, all GPUs',
            scale: { type: 'log' },
            axis: { format: '~s' },
          },
          color,
          strokeDash: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['estimate', 'bound'],
              range: [
                [1, 0],
                [5, 3],
              ],
            },
            legend: { orient: 'bottom', symbolType: 'stroke' },
          },
          detail: { field: 'kind' },
        },
        layer: [
          { mark: { type: 'line', strokeWidth: 1.5 } },
          ...[false, true].map((saturated) => ({
            transform: [{ filter: `datum.kind === 'estimate' && ${saturated ? '' : '!'}datum.saturated` }],
            mark: { type: 'point', size: 36, filled: !saturated, opacity: 1 },
            encoding: { tooltip },
          })),
        ],
      },
      {
        width: WIDTH - 180,
        height: 200,
        transform: [{ filter: "datum.kind === 'estimate'" }],
        encoding: {
          x,
          y: { field: 'tpot_ms', type: 'quantitative', title: 'TPOT, ms per output token', scale: { type: 'log' } },
          color,
        },
        layer: [
          { mark: { type: 'line', strokeWidth: 1.5 } },
          { mark: { type: 'point', size: 30, filled: true }, encoding: { tooltip } },
        ],
      },
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

/** Active parameters and the decode estimate against top-k, everything else of one design fixed. */
export function topKSpec(result: SweepResult, views: ServingViews | undefined): TopLevelSpec | undefined {
  const spec = result.spec;
  if (!spec.serving || !views?.topK) return undefined;
  const { values, ...d } = views.topK;
  const x = {
    field: 'top_k',
    type: 'quantitative' as const,
    title: 'top-k (experts per token)',
    axis: { tickMinStep: 1, format: 'd' },
  };
  const panel = (field: string, title: string, format: string) => ({
    width: spec.hardware ? 420 : WIDTH - 180,
    height: 220,
    layer: [
      {
        mark: { type: 'line', color: '#4c78a8' },
        encoding: { x, y: { field, type: 'quantitative', title, axis: { format } } },
      },
      {
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          x,
          y: { field, type: 'quantitative' },
          color: { condition: { test: 'datum.chosen', value: '#f58518' }, value: '#4c78a8' },
          tooltip: [{ field: 'top_k' }, { field, format: ',.3~f' }],
        },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Top-k sensitivity of ${d.label}`,
      subtitle: `${d.experts} experts, every other size fixed; orange: the design's own top-k (${d.top_k})`,
      anchor: 'start',
    },
    data: { values },
    hconcat: [
      panel('active', 'active parameters, billions', '~s'),
      ...(spec.hardware ? [panel('tokens', 'decode tokens/s, estimate', '~s')] : []),
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

/** The calibration table's rows as the report prints them. */
export function calibrationRows(views: ServingViews | undefined) {
  return (views?.calibration ?? []).map((c) => ({
    model: c.row.model,
    unit: c.row.metric === 'decode' ? 'decode tok/s' : 'output tok/s/GPU',
    published: formatCount(c.row.published),
    estimate: formatCount(c.estimate),
    ratio: c.ratio.toFixed(2),
    bound: formatCount(c.bound),
    kind: c.row.calibration === false ? 'reference' : 'calibration',
    source: c.row.source,
    comparable: c.row.comparable,
  }));
}
