// One entry point for evaluating a slice, whichever path evaluates the plan: the abstract kernel
// (kernel.ts), or for architecture axes and serving columns the compiled kernel (compiled-kernel.ts)
// or, for a plan without compiled counts, the module-by-module one (general.ts).
import { evaluateCompiledChunk } from './compiled-kernel.js';
import { evaluateGeneralChunk } from './general.js';
import { evaluateChunk } from './kernel.js';
import type { ChunkSummary, EvalPlan } from './plan.js';

export function evaluateSlice(plan: EvalPlan, start: number, end: number): ChunkSummary {
  if (!plan.general) return evaluateChunk(plan, start, end);
  return plan.general.compiled ? evaluateCompiledChunk(plan, start, end) : evaluateGeneralChunk(plan, start, end);
}
