import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, common } from './common.js';
import { recurrentState } from '../../mixers.js';

/** The first of `keys` the config has, read as an integer. */
function firstInt(f: Fields, keys: string[]): number {
  for (const k of keys) if (f.has(k)) return f.int(k, 0);
  return f.missing(keys[0] as string);
}

/**
 * Kimi Linear (moonshotai Kimi-Linear-48B-A3B, modeling_kimi.py; transformers
 * modeling_kimi_linear.py): Kimi Delta Attention layers (KimiDeltaAttention: q/k/v_proj, a short
 * conv on each, the low-rank forget gate f_a/f_b, beta b_proj, A_log, dt_bias, the low-rank output
 * gate g_a/g_b, o_norm, o_proj; no biases) and MLA layers (DeepSeek-V3 attention without biases,
 * full-rank q when q_lora_rank is null); the first first_k_dense_replace layers have a dense MLP,
 * the others a DeepSeek-V3 MoE (router with its e_score_correction_bias, shared experts of
 * num_shared_experts × moe_intermediate_size). Layer kinds: the vendor's 1-based
 * linear_attn_config.kda_layers / full_attn_layers, or transformers' layer_types.
 */
export function kimiLinear(f: Fields): Architecture {
  const c = common(f);
  const L = c.num_layers;
  const H = f.int('num_attention_heads');
  const la = f.has('linear_attn_config') ? f.sub('linear_attn_config') : null;
  let kinds: LayerAttentionKind[];
  const names = f.strList('layer_types');
  if (names !== undefined) {
    if (names.length !== L) f.invalid('layer_types', `a list of ${L} layer types`);
    kinds = names.map((t) => {
      if (t === 'full_attention') return 'full';
      if (t === 'kda_attention' || t === 'linear_attention') return 'kda';
      return f.invalid('layer_types', '"kda_attention" or "full_attention" entries');
    });
  } else if (la?.has('full_attn_layers')) {
    const full = new Set(la.intList('full_attn_layers'));
    for (const n of full) if (n < 1 || n > L) la.invalid('full_attn_layers', `1-based layer numbers 1..${L}`);
    kinds = Array.from({ length: L }, (_, i) => (full.has(i + 1) ? 'full' : 'kda'));
    const kda = la.intList('kda_layers');
    if (kda !== undefined && (kda.length !== L - full.size || kda.some((n) => full.has(n) || n < 1 || n > L)))
      la.invalid('kda_layers', `the ${L - full.size} layers (1-based) not in full_attn_layers`);
  } else {
    // KimiLinearConfig's default: full attention in layers 4, 8, ... (0-based), KDA elsewhere
    kinds = Array.from({ length: L }, (_, i) => (i > 0 && i % 4 === 0 ? 'full' : 'kda'));
  }
  const kda = {
    num_heads: la ? la.int('num_heads') : f.intOr('linear_num_key_heads', 32, 1),
    head_dim: la ? la.int('head_dim') : f.intOr('linear_key_head_dim', 128, 1),
    conv_kernel: la ? la.intOr('short_conv_kernel_size', 4, 1) : f.intOr('linear_conv_kernel_dim', 4, 1),
  };
  const E = firstInt(f, ['n_routed_experts', 'num_experts']);
  const nShared = f.has('n_shared_experts') ? f.int('n_shared_experts', 0) : f.intOr('num_shared_experts', 0, 0);
  const I = f.int('moe_intermediate_size');
  const firstK = f.intOr('first_k_dense_replace', 0, 0);
  const arch: Architecture = {
    model_type: 'kimi_linear',
    ...c,
    lm_head_bias: false,
    attention_type: 'mla',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    q_lora_rank: f.has('q_lora_rank') ? f.int('q_lora_rank') : null,
    kv_lora_rank: f.int('kv_lora_rank'),
    qk_nope_head_dim: f.int('qk_nope_head_dim', 0),
    qk_rope_head_dim: f.int('qk_rope_head_dim', 0),
    v_head_dim: f.int('v_head_dim'),
    ...RMS_PRE_NORMS,
    num_experts: E,
    num_experts_per_tok: firstInt(f, ['num_experts_per_tok', 'num_experts_per_token']),
    moe_intermediate_size: I,
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: nShared > 0 ? 1 : 0,
    shared_expert_intermediate_size: nShared > 0 ? nShared * I : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: true,
    first_k_dense_replace: firstK,
    moe_layer_period: f.intOr('moe_layer_freq', 1, 1),
    moe_layer_offset: 0,
    dense_intermediate_size: firstK > 0 ? f.int('intermediate_size') : null,
    layer_attention: kinds,
    kda,
  };
  return kinds.includes('kda') ? { ...arch, linear_attention_state: recurrentState(arch, 'kda') } : arch;
}
