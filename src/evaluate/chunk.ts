// Evaluating a slice [start, end) of the grid: the work a pool worker does. Pure and allocation-light;
// results are typed arrays so they can be transferred, not copied, back to the main thread.
import { violationMask, violationNames, type Constraint } from '../constraints.js';
import { gridRow, type CsvMode } from '../csv.js';
import type { GridAxes } from '../grid.js';
import { METRIC_COUNT, metricsInto, M } from '../metrics.js';
import { paretoFront } from '../pareto.js';

export interface PlotBins {
  /** Bins over log10(total_params) × log10(active_params). */
  nx: number;
  ny: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface EvalPlan {
  axes: GridAxes;
  bytesPerWeight: number;
  overhead: number;
  constraints: Constraint[];
  /** Metric positions to minimise; `sign` -1 turns a maximisation into a minimisation. */
  objectives: { metric: number; sign: 1 | -1 }[];
  bins?: PlotBins;
}

export interface ChunkSummary {
  start: number;
  end: number;
  evaluated: number;
  feasible: number;
  /** Per experts × top_k cell (experts-major): evaluated and feasible counts, for the heatmap. */
  cellEvaluated: Float64Array;
  cellFeasible: Float64Array;
  /** How many evaluated points fail each constraint. */
  violations: Float64Array;
  /** The chunk's own Pareto front: grid indices and their (signed) objective values, row-major. */
  frontIndex: Float64Array;
  frontObjectives: Float64Array;
  /** [infeasible bins…, feasible bins…] when the plan asks for bins. */
  bins?: Float64Array;
}

/** Calls `visit` for every non-skipped point of [start, end) in grid order, with its metric vector. */
function forEachPoint(
  plan: EvalPlan,
  start: number,
  end: number,
  visit: (index: number, e: number, k: number, m: Float64Array, mask: number) => void,
): void {
  const { experts, top_k, expert_params, shared_params } = plan.axes;
  const ns = shared_params.length;
  const nx = expert_params.length;
  const nk = top_k.length;
  let rest = start;
  let is = rest % ns;
  rest = (rest - is) / ns;
  let ix = rest % nx;
  rest = (rest - ix) / nx;
  let ik = rest % nk;
  let ie = (rest - ik) / nk;
  const m = new Float64Array(METRIC_COUNT);
  const { bytesPerWeight, overhead, constraints } = plan;
  for (let index = start; index < end; index++) {
    const e = experts[ie]!;
    const k = top_k[ik]!;
    if (k <= e) {
      metricsInto(m, 0, e, k, expert_params[ix]!, shared_params[is]!, bytesPerWeight, overhead);
      visit(index, ie, ik, m, violationMask(constraints, m, 0));
    }
    if (++is === ns) {
      is = 0;
      if (++ix === nx) {
        ix = 0;
        if (++ik === nk) {
          ik = 0;
          ie++;
        }
      }
    }
  }
}

class Growable {
  data = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

export function evaluateChunk(plan: EvalPlan, start: number, end: number): ChunkSummary {
  const nk = plan.axes.top_k.length;
  const cells = plan.axes.experts.length * nk;
  const cellEvaluated = new Float64Array(cells);
  const cellFeasible = new Float64Array(cells);
  const violations = new Float64Array(plan.constraints.length);
  const objectives = plan.objectives;
  const candIndex = new Growable();
  const candObj = objectives.map(() => new Growable());
  const bins = plan.bins;
  const binCounts = bins ? new Float64Array(2 * bins.nx * bins.ny) : undefined;
  let evaluated = 0;
  let feasible = 0;

  forEachPoint(plan, start, end, (index, ie, ik, m, mask) => {
    evaluated++;
    const cell = ie * nk + ik;
    cellEvaluated[cell]!++;
    if (mask === 0) {
      feasible++;
      cellFeasible[cell]!++;
      candIndex.push(index);
      for (let j = 0; j < objectives.length; j++) candObj[j]!.push(objectives[j]!.sign * m[objectives[j]!.metric]!);
    } else {
      for (let c = 0; c < violations.length; c++) if (mask & (1 << c)) violations[c]!++;
    }
    if (bins && binCounts) {
      const bx = binOf(Math.log10(m[M.total_params]!), bins.x0, bins.x1, bins.nx);
      const by = binOf(Math.log10(m[M.active_params]!), bins.y0, bins.y1, bins.ny);
      binCounts[(mask === 0 ? bins.nx * bins.ny : 0) + by * bins.nx + bx]!++;
    }
  });

  const cols = candObj.map((g) => g.data);
  const front = paretoFront(cols, candIndex.length);
  const frontIndex = new Float64Array(front.length);
  const frontObjectives = new Float64Array(front.length * objectives.length);
  front.forEach((p, i) => {
    frontIndex[i] = candIndex.data[p]!;
    for (let j = 0; j < objectives.length; j++) frontObjectives[i * objectives.length + j] = cols[j]![p]!;
  });
  return { start, end, evaluated, feasible, cellEvaluated, cellFeasible, violations, frontIndex, frontObjectives, bins: binCounts };
}

export function binOf(v: number, lo: number, hi: number, n: number): number {
  if (hi <= lo) return 0;
  const b = Math.floor(((v - lo) / (hi - lo)) * n);
  return b < 0 ? 0 : b >= n ? n - 1 : b;
}

/**
 * The CSV text of the rows of [start, end) that `mode` keeps. `front` holds the grid indices on the
 * global Pareto front that fall in this slice, ascending.
 */
export function formatCsvChunk(plan: EvalPlan, start: number, end: number, mode: CsvMode, front: Float64Array): string {
  const names = new Map<number, string>();
  const violationText = (mask: number) => {
    let t = names.get(mask);
    if (t === undefined) names.set(mask, (t = violationNames(plan.constraints, mask).join(';')));
    return t;
  };
  const { experts, top_k, expert_params, shared_params } = plan.axes;
  const ns = shared_params.length;
  const nx = expert_params.length;
  const parts: string[] = [];
  let f = 0;
  forEachPoint(plan, start, end, (index, ie, ik, m, mask) => {
    while (f < front.length && front[f]! < index) f++;
    const onFront = f < front.length && front[f] === index;
    if (mode === 'feasible' && mask !== 0) return;
    if (mode === 'pareto' && !onFront) return;
    const is = index % ns;
    const ix = ((index - is) / ns) % nx;
    parts.push(gridRow(experts[ie]!, top_k[ik]!, expert_params[ix]!, shared_params[is]!, m, mask === 0, onFront, violationText(mask)));
  });
  return parts.join('');
}
