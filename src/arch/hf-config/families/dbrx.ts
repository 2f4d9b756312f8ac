import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED } from './common.js';

export function dbrx(f: Fields): Architecture {
  const d = f.int('d_model');
  const H = f.int('n_heads');
  const attn = f.sub('attn_config');
  const ffn = f.sub('ffn_config');
  if (d % H !== 0) f.invalid('d_model', `a multiple of n_heads (${H})`);
  return {
    model_type: 'dbrx',
    hidden_size: d,
    num_layers: f.int('n_layers'),
    vocab_size: f.int('vocab_size'),
    // DbrxConfig raises on tie_word_embeddings=True: the head is always separate.
    tie_word_embeddings: false,
    lm_head_bias: false,
    // modeling_dbrx: Wqkv = Linear(d, d + 2·K·hd, bias=False), out_proj bias=False (clip_qkv
    // only clamps activations); head_dim = d_model / n_heads.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: attn.int('kv_n_heads'),
    head_dim: d / H,
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    // norm_1, norm_2 and norm_f are nn.LayerNorm(d, bias=False): weight only.
    norm_type: 'layernorm',
    norm_bias: false,
    norms_per_layer: 2,
    final_norm: true,
    num_experts: ffn.int('moe_num_experts'),
    num_experts_per_tok: ffn.int('moe_top_k'),
    moe_intermediate_size: ffn.int('ffn_hidden_size'),
    // DbrxExpertGLU: w1, v1, w2 of [E·ffn_hidden_size, d], no bias; DbrxRouter.layer bias=False.
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
  };
}
