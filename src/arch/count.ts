/**
 * Exact parameter counts of an `Architecture`, module by module.
 *
 * Counting rules (all weights, biases and stored norm vectors; no buffers that are
 * recomputed at load time such as RoPE tables):
 * - embedding V·d; head V·d unless tied (+V with a head bias); final norm.
 * - norm(d) = d for RMSNorm or LayerNorm without bias, 2d for LayerNorm with bias.
 * - GQA: q d·H·hd, k and v d·K·hd each, o H·hd·d, + biases, QK norm and sinks.
 * - MLA: q_a d·r_q + q_a_norm r_q + q_b r_q·H·(nope+rope) (or q d·H·(nope+rope) without
 *   q-LoRA), kv_a d·(r_kv+rope) + kv_a_norm r_kv + kv_b r_kv·H·(nope+v), o H·v·d.
 * - MoE layer: router d·E (+E bias, +E score-correction bias); E experts of 3·d·I
 *   (2·d·I when plain; +2·I + d biases when gated with bias); shared experts n·3·d·I_s
 *   (+d for the shared-expert gate Linear(d,1)).
 * - Dense layer FFN: gated 3·d·I.
 * - MTP module: 2 norms + eh_proj 2d·d + one decoder layer + a final norm; embedding and
 *   head copies only where the checkpoint stores them.
 */
import type {
  Architecture,
  Breakdown,
  ExtraCounts,
  LinearSpec,
  ModuleCounts,
  VisionSpec,
} from './types.js';

/** A weight matrix [out, in] (used for FP8 block-scale counting). */
type Matrix = [out: number, inn: number];

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

