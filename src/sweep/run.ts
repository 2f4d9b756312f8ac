// The sweep: named designs, compared presets and the grid evaluated under the spec's constraints.
import type { SweepResult, SweepOptions } from './types.js';
import { evaluateNamed } from './design.js';
import { gridPoints, makePlan } from './plan.js';
import { assemble } from './assemble.js';
import { chunkRanges, inOrder } from '../pool/scheduler.js';
import type { ChunkSummary } from '../evaluate/plan.js';
import { evaluateSlice } from '../evaluate/slice.js';
import { defaultWorkers } from '../pool/workers.js';
import { runsInThread } from '../pool/in-thread.js';
import type { SweepSpec } from '../spec/types.js';

export async function runSweep(spec: SweepSpec, options: SweepOptions = {}): Promise<SweepResult> {
  const started = performance.now();
  const { designs, compare } = evaluateNamed(spec);
  const plan = makePlan(spec, { plot: options.plot });
  const workers = Math.max(1, options.workers ?? options.pool?.workers ?? defaultWorkers());
  const range: [number, number] = options.range ?? [0, gridPoints(spec)];
  const size = range[1] - range[0];
  const chunks: ChunkSummary[] = [];
  const planned = performance.now();
  const inThread = plan !== undefined && size > 0 && !options.pool && runsInThread(size, plan.general !== undefined);

  if (plan && inThread) {
    // A small grid: on this thread, in one slice, without starting the pool. An interrupt arriving
    // meanwhile is seen when the slice is done, as the pool sees it between slices.
    options.signal?.throwIfAborted();
    chunks.push(evaluateSlice(plan, range[0], range[1]));
    options.signal?.throwIfAborted();
    options.onProgress?.(size, size, chunks[0]!.feasible);
  } else if (plan && size > 0) {
    const pool = options.pool ?? new (await import('../pool/pool.js')).EvaluatorPool(workers);
    try {
      let done = 0;
      let feasible = 0;
      await inOrder(
        chunkRanges(size, workers, undefined, undefined, range[0]),
        workers * 2,
        ([start, end]) => pool.evaluate({ kind: 'evaluate', plan, start, end }, options.signal),
        (chunk) => {
          chunks.push(chunk);
          done += chunk.end - chunk.start;
          feasible += chunk.feasible;
          options.onProgress?.(done, size, feasible);
        },
      );
    } finally {
      if (!options.pool) await pool.close();
    }
  }
  const evaluated = performance.now();
  // the worker threads that evaluated the grid: none when it was evaluated here, or when there is none
  const used = plan && size > 0 && !inThread ? workers : 0;
  const result = assemble(spec, plan, range, chunks, designs, compare, used, evaluated - planned, {
    plot: options.plot,
  });
  result.timings = {
    plan_ms: Math.round(planned - started),
    evaluate_ms: Math.round(evaluated - planned),
    merge_ms: Math.round(performance.now() - evaluated),
    ...(inThread ? { in_thread: true } : {}),
  };
  return result;
}

/** The same sweep on the calling thread: for tests and tiny grids. */
export function runSweepSync(spec: SweepSpec): SweepResult {
  const { designs, compare } = evaluateNamed(spec);
  const plan = makePlan(spec);
  const points = gridPoints(spec);
  const chunks = plan && points > 0 ? [evaluateSlice(plan, 0, points)] : [];
  return assemble(spec, plan, [0, points], chunks, designs, compare, 0, 0);
}
