/**
 * Exact parameter counts of an `Architecture`, module by module.
 *
 * Counting rules (all weights, biases and stored norm vectors; no buffers that are
 * recomputed at load time such as RoPE tables):
 * - embedding V·d; head V·d unless tied (+V with a head bias); final norm.
 * - norm(d) = d for RMSNorm or LayerNorm without bias, 2d for LayerNorm with bias.
 * - GQA: q d·H·hd (twice that with an output gate), k d·K·hd, v d·K·vd, o H·vd·d (vd = v_head_dim,
 *   default hd), + biases, QK norm and sinks; sliding layers may have their own H, K, hd, vd and
 *   sinks (`sliding_attention`); a MiniMax-M3 block indexer adds q d·n·h + k d·h + q/k norms 2h.
 * - MLA: q_a d·r_q + q_a_norm r_q + q_b r_q·H·(nope+rope) (or q d·H·(nope+rope) without
 *   q-LoRA), kv_a d·(r_kv+rope) + kv_a_norm r_kv + kv_b r_kv·H·(nope+v), o H·v·d; a DSA
 *   indexer adds wq_b r_q·n·h + wk d·h + k_norm 2h + weights_proj d·n.
 * - DeepSeek-V4 CSA/HCA: sinks H + wq_a d·r_q + q_norm r_q + wq_b r_q·H·c + wkv d·c + kv_norm c
 *   + wo_a H·c·r_o + wo_b G·r_o·d; a compressor of ratio m adds ape m·k·c + wkv d·k·c +
 *   wgate d·k·c + norm c (k = 2 iff m is the CSA ratio); a CSA indexer adds wq_b r_q·n_I·d_I
 *   + weights_proj d·n_I + its own compressor over d_I.
 * - Gated DeltaNet: in_proj_qkv d·(2·K·dk + V·dv), in_proj_z d·V·dv, in_proj_b and in_proj_a
 *   d·V each, conv1d (2·K·dk + V·dv)·kernel, dt_bias and A_log V each, gated norm dv,
 *   out_proj V·dv·d.
 * - Hyper-connections of mult m: per block 2·((2+m)·m·m·d + (2+m)·m + 3), at each head
 *   m·m·d + m + 1.
 * - MoE layer: router d·E (+E bias, +E score-correction bias except in hash-routed layers);
 *   E experts of 3·d·I (2·d·I when plain; +2·I + d biases when gated with bias); shared
 *   experts n·3·d·I_s (+d for the shared-expert gate Linear(d,1)).
 * - Recurrent mixers of hybrid models (Mamba-1, Mamba-2, lightning attention, Kimi Delta
 *   Attention, LFM2 short convolution): tensor by tensor in mixers.ts.
 * - Dense layer FFN: gated 3·d·I (plain up/down 2·d·I with `dense_gated: false`); layers in
 *   `no_ffn_layers` have none.
 * - MTP module: 2 norms + input projection 2d·d + its decoder layer(s) + a final norm (+ a head
 *   hyper-connection); embedding and head copies only where the checkpoint stores them.
 *
 * Storage (what the checkpoint holds besides parameters: block-FP8 scales, packed sub-byte
 * experts with their group scales and shape tensors, hash-routing tables) is tallied by
 * `StorageTally` in storage.ts as the layers are walked.
 */
import type {
  Architecture,
  Breakdown,
  CsaHcaAttentionFields,
  DsaIndexerSpec,
  ExtraCounts,
  GqaShape,
  LayerAttentionKind,
  LinearSpec,
  ModuleCounts,
  VisionSpec,
} from './types.js';
import { type Matrix, StorageTally, mtpStoredCopies } from './storage.js';
import { hybridMixer, isHybridKind, mixerParams } from './mixers.js';

