// The schema of data/serving-model.yaml, the constants of the decode and prefill estimate; what
// uses them lives in ./constants.ts. Only the catalogue's YAML reader loads this module (and zod).
import { z } from 'zod';
import { ENGINES, type EngineName } from './engines.js';

const fraction = z.number().gt(0).lte(1);
const sourced = <T extends z.ZodType>(value: T) =>
  z.strictObject({ value, source: z.string().min(1), fit: z.string().min(1) });
const link = z.strictObject({
  bytes_per_s: z.number().positive(),
  latency_s: z.number().positive(),
  source: z.string(),
});

const engine = z.discriminatedUnion('memory', [
  z.strictObject({ memory: z.literal('overhead'), chunk_tokens: z.null(), note: z.string() }),
  z.strictObject({
    memory: z.literal('fraction'),
    memory_fraction: fraction,
    reserve_bytes: z.number().nonnegative(),
    chunk_tokens: z.number().int().positive(),
    source: z.string(),
  }),
  z.strictObject({
    memory: z.literal('reserve'),
    reserve_gib_base: z.number().nonnegative(),
    reserve_gib_per_gpu: z.number().nonnegative(),
    reserve_gib_dp_attention: z.number().nonnegative(),
    reserve_gib_speculative: z.number().nonnegative(),
    chunk_tokens: z.number().int().positive(),
    source: z.string(),
  }),
  z.strictObject({
    memory: z.literal('free'),
    memory_fraction: fraction,
    reserve_bytes: z.number().nonnegative(),
    chunk_tokens: z.number().int().positive(),
    source: z.string(),
  }),
]);

export const servingModelSchema = z.strictObject({
  schema_version: z.literal(1),
  achievable: z.strictObject({
    bandwidth: sourced(fraction),
    compute: sourced(fraction),
    link: sourced(fraction),
    cpu_bandwidth: sourced(fraction),
  }),
  layer_overhead_s: sourced(z.number().nonnegative()),
  inter_node: z.strictObject({
    gpus_per_node: z.number().int().positive(),
    bytes_per_s: z.number().positive(),
    latency_s: z.number().positive(),
    source: z.string(),
  }),
  interconnect: z.strictObject({ scale_up: link, pcie: link }),
  engines: z.strictObject(Object.fromEntries(ENGINES.map((e) => [e, engine])) as Record<EngineName, typeof engine>),
});

export type ServingModelConstants = z.infer<typeof servingModelSchema>;
export type EngineSpec = z.infer<typeof engine>;

/** Validates the parsed YAML; the error lists every field at fault. */
export function parseServingModel(raw: unknown, file: string): ServingModelConstants {
  const r = servingModelSchema.safeParse(raw);
  if (!r.success)
    throw new Error(
      `${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}
