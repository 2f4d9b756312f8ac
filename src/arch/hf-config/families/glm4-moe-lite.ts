import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { deepseek } from './deepseek.js';

/**
 * GLM-4.7-Flash (modular_glm4_moe_lite.py): DeepSeek-V3 latent attention (Glm4MoeLiteAttention =
 * DeepseekV3Attention) in GLM-4.5 MoE layers: the Glm4MoeTopkRouter with its
 * e_score_correction_bias, routed experts and n_shared_experts shared ones of
 * moe_intermediate_size, a dense MLP of intermediate_size where mlp_layer_types says "dense"
 * (default: the first layer only). The checkpoint's MTP layer (model.layers.{num_hidden_layers},
 * which transformers skips) is read from num_nextn_predict_layers as for GLM-4.5 and DeepSeek-V3.
 */
export function glm4MoeLite(f: Fields): Architecture {
  const base = deepseek(f, 'glm4_moe_lite');
  const L = base.num_layers;
  const types = f.strList('mlp_layer_types') ?? ['dense', ...Array.from({ length: L - 1 }, () => 'sparse')];
  if (types.length !== L) f.invalid('mlp_layer_types', `a list of ${L} entries`);
  const moeLayers: number[] = [];
  types.forEach((t, i) => {
    if (t === 'sparse') moeLayers.push(i);
    else if (t !== 'dense') f.invalid('mlp_layer_types', '"dense" or "sparse" entries');
  });
  return {
    ...base,
    router_score_correction_bias: true,
    first_k_dense_replace: 0,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    moe_layers: moeLayers,
    dense_intermediate_size: moeLayers.length < L ? f.int('intermediate_size') : null,
    // the MTP layer follows GLM-4.5's: an MoE layer
    mtp: base.mtp ? { ...base.mtp, layer_kind: 'moe' } : null,
  };
}
