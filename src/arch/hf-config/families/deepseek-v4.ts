import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, RMS_PRE_NORMS, common } from './common.js';
import { fp8Block } from '../quantization.js';

export function deepseekV4(f: Fields): Architecture {
  const c = common(f);
  const L = c.num_layers;
  // DeepSeek-V4-Flash inference/model.py (official reference code): every Block has an MoE FFN;
  // MTPBlock(n_layers + i) follows the main layers and shares their embedding and head.
  const nMtp = f.intOr('num_nextn_predict_layers', 0, 0);
  const ratios = f.intList('compress_ratios') ?? f.missing('compress_ratios');
  if (ratios.length < L + nMtp) {
    f.invalid(
      'compress_ratios',
      `a list of at least num_hidden_layers + num_nextn_predict_layers = ${L + nMtp} ratios`,
    );
  }
  // Attention.wkv = Linear(dim, head_dim): one K=V head whatever the config says elsewhere.
  const K = f.intOr('num_key_value_heads', 1, 1);
  if (K !== 1) f.invalid('num_key_value_heads', '1 (DeepSeek-V4 attention has one shared K=V head)');
  const H = f.int('num_attention_heads');
  const headDim = f.int('head_dim');
  const oGroups = f.int('o_groups');
  if ((H * headDim) % oGroups !== 0)
    f.invalid('o_groups', `a divisor of num_attention_heads × head_dim (${H * headDim})`);
  const nShared = f.intOr('n_shared_experts', 1, 0);
  const moeI = f.int('moe_intermediate_size');
  const E = f.int('n_routed_experts');
  // Compressor: `self.overlap = compress_ratio == 4`; Attention: `if self.compress_ratio == 4:
  // self.indexer = Indexer(...)` — the CSA ratio is fixed by the code, not the config.
  const csa = 4;
  const kinds = ratios.slice(0, L).map((r): LayerAttentionKind => (r === 0 ? 'sliding' : r === csa ? 'csa' : 'hca'));
  const fp8 = fp8Block(f);
  // expert_dtype "fp4": routed experts are Linear(dtype=float4_e2m1fn_x2), weight [out, in/2] and a
  // float8_e8m0 scale [out, in/fp4_block_size] with fp4_block_size = 32 (model.py).
  const expertDtype = f.str('expert_dtype');
  if (expertDtype !== undefined && expertDtype !== 'fp4') f.invalid('expert_dtype', '"fp4" or absent');
  return {
    model_type: 'deepseek_v4',
    ...c,
    lm_head_bias: false,
    attention_type: 'csa_hca',
    num_attention_heads: H,
    num_key_value_heads: K,
    head_dim: headDim,
    q_lora_rank: f.int('q_lora_rank'),
    qk_rope_head_dim: f.int('qk_rope_head_dim', 0),
    o_groups: oGroups,
    o_lora_rank: f.int('o_lora_rank'),
    compress_ratios: [...ratios],
    csa_compress_ratio: csa,
    index_n_heads: f.int('index_n_heads'),
    index_head_dim: f.int('index_head_dim'),
    // Attention.attn_sink: one float per head.
    attention_sinks: true,
    // Block: attn_norm and ffn_norm; Transformer.norm before the head.
    ...RMS_PRE_NORMS,
    num_experts: E,
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: moeI,
    // Expert: w1, w2, w3 without bias; MoE.shared_experts = Expert(dim, moe_inter_dim).
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: nShared,
    shared_expert_intermediate_size: nShared > 0 ? moeI : null,
    shared_expert_gate: false,
    // Gate: weight [E, d] in every layer; `bias` [E] except in the hash layers (layer_id <
    // n_hash_layers), which hold tid2eid [vocab, top-k] instead.
    router_bias: false,
    router_score_correction_bias: true,
    num_hash_layers: f.intOr('num_hash_layers', 0, 0),
    ...EVERY_LAYER_MOE,
    mtp:
      nMtp > 0
        ? // MTPBlock: e_proj, h_proj (default-dtype Linear: FP8 with scales in an FP8 checkpoint),
          // enorm, hnorm, norm, a Block, hc_head_{fn,base,scale}; embed and head are the main model's.
          { num_modules: nMtp, layer_kind: 'moe', stores_embedding: false, stores_head: false, fp8_proj: fp8 != null }
        : null,
    checkpoint_fp8_block: fp8,
    checkpoint_expert_quant: expertDtype === 'fp4' ? { format: 'fp4_e2m1_x2', group_size: 32 } : null,
    layer_attention: kinds,
    sliding_window: f.has('sliding_window') ? f.int('sliding_window') : null,
    // Block.hc_{attn,ffn}_{fn,base,scale}, Transformer.hc_head_*: hc_mult residual streams.
    hyper_connections: { mult: f.int('hc_mult') },
  };
}
