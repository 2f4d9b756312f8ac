/**
 * Memory of a checkpoint: its weights in the formats the release stores them, and its KV cache.
 *
 * Weights. Every tensor is given the format its checkpoint stores it in, from the config's own
 * quantisation fields (never from a table of model names):
 * - unquantised tensors in the config's dtype (`torch_dtype` / `dtype`; bf16 when it names none);
 * - block-FP8 linears (`quantization_config.quant_method: "fp8"` with square `weight_block_size`
 *   b): one FP8 E4M3 byte per weight plus one scale per b×b tile, ⌈out/b⌉·⌈in/b⌉ per weight. The
 *   linears that are FP8 are those `countParameters` gives scale tensors (attention projections,
 *   Gated DeltaNet projections, shared experts, dense FFNs, routed experts unless sub-byte, indexer
 *   wq_b/wk, MTP e_proj/h_proj where the release has them); embeddings, the head, norms, routers,
 *   compressors and indexer weights_proj stay in the base dtype. Scales are F32 (DeepSeek-V3
 *   `weight_scale_inv`, MiniMax-M2), except in `deepseek_v4`, whose reference `Linear` stores them
 *   as float8_e8m0fnu (1 byte; DeepSeek-V4-Flash inference/model.py);
 * - FP4 (E2M1) routed experts, two per stored byte with one UE8M0 scale per group of 32 along the
 *   input dimension: DeepSeek-V4 `expert_dtype: "fp4"` (model.py: weight [out, in/2]
 *   float4_e2m1fn_x2, scale [out, in/32] float8_e8m0fnu) and `quant_method: "mxfp4"` (gpt-oss:
 *   `_blocks` and `_scales` uint8, the OCP MX v1.0 MXFP4 format of 32 E2M1 values per E8M0 scale);
 *   expert biases stay in the base dtype;
 * - compressed-tensors INT4 "pack-quantized" routed experts (Kimi K2.x): eight per stored int32,
 *   one BF16 scale per group, and an int32 `weight_shape` [2] per linear;
 * - tensors the family's reference code keeps in F32 whatever the rest: the router's
 *   score-correction bias (DeepSeek-V3/V4 `Gate.bias` float32; the DeepSeek-V3 and Kimi K2.6
 *   checkpoints' F32 counts are exactly their scales plus these biases), DeepSeek-V4's attention
 *   sinks, compressor position biases (`ape`) and hyper-connection mixers (`set_dtype(float32)`;
 *   its norms, compressor projections and head are stored in bf16, as model.py's comments say),
 *   and Gated DeltaNet's A_log and gated-norm weight (the 90 F32 tensors of Qwen3.5-397B-A17B's
 *   safetensors headers, two per linear-attention layer);
 * - DeepSeek-V4's hash-routing tables `tid2eid` [vocab, top-k] as int64 (the checkpoint's I64);
 * - 4-bit linears of any family (`LinearQuantSpec`: NVFP4, AWQ, GPTQ, compressed-tensors INT4), in
 *   place of block-FP8 on the same linears, with their scales, zero points and index tensors as
 *   `quantLinear` (storage.ts) lays them out.
 * Quantisation methods not listed here are not modelled: the weights are then given in the base
 * dtype and `modelled` is false.
 *
 * The element counts of scales and packed weights come from storage.ts, the rules
 * `countParameters` tallies with, so bytes and counts cannot drift apart.
 *
 * KV cache: `kvLayoutFromArchitecture` (kv-cache.ts) per main-model layer kind.
 */
