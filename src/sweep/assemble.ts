// Combining per-slice summaries into one result: counts, the global Pareto front, heatmap and plot data.
import type {
  Evaluated,
  DesignResult,
  PresetResult,
  FrontPoint,
  PlotPoint,
  PlotData,
  SweepCounts,
  SweepResult,
} from './types.js';
import { pointEvaluator, metricValue, evaluateNamed } from './design.js';
import { gridPoints, makePlan } from './plan.js';
import type { ChunkSummary, EvalPlan } from '../evaluate/plan.js';
import { paretoFront } from '../evaluate/pareto.js';
import type { NamedDesign, SweepSpec } from '../spec/types.js';

/** Re-evaluates the named designs and presets and combines per-slice summaries: what a merge of shards does. */
export function combineChunks(
  spec: SweepSpec,
  chunks: ChunkSummary[],
  workers: number,
  evaluateMs: number,
): SweepResult {
  const { designs, compare } = evaluateNamed(spec);
  return assemble(spec, makePlan(spec), [0, gridPoints(spec)], chunks, designs, compare, workers, evaluateMs);
}

export function assemble(
  spec: SweepSpec,
  plan: EvalPlan | undefined,
  range: [number, number],
  chunks: ChunkSummary[],
  designs: (NamedDesign & Evaluated)[],
  compare: PresetResult[],
  workers: number,
  evaluateMs: number,
  options: { plot?: boolean } = {},
): SweepResult {
  chunks.sort((a, b) => a.start - b.start);
  const nObj = spec.objectives.length;
  const violationCounts: Record<string, number> = Object.fromEntries(spec.constraints.map((c) => [c.name, 0]));
  const counts: SweepCounts = { points: range[1] - range[0], evaluated: 0, skipped: 0, feasible: 0, front: 0 };
  let heatmap: SweepResult['heatmap'];
  if (plan) {
    const cells = plan.axes.experts.length * plan.axes.top_k.length;
    heatmap = {
      experts: plan.axes.experts,
      top_k: plan.axes.top_k,
      evaluated: new Array<number>(cells).fill(0),
      feasible: new Array<number>(cells).fill(0),
    };
  }
  // Candidates for the global front: each chunk's local front (a globally non-dominated point is
  // non-dominated in its own chunk), then the feasible named designs.
  const candIndex: number[] = [];
  const cols: number[][] = spec.objectives.map(() => []);
  let binInfeasible: Float64Array | undefined;
  let binFeasible: Float64Array | undefined;
  for (const c of chunks) {
    counts.evaluated += c.evaluated;
    counts.feasible += c.feasible;
    spec.constraints.forEach((k, i) => (violationCounts[k.name]! += c.violations[i]!));
    for (let i = 0; i < c.cellEvaluated.length; i++) {
      heatmap!.evaluated[i]! += c.cellEvaluated[i]!;
      heatmap!.feasible[i]! += c.cellFeasible[i]!;
    }
    for (let i = 0; i < c.frontIndex.length; i++) {
      candIndex.push(c.frontIndex[i]!);
      for (let j = 0; j < nObj; j++) cols[j]!.push(c.frontObjectives[i * nObj + j]!);
    }
    if (c.bins && plan?.bins) {
      const half = plan.bins.nx * plan.bins.ny;
      binInfeasible ??= new Float64Array(half);
      binFeasible ??= new Float64Array(half);
      for (let i = 0; i < half; i++) {
        binInfeasible[i]! += c.bins[i]!;
        binFeasible[i]! += c.bins[half + i]!;
      }
    }
  }
  counts.skipped = counts.points - counts.evaluated;
  const gridCandidates = candIndex.length;
  designs.forEach((d) => {
    if (!d.feasible) return;
    candIndex.push(-1);
    spec.objectives.forEach((o, j) => cols[j]!.push((o.sense === 'min' ? 1 : -1) * metricValue(d, o.metric)));
  });
  const frontPos = paretoFront(cols, candIndex.length);
  const onFrontDesign = new Set<number>();
  const gridFront: number[] = [];
  const positions = designPositions(designs);
  for (const p of frontPos) {
    if (p < gridCandidates) gridFront.push(candIndex[p]!);
    else onFrontDesign.add(positions[p - gridCandidates]!);
  }
  gridFront.sort((a, b) => a - b);
  const designResults: DesignResult[] = designs.map((d, i) => ({ ...d, pareto: onFrontDesign.has(i) }));

  const front: FrontPoint[] = [];
  for (const i of onFrontDesign) {
    const d = designResults[i]!;
    front.push({
      design: d.name,
      experts: d.experts,
      top_k: d.top_k,
      expert_params: d.expert_params,
      shared_params: d.shared_params,
      metrics: d.metrics,
      quality: d.quality,
      serving: d.serving,
      training: d.training,
    });
  }
  const pointAt = plan ? pointEvaluator(spec, plan) : undefined;
  for (const index of gridFront) {
    const e = pointAt!(index)!;
    front.push({
      design: '',
      experts: e.experts,
      top_k: e.top_k,
      expert_params: e.expert_params,
      shared_params: e.shared_params,
      metrics: e.metrics,
      quality: e.quality,
      serving: e.serving,
      training: e.training,
      fields: e.fields,
    });
  }
  front.sort((a, b) => {
    for (const o of spec.objectives) {
      const diff = (o.sense === 'min' ? 1 : -1) * (metricValue(a, o.metric) - metricValue(b, o.metric));
      if (diff !== 0) return diff;
    }
    return 0;
  });
  counts.front = front.length;

  let plot: PlotData | undefined;
  if (plan && options.plot !== false) {
    if (plan.bins && binInfeasible && binFeasible)
      plot = { mode: 'bins', bins: plan.bins, infeasible: binInfeasible, feasible: binFeasible };
    else if (!plan.bins) plot = { mode: 'points', points: plotPoints(pointAt!, range, new Set(gridFront)) };
  }
  const frontGridIndex = Float64Array.from(gridFront);
  const feasibleBits = plan?.feasibleBits
    ? chunks.map((c) => ({ start: c.start, end: c.end, bits: c.feasibleBits! }))
    : undefined;
  return {
    spec,
    plan,
    counts,
    violationCounts,
    designs: designResults,
    compare,
    front,
    frontGridIndex,
    feasibleBits,
    range,
    slices: chunks,
    heatmap,
    plot,
    workers,
    timings: { evaluate_ms: Math.round(evaluateMs) },
  };
}

/** Positions in `designs` of the feasible ones, in order: the order their candidates were pushed. */
function designPositions(designs: readonly Evaluated[]): number[] {
  const out: number[] = [];
  designs.forEach((d, i) => d.feasible && out.push(i));
  return out;
}

function plotPoints(
  pointAt: (index: number) => Evaluated | null,
  range: [number, number],
  front: Set<number>,
): PlotPoint[] {
  const out: PlotPoint[] = [];
  for (let index = range[0]; index < range[1]; index++) {
    const e = pointAt(index);
    if (!e) continue;
    out.push({
      total: e.metrics.total_params,
      active: e.metrics.active_params,
      status: front.has(index) ? 'front' : e.feasible ? 'feasible' : 'infeasible',
      quality: e.quality,
    });
  }
  return out;
}