function assertCount(name: string, value: unknown, min = 0): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`architecture field ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
}

function safe(name: string, n: number): number {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`parameter count for ${name} exceeds the exactly representable range`);
  }
  return n;
}

export function norm(arch: Architecture, width: number): number {
  return arch.norm_type === 'layernorm' && arch.norm_bias ? 2 * width : width;
}

function linear([inn, out, bias]: LinearSpec): number {
  return inn * out + (bias ? out : 0);
}

/** Indices of the MoE layers among 0..n-1. */
export function moeLayerIndices(arch: Architecture, n = arch.num_layers): number[] {
  if (arch.num_experts <= 0) return [];
  if (arch.moe_layers != null) {
    return [...new Set(arch.moe_layers)].filter((i) => Number.isInteger(i) && i >= 0 && i < n).sort((a, b) => a - b);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i >= arch.first_k_dense_replace && i % arch.moe_layer_period === arch.moe_layer_offset) out.push(i);
  }
  return out;
}

function ratioKind(arch: CsaHcaAttentionFields, ratio: number): LayerAttentionKind {
  if (ratio === 0) return 'sliding';
  return ratio === arch.csa_compress_ratio ? 'csa' : 'hca';
}

/**
 * The token mixer of every main-model layer (see `LayerAttentionKind`): `layer_attention` when
 * given, DeepSeek-V4's compress ratios, else every layer `full`.
 */
export function layerAttentionKinds(arch: Architecture): LayerAttentionKind[] {
  if (arch.attention_type === 'csa_hca') {
    return arch.compress_ratios.slice(0, arch.num_layers).map((r) => ratioKind(arch, r));
  }
  if (arch.layer_attention != null) return [...arch.layer_attention];
  return new Array<LayerAttentionKind>(arch.num_layers).fill('full');
}

/** The fixed per-sequence state of one Gated DeltaNet layer (recurrent matrix per value head + conv window). */
export function gatedDeltaNetState(g: {
  num_key_heads: number;
  key_head_dim: number;
  num_value_heads: number;
  value_head_dim: number;
  conv_kernel: number;
}): { recurrent_elements: number; conv_elements: number } {
  const convDim = 2 * g.num_key_heads * g.key_head_dim + g.num_value_heads * g.value_head_dim;
  return {
    recurrent_elements: g.num_value_heads * g.key_head_dim * g.value_head_dim,
    conv_elements: convDim * Math.max(g.conv_kernel - 1, 0),
  };
}

/** The token mixer of one layer: softmax attention, linear attention, Mamba, short conv, compressor, indexer. */
interface Mixer {
  attention: number;
  linear: number;
  mamba: number;
  shortConv: number;
  compressor: number;
  indexer: number;
  /** weight matrices a block-FP8 checkpoint stores in FP8 (compressors, weights_proj and gates stay BF16) */
  fp8: Matrix[];
}

/** DeepSeek-V4 Compressor over `width` with ratio m: ape m·k·w + wkv d·k·w + wgate d·k·w + norm w. */
function compressorParams(d: number, ratio: number, width: number, overlap: boolean): number {
  const k = overlap ? 2 : 1;
  return ratio * k * width + 2 * d * k * width + width;
}

/** The kind of layer `i` (main layers 0..L-1, MTP layers L, L+1, ...). */
export function kindOf(arch: Architecture, kinds: LayerAttentionKind[], i: number): LayerAttentionKind {
  if (arch.attention_type === 'csa_hca') return ratioKind(arch, arch.compress_ratios[i] ?? 0);
  // MTP layers are full-attention layers (DeepSeek-V3 MLA, Qwen3-Next/3.5 gated attention)
  return i < arch.num_layers ? (kinds[i] ?? 'full') : 'full';
}

/** Whether layer i runs its own DSA indexer: MTP layers always do, main layers as `dsa_indexer.layers` says. */
export function hasOwnDsaIndexer(
  arch: Extract<Architecture, { attention_type: 'mla' }>,
  i: number,
): arch is Extract<Architecture, { attention_type: 'mla' }> & { dsa_indexer: DsaIndexerSpec } {
  const dsa = arch.dsa_indexer;
  return dsa != null && (i >= arch.num_layers || dsa.layers == null || dsa.layers.includes(i));
}

/**
 * The head counts and widths of a GQA layer of `kind`: `sliding_attention` for sliding layers when
 * the architecture has one, else its own fields (v_head_dim defaulting to head_dim).
 */
export function gqaShapeOf(
  arch: Extract<Architecture, { attention_type: 'gqa' }>,
  kind: LayerAttentionKind,
): GqaShape & { v_head_dim: number } {
  const s: GqaShape =
    kind === 'sliding' && arch.sliding_attention != null
      ? arch.sliding_attention
      : {
          num_attention_heads: arch.num_attention_heads,
          num_key_value_heads: arch.num_key_value_heads,
          head_dim: arch.head_dim,
          v_head_dim: arch.v_head_dim ?? null,
          attention_sinks: arch.attention_sinks,
          shared_kv: arch.shared_kv ?? false,
        };
  return { ...s, v_head_dim: s.v_head_dim ?? s.head_dim };
}

function mixer(arch: Architecture, kinds: LayerAttentionKind[], i: number): Mixer {
  const d = arch.hidden_size;
  const kind = kindOf(arch, kinds, i);
  const out: Mixer = { attention: 0, linear: 0, mamba: 0, shortConv: 0, compressor: 0, indexer: 0, fp8: [] };
  if (kind === 'none') return out;
  if (isHybridKind(kind)) {
    const t = hybridMixer(arch, kind, i);
    const p = mixerParams(t);
    if (t.module === 'mamba') out.mamba = p;
    else if (t.module === 'short_conv') out.shortConv = p;
    else out.linear = p;
    out.fp8.push(...t.linears);
    return out;
  }

  if (kind === 'linear') {
    const g = arch.gated_deltanet;
    if (!g) throw new RangeError(`layer ${i} is linear attention but the architecture has no gated_deltanet`);
    const key = g.num_key_heads * g.key_head_dim;
    const value = g.num_value_heads * g.value_head_dim;
    const convDim = 2 * key + value;
    const Vh = g.num_value_heads;
    // in_proj_qkv, in_proj_z, in_proj_b, in_proj_a, conv1d (no bias), dt_bias, A_log, gated norm, out_proj
    out.linear = d * convDim + d * value + 2 * d * Vh + convDim * g.conv_kernel + 2 * Vh + g.value_head_dim + value * d;
    out.fp8.push([convDim, d], [value, d], [Vh, d], [Vh, d], [d, value]);
    return out;
  }

  if (arch.attention_type === 'gqa' && arch.attention_experts) {
    // JetMoE MoA: E × (input d → K·hd, output K·hd → d), router d·E, output bias d, kv_proj d → 2·K·hd
    const kv = arch.num_key_value_heads * arch.head_dim;
    const Ea = arch.attention_experts.num_experts;
    out.attention = Ea * 2 * d * kv + d * Ea + d + 2 * kv * d;
    for (let e = 0; e < Ea; e++) out.fp8.push([kv, d], [d, kv]);
    out.fp8.push([2 * kv, d]);
    return out;
  }

  if (arch.attention_type === 'gqa') {
    const s = gqaShapeOf(arch, kind);
    const H = s.num_attention_heads;
    const hd = s.head_dim;
    const q = H * hd;
    const qOut = arch.attention_output_gate ? 2 * q : q; // the gate comes out of q_proj
    const k = s.num_key_value_heads * hd;
    const v = s.shared_kv ? 0 : s.num_key_value_heads * s.v_head_dim; // no v_proj when keys are the values
    const o = H * s.v_head_dim; // o_proj reads the concatenated value heads
    let p = d * qOut + d * k + d * v + o * d;
    if (arch.attention_qkv_bias) p += qOut + k + v;
    if (arch.attention_out_bias) p += d;
    if (arch.qk_norm === 'per_head') p += 2 * hd;
    else if (arch.qk_norm === 'full') p += q + k;
    if (s.attention_sinks) p += H;
    out.attention = p;
    out.fp8.push([qOut, d], [k, d], ...(v > 0 ? [[v, d] as Matrix] : []), [d, o]);
    const bi = arch.block_indexer;
    if (bi && i < arch.num_layers && bi.layers.includes(i)) {
      // q_proj, k_proj, q_norm, k_norm
      out.indexer = d * bi.n_heads * bi.head_dim + d * bi.head_dim + 2 * bi.head_dim;
      out.fp8.push([bi.n_heads * bi.head_dim, d], [bi.head_dim, d]);
    }
    return out;
  }

  if (arch.attention_type === 'mla') {
    const H = arch.num_attention_heads;
    const qk = arch.qk_nope_head_dim + arch.qk_rope_head_dim;
    const rkv = arch.kv_lora_rank;
    let p = 0;
    if (arch.q_lora_rank == null) {
      p += d * H * qk;
      out.fp8.push([H * qk, d]);
    } else {
      const rq = arch.q_lora_rank;
      p += d * rq + rq + rq * H * qk; // q_a_proj, q_a_layernorm, q_b_proj
      if (arch.attention_qkv_bias) p += rq;
      out.fp8.push([rq, d], [H * qk, rq]);
    }
    p += d * (rkv + arch.qk_rope_head_dim) + rkv; // kv_a_proj_with_mqa, kv_a_layernorm
    if (arch.attention_qkv_bias) p += rkv + arch.qk_rope_head_dim;
    p += rkv * H * (arch.qk_nope_head_dim + arch.v_head_dim); // kv_b_proj
    p += H * arch.v_head_dim * d; // o_proj
    if (arch.attention_out_bias) p += d;
    out.attention = p;
    out.fp8.push(
      [rkv + arch.qk_rope_head_dim, d],
      [H * (arch.qk_nope_head_dim + arch.v_head_dim), rkv],
      [d, H * arch.v_head_dim],
    );
    if (hasOwnDsaIndexer(arch, i)) {
      const dsa = arch.dsa_indexer;
      const rq = arch.q_lora_rank;
      if (rq == null) throw new RangeError('a DSA indexer needs q_lora_rank (its queries come from the q latent)');
      const n = dsa.n_heads;
      const h = dsa.head_dim;
      // wq_b, wk, k_norm (LayerNorm with bias), weights_proj
      out.indexer = rq * n * h + d * h + 2 * h + d * n;
      out.fp8.push([n * h, rq], [h, d]);
    }
    return out;
  }

  // DeepSeek-V4 compressed attention
  const H = arch.num_attention_heads;
  const c = arch.head_dim;
  const rq = arch.q_lora_rank;
  const G = arch.o_groups;
  const ro = arch.o_lora_rank;
  // attn_sink, wq_a, q_norm, wq_b, wkv, kv_norm, wo_a (grouped), wo_b
  out.attention = (arch.attention_sinks ? H : 0) + d * rq + rq + rq * H * c + d * c + c + H * c * ro + G * ro * d;
  out.fp8.push([rq, d], [H * c, rq], [c, d], [G * ro, (H * c) / G], [d, G * ro]);
  const ratio = arch.compress_ratios[i] ?? 0;
  if (ratio > 0) {
    const csa = ratio === arch.csa_compress_ratio;
    out.compressor = compressorParams(d, ratio, c, csa);
    if (csa) {
      const n = arch.index_n_heads;
      const h = arch.index_head_dim;
      // wq_b, weights_proj, and the indexer's own (overlapping) compressor over index_head_dim
      out.indexer = rq * n * h + d * n + compressorParams(d, ratio, h, true);
      out.fp8.push([n * h, rq]);
    }
  }
  return out;
}

/** One routed expert. */
function expertParams(arch: Architecture): number {
  const d = arch.hidden_size;
  const I = arch.moe_intermediate_size;
  const mats = arch.expert_gated ? 3 : 2;
  return mats * d * I + expertBiasParams(arch);
}

/** Biases of one routed expert (gate and up, or up alone, plus down); 0 without `expert_bias`. */
export function expertBiasParams(arch: Architecture): number {
  if (!arch.expert_bias) return 0;
  const I = arch.moe_intermediate_size;
  return (arch.expert_gated ? 2 * I : I) + arch.hidden_size;
}

/** Router of one MoE layer; hash-routed layers carry a table instead of the score-correction bias. */
function routerParams(arch: Architecture, hash: boolean): number {
  const E = arch.num_experts + (arch.zero_experts ?? 0);
  let p = arch.hidden_size * E;
  if (arch.router_bias) p += E;
  if (arch.router_score_correction_bias && !hash) p += E;
  if (arch.moe_output_bias) p += arch.hidden_size;
  if (arch.router_scales) p += arch.hidden_size + E;
  return p;
}

/** All shared experts of one MoE layer, with the shared-expert gate. */
function sharedParams(arch: Architecture): number {
  if (arch.num_shared_experts <= 0) return 0;
  const Is = arch.shared_expert_intermediate_size;
  assertCount('shared_expert_intermediate_size', Is, 1);
  const mats = arch.expert_gated ? 3 : 2;
  let p = arch.num_shared_experts * mats * arch.hidden_size * Is;
  if (arch.shared_expert_gate) p += arch.hidden_size;
  return p;
}

function denseFfnParams(arch: Architecture): number {
  const I = arch.dense_intermediate_size;
  assertCount('dense_intermediate_size', I, 1);
  return (arch.dense_gated === false ? 2 : 3) * arch.hidden_size * I;
}

/** Layers with no FFN at all (within 0..L-1). */
export function noFfnLayers(arch: Architecture): Set<number> {
  return new Set((arch.no_ffn_layers ?? []).filter((i) => Number.isInteger(i) && i >= 0 && i < arch.num_layers));
}

/** Hyper-connection mixers of one block (attention and FFN sites): 2·((2+m)·m·m·d + (2+m)·m + 3). */
export function hcBlockParams(arch: Architecture): number {
  const m = arch.hyper_connections?.mult ?? 0;
  if (m <= 0) return 0;
  const mix = (2 + m) * m;
  return 2 * (mix * m * arch.hidden_size + mix + 3); // hc_{attn,ffn}_fn, _base, _scale
}

/** The head's hyper-connection: hc_head_fn m·m·d + hc_head_base m + hc_head_scale 1. */
export function hcHeadParams(arch: Architecture): number {
  const m = arch.hyper_connections?.mult ?? 0;
  return m > 0 ? m * m * arch.hidden_size + m + 1 : 0;
}

/** Parameters of a vision tower (see VisionSpec). */
export function visionParams(v: VisionSpec): number {
  const h = v.hidden_size;
  const t = v.temporal_patch_size ?? 1;
  let p = v.num_channels * t * v.patch_size * v.patch_size * h + (v.patch_bias ? h : 0);
  if (v.class_token) p += h;
  let positions = v.num_positions;
  if (positions == null) {
    if (v.image_size == null) throw new RangeError('vision: num_positions or image_size is required');
    const side = Math.floor(v.image_size / v.patch_size);
    positions = side * side + (v.class_token ? 1 : 0);
  }
  p += positions * h;
  const n = v.norm_type === 'rmsnorm' ? h : 2 * h;
  if (v.pre_norm) p += n;
  if (v.post_norm) p += n;
  const I = v.intermediate_size;
  const attn = 4 * h * h + (v.attention_bias ? 3 * h : 0) + ((v.attention_out_bias ?? v.attention_bias) ? h : 0);
  const mlp = v.mlp_gated ? 3 * h * I + (v.mlp_bias ? 2 * I + h : 0) : 2 * h * I + (v.mlp_bias ? I + h : 0);
  p += v.num_layers * (attn + mlp + 2 * n);
  if (v.projector_norm) p += 2 * v.projector_norm;
  for (const l of v.adapter) p += linear(l);
  for (const l of v.projector) p += linear(l);
  for (const m of v.extra_mergers ?? []) {
    p += 2 * m.norm;
    for (const l of m.layers) p += linear(l);
  }
  return p;
}

function validate(arch: Architecture): void {
  assertCount('hidden_size', arch.hidden_size, 1);
  assertCount('num_layers', arch.num_layers, 1);
  assertCount('vocab_size', arch.vocab_size, 1);
  assertCount('norms_per_layer', arch.norms_per_layer, 0);
  assertCount('num_experts', arch.num_experts, 0);
  assertCount('num_experts_per_tok', arch.num_experts_per_tok, 0);
  if (arch.zero_experts !== undefined) assertCount('zero_experts', arch.zero_experts, 0);
  assertCount('moe_intermediate_size', arch.moe_intermediate_size, 0);
  assertCount('num_shared_experts', arch.num_shared_experts, 0);
  assertCount('first_k_dense_replace', arch.first_k_dense_replace, 0);
  assertCount('moe_layer_period', arch.moe_layer_period, 1);
  assertCount('moe_layer_offset', arch.moe_layer_offset, 0);
  if (arch.num_experts_per_tok > arch.num_experts) {
    throw new RangeError(`num_experts_per_tok (${arch.num_experts_per_tok}) exceeds num_experts (${arch.num_experts})`);
  }
  assertCount('num_attention_heads', arch.num_attention_heads, 1);
  if (arch.attention_type === 'gqa') {
    assertCount('num_key_value_heads', arch.num_key_value_heads, 1);
    assertCount('head_dim', arch.head_dim, 1);
    if (arch.v_head_dim != null) assertCount('v_head_dim', arch.v_head_dim, 1);
    if (arch.shared_kv && (arch.v_head_dim ?? arch.head_dim) !== arch.head_dim) {
      throw new RangeError('keys reused as values (shared_kv) need v_head_dim = head_dim');
    }
    for (const [name, sw] of [['sliding_attention', arch.sliding_attention]] as const) {
      if (!sw) continue;
      assertCount(`${name}.num_attention_heads`, sw.num_attention_heads, 1);
      assertCount(`${name}.num_key_value_heads`, sw.num_key_value_heads, 1);
      assertCount(`${name}.head_dim`, sw.head_dim, 1);
      if (sw.v_head_dim != null) assertCount(`${name}.v_head_dim`, sw.v_head_dim, 1);
      if (sw.shared_kv && (sw.v_head_dim ?? sw.head_dim) !== sw.head_dim) {
        throw new RangeError(`${name}: keys reused as values need v_head_dim = head_dim`);
      }
    }
    if (
      (arch.v_head_dim != null || arch.sliding_attention || arch.shared_kv) &&
      (arch.attention_experts || arch.attention_output_gate)
    ) {
      throw new RangeError(
        'v_head_dim and per-kind attention shapes are not modelled with attention experts or an output gate',
      );
    }
    if (arch.block_indexer) {
      assertCount('block_indexer.n_heads', arch.block_indexer.n_heads, 1);
      assertCount('block_indexer.head_dim', arch.block_indexer.head_dim, 1);
    }
    const ae = arch.attention_experts;
    if (ae) {
      assertCount('attention_experts.num_experts', ae.num_experts, 1);
      assertCount('attention_experts.top_k', ae.top_k, 1);
      if (ae.top_k > ae.num_experts) {
        throw new RangeError(
          `attention_experts.top_k (${ae.top_k}) exceeds attention_experts.num_experts (${ae.num_experts})`,
        );
      }
    }
  } else if (arch.attention_type === 'mla') {
    if (arch.q_lora_rank != null) assertCount('q_lora_rank', arch.q_lora_rank, 1);
    assertCount('kv_lora_rank', arch.kv_lora_rank, 1);
    assertCount('qk_nope_head_dim', arch.qk_nope_head_dim, 0);
    assertCount('qk_rope_head_dim', arch.qk_rope_head_dim, 0);
    assertCount('v_head_dim', arch.v_head_dim, 1);
    if (arch.dsa_indexer) {
      assertCount('dsa_indexer.n_heads', arch.dsa_indexer.n_heads, 1);
      assertCount('dsa_indexer.head_dim', arch.dsa_indexer.head_dim, 1);
    }
  } else {
    for (const k of [
      'head_dim',
      'q_lora_rank',
      'o_groups',
      'o_lora_rank',
      'csa_compress_ratio',
      'index_n_heads',
      'index_head_dim',
    ] as const) {
      assertCount(k, arch[k], 1);
    }
    if ((arch.num_attention_heads * arch.head_dim) % arch.o_groups !== 0) {
      throw new RangeError(`o_groups (${arch.o_groups}) must divide num_attention_heads × head_dim`);
    }
    const mtpLayers = (arch.mtp?.num_modules ?? 0) * (arch.mtp?.layers_per_module ?? 1);
    if (arch.compress_ratios.length < arch.num_layers + mtpLayers) {
      throw new RangeError(
        `compress_ratios has ${arch.compress_ratios.length} entries; ${arch.num_layers} layers + ${mtpLayers} MTP layers need one each`,
      );
    }
    arch.compress_ratios.forEach((r, i) => assertCount(`compress_ratios[${i}]`, r, 0));
  }
  if (arch.layer_attention != null && arch.layer_attention.length !== arch.num_layers) {
    throw new RangeError(`layer_attention has ${arch.layer_attention.length} entries for ${arch.num_layers} layers`);
  }
  const noFfn = noFfnLayers(arch);
  const both = moeLayerIndices(arch).find((i) => noFfn.has(i));
  if (both !== undefined) throw new RangeError(`layer ${both} is both an MoE layer and in no_ffn_layers`);
  if (arch.hyper_connections) assertCount('hyper_connections.mult', arch.hyper_connections.mult, 1);
  if (arch.num_hash_layers != null) assertCount('num_hash_layers', arch.num_hash_layers, 0);
  if (arch.checkpoint_expert_quant)
    assertCount('checkpoint_expert_quant.group_size', arch.checkpoint_expert_quant.group_size, 1);
}

/**
 * Count the parameters of `arch`, module by module, with the derived totals and
 * active-parameter conventions. Pure; throws RangeError on an inconsistent architecture.
 */
export function countParameters(arch: Architecture): Breakdown {
  validate(arch);
  const d = arch.hidden_size;
  const L = arch.num_layers;
  const V = arch.vocab_size;
  const E = arch.num_experts;
  const kinds = layerAttentionKinds(arch);

  const moeIdx = moeLayerIndices(arch);
  const moeSet = new Set(moeIdx);
  const nMoe = moeIdx.length;
  const noFfn = noFfnLayers(arch);
  const nDense = L - nMoe - noFfn.size;
  const nHash = arch.num_hash_layers ?? 0;

  const perExpert = expertParams(arch);
  const perShared = sharedParams(arch);
  const perDense = nDense > 0 || arch.mtp?.layer_kind === 'dense' ? denseFfnParams(arch) : 0;
  const layerNorms = arch.norms_per_layer * norm(arch, d) + (arch.layer_scalar ? 1 : 0);
  const perHc = hcBlockParams(arch);

  const tally = new StorageTally(arch);

  /** One decoder layer (main index i < L, MTP layers after), its storage added to `tally`. */
  const layer = (i: number, isMoe: boolean) => {
    const mx = mixer(arch, kinds, i);
    const hash = isMoe && i < nHash;
    const ffn = isMoe || !(i < L && noFfn.has(i));
    const part = {
      attention: mx.attention,
      linear: mx.linear,
      mamba: mx.mamba,
      shortConv: mx.shortConv,
      compressor: mx.compressor,
      indexer: mx.indexer,
      norms: layerNorms,
      hc: perHc,
      router: isMoe ? routerParams(arch, hash) : 0,
      experts: isMoe ? E * perExpert : 0,
      shared: isMoe ? perShared : 0,
      dense: isMoe || !ffn ? 0 : perDense,
    };
    tally.layer(mx.fp8, isMoe, hash, ffn);
    return part;
  };

  const sum = {
    attention: 0,
    linear: 0,
    mamba: 0,
    shortConv: 0,
    compressor: 0,
    indexer: 0,
    norms: 0,
    hc: 0,
    router: 0,
    experts: 0,
    shared: 0,
    dense: 0,
  };
  for (let i = 0; i < L; i++) {
    const p = layer(i, moeSet.has(i));
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += p[k];
  }

  const embedding = V * d;
  const lm_head = arch.tie_word_embeddings ? 0 : V * d + (arch.lm_head_bias ? V : 0);
  const finalNorm = arch.final_norm ? norm(arch, d) : 0;

  const modules: ModuleCounts = {
    embedding: safe('embedding', embedding),
    lm_head: safe('lm_head', lm_head),
    attention: safe('attention', sum.attention),
    linear_attention: safe('linear_attention', sum.linear),
    mamba: safe('mamba', sum.mamba),
    short_conv: safe('short_conv', sum.shortConv),
    compressors: safe('compressors', sum.compressor),
    indexers: safe('indexers', sum.indexer),
    hyper_connections: safe('hyper_connections', sum.hc + hcHeadParams(arch)),
    norms: safe('norms', sum.norms + finalNorm),
    router: safe('router', sum.router),
    routed_experts: safe('routed_experts', sum.experts),
    shared_experts: safe('shared_experts', sum.shared),
    dense_ffn: safe('dense_ffn', sum.dense),
  };

  const total_main = safe(
    'total_main',
    Object.values(modules).reduce((a, x) => a + x, 0),
  );

  // --- extras: MTP, vision, storage ---------------------------------------------------------
  const extra: ExtraCounts = {
    mtp: 0,
    mtp_stored_copies: 0,
    vision: 0,
    fp8_scales: 0,
    routing_tables: 0,
    quant_scales: 0,
    quant_shape_elements: 0,
    storage_adjustment: 0,
  };
  const mtp = arch.mtp;
  const nMtp = mtp?.num_modules ?? 0;
  if (mtp && nMtp > 0) {
    const perModuleLayers = mtp.layers_per_module ?? 1;
    let total = 0;
    let idx = L;
    for (let m = 0; m < nMtp; m++) {
      // enorm + hnorm + input projection (2d -> d, or e_proj + h_proj) + final norm (+ head hyper-connection)
      total += 2 * norm(arch, d) + 2 * d * d + norm(arch, d) + hcHeadParams(arch);
      tally.mtpProjections();
      for (let j = 0; j < perModuleLayers; j++, idx++) {
        const p = layer(idx, mtp.layer_kind === 'moe');
        total += Object.values(p).reduce((a, x) => a + x, 0);
      }
    }
    extra.mtp = safe('mtp', total);
    extra.mtp_stored_copies = safe('mtp_stored_copies', V * d * mtpStoredCopies(arch));
  }
  if (arch.vision) extra.vision = safe('vision', visionParams(arch.vision));
  extra.fp8_scales = safe('fp8_scales', tally.fp8);
  extra.routing_tables = safe('routing_tables', tally.tables);
  extra.quant_scales = safe('quant_scales', tally.qscales);
  extra.quant_shape_elements = safe('quant_shape_elements', tally.qshape);
  extra.storage_adjustment = safe('storage_adjustment', tally.hubDelta);

  const total_logical = safe('total_logical', total_main + extra.mtp + extra.mtp_stored_copies + extra.vision);
  const storedExtras = extra.fp8_scales + extra.routing_tables + extra.quant_scales + extra.quant_shape_elements;
  const total_checkpoint = safe('total_checkpoint', total_logical + storedExtras + extra.storage_adjustment);
  const stored_elements = safe('stored_elements', total_logical + storedExtras + tally.storedDelta);

  // --- active ------------------------------------------------------------------------------
  const expert_params = safe('expert_params', nMoe * perExpert);
  const k = arch.num_experts_per_tok;
  // attention experts not chosen for a token (JetMoE MoA): 2·d·K·head_dim each, in every main layer
  const idleAttention =
    arch.attention_type === 'gqa' && arch.attention_experts
      ? L *
        (arch.attention_experts.num_experts - arch.attention_experts.top_k) *
        2 *
        d *
        arch.num_key_value_heads *
        arch.head_dim
      : 0;
  const active = safe('active', total_main - (E - k) * expert_params - idleAttention);
  // With tied embeddings the one matrix is still used as the output head (a matmul), so
  // only an untied input embedding is dropped by the "excluding input embedding" convention.
  const inputEmbeddingOnly = arch.tie_word_embeddings ? 0 : modules.embedding;
  const active_excl_input_embedding = active - inputEmbeddingOnly;
  const active_non_embedding = active - modules.embedding - modules.lm_head;
  const shared_params = total_main - E * expert_params;

  return {
    modules,
    extra,
    layers: { total: L, moe: nMoe, dense: nDense, ...(noFfn.size > 0 ? { without_ffn: noFfn.size } : {}) },
    total_main,
    total_logical,
    total_checkpoint,
    stored_elements,
    active,
    active_excl_input_embedding,
    active_non_embedding,
    expert_params,
    shared_params,
  };
}
