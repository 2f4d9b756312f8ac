// Parallel coordinates of the feasible designs: an axis per swept field and per objective or
// constrained metric, a line per design. Every front design is drawn; the other feasible designs
// are a deterministic sample of at most PARALLEL_SAMPLE (every k-th feasible grid index), evaluated
// again here by index, since the sweep keeps only which points are feasible.
import type { TopLevelSpec } from 'vega-lite';
import { formatCount } from '../../formats/units.js';
import { pointEvaluator } from '../../sweep/design.js';
import type { SweepResult } from '../../sweep/types.js';
import { itemLabels } from './charts.js';
import { type FrontRecord, frontRecord, metricAxis, recordFiller, recordMetrics, sweptFields } from './front.js';

/** Feasible designs drawn besides the front; past it, every k-th one. */
export const PARALLEL_SAMPLE = 500;

export interface ParallelData {
  fields: string[];
  rows: FrontRecord[];
  /** Feasible designs in the grid, and how many of those off the front are drawn. */
  feasible: number;
  sampled: number;
}

/** Every k-th feasible grid index off the front, k the smallest stride that keeps at most `limit`. */
export function sampleFeasible(result: SweepResult, limit: number): number[] {
  const bits = result.feasibleBits;
  if (!bits) return [];
  const onFront = new Set(result.frontGridIndex);
  const total = result.counts.feasible - onFront.size;
  if (total <= 0) return [];
  const stride = Math.max(1, Math.ceil(total / limit));
  const out: number[] = [];
  let seen = 0;
  for (const { start, end, bits: b } of bits) {
    for (let byte = 0; byte < b.length; byte++) {
      const v = b[byte]!;
      if (v === 0) continue;
      for (let bit = 0; bit < 8; bit++) {
        if (!(v & (1 << bit))) continue;
        const index = start + byte * 8 + bit;
        if (index >= end || onFront.has(index)) continue;
        if (seen++ % stride === 0) out.push(index);
      }
    }
  }
  return out;
}

export function parallelData(result: SweepResult): ParallelData | undefined {
  if (result.front.length === 0) return undefined;
  const fields = [...sweptFields(result), ...recordMetrics(result)];
  const fill = recordFiller(result);
  const front = result.front.map((f, i) => ({ ...frontRecord(result, f, i, fill), front: 'Pareto front' }));
  const sample = result.plan ? sampleFeasible(result, PARALLEL_SAMPLE) : [];
  const at = sample.length ? pointEvaluator(result.spec, result.plan!) : undefined;
  const rows: FrontRecord[] = [];
  for (const index of sample) {
    const d = at!(index);
    if (!d) continue;
    const r: FrontRecord = { id: `grid-${index}`, design: '', total: 0, active: 0, front: 'feasible' };
    fill(r, d);
    rows.push(r);
  }
  // Sampled lines first, so the front is drawn over them.
  return { fields, rows: [...rows, ...front], feasible: result.counts.feasible, sampled: rows.length };
}

/** An axis label: the field, and the unit when it is scaled. */
const title = (field: string) => {
  const { unit } = metricAxis(field);
  return unit ? `${field} (${unit})` : field;
};

/**
 * Each axis spans its own minimum to maximum (the value shown at its ends); a line is a design. An
 * interval brush on the lines (its x covers axes, its y a share of their spans) selects by value on
 * each covered axis: the page turns it into ranges (usermeta.live.parallel).
 */
