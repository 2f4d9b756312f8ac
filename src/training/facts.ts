// What the training columns need of an architecture, as plain numbers: computed once per
// architecture (and sequence length) from its exact parameter breakdown, then read point by point.
import { layerAttentionKinds, moeLayerIndices } from '../arch/count.js';
import type { Architecture, Breakdown, LayerAttentionKind } from '../arch/types.js';
import { attentionFlopsPerToken, type MixerShape } from './flops.js';
import type { LayoutFacts } from './layout.js';

/** Per-architecture training facts: parameter split by layer kind, activation coefficients, attention FLOPs. */
export interface TrainingFacts extends LayoutFacts {
  layers: number;
  moeLayers: number;
  hidden: number;
  vocab: number;
  /** input embedding, and every parameter outside the decoder layers besides it (head, final norm) */
  embedding: number;
  head: number;
  /** non-routed parameters of all decoder layers, of one MoE layer and of one dense layer */
  layerShared: number;
  moeLayerShared: number;
  denseLayerShared: number;
  /** of those, what TP does not split: the layer's norms, its router and shared-expert gate */
  moeLayerReplicated: number;
  denseLayerReplicated: number;
  /** attention score and value FLOPs per trained token at the sequence length (flops.ts) */
  attentionFlopsPerToken: number;
  actAttention: number;
  actScoreHeadsKeys: number;
  actNorms: number;
  actDenseMlp: number;
  actMoeShared: number;
  actExpertFixed: number;
  actExpertWide: number;
  actInput: number;
  // Multi-token-prediction modules (DeepSeek-V3 style), counted only when the plan asks for them.
  /** MTP parameters a token uses besides its routed experts, and the output head it shares */
  mtpShared: number;
  /** MoE layers inside the MTP modules (a token uses top_k experts in each) */
  mtpMoeLayers: number;
  /** attention FLOPs per token of the MTP layers (full attention) */
  mtpAttentionFlopsPerToken: number;
}

/** The facts of a design with no architecture (never read: training cost needs one). */
export const NO_TRAINING_FACTS: TrainingFacts = {
  heads: 1,
  queryGroups: 1,
  expertIntermediate: 1,
  layers: 1,
  moeLayers: 0,
  hidden: 1,
  vocab: 0,
  embedding: 0,
  head: 0,
  layerShared: 0,
  moeLayerShared: 0,
  denseLayerShared: 0,
  moeLayerReplicated: 0,
  denseLayerReplicated: 0,
  attentionFlopsPerToken: 0,
  actAttention: 0,
  actScoreHeadsKeys: 0,
  actNorms: 0,
  actDenseMlp: 0,
  actMoeShared: 0,
  actExpertFixed: 0,
  actExpertWide: 0,
  actInput: 0,
  mtpShared: 0,
  mtpMoeLayers: 0,
  mtpAttentionFlopsPerToken: 0,
};

/** The keys a query of layer kind `kind` attends to at sequence length T (no causal halving). */
function keysOf(arch: Architecture, kind: LayerAttentionKind, T: number, ratio: number): number {
  const window = arch.sliding_window ?? T;
  if (kind === 'sliding') return Math.min(T, window);
  if (kind === 'csa' || kind === 'hca') return Math.min(T, window) + (ratio > 0 ? Math.floor(T / ratio) : 0);
  return T;
}

/** Each main layer's mixer as the FLOP and activation counts see it. */
export function mixerShapes(arch: Architecture, seqLen: number): MixerShape[] {
  const kinds = layerAttentionKinds(arch);
  return kinds.map((kind, i) => {
    if (kind === 'linear') {
      const g = arch.gated_deltanet;
      if (!g) throw new RangeError('a linear-attention layer needs gated_deltanet (its heads and widths)');
      return { kind: 'linear', heads: g.num_value_heads, dQk: g.key_head_dim, dV: g.value_head_dim, keys: 0 };
    }
    const ratio = arch.attention_type === 'csa_hca' ? (arch.compress_ratios[i] ?? 0) : 0;
    const keys = keysOf(arch, kind, seqLen, ratio);
    if (arch.attention_type === 'mla')
      return {
        kind: 'softmax',
        heads: arch.num_attention_heads,
        dQk: arch.qk_nope_head_dim + arch.qk_rope_head_dim,
        dV: arch.v_head_dim,
        keys,
      };
    return { kind: 'softmax', heads: arch.num_attention_heads, dQk: arch.head_dim, dV: arch.head_dim, keys };
  });
}

/**
 * Bytes per token an attention layer keeps for the backward (bf16): the input of the QKV
 * projections (2·h), queries and keys for the scores (2·(H·d_qk + K·d_qk)), values (2·K·d_v), the
 * output projection's input (2·H·d_v); MLA adds its latents (2·(r_q + r_kv + rope)). Korthikanti's
 * 11·h for GPT-3 is this with K = H, d·H = h, plus the dropout mask (h).
 */
