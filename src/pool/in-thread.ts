// When a grid is evaluated on the calling thread instead of the worker pool. Starting the pool costs a
// fixed amount (threads, each loading the evaluator and compiling it from cold), which a small grid
// never earns back; the thresholds are where the two took the same time in whole-process runs on the
// benchmark machine (docs/performance.md, "Small grids"). Either way the output is byte-identical:
// the same functions evaluate and format the same slices.

/** Abstract points (experts × top_k × expert_params × shared_params, no serving) below which the pool is not started. */
export const IN_THREAD_ABSTRACT_POINTS = 200_000;
/** Points of the general path (architecture axes, serving columns), which cost more each (mostly their CSV rows). */
export const IN_THREAD_GENERAL_POINTS = 100_000;

/** Whether `points` grid points are evaluated (and their CSV rows formatted) without the pool. */
export function runsInThread(points: number, general: boolean): boolean {
  return points <= (general ? IN_THREAD_GENERAL_POINTS : IN_THREAD_ABSTRACT_POINTS);
}
