import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, common } from './common.js';
import { fp8Block } from '../quantization.js';

export function glm4Moe(f: Fields): Architecture {
  const c = common(f);
  const H = f.int('num_attention_heads');
  const firstK = f.intOr('first_k_dense_replace', 1, 0);
  const nShared = f.intOr('n_shared_experts', 1, 0);
  const moeI = f.int('moe_intermediate_size');
  const nMtp = f.intOr('num_nextn_predict_layers', 0, 0);
  const mtpIsMoe = c.num_layers >= firstK;
  return {
    model_type: 'glm4_moe',
    ...c,
    lm_head_bias: false,
    // modeling_glm4_moe Glm4MoeAttention: q/k/v biases follow config.attention_bias, o_proj
    // has bias=False; with use_qk_norm, q_norm/k_norm are RMSNorm(head_dim) per head.
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: f.bool('attention_bias', false),
    attention_out_bias: false,
    qk_norm: f.bool('use_qk_norm', false) ? 'per_head' : 'none',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('n_routed_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: moeI,
    expert_gated: true,
    expert_bias: false,
    // Glm4MoeMoE: shared_experts = MLP(moe_intermediate_size × n_shared_experts), no gate;
    // Glm4MoeTopkRouter: weight [E, d] and the persistent e_score_correction_bias buffer [E].
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: true,
    // Decoder layer i is MoE iff i >= first_k_dense_replace; dense layers use intermediate_size.
    first_k_dense_replace: firstK,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    dense_intermediate_size: firstK > 0 || (nMtp > 0 && !mtpIsMoe) ? f.int('intermediate_size') : null,
    // The MTP layer (model.layers.{num_hidden_layers}, skipped by transformers) follows the
    // DeepSeek-V3 layout with its own embed_tokens and shared_head (norm + head), as in
    // vLLM's glm4_moe_mtp.py and in the GLM-4.5-Air checkpoint's layer 46 tensors.
    mtp:
      nMtp > 0
        ? { num_modules: nMtp, layer_kind: mtpIsMoe ? 'moe' : 'dense', stores_embedding: true, stores_head: true }
        : null,
    checkpoint_fp8_block: fp8Block(f),
  };
}
