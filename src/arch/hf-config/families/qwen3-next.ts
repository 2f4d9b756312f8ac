import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { qwenGatedDeltaNetMoe } from './qwen3-5-moe.js';

/**
 * Qwen3-Next (transformers modeling_qwen3_next.py): the Qwen3.5-MoE text model's layers (Gated
 * DeltaNet with in_proj_qkvz / in_proj_ba, which hold the same weights as Qwen3.5's split
 * projections, and gated attention), its fields at the top level, and mlp_only_layers /
 * decoder_sparse_step honoured.
 */
export function qwen3Next(f: Fields): Architecture {
  return qwenGatedDeltaNetMoe(f, f, 'qwen3_next', true);
}
