import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { NO_SHARED, RMS_PRE_NORMS, common, llamaAttention } from './common.js';
import { qwenMoeLayers } from './qwen2-moe.js';

export function qwen3Moe(f: Fields): Architecture {
  const c = common(f);
  const attention = llamaAttention(f, c.hidden_size, 'per_head');
  return {
    model_type: 'qwen3_moe',
    ...c,
    lm_head_bias: false,
    // modeling_qwen3_moe: q/k/v/o biases follow config.attention_bias; q_norm and k_norm are
    // RMSNorm(head_dim) applied per head (2·head_dim per layer); no shared expert.
    ...attention,
    ...RMS_PRE_NORMS,
    num_experts: f.int('num_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('moe_intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: false,
    ...qwenMoeLayers(f, c.num_layers),
  };
}
