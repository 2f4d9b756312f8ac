// The evaluation path for grids over architecture fields, and for any sweep with serving columns.
// A point's counts and serving facts come from the compiled counts of the plan (compiled.ts, fitted
// by compile.ts) where its structural case compiled, else module by module (countParameters and
// the KV layout, the reference the compiled counts equal). It produces the same kind of slice
// summary as kernel.ts (and csv/rows.ts the same CSV text), so the pool, the merge of fronts, shards
// and the report need not know which path ran.
import { countParameters, moeLayerIndices } from '../arch/count.js';
import {
  kvBytesPerTokenLongContext,
  kvCacheBytes,
  kvFixedBytesPerSequence,
  kvLayoutFromArchitecture,
} from '../arch/kv-cache.js';
import type { ModuleCounts } from '../arch/types.js';
import { attentionCost } from '../serving/attention.js';
import type { Architecture } from '../arch/types.js';
import { violationMask } from '../metrics/constraints.js';
import { metricsInto } from '../metrics/design.js';
import { qualityInto } from '../metrics/quality.js';
import { SLOT, SLOT_COUNT } from '../metrics/registry.js';
import { ServingEvaluator, type ServingFacts, type ServingPlan } from '../metrics/serving.js';
import { TrainingCostEvaluator } from '../metrics/training.js';
import { NO_TRAINING_FACTS, trainingFactsOf, type TrainingFacts } from '../training/facts.js';
import { binOf } from './binner.js';
import { CompiledWalker } from './compiled.js';
import { Growable } from './growable.js';
import { localFront } from './pareto.js';
import type { ChunkSummary, EvalPlan, GeneralPlan } from './plan.js';

// Module-level constants, which V8 folds into the code that reads them.
const TOTAL = SLOT.total_params;
const ACTIVE = SLOT.active_params;
const WEIGHT_BYTES = SLOT.weight_bytes;
const VRAM = SLOT.vram_bytes;

/** A point: its abstract design and what serving needs to know of it. */
export interface PointModel {
  experts: number;
  top_k: number;
  expert_params: number;
  shared_params: number;
  facts: ServingFacts;
  /** what the training-cost columns read of the architecture (NO_TRAINING_FACTS without them) */
  trainingFacts: TrainingFacts;
}

/**
 * Serving facts of an architecture under a plan: KV per sequence at the context (and its two
 * coefficients past every window), heads, hidden size, layer counts, the token mixers' parameters
 * and attention-core FLOP coefficients. `modules` are the architecture's counts when the caller
 * has them (they are counted otherwise).
 */
export function factsOf(
  arch: Architecture,
  embedding: number,
  serving: ServingPlan | undefined,
  modules?: ModuleCounts,
): ServingFacts {
  const layout = kvLayoutFromArchitecture(arch);
  const mods = modules ?? countParameters(arch).modules;
  const attn = attentionCost(arch);
  const kvBytes = serving?.kvBytesPerValue ?? 2;
  return {
    kvBytesPerSequence: serving
      ? kvCacheBytes(layout, { context: serving.context, batch: 1, kvBytes: serving.kvBytesPerValue }).total_bytes
      : 0,
    kvHeads: layout.kv_heads,
    hiddenSize: arch.hidden_size,
    inputEmbedding: embedding,
    layers: arch.num_layers,
    moeLayers: moeLayerIndices(arch).length,
    attentionParams: mods.attention + mods.linear_attention + mods.compressors + mods.indexers,
    attnFlopsFull: attn.full,
    attnFlopsWindowed: attn.windowed,
    attnWindow: attn.window,
    attnFlopsFixed: attn.fixed,
    kvLongBytesPerToken: kvBytesPerTokenLongContext(layout, kvBytes),
    kvFixedBytes: kvFixedBytesPerSequence(layout, kvBytes),
    attentionHeads: arch.num_attention_heads,
    gqaKvHeads: arch.attention_type === 'gqa' ? arch.num_key_value_heads : 0,
    expertWidth: arch.moe_intermediate_size,
    denseWidth: arch.dense_intermediate_size ?? 0,
    sharedWidth:
      arch.num_shared_experts > 0
        ? (arch.shared_expert_intermediate_size ?? arch.moe_intermediate_size * arch.num_shared_experts)
        : 0,
  };
}

