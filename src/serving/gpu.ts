/**
 * A GPU as the serving model sees it, and how one is chosen from a catalogue (data/gpus.yaml,
 * read by src/catalog/gpus.ts) or given inline as a custom object.
 *
 * Figures are per GPU in bytes, bytes/s and FLOP/s (dense tensor-core peaks); see the header of
 * data/gpus.yaml for the conventions and each entry's `source` and `note`.
 */
import { z } from 'zod';
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

const positive = (what: string) =>
  z.number({ error: `${what} must be a number` }).positive({ error: `${what} must be > 0` });

/** The fields of a GPU, shared by catalogue entries (src/catalog/gpus.ts) and custom GPUs. */
export const gpuShape = {
  id: z.string().min(1),
  name: z.string().min(1),
  vendor: z.string().optional(),
  memory_bytes: positive('memory_bytes'),
  bandwidth_bytes_per_s: positive('bandwidth_bytes_per_s'),
  bf16_flops_per_s: positive('bf16_flops_per_s'),
  fp8_flops_per_s: positive('fp8_flops_per_s').nullable(),
  interconnect: z.string().optional(),
  link_bytes_per_s: positive('link_bytes_per_s').optional(),
  link_latency_s: positive('link_latency_s').optional(),
  source: z.string().optional(),
  note: z.string().optional(),
};

/** A custom GPU: id and name default to "custom"; fp8 defaults to null. */
const customGpu = z.strictObject({
  ...gpuShape,
  id: z.string().min(1).default('custom'),
  name: z.string().min(1).optional(),
  fp8_flops_per_s: positive('fp8_flops_per_s').nullable().default(null),
});

export class GpuError extends Error {
  override readonly name = 'GpuError';
}

export function gpuIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
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
 * A GPU by catalogue id (ignoring case, spaces and punctuation: "h100 sxm 80gb") or a custom
 * GPU object (id defaults to "custom", name to the id, fp8_flops_per_s to null).
 * @throws GpuError for an unknown id (listing the ids and the nearest) or an invalid object
 */
export function resolveGpu(idOrObject: string | Partial<Gpu>, catalogue: readonly Gpu[]): Gpu {
  if (typeof idOrObject === 'string') {
    const q = gpuIdKey(idOrObject);
    const hit = catalogue.find((g) => gpuIdKey(g.id) === q);
    if (hit) return hit;
    const near = nearestGpuId(idOrObject.trim(), catalogue);
    throw new GpuError(
      `unknown GPU "${idOrObject}"${near ? `; did you mean "${near}"?` : ''} ` +
        `Known GPUs: ${catalogue.map((g) => g.id).join(', ')}`,
    );
  }
  const r = customGpu.safeParse(idOrObject);
  if (!r.success) throw new GpuError(`invalid custom GPU: ${gpuIssues(r.error)}`);
  return stripUndefined({ ...r.data, name: r.data.name ?? r.data.id });
}
