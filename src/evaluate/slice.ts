// One entry point for evaluating a slice, whichever path evaluates the plan: the abstract kernel
// (kernel.ts) or the general one for architecture axes and serving columns (general.ts).
import { evaluateGeneralChunk } from './general.js';
import { evaluateChunk } from './kernel.js';
import type { ChunkSummary, EvalPlan } from './plan.js';

export function evaluateSlice(plan: EvalPlan, start: number, end: number): ChunkSummary {
  return plan.general ? evaluateGeneralChunk(plan, start, end) : evaluateChunk(plan, start, end);
}