/** Facts of a design with no architecture to serve it by (serving: needs one, so they are never read). */
export const NO_FACTS: ServingFacts = {
  kvBytesPerSequence: 0,
  kvHeads: 1,
  hiddenSize: 0,
  inputEmbedding: 0,
  layers: 1,
  moeLayers: 0,
  attentionParams: 0,
  attnFlopsFull: 0,
  attnFlopsWindowed: 0,
  attnWindow: 0,
  attnFlopsFixed: 0,
  kvLongBytesPerToken: 0,
  kvFixedBytes: 0,
  attentionHeads: 0,
  gqaKvHeads: 0,
  expertWidth: 0,
  denseWidth: 0,
  sharedWidth: 0,
};

/** Prefix of the training facts among a compiled plan's outputs (after the serving facts). */
export const TRAINING_FACT = 'training.';

/** A point's counts and facts, module by module. */
export interface Counted {
  expert_params: number;
  shared_params: number;
  facts: ServingFacts;
  trainingFacts: TrainingFacts;
}

/**
 * The counts and facts of the point whose dimension values are `values`, module by module: the
 * reference the compiled counts are fitted to and checked against.
 */
export function countAt(gp: GeneralPlan, values: ArrayLike<number>): Counted {
  if (gp.mode === 'abstract') {
    const b = gp.base ? countParameters(gp.base) : undefined;
    return {
      expert_params: values[2]!,
      shared_params: values[3]!,
      facts: b ? factsOf(gp.base!, b.modules.embedding, gp.serving, b.modules) : NO_FACTS,
      trainingFacts: b && gp.training ? trainingFactsOf(gp.base!, b, gp.training.seqLen) : NO_TRAINING_FACTS,
    };
  }
  const arch = { ...gp.base! } as Architecture & Record<string, unknown>;
  for (let d = 0; d < gp.dims.length; d++) arch[gp.dims[d]!.key] = values[d];
  const b = countParameters(arch);
  return {
    expert_params: b.expert_params,
    shared_params: b.shared_params,
    facts: factsOf(arch, b.modules.embedding, gp.serving, b.modules),
    trainingFacts: gp.training ? trainingFactsOf(arch, b, gp.training.seqLen) : NO_TRAINING_FACTS,
  };
}

/** Architecture counts kept per decoder; past this many the cache starts over. */
const COUNT_CACHE_LIMIT = 1 << 16;

/**
 * Turns grid indices into point models. Architecture points are counted module by module, which
 * costs tens of microseconds; top-k changes no parameter count (only which experts a token uses),
 * so counts are cached by every field but top-k, and a point costs one count per top-k value less.
 */
export class PointDecoder {
  private readonly strides: number[];
  /** Strides of the index with the top-k dim left out: the cache key. */
  private readonly keyStrides: number[];
  private readonly cache = new Map<
    number,
    { expert_params: number; shared_params: number; facts: ServingFacts; trainingFacts: TrainingFacts }
  >();
  private readonly baseFacts: ServingFacts;
  private readonly baseTrainingFacts: TrainingFacts;
  readonly index: Int32Array;

  constructor(readonly gp: GeneralPlan) {
    this.strides = new Array<number>(gp.dims.length);
    this.keyStrides = new Array<number>(gp.dims.length);
    let s = 1;
    let k = 1;
    for (let d = gp.dims.length - 1; d >= 0; d--) {
      this.strides[d] = s;
      s *= gp.dims[d]!.values.length;
      const isTopK = gp.dims[d]!.key === 'num_experts_per_tok';
      this.keyStrides[d] = isTopK ? 0 : k;
      if (!isTopK) k *= gp.dims[d]!.values.length;
    }
    this.index = new Int32Array(gp.dims.length);
    const baseCount = gp.base && gp.mode === 'abstract' ? countParameters(gp.base) : undefined;
    this.baseFacts = baseCount
      ? factsOf(gp.base!, baseCount.modules.embedding, gp.serving, baseCount.modules)
      : NO_FACTS;
    this.baseTrainingFacts =
      baseCount && gp.training ? trainingFactsOf(gp.base!, baseCount, gp.training.seqLen) : NO_TRAINING_FACTS;
  }

  /** Decodes `index` into `this.index` (one position per dim). */
  decode(index: number): void {
    let rest = index;
    for (let d = 0; d < this.strides.length; d++) {
      const q = Math.floor(rest / this.strides[d]!);
      this.index[d] = q;
      rest -= q * this.strides[d]!;
    }
  }

