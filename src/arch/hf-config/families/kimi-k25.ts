import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { moonVit } from '../vision.js';
import { deepseek } from './deepseek.js';

export function kimiK25(top: Fields): Architecture {
  const text = top.sub('text_config');
  // text_config is DeepseekV3ForCausalLM (model_type kimi_k2); module names carry the
  // KimiK25ForConditionalGeneration prefix `language_model.`.
  const base = deepseek(text, 'kimi_k25', 'language_model.');
  return {
    ...base,
    vision: top.has('vision_config') ? moonVit(top.sub('vision_config'), base.hidden_size) : null,
  };
}
