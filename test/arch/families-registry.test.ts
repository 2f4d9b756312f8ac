/**
 * The model_type registry (src/arch/hf-config/families/index.ts): its keys are the supported list,
 * in the order the unsupported-model error has always printed it, and a lookup only ever finds a
 * registered family (never a property every object inherits).
 */
import { describe, expect, it } from 'vitest';
import { SUPPORTED_MODEL_TYPES, UnsupportedModelError, architectureFromHfConfig } from '../../src/arch/index.js';

const PRINTED_ORDER = [
  'mixtral',
  'qwen2_moe',
  'qwen3_moe',
  'deepseek_v2',
  'deepseek_v3',
  'kimi_k2',
  'llama4',
  'llama4_text',
  'gpt_oss',
  'olmoe',
  'dbrx',
  'phimoe',
  'glm4_moe',
  'grok-1',
  'deepseek_v4',
  'kimi_k25',
  'qwen3_5_moe',
  'glm_moe_dsa',
  'minimax_m2',
  'deepseek',
  'qwen3_vl_moe',
  'arctic',
  'ernie4_5_moe',
  'hunyuan_v1_moe',
  'dots1',
  'flex_olmo',
  'granitemoe',
  'granitemoeshared',
  'deepseek_v32',
  'glm4_moe_lite',
  'bailing_moe',
  'bailing_moe_v2',
  'jetmoe',
  'longcat_flash',
  'glm4v_moe',
  'jamba',
  'granitemoehybrid',
  'nemotron_h',
  'minimax',
  'minimax_text_01',
  'minimax_m1',
  'qwen3_next',
  'kimi_linear',
  'lfm2_moe',
  'mimo_v2_flash',
  'mimo_v2',
  'gemma4',
  'gemma4_text',
  'minimax_m3_vl',
  'minimax_m3_vl_text',
];

describe('family registry', () => {
  it('lists the supported model types in the order the error prints them', () => {
    expect(SUPPORTED_MODEL_TYPES).toEqual(PRINTED_ORDER);
    expect(() => architectureFromHfConfig({ model_type: 'llama' }, 'c.json')).toThrow(
      `c.json: unsupported model_type "llama"; supported model types: ${PRINTED_ORDER.join(', ')}`,
    );
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'model_type %j is unsupported, not an inherited property',
    (modelType) => {
      expect(() => architectureFromHfConfig({ model_type: modelType })).toThrow(UnsupportedModelError);
    },
  );
});
