// The piscina worker: evaluates or formats one slice of the grid. Typed arrays are moved, not copied.
import { Piscina } from 'piscina';
import type { EvalPlan } from '../evaluate/plan.js';
import { evaluateSlice } from '../evaluate/slice.js';
import type { CsvMode } from '../csv/columns.js';
import { formatIndicesBytes, formatSliceBytes } from '../csv/rows.js';

export type WorkerTask =
  | { kind: 'evaluate'; plan: EvalPlan; start: number; end: number }
  | { kind: 'csv'; plan: EvalPlan; start: number; end: number; mode: CsvMode; front: Float64Array }
  | { kind: 'csv-indices'; plan: EvalPlan; indices: Float64Array; front: Float64Array };

// The first ArrayBuffer an isolate detaches makes V8 throw away all optimised code that touches
// typed arrays. Here that would be the first slice's results moving to the main thread, just as the
// kernel had been optimised, costing a second round of compiling; detaching one now costs nothing.
const spent = new ArrayBuffer(8);
structuredClone(spent, { transfer: [spent] });

export default function run(task: WorkerTask): unknown {
  if (task.kind === 'evaluate') {
    const r = evaluateSlice(task.plan, task.start, task.end);
    const buffers = [
      r.cellEvaluated,
      r.cellFeasible,
      r.violations,
      r.frontIndex,
      r.frontObjectives,
      ...(r.bins ? [r.bins] : []),
      ...(r.feasibleBits ? [r.feasibleBits] : []),
    ].map((a) => a.buffer);
    // piscina's Transferable protocol: the value, plus the buffers to move with it.
    return Piscina.move({ [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: r } as unknown as Parameters<
      typeof Piscina.move
    >[0]);
  }
  const bytes =
    task.kind === 'csv'
      ? formatSliceBytes(task.plan, task.start, task.end, task.mode, task.front)
      : formatIndicesBytes(task.plan, task.indices, task.front);
  return Piscina.move(bytes);
}
