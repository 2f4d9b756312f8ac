// The evaluation plan of a spec: what the workers need to evaluate any slice of the grid.
import { FEASIBLE_BITS_LIMIT, PLOT_POINT_LIMIT } from './types.js';
import { isGeneral, generalSettings, metricIndex } from './design.js';
import type { PlotBins, EvalPlan } from '../evaluate/plan.js';
import { AXES, gridSize, type GridAxes } from '../grid/axes.js';
import { PointDecoder } from '../evaluate/general.js';
import { compileCounts } from '../evaluate/compile.js';
import type { SweepSpec } from '../spec/types.js';

const BINS_X = 64;
const BINS_Y = 48;

/** Points in the spec's grid: the abstract axes' product, or the architecture axes'. */
export function gridPoints(spec: Pick<SweepSpec, 'grid' | 'architecture'>): number {
  if (spec.grid) return gridSize(spec.grid);
  const axes = spec.architecture?.axes;
  return axes ? axes.reduce((n, a) => n * a.values.length, 1) : 0;
}

export function hasGrid(spec: Pick<SweepSpec, 'grid' | 'architecture'>): boolean {
  return spec.grid !== undefined || spec.architecture?.axes !== undefined;
}

function plotBins(axes: GridAxes): PlotBins {
  const lo = (a: number[]) => Math.min(...a);
  const hi = (a: number[]) => Math.max(...a);
  const pad = 1e-9;
  return {
    nx: BINS_X,
    ny: BINS_Y,
    x0: Math.log10(lo(axes.shared_params) + lo(axes.experts) * lo(axes.expert_params)) - pad,
    x1: Math.log10(hi(axes.shared_params) + hi(axes.experts) * hi(axes.expert_params)) + pad,
    y0: Math.log10(lo(axes.shared_params) + lo(axes.top_k) * lo(axes.expert_params)) - pad,
    y1: Math.log10(hi(axes.shared_params) + Math.min(hi(axes.top_k), hi(axes.experts)) * hi(axes.expert_params)) + pad,
  };
}

export interface PlanOptions {
  /** Fit compiled counts (default true); false counts every point module by module, for tests. */
  compiled?: boolean;
  /** Plot bins for the report (default true); false when no report is drawn. */
  plot?: boolean;
}

export function makePlan(spec: SweepSpec, options: PlanOptions = {}): EvalPlan | undefined {
  if (!hasGrid(spec)) return undefined;
  const size = gridPoints(spec);
  const base = spec.architecture?.base;
  const archAxes = spec.grid ? undefined : spec.architecture!.axes!;
  const axisOf = (field: string) => archAxes!.find((a) => a.field === field)?.values;
  const axes: GridAxes = spec.grid ?? {
    experts: axisOf('num_experts') ?? [base!.num_experts],
    top_k: axisOf('num_experts_per_tok') ?? [base!.num_experts_per_tok],
    expert_params: [],
    shared_params: [],
  };
  const plan: EvalPlan = {
    id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
    axes,
    bytesPerWeight: spec.bytesPerWeight,
    overhead: spec.overhead,
    constraints: spec.constraints,
    objectives: spec.objectives.map((o) => ({ metric: metricIndex(o.metric), sign: o.sense === 'min' ? 1 : -1 })),
    quality: spec.qualityPlan,
  };
  if (isGeneral(spec)) {
    const dims = spec.grid
      ? AXES.map((a) => ({ key: a as string, values: spec.grid![a] }))
      : archAxes!.map((a) => ({ key: a.field as string, values: a.values }));
    const at = (key: string) => dims.findIndex((d) => d.key === key);
    plan.general = {
      ...generalSettings(spec),
      dims,
      mode: spec.grid ? 'abstract' : 'architecture',
      cellDims: spec.grid ? [0, 1] : [at('num_experts'), at('num_experts_per_tok')],
      csvDims: spec.grid
        ? []
        : dims.flatMap((d, i) => (d.key === 'num_experts' || d.key === 'num_experts_per_tok' ? [] : [i])),
    };
    if (options.compiled !== false) plan.general.compiled = compileCounts(plan.general);
  }
  if (options.plot !== false && size > PLOT_POINT_LIMIT)
    plan.bins = spec.grid ? plotBins(spec.grid) : cornerBins(spec, plan);
  plan.feasibleBits = size <= FEASIBLE_BITS_LIMIT;
  return plan;
}

/**
 * Plot bins for an architecture grid, whose totals are known only point by point: the range of the
 * grid's corners (every field at its smallest or largest value), padded by a factor of two each
 * way; points outside land in the edge bins.
 */
function cornerBins(_spec: SweepSpec, plan: EvalPlan): PlotBins {
  const dims = plan.general!.dims;
  const decoder = new PointDecoder(plan.general!);
  const strides = dims.map((_, d) => dims.slice(d + 1).reduce((n, x) => n * x.values.length, 1));
  const totals: number[] = [];
  const actives: number[] = [];
  const corners = Math.min(1 << dims.length, 4096);
  for (let c = 0; c < corners; c++) {
    const index = dims.reduce((sum, dim, d) => sum + ((c >> d) & 1 ? dim.values.length - 1 : 0) * strides[d]!, 0);
    decoder.decode(index);
    const p = decoder.model();
    if (!p) continue;
    totals.push(p.shared_params + p.experts * p.expert_params);
    actives.push(p.shared_params + p.top_k * p.expert_params);
  }
  if (totals.length === 0) {
    totals.push(1);
    actives.push(1);
  }
  const pad = Math.log10(2);
  return {
    nx: BINS_X,
    ny: BINS_Y,
    x0: Math.log10(Math.min(...totals)) - pad,
    x1: Math.log10(Math.max(...totals)) + pad,
    y0: Math.log10(Math.min(...actives)) - pad,
    y1: Math.log10(Math.max(...actives)) + pad,
  };
}
