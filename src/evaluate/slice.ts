// One entry point per kind of work on a slice, whichever path evaluates the plan: the abstract
// kernel (chunk.ts) or the general one for architecture axes and serving columns (general.ts).
import type { CsvMode } from '../output/csv/columns.js';
import { evaluateChunk, formatCsvChunk, formatCsvIndices, type ChunkSummary, type EvalPlan } from './kernel.js';
import { evaluateGeneralChunk, formatGeneralRows, indexRange } from './general.js';

export function evaluateSlice(plan: EvalPlan, start: number, end: number): ChunkSummary {
  return plan.general ? evaluateGeneralChunk(plan, start, end) : evaluateChunk(plan, start, end);
}

export function formatSlice(plan: EvalPlan, start: number, end: number, mode: CsvMode, front: Float64Array): string {
  return plan.general
    ? formatGeneralRows(plan, indexRange(start, end), mode, front)
    : formatCsvChunk(plan, start, end, mode, front);
}

export function formatIndices(plan: EvalPlan, indices: Float64Array, front: Float64Array): string {
  return plan.general ? formatGeneralRows(plan, indices, 'all', front) : formatCsvIndices(plan, indices, front);
}
