// Every metric the evaluation computes, once. A metric's position in the metric vector (its slot) is
// its position here, so the design metrics come first, then those of `training:`, `serving:` and
// `hardware:` (the kernels size their vectors by these groups). The id lists, the slots, the CSV
// columns and the spec's metric names are all read from this list; the formulas stay in design.ts,
// quality.ts and serving.ts, which write through SLOT. Adding a metric: an entry here, its formula,
// its test.

export type MetricKind = 'count' | 'ratio' | 'flops' | 'bytes';
/** What a spec must have for the metric to be computed. */
export type MetricNeeds = 'design' | 'training' | 'serving' | 'hardware' | 'training.hardware';
/** How a spec writes a bound on the metric under constraints: (src/spec/schema.ts has each's syntax). */
export type MetricBound = 'count' | 'whole' | 'ratio' | 'bytes' | 'loss';

/** A CSV column and how its cell prints. */
export interface CsvColumn {
  name: string;
  prints: string;
}

export interface MetricEntry {
  id: string;
  kind: MetricKind;
  needs: MetricNeeds;
  formula: string;
  meaning: string;
  /** The CSV columns printed from this slot (none: another metric's column shows it). */
  csv: readonly CsvColumn[];
  /** How a spec writes a bound on it; absent on internal slots. */
  bound?: MetricBound;
  /** Set on a slot a spec may not name in constraints and objectives: what the slot is for. */
  internal?: string;
}

const NUMBER = 'the number as JavaScript prints it';
const own = <N extends string>(name: N, prints: string = NUMBER) => [{ name, prints }] as const;

