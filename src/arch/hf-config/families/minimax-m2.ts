import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED, RMS_PRE_NORMS, common } from './common.js';
import { fp8Block } from '../quantization.js';

export function minimaxM2(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const L = c.num_layers;
  // attn_type_list: 1 = full softmax attention in every released MiniMax-M2 config (MiniMax-M1's
  // 0 = lightning attention is not part of the M2 modeling code).
  const types = f.intList('attn_type_list');
  if (types !== undefined && (types.length !== L || types.some((t) => t !== 1))) {
    f.invalid('attn_type_list', `${L} entries of 1 (full attention)`);
  }
  const sharedI = f.intOr('shared_intermediate_size', 0, 0);
  if (sharedI > 0) f.invalid('shared_intermediate_size', '0 (MiniMax-M2 has no shared expert)');
  const qkNorm = !f.bool('use_qk_norm', true) ? 'none' : f.str('qk_norm_type') === 'per_head' ? 'per_head' : 'full';
  return {
    model_type: 'minimax_m2',
    ...c,
    lm_head_bias: false,
    // modeling_minimax_m2 MiniMaxM2Attention: q/k/v/o_proj without bias; with qk_norm_type
    // "per_layer", q_norm = RMSNorm(head_dim·num_heads) and k_norm = RMSNorm(head_dim·num_kv_heads).
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: qkNorm,
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_local_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    // MiniMaxM2SparseMoeBlock: gate Linear(d, E) without bias, experts w1/w2/w3 of intermediate_size,
    // e_score_correction_bias [E] with use_routing_bias.
    moe_intermediate_size: f.int('intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: f.bool('use_routing_bias', true),
    ...EVERY_LAYER_MOE,
    // use_mtp / num_mtp_modules describe training-time MTP modules that the released checkpoints
    // (M2, M2.1, M2.5, M2.7) do not contain: nothing to count.
    mtp: null,
    checkpoint_fp8_block: fp8Block(f),
    layer_attention: new Array<LayerAttentionKind>(L).fill('full'),
  };
}
