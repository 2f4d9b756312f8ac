// The sweep spec's shape (version 1). This zod schema is the single source of truth: it validates
// specs and is turned into schema/sweep-spec.schema.json for editors (npm run schema).
// It checks shape only; units are turned into numbers and ranges checked in normalize.ts.
import { z } from 'zod';
import { BYTES_PATTERN, CONTEXT_EXPECTED, CONTEXT_PATTERN, COUNT_PATTERN } from '../formats/units.js';
import { DTYPES } from '../formats/dtypes.js';
import {
  CONSTRAINABLE_IDS,
  PUBLIC_METRICS,
  type AnyMetricId,
  type MetricBound,
  type PublicMetric,
} from '../metrics/registry.js';

export const COUNT_EXPECTED = 'expected a parameter count such as 30B, 0.5B, 800M or 3e10';
export const BYTES_EXPECTED = 'expected a memory size such as 640GB, 80GiB or 8e10';

const count = z
  .union([z.number(), z.string().regex(new RegExp(COUNT_PATTERN), { error: COUNT_EXPECTED })], {
    error: COUNT_EXPECTED,
  })
  .meta({ description: 'a parameter count: a plain number or one with a K, M, B or T suffix (x1e3..1e12)' });

const whole = z.number({ error: 'expected a whole number' }).meta({ description: 'a whole number' });

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
    step: value
      .optional()
      .meta({ description: 'additive step (default 1); the range stops at the last value not above `to`' }),
    times: z
      .number({ error: 'expected a number greater than 1' })
      .optional()
      .meta({ description: 'geometric factor: from, from×times, … up to `to`' }),
  });
  return z
    .union([value, z.array(value, { error: `expected a list of ${what}` }), range], {
      error: `expected ${what}: a value, a list [a, b, …] or a range {from, to, step} / {from, to, times}`,
    })
    .meta({ description: `${what}: a value, a list, or a range {from, to, step} / {from, to, times}` });
}

/**
 * Architecture fields a spec may set or sweep (the names of src/arch/types.ts, as Hugging Face
 * configs spell most of them). Each must exist in the base architecture: MLA fields apply to an
 * MLA model, head_dim to a GQA one.
 */
export const ARCH_FIELDS = {
  hidden_size: 'model width d',
  num_layers: 'decoder layers',
  vocab_size: 'vocabulary rows of the embedding',
  num_attention_heads: 'query heads',
  num_key_value_heads: 'KV heads (GQA)',
  head_dim: 'width of one attention head (GQA)',
  q_lora_rank: 'MLA query compression rank',
  kv_lora_rank: 'MLA KV compression rank (cached per token)',
  qk_nope_head_dim: 'MLA query/key width without RoPE',
  qk_rope_head_dim: 'MLA decoupled RoPE key width (cached per token)',
  v_head_dim: 'MLA value head width',
  num_experts: 'routed experts per MoE layer',
  num_experts_per_tok: 'experts each token is routed to (top-k)',
  moe_intermediate_size: 'FFN width of one routed expert',
  num_shared_experts: 'shared experts per MoE layer',
  shared_expert_intermediate_size: 'FFN width of one shared expert',
  first_k_dense_replace: 'leading dense (non-MoE) layers',
  moe_layer_period: 'every n-th layer after those is MoE',
  dense_intermediate_size: 'FFN width of the dense layers',
  sliding_window: 'tokens a sliding-window layer attends to',
} as const;
export type ArchField = keyof typeof ARCH_FIELDS;
export const ARCH_FIELD_NAMES = Object.keys(ARCH_FIELDS) as ArchField[];

const archAxes = Object.fromEntries(ARCH_FIELD_NAMES.map((f) => [f, axis(whole, ARCH_FIELDS[f]).optional()])) as Record<
  ArchField,
  z.ZodOptional<ReturnType<typeof axis<typeof whole>>>
>;

export const GridSchema = z.strictObject({
  experts: axis(whole, 'routed experts per MoE layer').optional().meta({ description: 'routed experts per MoE layer' }),
  top_k: axis(whole, 'experts each token is routed to')
    .optional()
    .meta({ description: 'experts each token is routed to' }),
  expert_params: axis(count, 'parameters of one routed expert, summed over all MoE layers').optional(),
  shared_params: axis(
    count,
    'parameters every token uses: embeddings, attention, norms, routers, shared experts, dense layers',
  ).optional(),
  ...archAxes,
});