function attentionBytes(arch: Architecture, linear: boolean): number {
  const h = arch.hidden_size;
  if (linear) {
    const g = arch.gated_deltanet!;
    const qk = g.num_key_heads * g.key_head_dim;
    const v = g.num_value_heads * g.value_head_dim;
    return 2 * h + 2 * (2 * qk + v) + 2 * v + 2 * v;
  }
  if (arch.attention_type === 'mla') {
    const H = arch.num_attention_heads;
    const dqk = arch.qk_nope_head_dim + arch.qk_rope_head_dim;
    const latents = (arch.q_lora_rank ?? 0) + arch.kv_lora_rank + arch.qk_rope_head_dim;
    return 2 * h + 2 * latents + 2 * (2 * H * dqk) + 2 * H * arch.v_head_dim + 2 * H * arch.v_head_dim;
  }
  const H = arch.num_attention_heads;
  const K = arch.num_key_value_heads;
  const d = arch.head_dim;
  return 2 * h + 2 * (H * d + K * d) + 2 * K * d + 2 * H * d;
}

/** Training facts of an architecture at a sequence length, from its parameter breakdown. */
export function trainingFactsOf(arch: Architecture, b: Breakdown, seqLen: number): TrainingFacts {
  const h = arch.hidden_size;
  const L = arch.num_layers;
  const moeLayers = moeLayerIndices(arch).length;
  const dense = L - moeLayers;
  const m = b.modules;
  const mixerParams = m.attention + m.linear_attention + m.compressors + m.indexers + m.hyper_connections;
  // per-layer norms; the final norm stays with the head
  const finalNorm = arch.final_norm ? (arch.norm_type === 'layernorm' && arch.norm_bias ? 2 * h : h) : 0;
  const perLayerCommon = (mixerParams + m.norms - finalNorm) / L;
  const moeLayerShared = moeLayers > 0 ? perLayerCommon + (m.router + m.shared_experts) / moeLayers : 0;
  const denseLayerShared = dense > 0 ? perLayerCommon + m.dense_ffn / dense : 0;
  const layerShared = moeLayers * moeLayerShared + dense * denseLayerShared;
  const layerNorms = (m.norms - finalNorm) / L;
  const sharedGate = arch.shared_expert_gate && arch.num_shared_experts > 0 ? h : 0;
  const mixers = mixerShapes(arch, seqLen);
  const kinds = layerAttentionKinds(arch);
  let actAttention = 0;
  let actScoreHeadsKeys = 0;
  mixers.forEach((mx, i) => {
    actAttention = Math.max(actAttention, attentionBytes(arch, kinds[i] === 'linear'));
    if (mx.kind === 'softmax') actScoreHeadsKeys = Math.max(actScoreHeadsKeys, mx.heads * mx.keys);
  });
  const gatedWide = arch.expert_gated ? 6 : 4;
  // MTP: each module's decoder layer(s) are full-attention layers; the module runs the shared output
  // head once more; its own parameters (b.extra.mtp) hold every expert of its MoE layers, of which a
  // token uses top_k
  const mtpLayers = (arch.mtp?.num_modules ?? 0) * (arch.mtp?.layers_per_module ?? 1);
  const mtpMoeLayers = arch.mtp?.layer_kind === 'moe' ? mtpLayers : 0;
  const expertPerLayer = moeLayers > 0 ? b.expert_params / moeLayers : 0;
  const fullMixer = mixerShapes({ ...arch, layer_attention: null } as Architecture, seqLen)[0];
  const mtpAttention =
    mtpLayers > 0 && fullMixer && fullMixer.kind === 'softmax'
      ? mtpLayers * attentionFlopsPerToken([{ ...fullMixer, keys: seqLen }])
      : 0;
  const outputHead = m.lm_head > 0 ? m.lm_head : m.embedding;
  const sharedWidth = arch.num_shared_experts * (arch.shared_expert_intermediate_size ?? 0);
  return {
    heads: arch.num_attention_heads,
    queryGroups: arch.attention_type === 'gqa' ? arch.num_key_value_heads : arch.num_attention_heads,
    expertIntermediate: arch.moe_intermediate_size,
    layers: L,
    moeLayers,
    hidden: h,
    vocab: arch.vocab_size,
    embedding: m.embedding,
    head: b.shared_params - m.embedding - layerShared,
    layerShared,
    moeLayerShared,
    denseLayerShared,
    moeLayerReplicated: moeLayers > 0 ? layerNorms + m.router / moeLayers + sharedGate : 0,
    denseLayerReplicated: dense > 0 ? layerNorms : 0,
    attentionFlopsPerToken: attentionFlopsPerToken(mixers),
    actAttention,
    actScoreHeadsKeys,
    actNorms: arch.norms_per_layer * 2 * h,
    // dense FFNs are gated (count.ts): input 2·h, gate and up outputs 2·2·I, their product 2·I
    actDenseMlp: dense > 0 ? 2 * h + 6 * (arch.dense_intermediate_size ?? 0) : 0,
    // the MoE input (2·h), fp32 router logits (4·E), shared experts' FFN outputs
    actMoeShared: moeLayers > 0 ? 2 * h + 4 * arch.num_experts + gatedWide * sharedWidth : 0,
    // a routed copy: its dispatched input and its output kept for the combine (2·h each), its FFN
    actExpertFixed: 4 * h,
    actExpertWide: gatedWide * arch.moe_intermediate_size,
    actInput: 2 * h,
    mtpShared:
      mtpLayers > 0
        ? b.extra.mtp - mtpMoeLayers * arch.num_experts * expertPerLayer + outputHead * (arch.mtp?.num_modules ?? 0)
        : 0,
    mtpMoeLayers,
    mtpAttentionFlopsPerToken: mtpAttention,
  };
}
