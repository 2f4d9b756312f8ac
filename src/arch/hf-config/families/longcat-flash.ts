import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS } from './common.js';

/**
 * LongCat-Flash (modular_longcat_flash.py). Each of the config's num_layers decoder layers holds
 * two sublayers, each with MLA attention (DeepSeek-V3's, q_lora_rank always set), two RMSNorms and
 * a dense MLP of ffn_hidden_size; the first sublayer also feeds a shortcut MoE: a router
 * `classifier` Linear(d, E + Z) (bias per router_bias) with its e_score_correction_bias [E + Z],
 * E = n_routed_experts real experts of expert_ffn_hidden_size and Z = zero_expert_num identity
 * experts that compute nothing. Counted as 2·num_layers layers: the even ones MoE, with their dense
 * MLP as an always-active shared expert, the odd ones dense; the KV cache holds 2·num_layers MLA
 * layers, as transformers' cache does. The checkpoint's MTP module (`model.mtp.*`, which
 * transformers skips) is not counted.
 */
export function longcatFlash(f: Fields): Architecture {
  // num_layers counts decoder layers of two sublayers each (num_hidden_layers, when saved, is 2·num_layers)
  const L = 2 * f.int('num_layers');
  const ffn = f.int('ffn_hidden_size');
  const H = f.int('num_attention_heads');
  const attnBias = f.bool('attention_bias', false);
  return {
    model_type: 'longcat_flash',
    hidden_size: f.int('hidden_size'),
    num_layers: L,
    vocab_size: f.int('vocab_size'),
    tie_word_embeddings: f.bool('tie_word_embeddings', false),
    lm_head_bias: false,
    attention_type: 'mla',
    num_attention_heads: H,
    num_key_value_heads: f.has('num_key_value_heads') ? f.int('num_key_value_heads') : null,
    head_dim: null,
    q_lora_rank: f.int('q_lora_rank'),
    kv_lora_rank: f.int('kv_lora_rank'),
    qk_nope_head_dim: f.int('qk_nope_head_dim', 0),
    qk_rope_head_dim: f.int('qk_rope_head_dim', 0),
    v_head_dim: f.int('v_head_dim'),
    attention_qkv_bias: attnBias,
    attention_out_bias: attnBias,
    ...RMS_PRE_NORMS,
    num_experts: f.int('n_routed_experts'),
    num_experts_per_tok: f.int('moe_topk'),
    moe_intermediate_size: f.int('expert_ffn_hidden_size'),
    expert_gated: true,
    expert_bias: false,
    zero_experts: f.intOr('zero_expert_num', 0, 0),
    num_shared_experts: 1,
    shared_expert_intermediate_size: ffn,
    shared_expert_gate: false,
    router_bias: f.bool('router_bias', false),
    router_score_correction_bias: true,
    first_k_dense_replace: 0,
    moe_layer_period: 2,
    moe_layer_offset: 0,
    dense_intermediate_size: ffn,
  };
}
