import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { olmoe } from './olmoe.js';

/**
 * FlexOlmo (modular_flex_olmo.py): OLMoE's layer with Olmo2Attention (q_norm RMSNorm(H·hd) and
 * k_norm RMSNorm(K·hd) over the full projections, q/k/v/o biases per attention_bias), the OLMoE
 * router and experts of intermediate_size in every layer, and two norms per layer placed after
 * attention and after the feed-forward (input_layernorm removed): the same shapes as OLMoE.
 */
export function flexOlmo(f: Fields): Architecture {
  return { ...olmoe(f), model_type: 'flex_olmo' };
}
