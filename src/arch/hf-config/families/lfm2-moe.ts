import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { NO_SHARED, common } from './common.js';
import { recurrentState } from '../../mixers.js';

/**
 * LFM2-MoE (Liquid AI LFM2-8B-A1B; transformers modeling_lfm2_moe.py): gated short-convolution
 * layers (Lfm2ShortConv: in_proj d → 3d, depthwise conv of conv_L_cache, out_proj, biases per
 * conv_bias) and GQA layers (q/k/v/out_proj without bias, q_layernorm and k_layernorm over
 * head_dim); operator_norm and ffn_norm in every layer, embedding_norm at the end; the first
 * num_dense_layers layers have a gated MLP of intermediate_size, the others a sigmoid-routed MoE
 * (gate Linear(d, E) without bias, gated experts of moe_intermediate_size, and with
 * use_expert_bias an F32 expert_bias buffer of E per layer that the checkpoint stores). Layer kinds
 * come from layer_types ("full_attention" / "conv") or the original full_attn_idxs.
 */
export function lfm2Moe(f: Fields): Architecture {
  const c = common(f, true);
  const L = c.num_layers;
  const H = f.int('num_attention_heads');
  let kinds: LayerAttentionKind[];
  const names = f.strList('layer_types');
  if (names !== undefined) {
    if (names.length !== L) f.invalid('layer_types', `a list of ${L} layer types`);
    kinds = names.map((t) => {
      if (t === 'full_attention') return 'full';
      if (t === 'conv' || t === 'short_conv') return 'short_conv';
      return f.invalid('layer_types', '"conv" or "full_attention" entries');
    });
  } else {
    // Lfm2Config: full_attn_idxs, every layer attention when absent
    const full = new Set(f.intList('full_attn_idxs') ?? Array.from({ length: L }, (_, i) => i));
    kinds = Array.from({ length: L }, (_, i) => (full.has(i) ? 'full' : 'short_conv'));
  }
  const nDense = f.intOr('num_dense_layers', 2, 0);
  const tie = f.has('tie_embedding') ? f.bool('tie_embedding', true) : c.tie_word_embeddings;
  const arch: Architecture = {
    model_type: 'lfm2_moe',
    ...c,
    tie_word_embeddings: tie,
    lm_head_bias: false,
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'per_head',
    attention_sinks: false,
    norm_type: 'rmsnorm',
    norm_bias: false,
    norms_per_layer: 2,
    final_norm: true,
    num_experts: f.has('num_experts') ? f.int('num_experts') : f.int('num_local_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('moe_intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: f.bool('use_expert_bias', true),
    first_k_dense_replace: nDense,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    dense_intermediate_size: nDense > 0 ? f.int('intermediate_size') : null,
    layer_attention: kinds,
    short_conv: { conv_kernel: f.intOr('conv_L_cache', 3, 1), bias: f.bool('conv_bias', false) },
  };
  return kinds.includes('short_conv') ? { ...arch, linear_attention_state: recurrentState(arch, 'short_conv') } : arch;
}
