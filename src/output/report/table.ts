// The front table: one row per front design with its swept fields, its metrics, the values the
// page's selections test (data-* attributes, in the charts' units: see front.ts), and the text of
// its "copy as YAML" action, a `designs:` entry the spec loader accepts.
import { stringify } from 'yaml';
import { formatBytes, formatCount, formatPercent } from '../../formats/units.js';
import type { FrontPoint, SweepResult } from '../../sweep/types.js';
import { frontRecord, METRIC_KIND, metricValue, recordFiller, recordMetrics, sweptFields } from './front.js';

export interface Column {
  label: string;
  /** Sorted as numbers (by each cell's data-sort). */
  num: boolean;
}

export interface Cell {
  text: string;
  sort?: number;
  /** A left-aligned text cell. */
  text_cell?: boolean;
}

export interface FrontTable {
  columns: Column[];
  rows: { attrs: string; cells: Cell[] }[];
}

function formatMetric(id: string, v: number): string {
  const kind = METRIC_KIND[id];
  if (kind === 'bytes') return formatBytes(v);
  if (kind === 'ratio') return formatPercent(v);
  return formatCount(v);
}

/** Columns the table always has, with the metric each shows. */
const METRIC_COLUMNS: [string, string][] = [
  ['total', 'total_params'],
  ['active', 'active_params'],
  ['active/total', 'active_ratio'],
  ['sparsity', 'expert_sparsity'],
  ['FLOPs/token', 'flops_per_token'],
  ['weights', 'weight_bytes'],
  ['VRAM', 'vram_bytes'],
];

/** The training-cost columns every front row shows when the spec has training hardware. */
const TRAINING_COLUMNS = ['train_gpu_hours', 'train_days', 'train_cost', 'train_memory_per_gpu'];

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Front design i as a `designs:` entry: the four numbers, or for an architecture sweep the spec's
 * `architecture:` as written with the design's experts, top-k and swept fields set.
 */
export function designYaml(result: SweepResult, f: FrontPoint, i: number): string {
  const name = f.design || `front-${i + 1}`;
  const arch = result.spec.architecture;
  const entry =
    arch?.axes && arch.written
      ? {
          name,
          architecture: {
            ...arch.written,
            num_experts: f.experts,
            num_experts_per_tok: f.top_k,
            ...f.fields,
          },
        }
      : {
          name,
          experts: f.experts,
          top_k: f.top_k,
          expert_params: f.expert_params,
          shared_params: f.shared_params,
        };
  return stringify([entry], { lineWidth: 0 });
}

export function frontTable(result: SweepResult, limit: number): FrontTable {
  const fields = sweptFields(result);
  const shown = new Set(METRIC_COLUMNS.map(([, id]) => id));
  const constrained = recordMetrics(result).filter((id) => !shown.has(id));
  // with training cost, its columns too (train_layout and the rest are in the training table)
  const training = result.spec.trainingCost ? TRAINING_COLUMNS.filter((id) => !constrained.includes(id)) : [];
  const extra = [...constrained, ...training];
  const columns: Column[] = [
    { label: 'design', num: false },
    ...fields.map((f) => ({ label: f === 'top_k' ? 'top-k' : f, num: true })),
    ...METRIC_COLUMNS.map(([label]) => ({ label, num: true })),
    ...extra.map((id) => ({ label: id, num: true })),
  ];
  const fill = recordFiller(result);
  const rows = result.front.slice(0, limit).map((f, i) => {
    const record = frontRecord(result, f, i, fill);
    const attrs = [
      ...Object.entries(record).map(([k, v]) => `data-${k}="${escapeAttr(String(v))}"`),
      `data-calc="${[f.experts, f.top_k, f.expert_params, f.shared_params].join(',')}"`,
      ...(result.spec.architecture?.axes ? ['data-arch=""'] : []),
      `data-yaml="${escapeAttr(designYaml(result, f, i))}"`,
    ].join(' ');
    const fieldCell = (field: string): Cell => {
      const v = (f as unknown as Record<string, number>)[field] ?? f.fields?.[field] ?? Number.NaN;
      const text = field === 'expert_params' || field === 'shared_params' ? formatCount(v) : String(v);
      return { text, sort: v };
    };
    const metricCell = (id: string): Cell => {
      const v = metricValue(f, id);
      return v === undefined ? { text: '' } : { text: formatMetric(id, v), sort: v };
    };
    const cells: Cell[] = [
      { text: f.design ? `${record.id} · ${f.design}` : record.id, text_cell: true },
      ...fields.map(fieldCell),
      ...METRIC_COLUMNS.map(([, id]) => metricCell(id)),
      ...extra.map(metricCell),
    ];
    return { attrs, cells };
  });
  return { columns, rows };
}