export const REGISTRY = [
  {
    id: 'total_params',
    kind: 'count',
    needs: 'design',
    bound: 'count',
    formula: 'shared_params + experts × expert_params',
    meaning: 'every weight that must be resident: sets memory, disk and download',
    csv: own('total_params'),
  },
  {
    id: 'active_params',
    kind: 'count',
    needs: 'design',
    bound: 'count',
    formula: 'shared_params + top_k × expert_params',
    meaning: 'the weights each token uses: sets compute and per-token bandwidth',
    csv: own('active_params'),
  },
  {
    id: 'active_ratio',
    kind: 'ratio',
    needs: 'design',
    bound: 'ratio',
    formula: 'active_params / total_params',
    meaning: 'the share of the model a token touches',
    csv: own('active_ratio'),
  },
  {
    id: 'expert_sparsity',
    kind: 'ratio',
    needs: 'design',
    bound: 'ratio',
    formula: '1 − top_k / experts',
    meaning: 'the share of routed experts a token skips',
    csv: own('expert_sparsity'),
  },
  {
    id: 'compute_saving',
    kind: 'ratio',
    needs: 'design',
    bound: 'ratio',
    formula: '1 − active_params / total_params',
    meaning: 'FLOPs per token saved against a dense model of the same total size',
    csv: own('compute_saving'),
  },
  {
    id: 'flops_per_token',
    kind: 'flops',
    needs: 'design',
    bound: 'count',
    formula: '2 × active_params',
    meaning: 'forward-pass FLOPs per token (one multiply and one add per active weight)',
    csv: own('flops_per_token'),
  },
  {
    id: 'weight_bytes',
    kind: 'bytes',
    needs: 'design',
    bound: 'bytes',
    formula: 'total_params × bytes per weight of dtype (routed experts and the rest apart when dtype splits them)',
    meaning: 'the weights alone, in bytes',
    csv: own('weight_bytes'),
  },
  {
    id: 'vram_bytes',
    kind: 'bytes',
    needs: 'design',
    bound: 'bytes',
    formula: 'round((weight_bytes + kv_cache_bytes) × (1 + overhead)); no KV cache without serving:',
    meaning:
      'weights (and the KV cache) plus the overhead allowance of the vram constraint (0 without one), whole bytes',
    csv: own('vram_bytes'),
  },
  {
    id: 'loss_delta_vs_dense',
    kind: 'ratio',
    needs: 'training',
    bound: 'loss',
    formula: 'L_MoE(active, E_eff, D) − L_dense(active, D), joint MoE scaling law (Ludziejewski et al. 2025)',
    meaning:
      'predicted loss of the design minus that of a dense model with the same active parameters and tokens (nats/token; negative: the MoE is predicted better)',
    csv: own('loss_delta_vs_dense'),
  },
  {
    id: 'dense_equivalent_params',
    kind: 'count',
    needs: 'training',
    bound: 'count',
    formula: 'the N with L_dense(N, D) = L_MoE(active, E_eff, D), rounded; Infinity when no N reaches it',
    meaning: 'the dense size the law says reaches the same loss at the same tokens',
    csv: own('dense_equivalent_params', 'the number; empty when no dense size reaches the loss (Infinity)'),
  },
  {
    id: 'quality_domain_factor',
    kind: 'ratio',
    needs: 'training',
    formula:
      "largest factor by which active, total, tokens, E_eff or tokens/active lie outside the law's fitted range (1 inside)",
    meaning: 'how far the scaling law is extrapolated for the design',
    csv: own('quality_domain', 'domainLabel(factor): in range, extrapolated xK, or qualitative past 10x'),
    internal: 'judged by the quality_domain constraint every spec with training: gets',
  },
  {
    id: 'kv_cache_bytes',
    kind: 'bytes',
    needs: 'serving',
    bound: 'bytes',
    formula: 'batch × KV bytes of one sequence at `context` (kv_dtype)',
    meaning: 'the KV cache of the whole batch, counted in vram_bytes beside the weights',
    csv: own('kv_cache_bytes'),
  },
  {
    id: 'saturation_batch',
    kind: 'count',
    needs: 'serving',
    bound: 'whole',
    formula: 'smallest B with 1 − (1 − top_k/experts)^B ≥ 0.99',
    meaning: 'past this batch a decode step reads ~all experts: an MoE decodes like its total size',
    csv: own('saturation_batch'),
  },
  {
    id: 'load_imbalance',
    kind: 'ratio',
    needs: 'serving',
    bound: 'ratio',
    formula: 'E[max expert load] / mean load, batch × top_k assignments into experts (independent binomial loads)',
    meaning:
      'how much busier the busiest expert is than the mean in one decode step (a lower bound; tight for many experts)',
    csv: own('load_imbalance'),
  },
  {
    id: 'capacity_factor',
    kind: 'ratio',
    needs: 'serving',
    bound: 'ratio',
    formula: 'smallest C·experts/(batch·top_k) whose expected dropped share is ≤ 1%',
    meaning: 'expert capacity, as a multiple of the mean load, that drops under 1% of tokens',
    csv: own('capacity_factor'),
  },
  {
    id: 'per_gpu_bytes',
    kind: 'bytes',
    needs: 'hardware',
    bound: 'bytes',
    formula: '(⌈E/EP⌉·expert bytes/TP + rest/TP + ⌈B/EP⌉·KV/seq·⌈H/TP⌉/H) × (1 + overhead), the fullest GPU',
    meaning: 'memory of the fullest GPU in the best EP × TP layout of `count` GPUs; must fit the GPU',
    // the layout first: it says which GPUs per_gpu_bytes is of
    csv: [
      { name: 'gpu_layout', prints: 'EP{layout_ep}xTP{layout_tp}' },
      { name: 'per_gpu_bytes', prints: NUMBER },
    ],
  },
  {
    id: 'gpus_needed',
    kind: 'count',
    needs: 'hardware',
    bound: 'whole',
    formula: 'fewest GPUs of this kind (EP × TP, TP ≤ 8) whose fullest GPU fits',
    meaning: 'the smallest deployment of this GPU that holds the design and its KV cache',
    csv: own('gpus_needed', 'the number; empty when no deployment up to MAX_GPUS fits (Infinity)'),
  },
  {
    id: 'decode_bound_tokens_per_s',
    kind: 'count',
    needs: 'hardware',
    bound: 'ratio',
    formula: 'min(count·bandwidth·B / bytes per step, count·FLOP/s / (2 × active))',
    meaning: 'upper bound on decode tokens/s at the batch; bytes per step = shared + touched experts + KV cache',
    csv: own('decode_bound_tokens_per_s'),
  },
  {
    id: 'all_to_all_bytes_per_token_layer',
    kind: 'bytes',
    needs: 'hardware',
    bound: 'bytes',
    formula: '2 × top_k × hidden × activation bytes × (EP − 1)/EP',
    meaning: 'dispatch + combine traffic one token causes in one MoE layer under the layout',
    csv: own('all_to_all_bytes_per_token_layer'),
  },
  {
    id: 'layout_ep',
    kind: 'count',
    needs: 'hardware',
    formula: 'count / layout_tp',
    meaning: 'the expert-parallel degree of the layout per_gpu_bytes is of',
    csv: [],
    internal: 'printed in gpu_layout, with per_gpu_bytes',
  },
  {
    id: 'layout_tp',
    kind: 'count',
    needs: 'hardware',
    formula: 'the TP degree (hardware.tp, or of TP_OPTIONS dividing count) whose fullest GPU needs least',
    meaning: 'the tensor-parallel degree of the layout per_gpu_bytes is of',
    csv: [],
    internal: 'printed in gpu_layout, with per_gpu_bytes',
  },
  {
    id: 'decode_binding',
    kind: 'count',
    needs: 'hardware',
    formula: 'index in BINDINGS (src/serving/step.ts) of the largest part of the estimated decode step',
    meaning: 'what binds decode_tokens_per_s: bandwidth, compute, interconnect, overhead or cpu',
    csv: [],
    internal: 'printed as decode_bound, with decode_tokens_per_s',
  },
  {
    id: 'decode_tokens_per_s',
    kind: 'count',
    needs: 'hardware',
    bound: 'ratio',
    formula:
      'B × tokens per step / step time; step = Σ layers max(FLOPs / achievable FLOP/s, bytes / achievable bandwidth) + TP all-reduce + EP all-to-all + layers × fixed cost (+ CPU expert reads)',
    meaning: 'estimated aggregate decode tokens/s at the batch and context (calibrated against published measurements)',
    csv: [
      { name: 'decode_tokens_per_s', prints: NUMBER },
      { name: 'decode_bound', prints: 'bandwidth, compute, interconnect, overhead or cpu, from decode_binding' },
    ],
  },
  {
    id: 'tpot_ms',
    kind: 'ratio',
    needs: 'hardware',
    bound: 'ratio',
    formula: '1000 × step time / tokens per step',
    meaning: 'estimated time per output token of one sequence, milliseconds',
    csv: own('tpot_ms'),
  },
  {
    id: 'ttft_ms',
    kind: 'ratio',
    needs: 'hardware',
    bound: 'ratio',
    formula: '1000 × Σ over prefill chunks of the chunk’s forward-pass time (quadratic attention over the prefix)',
    meaning: 'estimated time to first token of one prompt of serving.input tokens on an idle deployment, milliseconds',
    csv: own('ttft_ms'),
  },
  {
    id: 'prefill_tokens_per_s',
    kind: 'count',
    needs: 'hardware',
    bound: 'ratio',
    formula: 'chunk tokens / time of one forward pass carrying a full chunk of prompts of serving.input tokens',
    meaning: 'estimated aggregate prefill tokens/s under load',
    csv: own('prefill_tokens_per_s'),
  },
  {
    id: 'max_batch',
    kind: 'count',
    needs: 'hardware',
    bound: 'count',
    formula: 'largest B whose fullest GPU fits at the context, in the chosen layout and engine',
    meaning: 'how many sequences of the context the deployment holds at once',
    csv: own('max_batch', 'the number; empty when no KV cache grows with the batch (Infinity)'),
  },
  {
    id: 'max_context',
    kind: 'count',
    needs: 'hardware',
    bound: 'count',
    formula: 'largest context whose KV cache at the batch still fits the fullest GPU (past every sliding window)',
    meaning: 'the longest sequences the deployment holds at the batch',
    csv: own('max_context', 'the number; empty when the KV cache does not grow with the context (Infinity)'),
  },
  {
    id: 'train_flops',
    kind: 'flops',
    needs: 'training.hardware',
    bound: 'count',
    formula: 'tokens × (6 × (active − input embedding) + 6 × Σ_layers H × T × (d_qk + d_v)), PaLM model FLOPs',
    meaning: 'model FLOPs of the training run (forward and backward, no recomputation, no causal halving)',
    csv: own('train_flops'),
  },
  {
    id: 'train_mfu',
    kind: 'ratio',
    needs: 'training.hardware',
    bound: 'ratio',
    formula: 'training.mfu, the default of data/training-mfu.yaml, or train_flops / (gpu_hours × 3600 × peak)',
    meaning: 'the model FLOPs utilisation the hours are at: given, the default, or implied by training.gpu_hours',
    csv: own('train_mfu'),
  },
  {
    id: 'train_gpu_hours',
    kind: 'count',
    needs: 'training.hardware',
    bound: 'count',
    formula: 'train_flops / (dense peak FLOP/s × train_mfu) / 3600',
    meaning: 'GPU-hours of the run on the training GPU (FP8 peak with compute: fp8, else BF16)',
    csv: own('train_gpu_hours'),
  },
  {
    id: 'train_days',
    kind: 'count',
    needs: 'training.hardware',
    bound: 'ratio',
    formula: 'train_gpu_hours / count / 24',
    meaning: 'wall-clock days on the training GPUs',
    csv: own('train_days'),
  },
  {
    id: 'train_cost',
    kind: 'count',
    needs: 'training.hardware',
    bound: 'count',
    formula: 'train_gpu_hours × price_per_gpu_hour',
    meaning: 'the price of the run (the currency of price_per_gpu_hour)',
    csv: own('train_cost'),
  },
  {
    id: 'train_memory_per_gpu',
    kind: 'bytes',
    needs: 'training.hardware',
    bound: 'bytes',
    formula:
      'weights + gradients + Adam states of the fullest GPU (Megatron-LM) + activations of the micro-batches in flight (Korthikanti et al. 2022)',
    meaning: 'memory of the fullest training GPU under the layout train_layout names; empty when no layout is legal',
    // the layout first: it says which GPUs the memory is of
    csv: [
      { name: 'train_layout', prints: 'TP PP EP ETP CP ZeRO recompute micro-batch, or "illegal: <reason>"' },
      { name: 'train_memory_per_gpu', prints: 'the number; empty when no layout is legal (Infinity)' },
    ],
  },
  {
    id: 'train_fits',
    kind: 'count',
    needs: 'training.hardware',
    bound: 'whole',
    formula: "1 when train_memory_per_gpu ≤ the training GPU's memory, else 0",
    meaning: 'whether every training GPU holds its share under the layout',
    csv: own('train_fits', 'true or false'),
  },
  {
    id: 'train_tp',
    kind: 'count',
    needs: 'training.hardware',
    formula: 'training.parallel.tp, or the searched one',
    meaning: 'tensor-parallel degree of the training layout',
    csv: [],
    internal: 'printed in train_layout',
  },
  {
    id: 'train_pp',
    kind: 'count',
    needs: 'training.hardware',
    formula: 'training.parallel.pp, or the searched one',
    meaning: 'pipeline-parallel degree of the training layout',
    csv: [],
    internal: 'printed in train_layout',
  },
  {
    id: 'train_ep',
    kind: 'count',
    needs: 'training.hardware',
    formula: 'training.parallel.ep, or the searched one',
    meaning: 'expert-parallel degree of the training layout',
    csv: [],
    internal: 'printed in train_layout',
  },
  {
    id: 'train_etp',
    kind: 'count',
    needs: 'training.hardware',
    formula: 'training.parallel.etp, or the searched one',
    meaning: 'expert tensor-parallel degree of the training layout',
    csv: [],
    internal: 'printed in train_layout',
  },
  {
    id: 'train_cp',
    kind: 'count',
    needs: 'training.hardware',
    formula: 'training.parallel.cp (default 1)',
    meaning: 'context-parallel degree of the training layout',
    csv: [],
    internal: 'printed in train_layout',
  },
  {
    id: 'train_zero',
    kind: 'count',
    needs: 'training.hardware',
    formula: 'training.parallel.zero, or the searched one',
    meaning: 'ZeRO stage of the training layout',
    csv: [],
    internal: 'printed in train_layout',
  },
  {
    id: 'train_recompute',
    kind: 'count',
    needs: 'training.hardware',
    formula: '0 none, 1 selective, 2 full',
    meaning: 'activation recomputation of the training layout',
    csv: [],
    internal: 'printed in train_layout',
  },
  {
    id: 'train_micro_batch',
    kind: 'count',
    needs: 'training.hardware',
    formula: 'training.parallel.micro_batch (default 1)',
    meaning: 'sequences per micro-batch of the training layout',
    csv: [],
    internal: 'printed in train_layout',
  },
  {
    id: 'train_layout_problem',
    kind: 'count',
    needs: 'training.hardware',
    formula: '0, or the code of the first rule no layout meets (src/training/layout.ts)',
    meaning: 'why no training layout is legal',
    csv: [],
    internal: 'printed in train_layout',
  },
] as const satisfies readonly MetricEntry[];

