import type { ArchitectureBase, MlaAttentionFields, MtpSpec } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, common } from './common.js';
import { compressedTensorsInt4, fp8Block } from '../quantization.js';

/** DeepSeek-V3 module names (modeling_deepseek.py) of each quantisable group. */
function deepseekModuleNames(prefix: string, qLora: boolean, L: number, firstK: number, freq: number) {
  const isMoe = (i: number) => i >= firstK && i % freq === 0;
  let firstMoe = 0;
  while (firstMoe < L && !isMoe(firstMoe)) firstMoe++;
  let firstDense: number | null = 0;
  while (firstDense < L && isMoe(firstDense)) firstDense++;
  if (firstDense >= L) firstDense = null;
  const ffn = ['gate_proj', 'up_proj', 'down_proj'];
  const attn = qLora
    ? ['q_a_proj', 'q_b_proj', 'kv_a_proj_with_mqa', 'kv_b_proj', 'o_proj']
    : ['q_proj', 'kv_a_proj_with_mqa', 'kv_b_proj', 'o_proj'];
  return {
    attention: attn.map((n) => `${prefix}model.layers.0.self_attn.${n}`),
    routed_experts: ffn.map((n) => `${prefix}model.layers.${firstMoe}.mlp.experts.0.${n}`),
    shared_experts: ffn.map((n) => `${prefix}model.layers.${firstMoe}.mlp.shared_experts.${n}`),
    dense_ffn: firstDense == null ? [] : ffn.map((n) => `${prefix}model.layers.${firstDense}.mlp.${n}`),
    lm_head: ['lm_head'],
  };
}

export function deepseek(f: Fields, modelType: string, prefix = ''): ArchitectureBase & MlaAttentionFields {
  const c = common(f);
  const L = c.num_layers;
  const firstK = f.intOr('first_k_dense_replace', 0, 0);
  const freq = f.intOr('moe_layer_freq', 1, 1);
  const nShared = f.intOr('n_shared_experts', 0, 0);
  const moeI = f.int('moe_intermediate_size');
  // modeling_deepseek (V2/V3): layer i is MoE iff i >= first_k_dense_replace and i % moe_layer_freq == 0.
  let anyDense = firstK > 0 || freq > 1;
  const nMtp = f.intOr('num_nextn_predict_layers', 0, 0);
  // The MTP layer sits at index L, so the same rule decides its FFN kind.
  const mtpIsMoe = L >= firstK && L % freq === 0;
  if (nMtp > 0 && !mtpIsMoe) anyDense = true;
  // DeepseekV3MoE.gate carries e_score_correction_bias for the aux-loss-free "noaux_tc"
  // routing (the only topk_method of V3; transformers' DeepseekV3TopkRouter always has it);
  // V2's greedy / group_limited_greedy routers have none.
  const topk = f.str('topk_method');
  const scoreBias = modelType === 'deepseek_v2' ? topk === 'noaux_tc' : topk === undefined || topk === 'noaux_tc';
  // attention_bias applies to q_a_proj, kv_a_proj_with_mqa and o_proj (false in every release).
  const attnBias = f.bool('attention_bias', false);
  const qLora = f.intOrNull('q_lora_rank');
  const mtp: MtpSpec | null =
    nMtp > 0
      ? {
          num_modules: nMtp,
          layer_kind: mtpIsMoe ? 'moe' : 'dense',
          // DeepSeek-V3 README_WEIGHTS.md: the MTP layer (model.layers.61) stores its own
          // embed_tokens and shared_head.head tensors besides enorm/hnorm/eh_proj/shared_head.norm.
          stores_embedding: true,
          stores_head: true,
        }
      : null;
  return {
    model_type: modelType,
    ...c,
    lm_head_bias: false,
    attention_type: 'mla',
    num_attention_heads: f.int('num_attention_heads'),
    num_key_value_heads: f.has('num_key_value_heads') ? f.int('num_key_value_heads') : null,
    head_dim: null,
    q_lora_rank: qLora,
    kv_lora_rank: f.int('kv_lora_rank'),
    qk_nope_head_dim: f.int('qk_nope_head_dim', 0),
    qk_rope_head_dim: f.int('qk_rope_head_dim', 0),
    v_head_dim: f.int('v_head_dim'),
    attention_qkv_bias: attnBias,
    attention_out_bias: attnBias,
    ...RMS_PRE_NORMS,
    num_experts: f.int('n_routed_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: moeI,
    expert_gated: true,
    expert_bias: false,
    // DeepseekV2MoE/V3MoE: shared_experts = one MLP of width moe_intermediate_size × n_shared_experts
    // (same count as n_shared experts of moe_intermediate_size); no gate on it.
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: scoreBias,
    first_k_dense_replace: firstK,
    moe_layer_period: freq,
    moe_layer_offset: 0,
    dense_intermediate_size: anyDense ? f.int('intermediate_size') : null,
    mtp,
    checkpoint_fp8_block: fp8Block(f),
    checkpoint_expert_quant: compressedTensorsInt4(f, deepseekModuleNames(prefix, qLora != null, L, firstK, freq)),
  };
}