export const FORMAT_EXPECTED = `expected a weight format: ${DTYPES.join(', ')}, or {bits: N}`;
const format = z
  .union(
    [
      z.enum(DTYPES as [string, ...string[]]),
      z.strictObject({ bits: z.number({ error: 'expected bits per weight, such as 6' }) }),
    ],
    { error: FORMAT_EXPECTED },
  )
  .meta({
    description:
      'bf16/fp16 2 bytes, fp32 4, fp8/int8 1, int4 4.125 bits (a 16-bit scale per 128), mxfp4 4.25 bits, nvfp4 4.5 bits, or {bits: N}',
  });

export const ArchitectureSchema = z
  .strictObject({
    from: z
      .string({ error: 'expected a preset id (see `moe-sweep presets`)' })
      .optional()
      .meta({ description: 'a preset whose official config.json is the starting point' }),
    config: z
      .string({ error: 'expected a path to a Hugging Face config.json, a checkpoint folder or a Hub id ORG/NAME' })
      .optional()
      .meta({
        description:
          'a Hugging Face config.json or a checkpoint folder (relative to the spec), or a Hub id ORG/NAME[@REVISION], as the starting point',
      }),
    tie_word_embeddings: z.boolean({ error: 'expected true or false' }).optional(),
    expert_gated: z
      .boolean({ error: 'expected true or false' })
      .optional()
      .meta({ description: 'gated experts (3 matrices, SwiGLU) or plain (2)' }),
    ...Object.fromEntries(ARCH_FIELD_NAMES.map((f) => [f, whole.optional().meta({ description: ARCH_FIELDS[f] })])),
  })
  .meta({
    description:
      'the architecture designs start from: a preset or a config.json, with fields changed; grid axes may then be architecture fields',
  });

export const ServingSchema = z
  .strictObject({
    context: z
      .union([z.number(), z.string().regex(new RegExp(CONTEXT_PATTERN), { error: CONTEXT_EXPECTED })], {
        error: CONTEXT_EXPECTED,
      })
      .meta({ description: 'tokens per sequence (prompt + output): 4096, 128K (K = 1,024) or 1M (M = 1,048,576)' }),
    batch: whole.optional().meta({ description: 'concurrent sequences; default 1' }),
    kv_dtype: format.optional().meta({ description: 'format of the KV cache; default bf16' }),
    input: z
      .union([z.number(), z.string().regex(new RegExp(CONTEXT_PATTERN), { error: CONTEXT_EXPECTED })], {
        error: CONTEXT_EXPECTED,
      })
      .optional()
      .meta({ description: 'prompt tokens for ttft_ms and prefill_tokens_per_s, such as 8K; default: the context' }),
    mtp: z
      .strictObject({
        tokens: whole.meta({ description: 'draft tokens per step, 1 to 4 (DeepSeek-V3 MTP drafts 1)' }),
        acceptance: z
          .union([z.number(), z.array(z.number())], { error: 'expected a probability or a list, such as [0.8, 0.6]' })
          .meta({
            description:
              'chance each draft token is accepted once the ones before it were: one number for all, or one per token',
          }),
      })
      .optional()
      .meta({ description: 'speculative decoding (multi-token prediction): a step verifies tokens + 1 per sequence' }),
    engine: z
      .enum(['none', 'vllm', 'sglang', 'trtllm'], { error: 'expected none, vllm, sglang or trtllm' })
      .optional()
      .meta({ description: 'the serving engine whose memory rules and prefill chunk apply; default none' }),
    memory_fraction: z.number({ error: 'expected a fraction such as 0.9' }).optional().meta({
      description:
        "the engine's memory setting: vLLM gpu_memory_utilization, SGLang mem_fraction_static, TensorRT-LLM free_gpu_memory_fraction",
    }),
  })
  .meta({ description: 'adds KV cache, saturation batch, load imbalance and capacity factor columns' });