import {
  countParameters,
  expertBiasParams,
  gqaShapeOf,
  hasOwnDsaIndexer,
  hcBlockParams,
  hcHeadParams,
  kindOf,
  moeLayerIndices,
  layerAttentionKinds,
  noFfnLayers,
  norm,
  visionParams,
} from './count.js';
import {
  type CheckpointStorage,
  checkpointStorageFromHfConfig,
  fp8ScaleTiles,
  ffnMatrices,
  hashTableElements,
  type Matrix,
  mtpStoredCopies,
  packedExpertLinear,
  quantLinear,
  STORED_ELEMENT_BYTES,
  type StoredFormat,
  type StoredRole,
  storageFromArchitecture,
} from './storage.js';
import { KV_DTYPE_BYTES, KV_DTYPES, type KvDtype } from '../formats/dtypes.js';
import type { Architecture, LayerAttentionKind } from './types.js';
import { hybridMixer, isHybridKind } from './mixers.js';
import {
  kvBytesPerTokenLongContext,
  kvCacheBytes,
  kvFixedBytesPerSequence,
  kvLayoutFromArchitecture,
  type KvCacheSize,
  type KvLayout,
} from './kv-cache.js';

export interface FormatShare {
  format: StoredFormat;
  role: StoredRole;
  /** values held: parameters for weights (logical count), elements for scales, shapes and tables */
  values: number;
  /** stored tensor elements (an FP4 byte or an INT4 int32 counts once) */
  elements: number;
  bytes: number;
}

/** The parts of a checkpoint, as `countParameters` names them. */
export const WEIGHT_PARTS = [
  'embedding',
  'lm_head',
  'attention',
  'linear_attention',
  'mamba',
  'short_conv',
  'compressors',
  'indexers',
  'hyper_connections',
  'norms',
  'router',
  'routed_experts',
  'shared_experts',
  'dense_ffn',
  'mtp',
  'mtp_stored_copies',
  'vision',
  'routing_tables',
] as const;
export type WeightPart = (typeof WEIGHT_PARTS)[number];

export interface PartBytes {
  part: WeightPart;
  /** logical parameters (routing tables: 0, they are stored integers) */
  params: number;
  /** bytes as stored: weights, scales, shape tensors, tables */
  bytes: number;
  /** 2 × params: every parameter in bf16, no scales */
  bf16_bytes: number;
  formats: FormatShare[];
}

export interface CheckpointWeightBytes {
  /** bytes of every tensor as the checkpoint stores it (the safetensors payload, headers excluded) */
  total_bytes: number;
  /** 2 × total_params: every parameter in bf16, no scales or tables */
  bf16_equivalent_bytes: number;
  /** every logical parameter of the checkpoint (`total_logical`) */
  total_params: number;
  /** stored tensor elements, packed elements once */
  stored_elements: number;
  /** bytes and stored elements by format, over every part */
  by_format: { format: StoredFormat; elements: number; bytes: number }[];
  /** the parts with anything stored, in WEIGHT_PARTS order */
  parts: PartBytes[];
  storage: CheckpointStorage;
}

