import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { EVERY_LAYER_MOE, NO_SHARED, RMS_PRE_NORMS, common } from './common.js';
import { recurrentState } from '../../mixers.js';

/**
 * MiniMax-Text-01 / MiniMax-M1 (transformers modeling_minimax.py; the vendor's
 * modeling_minimax_text_01.py): lightning attention (MiniMaxLightningAttention: qkv_proj,
 * output_gate, norm, out_proj, no biases) in most layers and GQA softmax attention
 * (MixtralAttention, no biases) in the others, a Mixtral MoE in every layer. The layer kinds come
 * from `layer_types` (transformers: "linear_attention" / "full_attention"), else the vendor's
 * `attn_type_list` or `decoder_attention_types` (0 = lightning, 1 = softmax), else the
 * MiniMaxConfig default (full attention in even layers).
 */
export function minimax(f: Fields, modelType: string): Architecture {
  const c = common(f);
  const d = c.hidden_size;
  const L = c.num_layers;
  const H = f.int('num_attention_heads');
  let kinds: LayerAttentionKind[];
  const names = f.strList('layer_types');
  const vendorKey = f.has('attn_type_list') ? 'attn_type_list' : 'decoder_attention_types';
  if (names !== undefined) {
    if (names.length !== L) f.invalid('layer_types', `a list of ${L} layer types`);
    kinds = names.map((t) => {
      if (t === 'linear_attention') return 'lightning';
      if (t === 'full_attention') return 'full';
      return f.invalid('layer_types', '"linear_attention" or "full_attention" entries');
    });
  } else if (f.has(vendorKey)) {
    const types = f.intList(vendorKey) ?? [];
    if (types.length !== L || types.some((t) => t > 1)) f.invalid(vendorKey, `a list of ${L} entries 0 or 1`);
    kinds = types.map((t) => (t === 0 ? 'lightning' : 'full'));
  } else {
    kinds = Array.from({ length: L }, (_, i) => ((i + 1) % 2 ? 'full' : 'lightning'));
  }
  // Vendor configs name a shared expert (shared_intermediate_size > 0 adds shared_mlp and a
  // coefficient gate); the released MiniMax-Text-01 and M1 have none and transformers models none.
  if (f.intOr('shared_intermediate_size', 0, 0) > 0)
    f.invalid('shared_intermediate_size', '0 (MiniMax shared experts are not modelled)');
  const headDim = f.headDim(d, H);
  const arch: Architecture = {
    model_type: modelType,
    ...c,
    lm_head_bias: false,
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: headDim,
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    ...RMS_PRE_NORMS,
    num_experts: f.has('num_local_experts') ? f.int('num_local_experts') : f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    // MixtralSparseMoeBlock: router Linear(d, E) without bias, experts w1/w3 d → I, w2 I → d
    moe_intermediate_size: f.int('intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    ...EVERY_LAYER_MOE,
    layer_attention: kinds,
    lightning_attention: { num_heads: H, head_dim: headDim },
  };
  return kinds.includes('lightning') ? { ...arch, linear_attention_state: recurrentState(arch, 'lightning') } : arch;
}