const gpuObject = z
  .strictObject({
    id: z.string({ error: 'expected a name' }).optional(),
    name: z.string({ error: 'expected a name' }).optional(),
    memory_bytes: bytes,
    bandwidth_bytes_per_s: z.number({ error: 'expected bytes/s, such as 3.35e12' }),
    bf16_flops_per_s: z.number({ error: 'expected FLOP/s, such as 989e12' }),
    fp8_flops_per_s: z.number({ error: 'expected FLOP/s, such as 1979e12' }).optional(),
  })
  .meta({ description: 'a GPU not in the catalogue: memory, bandwidth and dense FLOP/s' });

export const HardwareSchema = z
  .strictObject({
    gpu: z.union([z.string(), gpuObject], {
      error:
        'expected a GPU id (see data/gpus.yaml), such as H100-SXM-80GB, or {memory_bytes, bandwidth_bytes_per_s, bf16_flops_per_s}',
    }),
    count: whole.meta({ description: 'GPUs serving one model replica' }),
    tp: whole.optional().meta({
      description:
        'tensor-parallel degree inside each expert-parallel group; default: the layout whose fullest GPU needs least',
    }),
    compute: z.enum(['bf16', 'fp8'], { error: 'expected bf16 or fp8' }).optional().meta({
      description:
        'which tensor FLOP/s bound decode; default fp8 when the weights are 8 bits or fewer and the GPU has FP8, else bf16',
    }),
    activation_bytes: z
      .number({ error: 'expected bytes per activation value, such as 2' })
      .optional()
      .meta({ description: 'bytes per value in the all-to-all; default 2 (bf16)' }),
    dp_attention: z
      .boolean({ error: 'expected true or false' })
      .optional()
      .meta({ description: 'attention data-parallel over every GPU (SGLang --enable-dp-attention, TensorRT-LLM DEP)' }),
    cpu: z
      .strictObject({
        memory: bytes,
        bandwidth: z
          .string({ error: 'expected a bandwidth such as 300GB/s' })
          .meta({ description: 'peak host memory bandwidth, such as 300GB/s' }),
      })
      .optional()
      .meta({ description: 'host memory for experts kept in CPU memory' }),
    experts_on_cpu: z
      .union([z.literal('all'), whole], { error: 'expected all or a whole number of MoE layers' })
      .optional()
      .meta({
        description:
          'experts of all or the first N MoE layers in CPU memory (llama.cpp --cpu-moe / --n-cpu-moe); needs cpu:',
      }),
  })
  .meta({
    description:
      'adds per-GPU memory (a design must fit every GPU), GPUs needed, the decode tokens/s bound and all-to-all traffic; needs serving:',
  });

export const TrainingParallelSchema = z
  .strictObject({
    tp: whole
      .optional()
      .meta({ description: 'tensor parallel (with sequence parallelism); default: searched over 1, 2, 4, 8' }),
    pp: whole.optional().meta({ description: 'pipeline stages (1F1B); default: searched over 1 to 64' }),
    ep: whole.optional().meta({ description: 'expert parallel; default: searched over the divisors of the experts' }),
    etp: whole.optional().meta({ description: 'expert tensor parallel; default: searched over 1, 2, 4, 8' }),
    cp: whole.optional().meta({ description: 'context parallel; default 1' }),
    zero: z
      .union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], { error: 'expected a ZeRO stage: 0, 1, 2 or 3' })
      .optional()
      .meta({
        description:
          'ZeRO stage: 1 shards optimizer states (distributed optimizer), 2 gradients too, 3 weights too; default: searched over 1-3',
      }),
    recompute: z
      .enum(['none', 'selective', 'full'], { error: 'expected none, selective or full' })
      .optional()
      .meta({ description: 'activation recomputation (Korthikanti et al. 2022); default: searched' }),
    micro_batch: whole.optional().meta({ description: 'sequences per micro-batch; default 1' }),
    global_batch: whole.optional().meta({
      description: 'sequences per optimizer step; default: not checked, the bubble judged at 8 × PP micro-batches',
    }),
  })
  .meta({
    description:
      'the training layout; dp follows from count / (tp × pp × cp), expert data parallel from count / (pp × ep × etp)',
  });