function safe(name: string, n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${name} exceeds the exactly representable range`);
  return n;
}

/** Bytes and elements by part and format, accumulated tensor group by tensor group. */
class Ledger {
  readonly parts = new Map<WeightPart, { params: number; shares: Map<string, FormatShare> }>();

  constructor(readonly storage: CheckpointStorage) {}

  private part(p: WeightPart) {
    let e = this.parts.get(p);
    if (!e) {
      e = { params: 0, shares: new Map() };
      this.parts.set(p, e);
    }
    return e;
  }

  /** `values` values in `format`, `count` times; `elements` stored elements (default: one per value). */
  add(p: WeightPart, format: StoredFormat, role: StoredRole, values: number, count = 1, elements = values): void {
    if (values === 0 || count === 0) return;
    const e = this.part(p);
    if (role === 'weights') e.params += values * count;
    const key = `${format}/${role}`;
    let sh = e.shares.get(key);
    if (!sh) {
      sh = { format, role, values: 0, elements: 0, bytes: 0 };
      e.shares.set(key, sh);
    }
    sh.values += values * count;
    sh.elements += elements * count;
    sh.bytes += elements * count * STORED_ELEMENT_BYTES[format];
  }

  /** Unquantised parameters in the base dtype. */
  base(p: WeightPart, values: number, count = 1): void {
    this.add(p, this.storage.base, 'weights', values, count);
  }

  f32(p: WeightPart, values: number, count = 1): void {
    this.add(p, 'f32', 'weights', values, count);
  }

  /** Linears the checkpoint stores in a 4-bit format or block-FP8 when it says so, else in the base dtype. */
  linears(p: WeightPart, mats: Matrix[], count = 1): void {
    const b = this.storage.fp8_block;
    const lq = this.storage.linear_quant;
    for (const [out, inn] of mats) {
      if (lq) {
        const q = quantLinear(lq, [out, inn]);
        this.add(p, q.weight.format, 'weights', out * inn, count, q.weight.elements);
        for (const sc of q.scales) this.add(p, sc.format, 'scales', sc.elements, count);
        this.add(p, 'i32', 'shapes', q.shapes, count);
      } else if (b == null) {
        this.base(p, out * inn, count);
      } else {
        this.add(p, 'fp8_e4m3', 'weights', out * inn, count);
        this.add(p, this.storage.fp8_scale, 'scales', fp8ScaleTiles([out, inn], b), count);
      }
    }
  }

  /** Routed-expert linears: sub-byte with group scales when the checkpoint says so, else as `linears`. */
  experts(p: WeightPart, mats: Matrix[], count: number): void {
    const q = this.storage.experts;
    if (q == null) {
      this.linears(p, mats, count);
      return;
    }
    for (const m of mats) {
      const packed = packedExpertLinear(q.format, q.group_size, m);
      const logical = m[0] * m[1];
      if (q.format === 'fp4_e2m1') {
        this.add(p, 'fp4_e2m1', 'weights', logical, count, packed.stored);
        this.add(p, 'ue8m0', 'scales', packed.scales, count);
      } else {
        this.add(p, 'int4', 'weights', logical, count, packed.stored);
        this.add(p, 'bf16', 'scales', packed.scales, count);
        this.add(p, 'i32', 'shapes', packed.shapes, count);
      }
    }
  }
}

/** The token mixer of layer i, into `attn` (softmax attention), `lin`, `mamba`, `conv`, `comp` and `idx` parts. */
function mixer(
  l: Ledger,
  arch: Architecture,
  kinds: LayerAttentionKind[],
  i: number,
  parts: { attn: WeightPart; lin: WeightPart; mamba: WeightPart; conv: WeightPart; comp: WeightPart; idx: WeightPart },
): void {
  const d = arch.hidden_size;
  const kind = kindOf(arch, kinds, i);
  if (kind === 'none') return;
  if (isHybridKind(kind)) {
    const t = hybridMixer(arch, kind, i);
    const part = t.module === 'mamba' ? parts.mamba : t.module === 'short_conv' ? parts.conv : parts.lin;
    l.linears(part, t.linears);
    l.base(part, t.base);
    l.f32(part, t.f32);
    return;
  }
  if (kind === 'linear') {
    const g = arch.gated_deltanet;
    if (!g) throw new RangeError(`layer ${i} is linear attention but the architecture has no gated_deltanet`);
    const value = g.num_value_heads * g.value_head_dim;
    const convDim = 2 * g.num_key_heads * g.key_head_dim + value;
    const Vh = g.num_value_heads;
    // in_proj_qkv, in_proj_z, in_proj_b, in_proj_a, out_proj
    l.linears(parts.lin, [
      [convDim, d],
      [value, d],
      [Vh, d],
      [Vh, d],
      [d, value],
    ]);
    l.base(parts.lin, convDim * g.conv_kernel + Vh); // conv1d, dt_bias
    l.f32(parts.lin, Vh + g.value_head_dim); // A_log, gated norm
    return;
  }
  if (arch.attention_type === 'gqa' && arch.attention_experts) {
    // JetMoE MoA: each expert's input and output linear, kv_proj; router and output bias unquantised
    const kv = arch.num_key_value_heads * arch.head_dim;
    const Ea = arch.attention_experts.num_experts;
    l.linears(
      parts.attn,
      [
        [kv, d],
        [d, kv],
      ],
      Ea,
    );
    l.linears(parts.attn, [[2 * kv, d]]);
    l.base(parts.attn, d * Ea + d);
    return;
  }
  if (arch.attention_type === 'gqa') {
    const s = gqaShapeOf(arch, kind);
    const H = s.num_attention_heads;
    const hd = s.head_dim;
    const q = H * hd;
    const qOut = arch.attention_output_gate ? 2 * q : q;
    const k = s.num_key_value_heads * hd;
    const v = s.shared_kv ? 0 : s.num_key_value_heads * s.v_head_dim;
    const o = H * s.v_head_dim;
    l.linears(parts.attn, [[qOut, d], [k, d], ...(v > 0 ? [[v, d] as [number, number]] : []), [d, o]]);
    let extra = 0;
    if (arch.attention_qkv_bias) extra += qOut + k + v;
    if (arch.attention_out_bias) extra += d;
    if (arch.qk_norm === 'per_head') extra += 2 * hd;
    else if (arch.qk_norm === 'full') extra += q + k;
    if (s.attention_sinks) extra += H;
    const bi = arch.block_indexer;
    if (bi && i < arch.num_layers && bi.layers.includes(i)) {
      l.linears(parts.idx, [
        [bi.n_heads * bi.head_dim, d],
        [bi.head_dim, d],
      ]);
      l.base(parts.idx, 2 * bi.head_dim); // q_norm, k_norm
    }
    l.base(parts.attn, extra);
    return;
  }
  if (arch.attention_type === 'mla') {
    const H = arch.num_attention_heads;
    const qk = arch.qk_nope_head_dim + arch.qk_rope_head_dim;
    const rkv = arch.kv_lora_rank;
    const rope = arch.qk_rope_head_dim;
    if (arch.q_lora_rank == null) {
      l.linears(parts.attn, [[H * qk, d]]);
    } else {
      const rq = arch.q_lora_rank;
      l.linears(parts.attn, [
        [rq, d],
        [H * qk, rq],
      ]);
      l.base(parts.attn, rq + (arch.attention_qkv_bias ? rq : 0)); // q_a_layernorm (+ q_a_proj bias)
    }
    l.linears(parts.attn, [
      [rkv + rope, d],
      [H * (arch.qk_nope_head_dim + arch.v_head_dim), rkv],
      [d, H * arch.v_head_dim],
    ]);
    l.base(parts.attn, rkv + (arch.attention_qkv_bias ? rkv + rope : 0) + (arch.attention_out_bias ? d : 0));
    if (hasOwnDsaIndexer(arch, i)) {
      const dsa = arch.dsa_indexer;
      const rq = arch.q_lora_rank;
      if (rq == null) throw new RangeError('a DSA indexer needs q_lora_rank (its queries come from the q latent)');
      l.linears(parts.idx, [
        [dsa.n_heads * dsa.head_dim, rq],
        [dsa.head_dim, d],
      ]); // wq_b, wk
      l.base(parts.idx, 2 * dsa.head_dim + d * dsa.n_heads); // k_norm (LayerNorm with bias), weights_proj
    }
    return;
  }
  // DeepSeek-V4 compressed attention
  const H = arch.num_attention_heads;
  const c = arch.head_dim;
  const rq = arch.q_lora_rank;
  const G = arch.o_groups;
  const ro = arch.o_lora_rank;
  if (arch.attention_sinks) l.f32(parts.attn, H); // attn_sink float32
  l.linears(parts.attn, [
    [rq, d],
    [H * c, rq],
    [c, d],
    [G * ro, (H * c) / G],
    [d, G * ro],
  ]); // wq_a, wq_b, wkv, wo_a, wo_b
  l.base(parts.attn, rq + c); // q_norm, kv_norm
  const ratio = arch.compress_ratios[i] ?? 0;
  if (ratio > 0) {
    const csa = ratio === arch.csa_compress_ratio;
    const compressor = (p: WeightPart, width: number, overlap: boolean) => {
      const k = overlap ? 2 : 1;
      l.f32(p, ratio * k * width); // ape float32
      l.base(p, 2 * d * k * width + width); // wkv, wgate (stored bf16), norm
    };
    compressor(parts.comp, c, csa);
    if (csa) {
      const n = arch.index_n_heads;
      const h = arch.index_head_dim;
      l.linears(parts.idx, [[n * h, rq]]); // wq_b
      l.base(parts.idx, d * n); // weights_proj (bf16)
      compressor(parts.idx, h, true);
    }
  }
}

/**
 * Bytes of every tensor of the checkpoint described by `arch`, by part and by format, in the
 * formats `storage` gives (by default what the Architecture says: `checkpoint_fp8_block`,
 * `checkpoint_expert_quant`, bf16 elsewhere; use `checkpointStorageFromHfConfig` for the
 * config's dtype, mxfp4 and what is not modelled). Pure; integers.
 */
export function checkpointWeightBytes(
  arch: Architecture,
  storage: CheckpointStorage = storageFromArchitecture(arch),
): CheckpointWeightBytes {
  const counts = countParameters(arch); // validates arch
  const l = new Ledger(storage);
  const d = arch.hidden_size;
  const L = arch.num_layers;
  const V = arch.vocab_size;
  const E = arch.num_experts;
  const kinds = layerAttentionKinds(arch);
  const moe = new Set(moeLayerIndices(arch));
  const noFfn = noFfnLayers(arch);
  const nHash = arch.num_hash_layers ?? 0;
  const layerNorm = arch.norms_per_layer * norm(arch, d) + (arch.layer_scalar ? 1 : 0);
  const hcBlock = hcBlockParams(arch);
  const hcHead = hcHeadParams(arch);
  const expertMats = ffnMatrices(d, arch.moe_intermediate_size, arch.expert_gated);
  const expertBias = expertBiasParams(arch);

  const layer = (i: number, isMoe: boolean, inMtp: boolean) => {
    const p = (main: WeightPart): WeightPart => (inMtp ? 'mtp' : main);
    mixer(l, arch, kinds, i, {
      attn: p('attention'),
      lin: p('linear_attention'),
      mamba: p('mamba'),
      conv: p('short_conv'),
      comp: p('compressors'),
      idx: p('indexers'),
    });
    l.base(p('norms'), layerNorm);
    l.f32(p('hyper_connections'), hcBlock); // hc_{attn,ffn}_{fn,base,scale} float32
    if (isMoe) {
      const hash = i < nHash;
      const Er = E + (arch.zero_experts ?? 0); // router outputs: real and zero-computation experts
      l.base(
        p('router'),
        d * Er + (arch.router_bias ? Er : 0) + (arch.moe_output_bias ? d : 0) + (arch.router_scales ? d + Er : 0),
      );
      if (arch.router_score_correction_bias && !hash) l.f32(p('router'), Er);
      if (hash) l.add('routing_tables', 'i64', 'tables', hashTableElements(arch));
      l.experts(p('routed_experts'), expertMats, E);
      l.base(p('routed_experts'), expertBias, E);
      if (arch.num_shared_experts > 0 && arch.shared_expert_intermediate_size) {
        l.linears(
          p('shared_experts'),
          ffnMatrices(d, arch.shared_expert_intermediate_size, arch.expert_gated),
          arch.num_shared_experts,
        );
        if (arch.shared_expert_gate) l.base(p('shared_experts'), d);
      }
    } else if (arch.dense_intermediate_size != null && !(inMtp ? false : noFfn.has(i))) {
      l.linears(p('dense_ffn'), ffnMatrices(d, arch.dense_intermediate_size, arch.dense_gated !== false));
    }
  };

  l.base('embedding', V * d);
  if (!arch.tie_word_embeddings) l.base('lm_head', V * d + (arch.lm_head_bias ? V : 0));
  for (let i = 0; i < L; i++) layer(i, moe.has(i), false);
  if (arch.final_norm) l.base('norms', norm(arch, d));
  l.f32('hyper_connections', hcHead);

  const mtp = arch.mtp;
  if (mtp && mtp.num_modules > 0) {
    let idx = L;
    for (let k = 0; k < mtp.num_modules; k++) {
      l.base('mtp', 3 * norm(arch, d)); // enorm, hnorm, final norm
      if (mtp.fp8_proj && storage.fp8_block != null)
        l.linears('mtp', [
          [d, d],
          [d, d],
        ]); // e_proj, h_proj
      else l.base('mtp', 2 * d * d); // eh_proj / fc
      l.f32('mtp', hcHead);
      for (let j = 0; j < (mtp.layers_per_module ?? 1); j++, idx++) layer(idx, mtp.layer_kind === 'moe', true);
    }
    l.base('mtp_stored_copies', V * d, mtpStoredCopies(arch));
  }
  if (arch.vision) l.base('vision', visionParams(arch.vision));

  const parts: PartBytes[] = [];
  const byFormat = new Map<StoredFormat, { format: StoredFormat; elements: number; bytes: number }>();
  let total = 0;
  let params = 0;
  let elements = 0;
  for (const name of WEIGHT_PARTS) {
    const e = l.parts.get(name);
    if (!e) continue;
    const formats = [...e.shares.values()].map((s) => ({
      format: s.format,
      role: s.role,
      values: safe(`${name} ${s.format} values`, s.values),
      elements: safe(`${name} ${s.format} elements`, s.elements),
      bytes: safe(`${name} ${s.format} bytes`, s.bytes),
    }));
    const bytes = formats.reduce((a, s) => a + s.bytes, 0);
    parts.push({
      part: name,
      params: safe(name, e.params),
      bytes: safe(name, bytes),
      bf16_bytes: safe(name, 2 * e.params),
      formats,
    });
    for (const s of formats) {
      const f = byFormat.get(s.format) ?? { format: s.format, elements: 0, bytes: 0 };
      f.elements += s.elements;
      f.bytes += s.bytes;
      byFormat.set(s.format, f);
    }
    total += bytes;
    params += e.params;
    elements += formats.reduce((a, s) => a + s.elements, 0);
  }
  if (params !== counts.total_logical) {
    throw new Error(`internal: weight bytes cover ${params} parameters but the checkpoint has ${counts.total_logical}`);
  }
  return {
    total_bytes: safe('total_bytes', total),
    bf16_equivalent_bytes: safe('bf16_equivalent_bytes', 2 * counts.total_logical),
    total_params: counts.total_logical,
    stored_elements: safe('stored_elements', elements),
    by_format: [...byFormat.values()].sort((a, b) => b.bytes - a.bytes),
    parts,
    storage,
  };
}

// ---------------------------------------------------------------------------------------
// KV cache of an inspected config
// ---------------------------------------------------------------------------------------

export interface KvOptions {
  /** tokens per sequence; null/absent: per-token and fixed figures only */
  context?: number | null;
  /** concurrent sequences (default 1) */
  batch?: number;
  /** dtype of the cached values (default bf16) */
  kv_dtype?: KvDtype;
}

export interface KvReport {
  kv_dtype: KvDtype;
  /**
   * main-model layers by kind; dsa_indexer counts full layers that also cache indexer keys; the
   * recurrent mixers of hybrid models (mamba, mamba2, lightning, kda, short_conv) and layers without
   * a mixer (none) are listed only when the model has them
   */
  layers: { full: number; sliding: number; csa: number; hca: number; linear: number; dsa_indexer: number } & Partial<
    Record<'mamba' | 'mamba2' | 'lightning' | 'kda' | 'short_conv' | 'none', number>
  >;
  /** what a fixed per-sequence state belongs to: "linear-attention" (Gated DeltaNet), "Mamba", ...; null without one */
  state_kind?: string | null;
  /** the window of sliding layers and of compressed layers' uncompressed tail */
  sliding_window: number | null;
  /** values cached per token by a full or sliding layer */
  values_per_token_per_layer: number;
  /** bytes one more token of context adds to one sequence once every window is full */
  bytes_per_token: number;
  /** bytes of one sequence that stop growing: windows, linear-attention states, compressor states */
  fixed_bytes_per_sequence: number;
  /** fixed_bytes_per_sequence by kind: uncompressed windows (once full), linear-attention and compressor states */
  fixed: { windows: number; linear_states: number; compressor_states: number };
  /** one linear-attention layer's state for one sequence, bytes (0 without linear layers) */
  linear_state_bytes_per_layer: number;
  context: number | null;
  batch: number;
  /** the cache at `context` for `batch` sequences; null without a context */
  at_context: KvCacheSize | null;
  notes: string[];
}

export interface MemoryReport {
  weights: CheckpointWeightBytes;
  kv: KvReport;
}

function count(kinds: LayerAttentionKind[], k: LayerAttentionKind): number {
  return kinds.filter((x) => x === k).length;
}

const HYBRID_LAYER_KINDS = ['mamba', 'mamba2', 'lightning', 'kda', 'short_conv', 'none'] as const;

/** Layers of the hybrid kinds the model has (absent kinds are left out, so other models' reports do not change). */
function hybridCounts(kinds: LayerAttentionKind[]): Partial<Record<(typeof HYBRID_LAYER_KINDS)[number], number>> {
  const out: Partial<Record<(typeof HYBRID_LAYER_KINDS)[number], number>> = {};
  for (const k of HYBRID_LAYER_KINDS) {
    const n = count(kinds, k);
    if (n > 0) out[k] = n;
  }
  return out;
}

const STATE_NAMES: Partial<Record<LayerAttentionKind, string>> = {
  linear: 'linear-attention',
  mamba: 'Mamba',
  mamba2: 'Mamba-2',
  lightning: 'lightning-attention',
  kda: 'Kimi Delta Attention',
  short_conv: 'short-convolution',
};

/** The name of the one recurrent kind among `kinds` ("linear-attention" when none). */
export function stateKindName(kinds: LayerAttentionKind[]): string {
  for (const k of kinds) {
    const n = STATE_NAMES[k];
    if (n) return n;
  }
  return 'linear-attention';
}

function thousands(n: number): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** What is cached, layer kind by layer kind, for people. */
function kvNotes(arch: Architecture, layout: KvLayout, kvDtype: KvDtype): string[] {
  const notes: string[] = [];
  for (const g of layout.compressed) {
    notes.push(
      `${g.layers} ${g.kind} layers: one compressed entry of ${g.entry_values} values per ${g.ratio} tokens` +
        (g.indexer_entry_values ? ` plus an indexer key of ${g.indexer_entry_values} values` : '') +
        `, the last ${g.window} tokens uncompressed, and a fixed float32 compressor state of ${thousands(g.state_bytes)} bytes per sequence`,
    );
  }
  if (layout.indexer_layers > 0 && arch.attention_type === 'gqa') {
    notes.push(
      `${layout.indexer_layers} sparse-attention layers cache a lightning-indexer key per token: ${layout.indexer_key_bytes_per_token} bytes ` +
        "(bf16, as transformers' MiniMax-M3 cache keeps them, whatever the KV dtype)",
    );
  } else if (layout.indexer_layers > 0) {
    notes.push(
      `${layout.indexer_layers} layers cache a DSA indexer key per token: ${layout.indexer_key_bytes_per_token} bytes ` +
        "(FP8 with an F32 scale per 128 values, as DeepSeek-V3.2's reference code keeps them, whatever the KV dtype)",
    );
  }
  if (layout.linear_layers > 0) {
    const st = arch.linear_attention_state;
    const what = stateKindName(layerAttentionKinds(arch));
    const parts: string[] = [];
    if (st && st.recurrent_elements > 0)
      parts.push(
        `${what.startsWith('Mamba') ? 'SSM' : 'recurrent'} ${thousands(st.recurrent_elements)} values in ${st.recurrent_dtype ?? 'bfloat16'}`,
      );
    if (st && st.conv_elements > 0) parts.push(`conv ${thousands(st.conv_elements)} in bfloat16`);
    notes.push(
      `${layout.linear_layers} ${what} layers hold a fixed state per sequence that does not grow with context: ` +
        `${thousands(layout.linear_state_bytes)} bytes each` +
        (parts.length > 0 ? ` (${parts.join(' + ')})` : ''),
    );
  }
  if (layout.sliding_layers > 0)
    notes.push(
      `${layout.sliding_layers} sliding-window layers keep the last ${layout.sliding_window} tokens` +
        (layout.sliding_values_per_token_per_layer != null
          ? `, ${layout.sliding_values_per_token_per_layer} values per token each (their own KV heads)`
          : ''),
    );
  if ((arch.mtp?.num_modules ?? 0) > 0) notes.push('MTP layers are not counted (they cache only when drafting tokens)');
  if (layout.compressed.length > 0 && kvDtype !== 'bf16') {
    notes.push(`the reference code caches compressed entries and windows in bf16; ${kvDtype} is applied to them here`);
  }
  return notes;
}

/**
 * The KV cache of `arch` in `opts.kv_dtype`: per token once every window is full, fixed bytes per
 * sequence, and (with a context) the cache of `batch` sequences.
 */
export function kvReport(arch: Architecture, opts: KvOptions = {}): KvReport {
  const kvDtype = opts.kv_dtype ?? 'bf16';
  const b = KV_DTYPE_BYTES[kvDtype];
  if (b === undefined) throw new RangeError(`unknown KV dtype "${String(kvDtype)}"; expected ${KV_DTYPES.join(', ')}`);
  const batch = opts.batch ?? 1;
  const context = opts.context ?? null;
  const layout = kvLayoutFromArchitecture(arch);
  const kinds = layerAttentionKinds(arch);
  const fixed = kvFixedBytesPerSequence(layout, b);
  const linear = layout.linear_layers * layout.linear_state_bytes;
  const states = layout.compressed.reduce((a, g) => a + g.layers * g.state_bytes, 0);
  return {
    kv_dtype: kvDtype,
    layers: {
      full: count(kinds, 'full'),
      sliding: count(kinds, 'sliding'),
      csa: count(kinds, 'csa'),
      hca: count(kinds, 'hca'),
      linear: count(kinds, 'linear'),
      dsa_indexer: layout.indexer_layers,
      ...hybridCounts(kinds),
    },
    ...(layout.linear_layers > 0 && count(kinds, 'linear') === 0 ? { state_kind: stateKindName(kinds) } : {}),
    sliding_window: layout.sliding_window,
    values_per_token_per_layer: layout.values_per_token_per_layer,
    bytes_per_token: kvBytesPerTokenLongContext(layout, b),
    fixed_bytes_per_sequence: fixed,
    fixed: { windows: fixed - linear - states, linear_states: linear, compressor_states: states },
    linear_state_bytes_per_layer: layout.linear_state_bytes,
    context,
    batch,
    at_context: context == null ? null : kvCacheBytes(layout, { context, batch, kvBytes: b }),
    notes: kvNotes(arch, layout, kvDtype),
  };
}

/** Weights as stored (formats from the config) and the KV cache of an inspected config. */
export function memoryReport(config: unknown, arch: Architecture, opts: KvOptions = {}): MemoryReport {
  return {
    weights: checkpointWeightBytes(arch, checkpointStorageFromHfConfig(config, arch)),
    kv: kvReport(arch, opts),
  };
}