export function parallelSpec(data: ParallelData | undefined): TopLevelSpec | undefined {
  if (!data || data.fields.length < 2) return undefined;
  const fields = data.fields.filter((f) => data.rows.some((r) => typeof r[f] === 'number'));
  const range: Record<string, [number, number]> = {};
  for (const f of fields) {
    const vs = data.rows.map((r) => r[f]).filter((v): v is number => typeof v === 'number');
    range[f] = [Math.min(...vs), Math.max(...vs)];
  }
  const x = {
    field: 'axis',
    type: 'nominal' as const,
    scale: { type: 'point' as const, padding: 0.2 },
    sort: fields,
    title: null,
    axis: {
      labelAngle: 0,
      domain: false,
      ticks: false,
      labelExpr: `${JSON.stringify(Object.fromEntries(fields.map((f) => [f, title(f)])))}[datum.value]`,
      labelFontSize: 9.5,
      labelLimit: 140,
    },
  };
  const y = { field: 'norm', type: 'quantitative' as const, axis: null, scale: { domain: [0, 1] } };
  const subtitle = `${data.sampled < data.feasible - (data.rows.length - data.sampled) ? `every front design and a sample of ${data.sampled.toLocaleString('en-US')} of the ${data.feasible.toLocaleString('en-US')} feasible designs (every k-th by grid index)` : 'every feasible design'}; each axis runs from its minimum (bottom) to its maximum (top); drag across axes to brush`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Swept fields and metrics of the feasible designs', subtitle, anchor: 'start' },
    width: Math.max(400, Math.min(980, fields.length * 125)),
    height: 300,
    params: [{ name: 'linked', value: null }],
    usermeta: { live: { linkKey: ['id'], parallel: { fields, range } } },
    layer: [
      {
        mark: { type: 'rule', color: '#c9ced6', tooltip: false },
        data: { values: fields.map((f) => ({ axis: f })) },
        encoding: { x },
      },
      {
        data: { values: data.rows },
        transform: [
          { fold: fields, as: ['axis', 'value'] },
          {
            calculate: `(datum.value - ${JSON.stringify(Object.fromEntries(fields.map((f) => [f, range[f]![0]])))}[datum.axis]) / max(1e-12, ${JSON.stringify(Object.fromEntries(fields.map((f) => [f, range[f]![1] - range[f]![0]])))}[datum.axis])`,
            as: 'norm',
          },
          // A design is drawn as one rule per pair of neighbouring axes, not as a line: vega-lite
          // draws a line per design through a facet, a dataflow of its own for every design, which
          // made this the slowest chart of a report (docs/performance.md).
          { calculate: `${JSON.stringify(Object.fromEntries(fields.map((f, i) => [f, i])))}[datum.axis]`, as: 'order' },
          {
            window: [
              { op: 'lead', field: 'axis', as: 'axis2' },
              { op: 'lead', field: 'norm', as: 'norm2' },
            ],
            groupby: ['id'],
            sort: [{ field: 'order' }],
          },
          { filter: 'datum.axis2 != null' },
        ],
        params: [
          {
            name: 'brushaxes',
            select: { type: 'interval', encodings: ['x', 'y'], clear: 'dblclick' },
          },
        ],
        mark: { type: 'rule', strokeWidth: 1, ...itemLabels(data.rows.length * (fields.length - 1)) },
        encoding: {
          x,
          y,
          x2: { field: 'axis2' },
          y2: { field: 'norm2' },
          color: {
            field: 'front',
            type: 'nominal',
            title: null,
            scale: { domain: ['feasible', 'Pareto front'], range: ['#4c78a8', '#f58518'] },
            legend: { orient: 'bottom' },
          },
          opacity: {
            condition: { test: 'isArray(linked) && indexof(linked, datum.id) < 0', value: 0.08 },
            value: 0.5,
          },
          strokeWidth: {
            condition: { test: 'isArray(linked) && indexof(linked, datum.id) >= 0', value: 2.5 },
            value: 1,
          },
          tooltip: [{ field: 'id' }, { field: 'axis' }, { field: 'value', format: '.4~g' }],
        },
      },
      {
        // The axis ends: minimum at the bottom, maximum at the top.
        data: {
          values: fields.flatMap((f) => [
            { axis: f, norm: 0, text: fmt(range[f]![0]) },
            { axis: f, norm: 1, text: fmt(range[f]![1]) },
          ]),
        },
        mark: { type: 'text', dx: 4, align: 'left', fontSize: 10, color: '#5d6675', tooltip: false },
        encoding: { x, y, text: { field: 'text' } },
      },
    ],
    config: { font: 'sans-serif', view: { stroke: null } },
  } as TopLevelSpec;
}

/** An axis end: counts of a million and more as 4B or 800M (swept parameter counts), others as they are. */
function fmt(v: number): string {
  return Math.abs(v) >= 1e6 ? formatCount(v) : String(Number(v.toPrecision(4)));
}