export const TrainingHardwareSchema = z
  .strictObject({
    gpu: z.union([z.string(), gpuObject], {
      error:
        'expected a GPU id (see data/gpus.yaml), such as H800, or {memory_bytes, bandwidth_bytes_per_s, bf16_flops_per_s}',
    }),
    count: whole.meta({ description: 'GPUs the run trains on' }),
    compute: z
      .enum(['bf16', 'fp8'], { error: 'expected bf16 or fp8' })
      .optional()
      .meta({ description: 'whose dense peak the MFU is of: bf16 (default) or fp8 (FP8 training)' }),
  })
  .meta({
    description:
      'the training GPUs: adds train_flops, train_gpu_hours, train_days, train_cost, train_memory_per_gpu, train_fits',
  });

export const TrainingSchema = z.strictObject({
  tokens: count.optional().meta({ description: 'training tokens D, such as 15T' }),
  flops: count.optional().meta({ description: 'training FLOPs F instead; then D = F / (6 × active_params)' }),
  seq_len: whole.optional().meta({ description: 'training sequence length T; default 4096' }),
  hardware: TrainingHardwareSchema.optional(),
  mfu: z
    .number({ error: 'expected a fraction such as 0.4' })
    .optional()
    .meta({ description: 'model FLOPs utilisation; default from data/training-mfu.yaml' }),
  gpu_hours: count
    .optional()
    .meta({ description: 'GPU-hours the run took instead of mfu: the MFU is then implied (train_mfu)' }),
  price_per_gpu_hour: z
    .number({ error: 'expected a price such as 2.0' })
    .optional()
    .meta({ description: 'price of one GPU-hour, currency-free; without it train_cost is empty' }),
  parallel: TrainingParallelSchema.optional(),
  layout_search: z.enum(['throughput', 'memory'], { error: 'expected throughput or memory' }).optional().meta({
    description: 'for open parallel: fields: the fitting layout with the most throughput (default) or the least memory',
  }),
  capacity_factor: z.number({ error: 'expected a number such as 1.25' }).optional().meta({
    description:
      'routed copies per token as a multiple of top_k that the expert activations hold; default 1 (dropless, balanced)',
  }),
  optimizer_states: z
    .enum(['fp32', 'bf16'], { error: 'expected fp32 or bf16' })
    .optional()
    .meta({ description: 'Adam moments in fp32 (default; 12 bytes with the fp32 master weights) or bf16 (8)' }),
  weights: z
    .enum(['bf16', 'fp8'], { error: 'expected bf16 or fp8' })
    .optional()
    .meta({ description: 'bytes per working weight: bf16 (2, default) or fp8 (1)' }),
  mtp: z
    .boolean({ error: 'expected true or false' })
    .optional()
    .meta({ description: "count the multi-token-prediction modules' FLOPs (DeepSeek-V3 style); default false" }),
});

const bound = <T extends z.ZodType>(value: T) => z.strictObject({ min: value.optional(), max: value.optional() });

/** The syntax of each kind of bound a metric takes (its registry entry says which). */
const boundValues = {
  count,
  whole,
  ratio,
  bytes,
  loss: z.number({ error: 'expected a loss difference in nats/token, such as -0.02' }),
} satisfies Record<MetricBound, z.ZodType>;

/** What the spec's documentation says of a bound beyond what the metric needs. */
const BOUND_NOTES: Partial<Record<AnyMetricId, string>> = {
  loss_delta_vs_dense:
    "needs training:; designs outside the scaling law's fitted range by more than 10x fail as quality_domain instead of being judged",
};

function metricBound(m: PublicMetric) {
  const b = bound(boundValues[m.bound]).optional();
  const note = BOUND_NOTES[m.id] ?? (m.needs === 'design' ? undefined : `needs ${m.needs}:`);
  return note === undefined ? b : b.meta({ description: note });
}