type Entry = (typeof REGISTRY)[number];
type Internal = Extract<Entry, { internal: string }>;
/** Metrics a spec may constrain or take as an objective: all but the internal slots. */
type Public = Exclude<Entry, Internal>;

export type SlotId = Entry['id'];
export type MetricId = Extract<Public, { needs: 'design' }>['id'];
export type QualityMetricId = Extract<Public, { needs: 'training' }>['id'];
export type ServingMetricId = Extract<Public, { needs: 'serving' | 'hardware' }>['id'];
export type TrainingCostMetricId = Extract<Public, { needs: 'training.hardware' }>['id'];
export type AnyMetricId = Public['id'];
export type PublicMetric = Public;

type ColumnOf<E> = E extends { csv: readonly { name: infer N }[] } ? N : never;
export type QualityColumn = ColumnOf<Extract<Entry, { needs: 'training' }>>;
export type ServingColumn = ColumnOf<Extract<Entry, { needs: 'serving' }>>;
export type HardwareColumn = ColumnOf<Extract<Entry, { needs: 'hardware' }>>;
export type TrainingCostColumn = ColumnOf<Extract<Entry, { needs: 'training.hardware' }>>;

/** Position of every metric in a full metric vector. */
export const SLOT = Object.freeze(Object.fromEntries(REGISTRY.map((m, i) => [m.id, i]))) as {
  readonly [K in SlotId]: number;
};
export const SLOT_COUNT = REGISTRY.length;

