// The kernel for architecture grids and serving columns over compiled counts (compiled.ts): what
// general.ts computes point by point module by module, computed from typed arrays.
//
// The grid is walked in blocks of its innermost dimensions (compiled-pass.ts holds the table). For a
// block, every figure that does not depend on top_k (the counts and facts, total, weight and VRAM
// bytes, the KV cache, the fullest GPU and its layout, the total's plot bin) is tabulated once, and
// the table serves every top_k value of the same outer fields: top_k changes no count, only which
// experts a token uses. A point then costs its active parameters, ratios, constraint mask and
// objectives. Each figure is the expression of pointMetricsInto, in the same order of operations,
// so the numbers are the same bit for bit (tests compare them). With hardware the table also holds
// each design's serving facts and its top_k-free layout figures (ServingEvaluator.layoutOf), and a
// point's serving slots come from ServingEvaluator.intoAt, only for feasible points when no
// constraint reads them. Constraints or objectives on any other metric (quality, training) take
// the full metric vector per point instead. CompiledCursor gives the CSV pass the same figures.
import { violationMask } from '../metrics/constraints.js';
import { SLOT } from '../metrics/registry.js';
import { C_IE, C_IK, C_OK, C_TOTAL_BIN, type Pass, designAt, passFor, serveAt } from './compiled-pass.js';
import { pointMetricsInto } from './general.js';
import type { ChunkSummary, EvalPlan } from './plan.js';

const TOTAL = SLOT.total_params;
const ACTIVE = SLOT.active_params;

export function evaluateCompiledChunk(plan: EvalPlan, start: number, end: number): ChunkSummary {
  const p = passFor(plan, start, end);
  if (end > start) {
    if (p.fast) blocks(p, start, end);
    else generic(p, start, end);
  }
  const [frontIndex, frontObjectives] = p.front.front();
  return {
    start,
    end,
    evaluated: p.evaluated,
    feasible: p.feasible,
    cellEvaluated: p.cellEvaluated,
    cellFeasible: p.cellFeasible,
    violations: p.violations,
    frontIndex,
    frontObjectives,
    bins: p.binCounts,
    feasibleBits: p.bits,
  };
}

/** Block by block: the table of the block's outer fields (rebuilt only when they change), then its points. */
function blocks(p: Pass, start: number, end: number): void {
  let index = start;
  while (index < end) {
    const blockBase = p.enter(index);
    const stop = Math.min(p.blockSize, end - blockBase);
    points(p, blockBase, index - blockBase, stop);
    index = blockBase + stop;
  }
}

/** The points [pos0, pos1) of the block at `blockBase`, from its table. */
function points(p: Pass, blockBase: number, pos0: number, pos1: number): void {
  const { table: t, eValues, kValues, nk, m, o, plan, front, cols, hw, lazy, prefill } = p;
  const { constraints, objectives } = plan;
  const nObj = objectives.length;
  const bins = plan.bins;
  const binCounts = p.binCounts;
  const bits = p.bits;
  const bitBase = p.sliceStart;
  const ieOuter = p.eDim >= 0 && p.eDim < p.inner ? p.prefixIdx[p.eDim]! : -1;
  const ikOuter = p.kDim >= 0 && p.kDim < p.inner ? p.prefixIdx[p.kDim]! : -1;
  for (let pos = pos0; pos < pos1; pos++) {
    const r = pos * cols;
    const ie = ieOuter >= 0 ? ieOuter : t[r + C_IE]!;
    const ik = ikOuter >= 0 ? ikOuter : t[r + C_IK]!;
    const e = eValues[ie]!;
    const k = kValues[ik]!;
    if (k > e) continue;
    const index = blockBase + pos;
    const cell = ie * nk + ik;
    const counted = t[r + C_OK] !== 0;
    if (!counted) {
      pointMetricsInto(m, plan, p.gp, p.serving, p.source.at(index)!, p.training);
    } else {
      designAt(p, r, e, k);
      if (hw && !lazy) serveAt(p, r, e, k, prefill);
    }
    const mask = violationMask(constraints, m, 0);
    p.evaluated++;
    p.cellEvaluated[cell]!++;
    if (mask === 0) {
      p.feasible++;
      p.cellFeasible[cell]!++;
      if (hw && lazy && counted) serveAt(p, r, e, k, prefill);
      for (let j = 0; j < nObj; j++) o[j] = objectives[j]!.sign * m[objectives[j]!.metric]!;
      front.add(index, o);
      if (bits) bits[(index - bitBase) >> 3]! |= 1 << ((index - bitBase) & 7);
    } else {
      for (let c = 0; c < constraints.length; c++) if (mask & (1 << c)) p.violations[c]!++;
    }
    if (binCounts && bins) {
      const totalBin = counted ? t[r + C_TOTAL_BIN]! : p.totalBin.of(m[TOTAL]!);
      const b = p.activeBin.of(m[ACTIVE]!) * bins.nx + totalBin;
      binCounts[(mask === 0 ? bins.nx * bins.ny : 0) + b]!++;
    }
  }
}

/** Any constraints and objectives: the full metric vector per point. */
function generic(p: Pass, start: number, end: number): void {
  const { m, o, plan, front, source } = p;
  const { constraints, objectives } = plan;
  const bins = plan.bins;
  const [eDim, kDim] = p.gp.cellDims;
  for (let index = start; index < end; index++) {
    const point = source.at(index);
    if (!point) continue;
    pointMetricsInto(m, plan, p.gp, p.serving, point, p.training);
    const mask = violationMask(constraints, m, 0);
    const idx = source.walker.idx;
    const cell = (eDim < 0 ? 0 : idx[eDim]!) * p.nk + (kDim < 0 ? 0 : idx[kDim]!);
    p.evaluated++;
    p.cellEvaluated[cell]!++;
    if (mask === 0) {
      p.feasible++;
      p.cellFeasible[cell]!++;
      for (let j = 0; j < objectives.length; j++) o[j] = objectives[j]!.sign * m[objectives[j]!.metric]!;
      front.add(index, o);
      if (p.bits) p.bits[(index - start) >> 3]! |= 1 << ((index - start) & 7);
    } else {
      for (let c = 0; c < constraints.length; c++) if (mask & (1 << c)) p.violations[c]!++;
    }
    if (p.binCounts && bins) {
      const b = p.activeBin.of(m[ACTIVE]!) * bins.nx + p.totalBin.of(m[TOTAL]!);
      p.binCounts[(mask === 0 ? bins.nx * bins.ny : 0) + b]!++;
    }
  }
}
