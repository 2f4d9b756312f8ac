// The sweep spec's shape (version 1). This zod schema is the single source of truth: it validates
// specs and is turned into schema/sweep-spec.schema.json for editors (npm run schema).
// It checks shape only; units are turned into numbers and ranges checked in normalize.ts.
import { z } from 'zod';
import { BYTES_PATTERN, COUNT_PATTERN } from '../units.js';
import { DTYPES } from '../dtypes.js';
import { METRIC_IDS } from '../metrics.js';
import { QUALITY_METRICS } from '../quality-metrics.js';

export const COUNT_EXPECTED = 'expected a parameter count such as 30B, 0.5B, 800M or 3e10';
export const BYTES_EXPECTED = 'expected a memory size such as 640GB, 80GiB or 8e10';

const count = z
  .union([z.number(), z.string().regex(new RegExp(COUNT_PATTERN), { error: COUNT_EXPECTED })], {
    error: COUNT_EXPECTED,
  })
  .meta({ description: 'a parameter count: a plain number or one with a K, M, B or T suffix (x1e3..1e12)' });

const whole = z
  .number({ error: 'expected a whole number' })
  .meta({ description: 'a whole number' });

const bytes = z
  .union([z.number(), z.string().regex(new RegExp(BYTES_PATTERN), { error: BYTES_EXPECTED })], {
    error: BYTES_EXPECTED,
  })
  .meta({ description: 'a memory size: bytes, or with B KB MB GB TB (decimal) or KiB MiB GiB TiB (binary)' });

const ratio = z.number({ error: 'expected a number' });

function axis<T extends z.ZodType>(value: T, what: string) {
  const range = z.strictObject({
    from: value,
    to: value,
    step: value.optional().meta({ description: 'additive step (default 1); the range stops at the last value not above `to`' }),
    times: z.number({ error: 'expected a number greater than 1' }).optional().meta({ description: 'geometric factor: from, from×times, … up to `to`' }),
  });
  return z
    .union([value, z.array(value, { error: `expected a list of ${what}` }), range], {
      error: `expected ${what}: a value, a list [a, b, …] or a range {from, to, step} / {from, to, times}`,
    })
    .meta({ description: `${what}: a value, a list, or a range {from, to, step} / {from, to, times}` });
}

export const GridSchema = z.strictObject({
  experts: axis(whole, 'routed experts per MoE layer').meta({ description: 'routed experts per MoE layer' }),
  top_k: axis(whole, 'experts each token is routed to').meta({ description: 'experts each token is routed to' }),
  expert_params: axis(count, 'parameters of one routed expert, summed over all MoE layers'),
  shared_params: axis(count, 'parameters every token uses: embeddings, attention, norms, routers, shared experts, dense layers'),
});

const bound = <T extends z.ZodType>(value: T) =>
  z.strictObject({ min: value.optional(), max: value.optional() });

export const ConstraintsSchema = z.strictObject({
  total_params: bound(count).optional(),
  active_params: bound(count).optional(),
  active_ratio: bound(ratio).optional(),
  expert_sparsity: bound(ratio).optional(),
  compute_saving: bound(ratio).optional(),
  flops_per_token: bound(count).optional(),
  weight_bytes: bound(bytes).optional(),
  vram_bytes: bound(bytes).optional(),
  loss_delta_vs_dense: bound(z.number({ error: 'expected a loss difference in nats/token, such as -0.02' }))
    .optional()
    .meta({ description: 'needs training:; designs outside the scaling law\'s fitted range by more than 10x fail as quality_domain instead of being judged' }),
  dense_equivalent_params: bound(count).optional().meta({ description: 'needs training:' }),
  vram: z
    .strictObject({
      budget: bytes,
      overhead: z.number({ error: 'expected a fraction such as 0.15' }).optional().meta({ description: 'extra memory as a fraction of the weights (activations, KV cache, buffers); default 0' }),
    })
    .optional()
    .meta({ description: 'weight_bytes × (1 + overhead) must not exceed budget' }),
});

export const DesignSchema = z.union(
  [
    z.strictObject({
      name: z.string({ error: 'expected a name' }),
      experts: whole,
      top_k: whole,
      expert_params: count,
      shared_params: count,
    }),
    z.strictObject({
      preset: z.string({ error: 'expected a preset id (see `moe-sweep presets`)' }),
      name: z.string({ error: 'expected a name' }).optional(),
    }),
  ],
  { error: 'expected a design {name, experts, top_k, expert_params, shared_params} or {preset: ID}' },
);

export const OBJECTIVE_PATTERN = `^(min|max) (${[...METRIC_IDS, ...QUALITY_METRICS].join('|')})$`;

export const SpecSchema = z.strictObject({
  version: z.literal(1, { error: 'expected 1 (the only spec version)' }).optional(),
  name: z
    .string({ error: 'expected a name' })
    .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, { error: 'expected a name of letters, digits, . _ - (it names the output folder)' })
    .optional()
    .meta({ description: 'names the output folder reports/<name>/; default: the spec file name' }),
  description: z.string({ error: 'expected text' }).optional(),
  grid: GridSchema.optional(),
  dtype: z.enum(DTYPES as [string, ...string[]], { error: `expected a dtype: ${DTYPES.join(', ')}` }).optional().meta({ description: 'bytes per weight: fp32 4, bf16 2, fp16 2, fp8 1, int8 1, int4 0.5; default bf16' }),
  constraints: ConstraintsSchema.optional(),
  objectives: z
    .array(z.string().regex(new RegExp(OBJECTIVE_PATTERN), { error: `expected "min METRIC" or "max METRIC" with METRIC one of ${[...METRIC_IDS, ...QUALITY_METRICS].join(', ')}` }), { error: 'expected a list such as [min active_params, max total_params]' })
    .optional()
    .meta({ description: 'the Pareto axes; default [min active_params, max total_params]' }),
  training: z
    .strictObject({
      tokens: count.optional().meta({ description: 'training tokens D, such as 15T' }),
      flops: count.optional().meta({ description: 'training FLOPs F instead; then D = F / (6 × active_params)' }),
    })
    .optional()
    .meta({ description: 'adds predicted-quality columns from the joint MoE scaling law (Ludziejewski et al. 2025)' }),
  designs: z.array(DesignSchema, { error: 'expected a list of designs' }).optional(),
  compare: z.array(z.string({ error: 'expected a preset id' }), { error: 'expected a list of preset ids' }).optional().meta({ description: 'presets drawn on the plots' }),
});

export type RawSpec = z.infer<typeof SpecSchema>;

/** Valid keys of the object at a path, for "did you mean" suggestions on unknown keys. */
export function keysAt(path: readonly (string | number)[]): string[] {
  const [head, second] = path;
  if (path.length === 0) return SpecSchema.keyof().options;
  if (head === 'grid' && path.length === 1) return GridSchema.keyof().options;
  if (head === 'grid' && path.length === 2) return ['from', 'to', 'step', 'times'];
  if (head === 'constraints' && path.length === 1) return ConstraintsSchema.keyof().options;
  if (head === 'constraints' && path.length === 2) return second === 'vram' ? ['budget', 'overhead'] : ['min', 'max'];
  if (head === 'training' && path.length === 1) return ['tokens', 'flops'];
  if (head === 'designs' && path.length === 2) return ['name', 'experts', 'top_k', 'expert_params', 'shared_params', 'preset'];
  return [];
}

export function jsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'moe-sweep sweep spec (version 1)',
    ...z.toJSONSchema(SpecSchema, { io: 'input', target: 'draft-2020-12' }),
  };
}
