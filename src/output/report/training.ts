// The report's training-cost section (specs whose `training:` names hardware): predicted loss against
// the training cost of the front, the named designs and the compared presets, coloured by a serving
// cost (the estimated decode tokens/s, with hardware:), and their training columns as a table.
import type { TopLevelSpec } from 'vega-lite';
import { formatBytes, formatCount, formatPercent } from '../../formats/units.js';
import { jointLoss } from '../../quality/index.js';
import type { Catalog } from '../../catalog/index.js';
import type { SweepResult } from '../../sweep/types.js';
import type { TrainingCostValues } from '../../metrics/training.js';

export interface TrainingRow {
  label: string;
  kind: 'front' | 'named design' | 'preset';
  /** predicted loss (nats/token, the joint law) */
  loss: number;
  /** train_cost, or GPU-hours when the spec gives no price */
  cost: number;
  /** estimated decode tokens/s on the serving hardware, when the spec serves */
  decode?: number;
  t: TrainingCostValues;
}

const FRONT_ROWS = 50;

export function trainingRows(result: SweepResult, laws: Catalog['laws']): TrainingRow[] {
  const { spec } = result;
  if (!spec.trainingCost || !spec.training) return [];
  const training = spec.training;
  const priced = !Number.isNaN(spec.trainingCost.price);
  const rows: TrainingRow[] = [];
  const add = (
    label: string,
    kind: TrainingRow['kind'],
    d: Pick<SweepResult['front'][number], 'experts' | 'top_k' | 'metrics' | 'serving' | 'training'>,
  ) => {
    if (!d.training) return;
    const active = d.metrics.active_params;
    const tokens = training.tokens ?? training.flops! / (6 * active);
    const decode = d.serving?.decode_tokens_per_s;
    rows.push({
      label,
      kind,
      loss: jointLoss(active, tokens, d.experts / d.top_k, laws),
      cost: priced ? d.training.train_cost : d.training.train_gpu_hours,
      ...(decode !== undefined ? { decode } : {}),
      t: d.training,
    });
  };
  result.front.slice(0, FRONT_ROWS).forEach((f, n) => add(f.design || `front #${n + 1}`, 'front', f));
  for (const d of result.designs) if (!d.pareto) add(d.name, 'named design', d);
  for (const p of result.compare) add(p.name, 'preset', p);
  return rows;
}

export function trainingSpec(result: SweepResult, rows: TrainingRow[]): TopLevelSpec | undefined {
  const plan = result.spec.trainingCost;
  if (!plan || rows.length === 0) return undefined;
  const priced = !Number.isNaN(plan.price);
  const served = rows.some((r) => r.decode !== undefined);
  const values = rows.map((r) => ({
    label: r.label,
    kind: r.kind,
    loss: r.loss,
    cost: r.cost,
    decode: r.decode ?? null,
  }));
  const x = {
    field: 'cost',
    type: 'quantitative' as const,
    title: priced ? `training cost (at ${plan.price} per GPU-hour)` : 'training GPU-hours',
    scale: { type: 'log' as const, nice: false },
  };
  const y = {
    field: 'loss',
    type: 'quantitative' as const,
    title: 'predicted training loss, nats/token',
    scale: { zero: false },
  };
  const color = served
    ? {
        field: 'decode',
        type: 'quantitative' as const,
        title: 'decode tokens/s (estimate)',
        scale: { scheme: 'viridis' },
        legend: { orient: 'bottom' as const },
      }
    : {
        field: 'kind',
        type: 'nominal' as const,
        scale: { domain: ['front', 'named design', 'preset'], range: ['#f58518', '#111111', '#8e44ad'] },
        legend: { title: null, orient: 'bottom' as const },
      };
  const shape = {
    field: 'kind',
    type: 'nominal' as const,
    scale: { domain: ['front', 'named design', 'preset'], range: ['circle', 'square', 'diamond'] },
    legend: { title: null, orient: 'bottom' as const },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 860,
    height: 340,
    title: {
      text: 'Predicted quality vs training cost',
      subtitle: `${plan.count} × ${plan.gpu}, ${plan.gpuHours > 0 ? 'MFU implied by the GPU-hours' : `MFU ${formatPercent(plan.mfu)}`}; lower left is better${served ? '; colour: the estimated decode tokens/s on the serving hardware' : ''}`,
      anchor: 'start',
    },
    data: { values },
    layer: [
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { x, y, color, shape } },
      {
        transform: [{ filter: "datum.kind !== 'front'" }],
        mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

/** The rows for the template. */
export function trainingTable(rows: TrainingRow[]) {
  return rows.map((r) => ({
    label: r.label,
    kind: r.kind,
    loss: r.loss.toFixed(3),
    flops: r.t.train_flops.toExponential(2),
    mfu: formatPercent(r.t.train_mfu),
    hours: formatCount(r.t.train_gpu_hours),
    days: r.t.train_days.toFixed(1),
    cost: Number.isNaN(r.t.train_cost) ? '–' : formatCount(r.t.train_cost),
    layout: r.t.train_layout,
    memory: Number.isFinite(r.t.train_memory_per_gpu) ? formatBytes(r.t.train_memory_per_gpu) : '–',
    fits: r.t.train_fits,
    decode: r.decode === undefined ? '–' : formatCount(r.decode),
  }));
}
