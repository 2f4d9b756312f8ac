// The worker pool. From compiled code the worker is the sibling .js file; from source (tsx, vitest)
// it is the .ts file, and workers need tsx's loader because Node 20 cannot strip types.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { ChunkSummary } from '../evaluate/plan.js';
import type { WorkerTask } from './worker.js';

function workerSpec(): { filename: string; execArgv?: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = new URL(`./worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  if (!fromSource) return { filename };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename, execArgv: ['--import', tsx] };
}

export { defaultWorkers } from './workers.js';

/**
 * Each worker's young generation, where V8 allocates new objects. Left to V8 it grows to tens of MB per
 * thread as the CSV pass builds its strings; capped at 4 MB, peak RSS of the 10^8-point bench sweep fell
 * from 425 MB to 316 MB (8 MB: 362, 16 MB: 380) for about 3 % more CPU time in the CSV-heavy runs
 * (docs/performance.md, "Memory").
 */
const YOUNG_GENERATION_MB = 4;

export class EvaluatorPool {
  private readonly pool: Piscina;

  constructor(readonly workers: number) {
    this.pool = new Piscina({
      ...workerSpec(),
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
  }

  evaluate(task: Extract<WorkerTask, { kind: 'evaluate' }>, signal?: AbortSignal): Promise<ChunkSummary> {
    return this.pool.run(task, { signal });
  }

  formatCsv(task: Extract<WorkerTask, { kind: 'csv' | 'csv-indices' }>, signal?: AbortSignal): Promise<Uint8Array> {
    return this.pool.run(task, { signal });
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