function isInternal(m: Entry): m is Internal {
  return 'internal' in m;
}

function group<N extends MetricNeeds>(needs: N): Extract<Entry, { needs: N }>[] {
  return REGISTRY.filter((m): m is Extract<Entry, { needs: N }> => m.needs === needs);
}

/** The design metrics fill slots [0, DESIGN_SLOT_COUNT), those of training: the rest up to TRAINING_SLOT_END. */
export const DESIGN_SLOT_COUNT = group('design').length;
export const TRAINING_SLOT_END = DESIGN_SLOT_COUNT + group('training').length;

export const PUBLIC_METRICS: readonly Public[] = REGISTRY.filter((m): m is Public => !isInternal(m));
/** The metric names a spec may constrain or take as an objective, in slot order. */
export const CONSTRAINABLE_IDS: readonly AnyMetricId[] = PUBLIC_METRICS.map((m) => m.id);

export const DESIGN_METRICS = group('design');
export const QUALITY_METRIC_IDS = group('training')
  .filter((m): m is Extract<Public, { needs: 'training' }> => !isInternal(m))
  .map((m) => m.id);
export const SERVING_METRICS = PUBLIC_METRICS.filter(
  (m): m is Extract<Public, { needs: 'serving' | 'hardware' }> => m.needs === 'serving' || m.needs === 'hardware',
);

