// The report's serving views, for specs with `serving:` (and `hardware:`): memory (weights and KV
// cache) of the front and the compared presets, the decode tokens/s bound against batch, and how
// active parameters and that bound move with top-k for one design. Every number comes from
// evaluateDesign, the function behind the CSV's serving columns.
import type { TopLevelSpec } from 'vega-lite';
import type { Architecture } from '../../arch/types.js';
import type { Design } from '../../metrics/design.js';
import { evaluateDesign } from '../../sweep/design.js';
import type { SweepResult } from '../../sweep/types.js';
import { formatBytes, formatCount } from '../../formats/units.js';

const GB = 1e9;
const WIDTH = 860;
/** Rows of the memory chart: the first front designs, then every compared preset. */
const FRONT_BARS = 8;
const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

interface Served extends Design {
  label: string;
  architecture?: Architecture;
  /** Its evaluation under the spec (from the sweep's result, not evaluated again). */
  weight_bytes: number;
  kv_cache_bytes: number;
}

/** The front designs and compared presets with the architecture each is served with. */
function served(result: SweepResult): { front: Served[]; presets: Served[] } {
  const base = result.spec.architecture?.base;
  const front = result.front.slice(0, FRONT_BARS).map((f, i) => ({
    label: f.design || `front #${i + 1}: ${f.experts}×${f.top_k}, ${formatCount(f.metrics.active_params)} active`,
    experts: f.experts,
    top_k: f.top_k,
    expert_params: f.expert_params,
    shared_params: f.shared_params,
    weight_bytes: f.metrics.weight_bytes,
    kv_cache_bytes: f.serving!.kv_cache_bytes!,
    ...(base
      ? { architecture: { ...base, num_experts: f.experts, num_experts_per_tok: f.top_k, ...f.fields } as Architecture }
      : {}),
  }));
  const presets = result.compare.map((p) => ({
    label: p.name,
    experts: p.experts,
    top_k: p.top_k,
    expert_params: p.expert_params,
    shared_params: p.shared_params,
    architecture: p.architecture,
    weight_bytes: p.metrics.weight_bytes,
    kv_cache_bytes: p.serving!.kv_cache_bytes!,
  }));
  return { front, presets };
}

function withBatch(result: SweepResult, batch: number) {
  const spec = result.spec;
  return { ...spec, serving: { ...spec.serving!, batch } };
}

export function memorySpec(result: SweepResult): TopLevelSpec | undefined {
  const spec = result.spec;
  if (!spec.serving) return undefined;
  const { front, presets } = served(result);
  const rows = [...front, ...presets];
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

/** Decode tokens/s bound at batch 1 … 2048 for the compared presets and the first front design. */
export function throughputSpec(result: SweepResult): TopLevelSpec | undefined {
  const spec = result.spec;
  if (!spec.serving || !spec.hardware) return undefined;
  const { front, presets } = served(result);
  const lines = [...presets, ...front.slice(0, 1)];
  if (lines.length === 0) return undefined;
  // A batch whose KV cache no longer fits the GPUs is not a serving point: the lines stop there.
  const memory = spec.hardware.memory_bytes;
  const values = lines.flatMap((d) =>
    BATCHES.flatMap((batch) => {
      const s = evaluateDesign(withBatch(result, batch), d).serving!;
      return s.per_gpu_bytes! > memory
        ? []
        : [
            {
              design: d.label,
              batch,
              tokens: s.decode_tokens_per_s!,
              bound: s.decode_bound!,
              saturated: batch >= s.saturation_batch!,
            },
          ];
    }),
  );
  if (values.length === 0) return undefined;
  const x = {
    field: 'batch',
    type: 'quantitative' as const,
    title: 'batch (concurrent sequences)',
    scale: { type: 'log', base: 2 },
    axis: { values: BATCHES, format: 'd' },
  };
  const y = {
    field: 'tokens',
    type: 'quantitative' as const,
    title: 'decode tokens/s, upper bound',
    scale: { type: 'log' },
    axis: { format: '~s' },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH - 180,
    height: 320,
    title: {
      text: `Decode throughput bound on ${spec.hardware.count} × ${spec.hardware.gpu}`,
      subtitle: [
        `at ${spec.serving.context.toLocaleString('en-US')} tokens of context; a line stops where its weights and KV cache no longer fit every GPU`,
        'hollow points: past the saturation batch every step reads ~all experts, so decode costs like the total size',
      ],
      anchor: 'start',
    },
    data: { values },
    encoding: {
      x,
      y,
      color: {
        field: 'design',
        type: 'nominal',
        title: null,
        legend: { orient: 'bottom', columns: 2, labelLimit: 400 },
      },
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.5 } },
      ...[false, true].map((saturated) => ({
        transform: [{ filter: `${saturated ? '' : '!'}datum.saturated` }],
        mark: { type: 'point', size: 36, filled: !saturated, opacity: 1 },
        encoding: {
          tooltip: [
            { field: 'design' },
            { field: 'batch' },
            { field: 'tokens', format: ',.0f' },
            { field: 'bound', title: 'binds' },
          ],
        },
      })),
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

/** Active parameters and the decode bound against top-k, everything else of one design fixed. */
export function topKSpec(result: SweepResult): TopLevelSpec | undefined {
  const spec = result.spec;
  if (!spec.serving) return undefined;
  const { front, presets } = served(result);
  const d = front[0] ?? presets[0];
  if (!d) return undefined;
  const ks = Array.from({ length: Math.min(d.experts, Math.max(16, 2 * d.top_k)) }, (_, i) => i + 1);
  const values = ks.map((k) => {
    // top-k changes no parameter count and nothing the architecture tells the serving columns
    const e = evaluateDesign(spec, { ...d, top_k: k });
    return {
      top_k: k,
      active: e.metrics.active_params / GB,
      tokens: e.serving?.decode_tokens_per_s,
      chosen: k === d.top_k,
    };
  });
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
      ...(spec.hardware ? [panel('tokens', 'decode tokens/s, upper bound', '~s')] : []),
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}