  value(d: number): number {
    return this.gp.dims[d]!.values[this.index[d]!]!;
  }

  /** The point at the decoded position; null when top_k exceeds experts (not a design). */
  model(): PointModel | null {
    const gp = this.gp;
    if (gp.mode === 'abstract') {
      const [experts, topK, expertParams, sharedParams] = [this.value(0), this.value(1), this.value(2), this.value(3)];
      if (topK > experts) return null;
      return {
        experts,
        top_k: topK,
        expert_params: expertParams,
        shared_params: sharedParams,
        facts: this.baseFacts,
        trainingFacts: this.baseTrainingFacts,
      };
    }
    const [eDim, kDim] = gp.cellDims;
    const experts = eDim < 0 ? gp.base!.num_experts : this.value(eDim);
    const topK = kDim < 0 ? gp.base!.num_experts_per_tok : this.value(kDim);
    if (topK > experts) return null;
    let key = 0;
    for (let d = 0; d < gp.dims.length; d++) key += this.index[d]! * this.keyStrides[d]!;
    let counted = this.cache.get(key);
    if (!counted) {
      counted = countAt(
        gp,
        gp.dims.map((_, d) => this.value(d)),
      );
      if (this.cache.size >= COUNT_CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, counted);
    }
    return { experts, top_k: topK, ...counted };
  }
}

/** The full metric vector of a point: design metrics with split formats and the KV cache, quality, serving. */
export function pointMetricsInto(
  m: Float64Array,
  plan: Pick<EvalPlan, 'bytesPerWeight' | 'overhead' | 'quality'>,
  gp: GeneralPlan,
  serving: ServingEvaluator | undefined,
  p: PointModel,
  training?: TrainingCostEvaluator,
): void {
  metricsInto(m, 0, p.experts, p.top_k, p.expert_params, p.shared_params, plan.bytesPerWeight, plan.overhead);
  // experts and the rest may be stored differently (gpt-oss: mxfp4 experts, bf16 rest); the KV cache
  // sits beside the weights, and the overhead allowance covers both
  const weightBytes = p.experts * p.expert_params * gp.expertBytesPerWeight + p.shared_params * gp.restBytesPerWeight;
  const kv = gp.serving ? gp.serving.batch * p.facts.kvBytesPerSequence : 0;
  m[WEIGHT_BYTES] = weightBytes;
  m[VRAM] = Math.round((weightBytes + kv) * (1 + plan.overhead));
  if (plan.quality) qualityInto(m, p.experts, p.top_k, m[TOTAL]!, m[ACTIVE]!, plan.quality);
  serving?.into(m, p.experts, p.top_k, p.expert_params, p.shared_params, p.facts);
  training?.into(m, p);
}

/**
 * Every point counted module by module: the path of a plan without compiled counts, and the
 * reference the compiled kernel (compiled-kernel.ts) is tested against.
 */
export function evaluateGeneralChunk(plan: EvalPlan, start: number, end: number): ChunkSummary {
  const gp = plan.general!;
  const decoder = new PointDecoder(gp);
  const serving = gp.serving ? new ServingEvaluator(gp.serving) : undefined;
  const training = gp.training ? new TrainingCostEvaluator(gp.training) : undefined;
  const nk = plan.axes.top_k.length;
  const cellEvaluated = new Float64Array(plan.axes.experts.length * nk);
  const cellFeasible = new Float64Array(cellEvaluated.length);
  const violations = new Float64Array(plan.constraints.length);
  const candIndex = new Growable();
  const candObj = plan.objectives.map(() => new Growable());
  const bins = plan.bins;
  const binCounts = bins ? new Float64Array(2 * bins.nx * bins.ny) : undefined;
  const bits = plan.feasibleBits ? new Uint8Array(Math.ceil((end - start) / 8)) : undefined;
  const m = new Float64Array(SLOT_COUNT);
  const [eDim, kDim] = gp.cellDims;
  let evaluated = 0;
  let feasible = 0;
  for (let index = start; index < end; index++) {
    decoder.decode(index);
    const p = decoder.model();
    if (!p) continue;
    pointMetricsInto(m, plan, gp, serving, p, training);
    const mask = violationMask(plan.constraints, m, 0);
    const cell = (eDim < 0 ? 0 : decoder.index[eDim]!) * nk + (kDim < 0 ? 0 : decoder.index[kDim]!);
    evaluated++;
    cellEvaluated[cell]!++;
    if (mask === 0) {
      feasible++;
      cellFeasible[cell]!++;
      candIndex.push(index);
      for (let j = 0; j < plan.objectives.length; j++)
        candObj[j]!.push(plan.objectives[j]!.sign * m[plan.objectives[j]!.metric]!);
      if (bits) bits[(index - start) >> 3]! |= 1 << ((index - start) & 7);
    } else {
      for (let c = 0; c < plan.constraints.length; c++) if (mask & (1 << c)) violations[c]!++;
    }
    if (binCounts && bins) {
      const b =
        binOf(Math.log10(m[ACTIVE]!), bins.y0, bins.y1, bins.ny) * bins.nx +
        binOf(Math.log10(m[TOTAL]!), bins.x0, bins.x1, bins.nx);
      binCounts[(mask === 0 ? bins.nx * bins.ny : 0) + b]!++;
    }
  }
  const [frontIndex, frontObjectives] = localFront(candIndex, candObj);
  return {
    start,
    end,
    evaluated,
    feasible,
    cellEvaluated,
    cellFeasible,
    violations,
    frontIndex,
    frontObjectives,
    bins: binCounts,
    feasibleBits: bits,
  };
}

