// The front designs as the page's live parts see them: one record per design, with the same field
// names and units in the charts' data, the front table's data-* attributes and the "copy as YAML"
// action, so a brush on a chart can select table rows by value and a row can find its marks.
import { PUBLIC_METRICS } from '../../metrics/registry.js';
import type { Evaluated, FrontPoint, SweepResult } from '../../sweep/types.js';
import { archColumns } from '../csv-file.js';

const B = 1e9;

/** How a metric is drawn: its value divided by `scale`, under `unit`. */
export interface Axis {
  field: string;
  title: string;
  scale: number;
  /** Short unit for tight labels: B (billions), GB, GFLOPs, or '' */
  unit: string;
}

/** Each public metric's kind (count, ratio, flops, bytes) by its id. */
export const METRIC_KIND = Object.fromEntries(PUBLIC_METRICS.map((m) => [m.id, m.kind])) as Record<string, string>;

/** A metric as an axis: parameter counts in billions, bytes in GB, everything else as it is. */
export function metricAxis(id: string): Axis {
  const kind = METRIC_KIND[id];
  if (kind === 'count' && id.endsWith('_params')) return { field: id, title: `${id}, billions`, scale: B, unit: 'B' };
  if (kind === 'bytes') return { field: id, title: `${id}, GB`, scale: B, unit: 'GB' };
  if (kind === 'flops') return { field: id, title: `${id}, GFLOPs`, scale: B, unit: 'GFLOPs' };
  return { field: id, title: id, scale: 1, unit: '' };
}

/** A metric's value on a design: the design metrics, then the quality, serving and training-cost columns. */
export function metricValue(
  d: Pick<Evaluated, 'metrics' | 'quality' | 'serving' | 'training'>,
  id: string,
): number | undefined {
  const v =
    (d.metrics as unknown as Record<string, number>)[id] ??
    (d.quality as unknown as Record<string, number | null> | undefined)?.[id] ??
    (d.serving as Record<string, number | string> | undefined)?.[id] ??
    (d.training as Record<string, number | string | boolean> | undefined)?.[id];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The fields a front record carries besides its metrics: what the grid sweeps. */
export function sweptFields(result: SweepResult): string[] {
  return result.spec.architecture?.axes
    ? ['experts', 'top_k', ...archColumns(result.spec)]
    : ['experts', 'top_k', 'expert_params', 'shared_params'];
}

/** The metrics a record carries: the objectives and the constrained metrics, in the spec's order. */
export function recordMetrics(result: SweepResult): string[] {
  const ids = [...result.spec.objectives.map((o) => o.metric), ...result.spec.constraints.map((c) => c.name)];
  const known = new Set<string>(PUBLIC_METRICS.map((m) => m.id));
  return [...new Set(ids)].filter((id) => known.has(id));
}

export type FrontRecord = Record<string, string | number> & {
  id: string;
  design: string;
  total: number;
  active: number;
};

/**
 * Sets a record's swept fields and its objective and constrained metrics (in their axis units) from
 * a design; the lists are worked out once, for every record of one result.
 */
export function recordFiller(
  result: SweepResult,
): (r: FrontRecord, d: Pick<Evaluated, 'metrics' | 'quality' | 'serving' | 'training' | 'fields'>) => void {
  const fields = sweptFields(result);
  const metrics = recordMetrics(result).map((id) => [id, metricAxis(id).scale] as const);
  return (r, d) => {
    for (const field of fields) {
      const v = (d as unknown as Record<string, number>)[field] ?? d.fields?.[field];
      if (v !== undefined) r[field] = v;
    }
    for (const [id, scale] of metrics) {
      const v = metricValue(d, id);
      if (v !== undefined) r[id] = v / scale;
    }
  };
}

/**
 * Front design i as a record: `id` ("front-1" …), `design` (a named design's name or ''), the swept
 * fields, `total` and `active` in billions (the overview's axes), and every objective and
 * constrained metric in its axis units. A caller making many passes `fill` from recordFiller.
 */
export function frontRecord(
  result: SweepResult,
  f: FrontPoint,
  i: number,
  fill: ReturnType<typeof recordFiller> = recordFiller(result),
): FrontRecord {
  const r: FrontRecord = {
    id: `front-${i + 1}`,
    design: f.design,
    total: f.metrics.total_params / B,
    active: f.metrics.active_params / B,
  };
  fill(r, f);
  return r;
}
