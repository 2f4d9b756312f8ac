import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { RMS_PRE_NORMS, common, llamaAttention } from './common.js';
import { recurrentState } from '../../mixers.js';

/**
 * Granite 4.0-H (transformers modeling_granitemoehybrid.py): each layer is a Mamba-2 mixer
 * (BambaMixer) or GQA attention (`layer_types`: "mamba" / "attention"; all Mamba when absent),
 * then GraniteMoeHybridMoE (router Linear(d, E) without bias, experts input_linear d → 2·I and
 * output_linear I → d, I = intermediate_size) plus a shared_mlp (input_linear d → 2·I_s,
 * output_linear I_s → d, I_s = shared_intermediate_size) in every layer. With
 * num_local_experts 0 (Granite-4.0-H-1B, -Micro) the shared_mlp alone is a dense gated FFN.
 */
export function granitemoehybrid(f: Fields): Architecture {
  const c = common(f);
  const d = c.hidden_size;
  const L = c.num_layers;
  // GraniteMoeSharedAttention: q/k/v/o with attention_bias, no QK norm; NoPE or RoPE (no parameters)
  const attention = llamaAttention(f, d, 'none');
  const raw = f.strList('layer_types') ?? f.strList('layers_block_type');
  if (raw !== undefined && raw.length !== L) f.invalid('layer_types', `a list of ${L} layer types`);
  const kinds: LayerAttentionKind[] = Array.from({ length: L }, (_, i) => {
    const t = raw ? raw[i] : 'mamba';
    if (t === 'mamba') return 'mamba2';
    if (t === 'attention') return 'full';
    return f.invalid('layer_types', '"mamba" or "attention" entries');
  });
  const E = f.intOr('num_local_experts', 8, 0);
  const sharedI = f.intOr('shared_intermediate_size', 1024, 1);
  // GraniteMoeHybridConfig: mamba_d_head "auto" = mamba_expand·hidden / mamba_n_heads
  const heads = f.intOr('mamba_n_heads', 128, 1);
  const dInner = f.intOr('mamba_expand', 2, 1) * d;
  const headDim = f.raw('mamba_d_head') === 'auto' || !f.has('mamba_d_head') ? dInner / heads : f.int('mamba_d_head');
  if (!Number.isInteger(headDim) || headDim * heads !== dInner)
    f.invalid('mamba_d_head', `mamba_n_heads × mamba_d_head = mamba_expand × hidden_size (${dInner})`);
  const arch: Architecture = {
    model_type: 'granitemoehybrid',
    ...c,
    lm_head_bias: false,
    ...attention,
    // input_layernorm, post_attention_layernorm
    ...RMS_PRE_NORMS,
    num_experts: E,
    num_experts_per_tok: E > 0 ? f.int('num_experts_per_tok') : 0,
    moe_intermediate_size: E > 0 ? f.int('intermediate_size') : 0,
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: E > 0 ? 1 : 0,
    shared_expert_intermediate_size: E > 0 ? sharedI : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: false,
    first_k_dense_replace: 0,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    dense_intermediate_size: E > 0 ? null : sharedI,
    layer_attention: kinds,
    mamba2: {
      num_heads: heads,
      head_dim: headDim,
      n_groups: f.intOr('mamba_n_groups', 1, 1),
      d_state: f.intOr('mamba_d_state', 256, 1),
      d_conv: f.intOr('mamba_d_conv', 4, 1),
      conv_bias: f.bool('mamba_conv_bias', true),
      proj_bias: f.bool('mamba_proj_bias', false),
    },
  };
  return kinds.includes('mamba2') ? { ...arch, linear_attention_state: recurrentState(arch, 'mamba2') } : arch;
}
