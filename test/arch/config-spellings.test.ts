/**
 * One config, two spellings: a config saved by transformers 5 (`num_local_experts`,
 * `rope_parameters`, `dtype`) or nested under `text_config` counts exactly as its transformers 4
 * form, and the alias table decides which spelling wins when both are present.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architectureFromHfConfig, countParameters } from '../../src/arch/index.js';
import { FIELD_ALIASES, spellings } from '../../src/arch/hf-config/fields.js';
import { inspectConfig } from '../../src/arch/inspect.js';

type Json = Record<string, unknown>;

/** The official Qwen3-30B-A3B config.json (presets/configs/SOURCES.md), as transformers 4.51 saved it. */
function qwen3Moe30b(): Json {
  const url = new URL('../../presets/configs/qwen3-30b-a3b.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Json;
}

/** The same config as transformers 5 saves it: the renamed keys, nothing else changed. */
function asTransformers5(c: Json): Json {
  const { num_experts, rope_scaling, rope_theta, torch_dtype, ...rest } = c;
  void rope_scaling;
  return {
    ...rest,
    num_local_experts: num_experts,
    rope_parameters: { rope_type: 'default', rope_theta },
    dtype: torch_dtype,
    transformers_version: '5.0.0',
  };
}

describe('transformers 5 spellings', () => {
  it('Qwen3-30B-A3B saved by transformers 5 counts identically to its transformers 4 form', () => {
    const v4 = qwen3Moe30b();
    const v5 = asTransformers5(v4);
    expect(v5).not.toHaveProperty('num_experts');
    expect(v5).not.toHaveProperty('torch_dtype');
    const a = inspectConfig(v4, 'v4.json');
    const b = inspectConfig(v5, 'v5.json');
    // Hugging Face safetensors metadata of Qwen/Qwen3-30B-A3B: 30,532,122,624 parameters
    // (index total_size 61,064,245,248 bytes in bf16), the preset's exact figure.
    expect(b.total_checkpoint).toBe(30_532_122_624);
    expect(b.memory.weights.total_bytes).toBe(61_064_245_248);
    expect(b.architecture).toEqual(a.architecture);
    expect(b.breakdown).toEqual(a.breakdown);
    expect(b.active).toBe(a.active);
    expect(b.notes).toEqual(a.notes);
  });

  it('reads the text model from text_config when the top level has only the wrapper', () => {
    const v4 = qwen3Moe30b();
    const nested = { model_type: 'qwen3_moe', architectures: v4['architectures'], text_config: v4 };
    const arch = architectureFromHfConfig(nested, 'nested.json');
    expect(countParameters(arch).total_checkpoint).toBe(30_532_122_624);
    // an invalid nested field is named with its path
    const bad = { model_type: 'qwen3_moe', text_config: { ...v4, num_experts: 0 } };
    expect(() => architectureFromHfConfig(bad, 'bad.json')).toThrow(
      'bad.json: field "text_config.num_experts" (model_type "qwen3_moe") must be an integer >= 1, got 0',
    );
  });

  it('reads each vendor spelling of the expert count and top-k', () => {
    const v4 = qwen3Moe30b();
    const { num_experts, num_experts_per_tok, ...rest } = v4;
    for (const [ek, kk] of [
      ['n_routed_experts', 'moe_k'],
      ['moe_num_experts', 'moe_topk'],
      ['num_local_experts', 'experts_per_token'],
    ] as const) {
      const arch = architectureFromHfConfig({ ...rest, [ek]: num_experts, [kk]: num_experts_per_tok });
      expect([arch.num_experts, arch.num_experts_per_tok]).toEqual([128, 8]);
    }
  });

  it("prefers the family's own spelling when a config carries two", () => {
    // 128 under num_experts (what qwen3_moe reads), a stray 64 under num_local_experts
    const arch = architectureFromHfConfig({ ...qwen3Moe30b(), num_local_experts: 64 });
    expect(arch.num_experts).toBe(128);
    // a null spelling is absent: the next one answers
    const arch2 = architectureFromHfConfig({ ...qwen3Moe30b(), num_experts: null, num_local_experts: 64 });
    expect(arch2.num_experts).toBe(64);
  });

  it('names the missing field as the family asks for it', () => {
    const { num_experts, ...rest } = qwen3Moe30b();
    void num_experts;
    expect(() => architectureFromHfConfig(rest, 'c.json')).toThrow(
      'c.json: missing required field "num_experts" (model_type "qwen3_moe")',
    );
  });

  it('the alias table: every spelling in one list only, the requested one first', () => {
    const all = FIELD_ALIASES.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(spellings('moe_k')).toEqual([
      'moe_k',
      'num_experts_per_tok',
      'experts_per_token',
      'moe_topk',
      'num_experts_per_token',
    ]);
    expect(spellings('dtype')).toEqual(['dtype', 'torch_dtype']);
    expect(spellings('hidden_size')).toEqual(['hidden_size']);
  });
});
