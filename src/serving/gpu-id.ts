/**
 * A GPU as the serving model sees it and how a catalogue id is looked up: what `calc --gpu ID`
 * needs, without the validation of a custom GPU object (./gpu.ts, which loads zod).
 */
import { editDistance } from '../findings/errors.js';

export interface Gpu {
  id: string;
  name: string;
  vendor?: string;
  /** device memory, bytes */
  memory_bytes: number;
  /** peak device-memory bandwidth, bytes/s */
  bandwidth_bytes_per_s: number;
  /** dense BF16 tensor FLOP/s */
  bf16_flops_per_s: number;
  /** dense FP8 tensor FLOP/s; null when the GPU has none */
  fp8_flops_per_s: number | null;
  interconnect?: string;
  /** one direction of the scale-up link (NVLink, Infinity Fabric, else PCIe), bytes/s; absent: by `interconnect` class */
  link_bytes_per_s?: number;
  /** latency of one collective over that link, seconds; absent: by `interconnect` class */
  link_latency_s?: number;
  /** vendor datasheet or product page */
  source?: string;
  /** how the figures were checked, caveats */
  note?: string;
}

export class GpuError extends Error {
  override readonly name = 'GpuError';
}

export function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export { editDistance };

/** Lower case, letters and digits only: "H100 sxm" and "h100-SXM" compare equal. */
export function gpuIdKey(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The catalogue id closest to `id`: ids containing the query (or contained in it) first, then
 * the smallest edit distance between the normalised forms; ties → catalogue order.
 */
export function nearestGpuId(id: string, catalogue: readonly Gpu[]): string | undefined {
  let best: string | undefined;
  let bestScore: [number, number] = [Infinity, Infinity];
  const q = gpuIdKey(id);
  for (const g of catalogue) {
    const c = gpuIdKey(g.id);
    const contains = q.length > 0 && (c.includes(q) || q.includes(c)) ? 0 : 1;
    const d = editDistance(q, c);
    if (contains < bestScore[0] || (contains === bestScore[0] && d < bestScore[1])) {
      bestScore = [contains, d];
      best = g.id;
    }
  }
  return best;
}

/**
 * The catalogue GPU with this id, ignoring case, spaces and punctuation ("h100 sxm 80gb").
 * @throws GpuError for an unknown id, listing the ids and the nearest
 */
export function gpuById(id: string, catalogue: readonly Gpu[]): Gpu {
  const q = gpuIdKey(id);
  const hit = catalogue.find((g) => gpuIdKey(g.id) === q);
  if (hit) return hit;
  const near = nearestGpuId(id.trim(), catalogue);
  throw new GpuError(
    `unknown GPU "${id}"${near ? `; did you mean "${near}"?` : ''} ` +
      `Known GPUs: ${catalogue.map((g) => g.id).join(', ')}`,
  );
}