function columnsOf(entries: readonly Entry[]): string[] {
  return entries.flatMap((m) => m.csv.map((c) => c.name));
}

/** The metric columns of every CSV row, and those `training:`, `serving:` and `hardware:` add. */
export const DESIGN_COLUMNS = columnsOf(group('design')) as readonly MetricId[];
export const QUALITY_COLUMNS = columnsOf(group('training')) as readonly QualityColumn[];
export const SERVING_COLUMNS = columnsOf(group('serving')) as readonly ServingColumn[];
export const HARDWARE_COLUMNS = columnsOf(group('hardware')) as readonly HardwareColumn[];
/** The columns `training:` with `hardware:` adds: the training cost. */
export const TRAINING_COST_COLUMNS = columnsOf(group('training.hardware')) as readonly TrainingCostColumn[];
export const TRAINING_COST_METRICS = PUBLIC_METRICS.filter(
  (m): m is Extract<Public, { needs: 'training.hardware' }> => m.needs === 'training.hardware',
);

const NEEDS = new Map<string, MetricNeeds>(PUBLIC_METRICS.map((m) => [m.id, m.needs]));

/** What a spec needs for a metric it names; undefined when the name is no metric a spec may name. */
export function metricNeeds(id: string): MetricNeeds | undefined {
  return NEEDS.get(id);
}

/** The slots ServingEvaluator.into writes (serving and hardware metrics, internal ones included). */
export const SERVING_SLOTS: readonly number[] = REGISTRY.flatMap((m, i) =>
  m.needs === 'serving' || m.needs === 'hardware' ? [i] : [],
);