function norm(arch: Architecture, width: number): number {
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

/** Attention weight matrices of one layer (for FP8 scale counting) and its parameter count. */
function attentionLayer(arch: Architecture): { params: number; matrices: Matrix[] } {
  const d = arch.hidden_size;
  if (arch.attention_type === 'gqa') {
    const H = arch.num_attention_heads;
    const K = arch.num_key_value_heads;
    const hd = arch.head_dim;
    const q = H * hd;
    const kv = K * hd;
    let p = d * q + 2 * d * kv + q * d;
    if (arch.attention_qkv_bias) p += q + 2 * kv;
    if (arch.attention_out_bias) p += d;
    if (arch.qk_norm === 'per_head') p += 2 * hd;
    else if (arch.qk_norm === 'full') p += q + kv;
    if (arch.attention_sinks) p += H;
    return { params: p, matrices: [[q, d], [kv, d], [kv, d], [d, q]] };
  }
  const H = arch.num_attention_heads;
  const qk = arch.qk_nope_head_dim + arch.qk_rope_head_dim;
  const rkv = arch.kv_lora_rank;
  const matrices: Matrix[] = [];
  let p = 0;
  if (arch.q_lora_rank == null) {
    p += d * H * qk;
    matrices.push([H * qk, d]);
  } else {
    const rq = arch.q_lora_rank;
    p += d * rq + rq + rq * H * qk; // q_a_proj, q_a_layernorm, q_b_proj
    if (arch.attention_qkv_bias) p += rq;
    matrices.push([rq, d], [H * qk, rq]);
  }
  p += d * (rkv + arch.qk_rope_head_dim) + rkv; // kv_a_proj_with_mqa, kv_a_layernorm
  if (arch.attention_qkv_bias) p += rkv + arch.qk_rope_head_dim;
  p += rkv * H * (arch.qk_nope_head_dim + arch.v_head_dim); // kv_b_proj
  p += H * arch.v_head_dim * d; // o_proj
  if (arch.attention_out_bias) p += d;
  matrices.push(
    [rkv + arch.qk_rope_head_dim, d],
    [H * (arch.qk_nope_head_dim + arch.v_head_dim), rkv],
    [d, H * arch.v_head_dim],
  );
  return { params: p, matrices };
}

function ffnMatrices(d: number, width: number, gated: boolean): Matrix[] {
  return gated ? [[width, d], [width, d], [d, width]] : [[width, d], [d, width]];
}

/** One routed expert. */
function expertParams(arch: Architecture): number {
  const d = arch.hidden_size;
  const I = arch.moe_intermediate_size;
  const mats = arch.expert_gated ? 3 : 2;
  let p = mats * d * I;
  if (arch.expert_bias) p += (arch.expert_gated ? 2 * I : I) + d;
  return p;
}

/** Router of one MoE layer. */
function routerParams(arch: Architecture): number {
  const E = arch.num_experts;
  let p = arch.hidden_size * E;
  if (arch.router_bias) p += E;
  if (arch.router_score_correction_bias) p += E;
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
  return 3 * arch.hidden_size * I;
}

/** FP8 scale entries of one set of weight matrices at block size b. */
function scaleCount(matrices: Matrix[], b: number): number {
  let s = 0;
  for (const [out, inn] of matrices) s += Math.ceil(out / b) * Math.ceil(inn / b);
  return s;
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
  if (v.pre_norm) p += 2 * h;
  if (v.post_norm) p += 2 * h;
  const attn = 4 * h * h + (v.attention_bias ? 4 * h : 0);
  const mlp = 2 * h * v.intermediate_size + (v.mlp_bias ? v.intermediate_size + h : 0);
  p += v.num_layers * (attn + mlp + 4 * h);
  if (v.projector_norm) p += 2 * v.projector_norm;
  for (const l of v.adapter) p += linear(l);
  for (const l of v.projector) p += linear(l);
  return p;
}

function validate(arch: Architecture): void {
  assertCount('hidden_size', arch.hidden_size, 1);
  assertCount('num_layers', arch.num_layers, 1);
  assertCount('vocab_size', arch.vocab_size, 1);
  assertCount('norms_per_layer', arch.norms_per_layer, 0);
  assertCount('num_experts', arch.num_experts, 0);
  assertCount('num_experts_per_tok', arch.num_experts_per_tok, 0);
  assertCount('moe_intermediate_size', arch.moe_intermediate_size, 0);
  assertCount('num_shared_experts', arch.num_shared_experts, 0);
  assertCount('first_k_dense_replace', arch.first_k_dense_replace, 0);
  assertCount('moe_layer_period', arch.moe_layer_period, 1);
  assertCount('moe_layer_offset', arch.moe_layer_offset, 0);
  if (arch.num_experts_per_tok > arch.num_experts) {
    throw new RangeError(
      `num_experts_per_tok (${arch.num_experts_per_tok}) exceeds num_experts (${arch.num_experts})`,
    );
  }
  if (arch.attention_type === 'gqa') {
    assertCount('num_attention_heads', arch.num_attention_heads, 1);
    assertCount('num_key_value_heads', arch.num_key_value_heads, 1);
    assertCount('head_dim', arch.head_dim, 1);
  } else {
    assertCount('num_attention_heads', arch.num_attention_heads, 1);
    if (arch.q_lora_rank != null) assertCount('q_lora_rank', arch.q_lora_rank, 1);
    assertCount('kv_lora_rank', arch.kv_lora_rank, 1);
    assertCount('qk_nope_head_dim', arch.qk_nope_head_dim, 0);
    assertCount('qk_rope_head_dim', arch.qk_rope_head_dim, 0);
    assertCount('v_head_dim', arch.v_head_dim, 1);
  }
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

  const moeIdx = moeLayerIndices(arch);
  const nMoe = moeIdx.length;
  const nDense = L - nMoe;

  const attn = attentionLayer(arch);
  const perExpert = expertParams(arch);
  const perRouter = routerParams(arch);
  const perShared = sharedParams(arch);
  const perDense = nDense > 0 ? denseFfnParams(arch) : 0;
  const layerNorms = arch.norms_per_layer * norm(arch, d);

  const embedding = V * d;
  const lm_head = arch.tie_word_embeddings ? 0 : V * d + (arch.lm_head_bias ? V : 0);
  const finalNorm = arch.final_norm ? norm(arch, d) : 0;

  const modules: ModuleCounts = {
    embedding: safe('embedding', embedding),
    lm_head: safe('lm_head', lm_head),
    attention: safe('attention', L * attn.params),
    norms: safe('norms', L * layerNorms + finalNorm),
    router: safe('router', nMoe * perRouter),
    routed_experts: safe('routed_experts', nMoe * arch.num_experts * perExpert),
    shared_experts: safe('shared_experts', nMoe * perShared),
    dense_ffn: safe('dense_ffn', nDense * perDense),
  };

  const total_main = safe(
    'total_main',
    modules.embedding +
      modules.lm_head +
      modules.attention +
      modules.norms +
      modules.router +
      modules.routed_experts +
      modules.shared_experts +
      modules.dense_ffn,
  );

  // --- extras: MTP, vision, FP8 scales -------------------------------------------------
  const extra: ExtraCounts = { mtp: 0, mtp_stored_copies: 0, vision: 0, fp8_scales: 0 };
  const mtp = arch.mtp;
  const nMtp = mtp?.num_modules ?? 0;
  if (mtp && nMtp > 0) {
    const layerFfn =
      mtp.layer_kind === 'moe' ? perRouter + arch.num_experts * perExpert + perShared : denseFfnParams(arch);
    // enorm + hnorm + eh_proj (2d -> d) + decoder layer + final norm (shared_head.norm)
    const perModule = 2 * norm(arch, d) + 2 * d * d + attn.params + layerNorms + layerFfn + norm(arch, d);
    extra.mtp = safe('mtp', nMtp * perModule);
    extra.mtp_stored_copies = safe(
      'mtp_stored_copies',
      nMtp * ((mtp.stores_embedding ? V * d : 0) + (mtp.stores_head ? V * d : 0)),
    );
  }
  if (arch.vision) extra.vision = safe('vision', visionParams(arch.vision));

  const b = arch.checkpoint_fp8_block;
  if (b != null && b > 0) {
    // Block-FP8 checkpoints (DeepSeek-V3 style) quantise the linear layers of attention,
    // experts, shared experts and dense FFNs; embeddings, heads, routers, norms and the
    // MTP eh_proj stay in BF16 and have no scales.
    const attnScales = scaleCount(attn.matrices, b);
    const expertScales = scaleCount(ffnMatrices(d, arch.moe_intermediate_size, arch.expert_gated), b);
    const sharedScales =
      arch.num_shared_experts > 0 && arch.shared_expert_intermediate_size
        ? arch.num_shared_experts *
          scaleCount(ffnMatrices(d, arch.shared_expert_intermediate_size, arch.expert_gated), b)
        : 0;
    const moeScales = arch.num_experts * expertScales + sharedScales;
    const denseScales =
      arch.dense_intermediate_size != null ? scaleCount(ffnMatrices(d, arch.dense_intermediate_size, true), b) : 0;
    let s = L * attnScales + nMoe * moeScales + nDense * denseScales;
    if (mtp && nMtp > 0) s += nMtp * (attnScales + (mtp.layer_kind === 'moe' ? moeScales : denseScales));
    extra.fp8_scales = safe('fp8_scales', s);
  }

  const total_checkpoint = safe(
    'total_checkpoint',
    total_main + extra.mtp + extra.mtp_stored_copies + extra.vision + extra.fp8_scales,
  );

  // --- active ------------------------------------------------------------------------------
  const expert_params = safe('expert_params', nMoe * perExpert);
  const k = arch.num_experts_per_tok;
  const active = safe('active', total_main - (arch.num_experts - k) * expert_params);
  // With tied embeddings the one matrix is still used as the output head (a matmul), so
  // only an untied input embedding is dropped by the "excluding input embedding" convention.
  const inputEmbeddingOnly = arch.tie_word_embeddings ? 0 : modules.embedding;
  const active_excl_input_embedding = active - inputEmbeddingOnly;
  const active_non_embedding = active - modules.embedding - modules.lm_head;
  const shared_params = total_main - arch.num_experts * expert_params;

  return {
    modules,
    extra,
    layers: { total: L, moe: nMoe, dense: nDense },
    total_main,
    total_checkpoint,
    active,
    active_excl_input_embedding,
    active_non_embedding,
    expert_params,
    shared_params,
  };
}
