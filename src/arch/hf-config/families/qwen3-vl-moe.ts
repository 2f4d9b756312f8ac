import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { qwen35Vision } from '../vision.js';
import { qwen3Moe } from './qwen3-moe.js';

/**
 * Qwen3-VL-MoE (modular_qwen3_vl_moe.py): the text model is Qwen3-MoE (Qwen3VLMoeTextConfig
 * subclasses Qwen3MoeConfig; attention with per-head q/k RMSNorm, Qwen3MoeSparseMoeBlock,
 * Qwen3MoeDecoderLayer) under `text_config`; the vision tower is Qwen3VLVisionModel, the
 * tower Qwen3.5 reuses (patch embedding, position table, blocks, merger and deepstack mergers).
 */
export function qwen3VlMoe(top: Fields): Architecture {
  const text = top.sub('text_config');
  const arch = qwen3Moe(text);
  // the lm_head belongs to Qwen3VLMoeForConditionalGeneration, tied per the top-level flag when
  // the config sets one, else the text config's
  const tie = top.has('tie_word_embeddings')
    ? top.bool('tie_word_embeddings', false)
    : text.bool('tie_word_embeddings', false);
  return {
    ...arch,
    model_type: 'qwen3_vl_moe',
    tie_word_embeddings: tie,
    vision: top.has('vision_config') ? qwen35Vision(top.sub('vision_config'), arch.hidden_size) : null,
  };
}