/**
 * Grid points by index through the compiled counts, module by module where a point's case did not
 * compile. One PointModel (and one facts object) is reused from point to point.
 */
export class PointSource {
  readonly walker: CompiledWalker;
  private readonly decoder: PointDecoder;
  private readonly point: PointModel;
  private readonly factKeys: string[];
  private readonly trainingKeys: string[];
  private readonly eValues: Float64Array;
  private readonly kValues: Float64Array;
  private readonly eDim: number;
  private readonly kDim: number;
  /** Points counted module by module so far. */
  fallbacks = 0;

  constructor(readonly gp: GeneralPlan) {
    this.walker = new CompiledWalker(gp.compiled!);
    this.decoder = new PointDecoder(gp);
    const outputs = gp.compiled!.outputs;
    this.factKeys = outputs.slice(2).filter((k) => !k.startsWith(TRAINING_FACT));
    this.trainingKeys = outputs.filter((k) => k.startsWith(TRAINING_FACT)).map((k) => k.slice(TRAINING_FACT.length));
    const facts = Object.fromEntries(this.factKeys.map((k) => [k, 0])) as unknown as ServingFacts;
    const trainingFacts = gp.training
      ? (Object.fromEntries(this.trainingKeys.map((k) => [k, 0])) as unknown as TrainingFacts)
      : NO_TRAINING_FACTS;
    this.point = { experts: 0, top_k: 0, expert_params: 0, shared_params: 0, facts, trainingFacts };
    [this.eDim, this.kDim] = gp.cellDims;
    this.eValues = Float64Array.from(this.eDim >= 0 ? gp.dims[this.eDim]!.values : [gp.base!.num_experts]);
    this.kValues = Float64Array.from(this.kDim >= 0 ? gp.dims[this.kDim]!.values : [gp.base!.num_experts_per_tok]);
  }

  value(d: number): number {
    return this.gp.dims[d]!.values[this.walker.idx[d]!]!;
  }

  /** The point at grid index `index` (ascending calls are cheapest); null when top_k exceeds experts. */
  at(index: number): PointModel | null {
    const w = this.walker;
    w.moveTo(index);
    const e = this.eValues[this.eDim >= 0 ? w.idx[this.eDim]! : 0]!;
    const k = this.kValues[this.kDim >= 0 ? w.idx[this.kDim]! : 0]!;
    if (k > e) return null;
    if (!w.ok()) {
      this.fallbacks++;
      this.decoder.decode(index);
      return this.decoder.model();
    }
    const p = this.point;
    const out = w.out;
    p.experts = e;
    p.top_k = k;
    p.expert_params = out[0]!;
    p.shared_params = out[1]!;
    const facts = p.facts as unknown as Record<string, number>;
    for (let j = 0; j < this.factKeys.length; j++) facts[this.factKeys[j]!] = out[2 + j]!;
    if (this.trainingKeys.length > 0) {
      const tf = p.trainingFacts as unknown as Record<string, number>;
      const t0 = 2 + this.factKeys.length;
      for (let j = 0; j < this.trainingKeys.length; j++) tf[this.trainingKeys[j]!] = out[t0 + j]!;
    }
    return p;
  }
}
