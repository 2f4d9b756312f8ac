/**
 * A GPU as the serving model sees it, and how one is chosen from a catalogue (data/gpus.yaml,
 * read by src/catalog/gpus.ts) or given inline as a custom object.
 *
 * Figures are per GPU in bytes, bytes/s and FLOP/s (dense tensor-core peaks); see the header of
 * data/gpus.yaml for the conventions and each entry's `source` and `note`.
 */
import { z } from 'zod';
import { GpuError, gpuById, stripUndefined, type Gpu } from './gpu-id.js';

export { GpuError, editDistance, gpuById, gpuIdKey, nearestGpuId, stripUndefined, type Gpu } from './gpu-id.js';

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

export function gpuIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * A GPU by catalogue id (ignoring case, spaces and punctuation: "h100 sxm 80gb") or a custom
 * GPU object (id defaults to "custom", name to the id, fp8_flops_per_s to null).
 * @throws GpuError for an unknown id (listing the ids and the nearest) or an invalid object
 */
export function resolveGpu(idOrObject: string | Partial<Gpu>, catalogue: readonly Gpu[]): Gpu {
  if (typeof idOrObject === 'string') return gpuById(idOrObject, catalogue);
  const r = customGpu.safeParse(idOrObject);
  if (!r.success) throw new GpuError(`invalid custom GPU: ${gpuIssues(r.error)}`);
  return stripUndefined({ ...r.data, name: r.data.name ?? r.data.id });
}
