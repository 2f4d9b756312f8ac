import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, common } from './common.js';

/**
 * ERNIE 4.5 MoE (modular_ernie4_5_moe.py). Llama attention with q/k/v/o biases per `use_bias`;
 * decoder layer i is MoE iff (i + 1) % moe_layer_interval == 0 and moe_layer_start_index <= i <=
 * moe_layer_end_index (−1: the last layer), else a dense MLP of intermediate_size. The MoE block:
 * gate Linear(d, E) without bias, moe_statics.e_score_correction_bias [1, E], moe_num_experts
 * experts of moe_intermediate_size and one shared MLP moe_num_shared_experts times as wide.
 * The checkpoints' MTP weights are skipped by transformers (`_keys_to_ignore_on_load_unexpected
 * = ["mtp"]`) and not counted here.
 */
export function ernie45Moe(f: Fields): Architecture {
  const c = common(f, true); // tie_word_embeddings defaults to True
  const L = c.num_layers;
  const H = f.int('num_attention_heads');
  // use_bias also puts biases on every MLP, which the counter's FFN shapes do not carry
  if (f.bool('use_bias', false)) f.invalid('use_bias', 'false (biased MLPs are not modelled)');
  const start = f.intOr('moe_layer_start_index', 1, 0);
  const endRaw = f.has('moe_layer_end_index') ? f.int('moe_layer_end_index', -1) : -1;
  const end = endRaw === -1 ? L - 1 : endRaw;
  const interval = f.intOr('moe_layer_interval', 1, 1);
  const moeLayers: number[] = [];
  for (let i = 0; i < L; i++) if ((i + 1) % interval === 0 && i >= start && i <= end) moeLayers.push(i);
  const nShared = f.intOr('moe_num_shared_experts', 2, 0);
  const moeI = f.int('moe_intermediate_size');
  return {
    model_type: 'ernie4_5_moe',
    ...c,
    lm_head_bias: false,
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(c.hidden_size, H),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.int('moe_num_experts'),
    num_experts_per_tok: f.int('moe_k'),
    moe_intermediate_size: moeI,
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: true,
    first_k_dense_replace: 0,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    moe_layers: moeLayers,
    dense_intermediate_size: moeLayers.length < L ? f.int('intermediate_size') : null,
  };
}
