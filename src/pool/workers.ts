// The default worker count, apart from pool.ts so that choosing it does not load piscina.
import { availableParallelism } from 'node:os';

export function defaultWorkers(): number {
  return availableParallelism();
}
