import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { NO_SHARED, RMS_PRE_NORMS, common } from './common.js';
import { recurrentState } from '../../mixers.js';

/**
 * Jamba (AI21 Jamba-v0.1, Jamba 1.5/1.6 Mini and Large; transformers modeling_jamba.py): Mamba-1
 * mixers with softmax attention in every layer i where i % attn_layer_period == attn_layer_offset,
 * and an MoE FFN where i % expert_layer_period == expert_layer_offset (a dense JambaMLP elsewhere).
 */
export function jamba(f: Fields): Architecture {
  const c = common(f);
  const d = c.hidden_size;
  const L = c.num_layers;
  const H = f.int('num_attention_heads');
  const attnPeriod = f.intOr('attn_layer_period', 8, 1);
  const attnOffset = f.intOr('attn_layer_offset', 4, 0);
  const expertPeriod = f.intOr('expert_layer_period', 2, 1);
  const expertOffset = f.intOr('expert_layer_offset', 1, 0);
  if (attnOffset >= attnPeriod) f.invalid('attn_layer_offset', `an integer < attn_layer_period (${attnPeriod})`);
  if (expertOffset >= expertPeriod)
    f.invalid('expert_layer_offset', `an integer < expert_layer_period (${expertPeriod})`);
  const kinds: LayerAttentionKind[] = Array.from({ length: L }, (_, i) =>
    i % attnPeriod === attnOffset ? 'full' : 'mamba',
  );
  // JambaConfig: mamba_dt_rank "auto" = ceil(hidden_size / 16)
  const dtRank =
    f.raw('mamba_dt_rank') === 'auto' || !f.has('mamba_dt_rank') ? Math.ceil(d / 16) : f.int('mamba_dt_rank');
  const I = f.int('intermediate_size');
  const arch: Architecture = {
    model_type: 'jamba',
    ...c,
    lm_head_bias: false,
    // JambaAttention: q/k/v/o without bias, no QK norm, no RoPE
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(d, H),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    // JambaAttentionDecoderLayer / JambaMambaDecoderLayer: input_layernorm and pre_ff_layernorm
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    // JambaSparseMoeBlock: router Linear(d, E) without bias; experts are JambaMLPs of intermediate_size
    moe_intermediate_size: I,
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    first_k_dense_replace: 0,
    moe_layer_period: expertPeriod,
    moe_layer_offset: expertOffset,
    dense_intermediate_size: expertPeriod > 1 ? I : null,
    layer_attention: kinds,
    mamba: {
      d_inner: f.intOr('mamba_expand', 2, 1) * d,
      d_state: f.intOr('mamba_d_state', 16, 1),
      d_conv: f.intOr('mamba_d_conv', 4, 1),
      dt_rank: dtRank,
      conv_bias: f.bool('mamba_conv_bias', true),
      proj_bias: f.bool('mamba_proj_bias', false),
      inner_norms: true,
    },
  };
  return kinds.includes('mamba') ? { ...arch, linear_attention_state: recurrentState(arch, 'mamba') } : arch;
}