export const ConstraintsSchema = z.strictObject({
  ...(Object.fromEntries(PUBLIC_METRICS.map((m) => [m.id, metricBound(m)])) as Record<
    AnyMetricId,
    ReturnType<typeof metricBound>
  >),
  vram: z
    .strictObject({
      budget: bytes,
      overhead: z
        .number({ error: 'expected a fraction such as 0.15' })
        .optional()
        .meta({ description: 'extra memory as a fraction of the weights (activations, KV cache, buffers); default 0' }),
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
    z.strictObject({
      name: z.string({ error: 'expected a name' }),
      architecture: ArchitectureSchema,
    }),
  ],
  {
    error:
      'expected a design {name, experts, top_k, expert_params, shared_params}, {preset: ID} or {name, architecture: {from: PRESET, …}}',
  },
);

const OBJECTIVE_METRICS = CONSTRAINABLE_IDS;
export const OBJECTIVE_PATTERN = `^(min|max) (${OBJECTIVE_METRICS.join('|')})$`;

export const SpecSchema = z.strictObject({
  version: z.literal(1, { error: 'expected 1 (the only spec version)' }).optional(),
  name: z
    .string({ error: 'expected a name' })
    .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, {
      error: 'expected a name of letters, digits, . _ - (it names the output folder)',
    })
    .optional()
    .meta({ description: 'names the output folder reports/<name>/; default: the spec file name' }),
  description: z.string({ error: 'expected text' }).optional(),
  grid: GridSchema.optional(),
  dtype: z
    .union([format, z.strictObject({ experts: format, rest: format })], {
      error: `expected a dtype: ${DTYPES.join(', ')}, {bits: N}, or {experts: …, rest: …}`,
    })
    .optional()
    .meta({
      description:
        'bytes per weight, for all weights or {experts, rest} apart (gpt-oss: mxfp4 experts, bf16 rest); default bf16',
    }),
  architecture: ArchitectureSchema.optional(),
  serving: ServingSchema.optional(),
  hardware: HardwareSchema.optional(),
  constraints: ConstraintsSchema.optional(),
  objectives: z
    .array(
      z.string().regex(new RegExp(OBJECTIVE_PATTERN), {
        error: `expected "min METRIC" or "max METRIC" with METRIC one of ${OBJECTIVE_METRICS.join(', ')}`,
      }),
      { error: 'expected a list such as [min active_params, max total_params]' },
    )
    .optional()
    .meta({ description: 'the Pareto axes; default [min active_params, max total_params]' }),
  training: TrainingSchema.optional().meta({
    description:
      'adds predicted-quality columns from the joint MoE scaling law (Ludziejewski et al. 2025); with hardware: also the training cost',
  }),
  designs: z.array(DesignSchema, { error: 'expected a list of designs' }).optional(),
  compare: z
    .array(z.string({ error: 'expected a preset id' }), { error: 'expected a list of preset ids' })
    .optional()
    .meta({ description: 'presets drawn on the plots' }),
});

export type RawSpec = z.infer<typeof SpecSchema>;

/** Valid keys of the object at a path, for "did you mean" suggestions on unknown keys. */
export function keysAt(path: readonly (string | number)[]): string[] {
  const [head, second] = path;
  if (path.length === 0) return SpecSchema.keyof().options;
  if (head === 'grid' && path.length === 1) return GridSchema.keyof().options;
  if (head === 'architecture' && path.length === 1) return ArchitectureSchema.keyof().options;
  if (head === 'serving' && path.length === 1) return ServingSchema.keyof().options;
  if (head === 'hardware' && path.length === 1) return HardwareSchema.keyof().options;
  if (head === 'hardware' && second === 'gpu' && path.length === 2) return gpuObject.keyof().options;
  if (head === 'dtype' && path.length === 1) return ['experts', 'rest', 'bits'];
  if (head === 'grid' && path.length === 2) return ['from', 'to', 'step', 'times'];
  if (head === 'constraints' && path.length === 1) return ConstraintsSchema.keyof().options;
  if (head === 'constraints' && path.length === 2) return second === 'vram' ? ['budget', 'overhead'] : ['min', 'max'];
  if (head === 'training' && path.length === 1) return TrainingSchema.keyof().options;
  if (head === 'training' && second === 'hardware' && path.length === 2) return TrainingHardwareSchema.keyof().options;
  if (head === 'training' && second === 'parallel' && path.length === 2) return TrainingParallelSchema.keyof().options;
  if (head === 'designs' && path.length === 2)
    return ['name', 'experts', 'top_k', 'expert_params', 'shared_params', 'preset', 'architecture'];
  if (head === 'designs' && path.length === 3 && path[2] === 'architecture') return ArchitectureSchema.keyof().options;
  return [];
}

export function jsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'moe-sweep sweep spec (version 1)',
    ...z.toJSONSchema(SpecSchema, { io: 'input', target: 'draft-2020-12' }),
  };
}
