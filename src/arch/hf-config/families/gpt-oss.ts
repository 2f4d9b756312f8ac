import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED, RMS_PRE_NORMS, common } from './common.js';

/** `layer_types` of full and sliding attention (gpt-oss), when the config lists them. */
function slidingLayers(
  f: Fields,
  L: number,
): { layer_attention?: LayerAttentionKind[]; sliding_window?: number | null } {
  const types = f.strList('layer_types');
  if (types === undefined) return {};
  if (types.length !== L) f.invalid('layer_types', `a list of ${L} layer types`);
  const window = f.has('sliding_window') ? f.int('sliding_window') : null;
  return {
    layer_attention: types.map((t): LayerAttentionKind => {
      if (t === 'full_attention') return 'full';
      if (t === 'sliding_attention') return window == null ? 'full' : 'sliding';
      return f.invalid('layer_types', '"full_attention" or "sliding_attention" entries');
    }),
    sliding_window: window,
  };
}

export function gptOss(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const bias = f.bool('attention_bias', true);
  const topK = f.has('num_experts_per_tok') ? f.int('num_experts_per_tok') : f.int('experts_per_token');
  return {
    model_type: 'gpt_oss',
    ...c,
    lm_head_bias: false,
    // modeling_gpt_oss: q/k/v/o biases follow config.attention_bias (True by default and in
    // the released configs); `sinks` is a Parameter of num_attention_heads.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: bias,
    attention_out_bias: bias,
    qk_norm: 'none',
    attention_sinks: true,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_local_experts'),
    num_experts_per_tok: topK,
    moe_intermediate_size: f.int('intermediate_size'),
    // GptOssExperts: gate_up_proj [E, d, 2I] + gate_up_proj_bias [E, 2I], down_proj [E, I, d]
    // + down_proj_bias [E, d]; GptOssTopKRouter has weight [E, d] and bias [E].
    expert_gated: true,
    expert_bias: true,
    ...NO_SHARED,
    router_bias: true,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
    // layer_types alternates sliding_attention (window sliding_window) and full_attention.
    ...slidingLayers(f, c.num_layers),
  };
}
