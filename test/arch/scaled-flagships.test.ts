/**
 * Scaled variants of the 2026 flagship fixtures: layer counts and widths changed in the config,
 * and the counts must move by exactly what those layers and widths hold (worked out by hand in
 * the comments from the per-layer sizes in reference-configs.test.ts). Nothing in the counter
 * may be keyed to a model's name or size; a renamed config counts the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectConfig, type InspectResult } from '../../src/arch/inspect.js';

type Config = Record<string, unknown> & {
  text_config?: Record<string, unknown>;
  vision_config?: Record<string, unknown>;
};

function load(name: string): Config {
  return JSON.parse(readFileSync(new URL(`../../presets/configs/${name}`, import.meta.url), 'utf8')) as Config;
}
const count = (c: unknown): InspectResult => inspectConfig(c);

describe('DeepSeek-V4-Pro scaled', () => {
  const base = load('deepseek-v4-pro.json');
  const r0 = count(base);
  const ratios = base['compress_ratios'] as number[];

  it('two more layers (one HCA, one CSA) add exactly their parameters and storage', () => {
    // 63 layers: the 61 ratios, then 128 and 4, then the MTP layer's 0
    const r = count({ ...base, num_hidden_layers: 63, compress_ratios: [...ratios.slice(0, 61), 128, 4, 0] });
    expect(r.attention_layers).toEqual({ hca: 32, csa: 31 });
    // HCA layer: core 299,894,912 + compressor 7,406,080 + norms 14,336 + hyper-connections
    //   1,376,310 + router 2,752,512 + bias 384 + shared 66,060,288 + 384 × 66,060,288 = 25,744,655,414
    // CSA layer: core + compressor 14,684,672 + indexer 16,712,832 + the same rest = 25,768,646,838
    expect(r.total_main - r0.total_main).toBe(25_744_655_414 + 25_768_646_838);
    expect(r.breakdown.mtp).toBe(r0.breakdown.mtp);
    // Checkpoint: + FP8 scales 22,336 (HCA) + 23,104 (CSA) + FP4 scales 2 × 792,723,456
    //   − packing 2 × 12,683,575,296
    expect(r.total_checkpoint - r0.total_checkpoint).toBe(
      51_513_302_252 + 45_440 + 2 * 792_723_456 - 2 * 12_683_575_296,
    );
    expect(r.expert_params - r0.expert_params).toBe(2 * 66_060_288);
  });

  it('hc_mult 2: hyper-connections shrink to 2 × (4·2·2·7168 + 8 + 3) per block and 2·2·7168 + 3 at the head', () => {
    const r = count({ ...base, hc_mult: 2 });
    // 61 × 229,398 + 28,675 = 14,021,953
    expect(r.breakdown.hyper_connections).toBe(14_021_953);
    // the MTP block has its own block mixers and head: 229,398 + 28,675 = 258,073 instead of
    // 1,376,310 + 114,693
    expect(r0.breakdown.mtp - r.breakdown.mtp).toBe(1_376_310 + 114_693 - 258_073);
  });

  it('expert width 2048: each routed expert is 3 × 7168 × 2048', () => {
    const r = count({ ...base, moe_intermediate_size: 2048 });
    expect(r.expert_params).toBe(61 * 3 * 7168 * 2048);
    expect(r.breakdown.routed_experts).toBe(384 * 61 * 3 * 7168 * 2048);
    // FP4 scales follow: 62 MoE layers (MTP included) × 384 × 44,040,192 / 32
    expect(r.breakdown.quant_scales).toBe((62 * 384 * 3 * 7168 * 2048) / 32);
  });

  it('another released size: DeepSeek-V4-Flash (284B total, 13B activated)', () => {
    // Architecture fields of deepseek-ai/DeepSeek-V4-Flash as in
    // https://github.com/ai-dynamo/aiconfigurator/blob/7b359652cc600f4e157258117719c380aaadfb47/aic-core/src/aiconfigurator_core/model_configs/nvidia--DeepSeek-V4-Flash-NVFP4_config.json
    // (43 layers, d 4096, 64 heads, q_lora 1024, o_groups 8, 256 experts × 2048, ratios 0, 0, then
    // 4/128 alternating, MTP 0), with the block-FP8 quantization_config of the V4 releases.
    const flash = {
      ...base,
      hidden_size: 4096,
      num_hidden_layers: 43,
      num_attention_heads: 64,
      q_lora_rank: 1024,
      o_groups: 8,
      n_routed_experts: 256,
      moe_intermediate_size: 2048,
      compress_ratios: [0, 0, ...Array.from({ length: 41 }, (_, i) => (i % 2 === 0 ? 4 : 128)), 0],
    };
    const r = count(flash);
    expect(r.attention_layers).toEqual({ sliding: 2, csa: 21, hca: 20 });
    // "284B total parameters (13B activated)" (the V4-Flash model card, quoted at
    // https://featherless.ai/models/deepseek-ai/DeepSeek-V4-Flash): main model 284,332,240,471;
    // 13,270,101,591 active without the input embedding
    expect(r.total_main).toBe(284_332_240_471);
    expect(Number(r.total_main.toPrecision(3))).toBe(284e9);
    expect(Number(r.active_excl_input_embedding.toPrecision(2))).toBe(13e9);
    // and the Hub's "Model Size 158B" (same page) is the stored-element count, FP4 packed
    expect(Number(r.total_checkpoint.toPrecision(3))).toBe(158e9);
  });
});

describe('Kimi K2.6 scaled', () => {
  const base = load('kimi-k2.6.json');
  const r0 = count(base);

  it('31 text layers and a 12-block MoonViT', () => {
    const r = count({
      ...base,
      text_config: { ...base.text_config, num_hidden_layers: 31 },
      vision_config: { ...base.vision_config, vt_num_hidden_layers: 12 },
    });
    // each MoE layer: MLA 101,124,096 + norms 14,336 + router 2,752,512 + bias 384
    //   + (384 routed + 1 shared) × 44,040,192 = 17,059,365,248; 30 fewer
    expect(r0.total_main - r.total_main).toBe(30 * 17_059_365_248);
    // vision: 15 fewer blocks of 15,239,504
    expect(r.breakdown.vision).toBe(471_143_920 - 15 * 15_239_504);
    // INT4 storage per MoE layer: scales 384 × 44,040,192 / 32 = 528,482,304, shape 384 × 3 × 2 = 2,304,
    // the Hub's 7 × 2,304 more
    expect(r0.breakdown.quant_scales - r.breakdown.quant_scales).toBe(30 * 528_482_304);
    expect(r0.breakdown.storage_adjustment - r.breakdown.storage_adjustment).toBe(30 * 7 * 2_304);
  });
});

describe('Qwen3.5-397B-A17B scaled', () => {
  const base = load('qwen3.5-397b-a17b.json');
  const text = base.text_config as Record<string, unknown>;
  const r0 = count(base);

  it('40 layers (30 Gated DeltaNet + 10 gated attention)', () => {
    const r = count({
      ...base,
      text_config: { ...text, num_hidden_layers: 40, layer_types: (text['layer_types'] as string[]).slice(0, 40) },
    });
    expect(r.attention_layers).toEqual({ linear: 30, full: 10 });
    // MoE part of every layer: norms 8,192 + router 2,097,152 + shared 12,582,912 + gate 4,096
    //   + 512 × 12,582,912 = 6,457,143,296; 15 linear layers (118,014,208 each) and 5 full
    //   (104,858,112 each) fewer
    expect(r0.total_main - r.total_main).toBe(15 * (118_014_208 + 6_457_143_296) + 5 * (104_858_112 + 6_457_143_296));
    expect(r.breakdown.mtp).toBe(r0.breakdown.mtp);
    expect(r.breakdown.vision).toBe(r0.breakdown.vision);
  });

  it('32 value heads in the Gated DeltaNet', () => {
    const r = count({ ...base, text_config: { ...text, linear_num_value_heads: 32 } });
    // value dim 32 × 128 = 4096, conv channels 2·16·128 + 4096 = 8192:
    //   in_proj_qkv 4096 × 8192 + in_proj_z 4096 × 4096 + in_proj_b, in_proj_a 2 × 4096 × 32
    //   + conv1d 8192 × 4 + dt_bias, A_log 2 × 32 + norm 128 + out_proj 4096 × 4096 = 67,403,968
    expect(r.breakdown.linear_attention).toBe(45 * 67_403_968);
    expect(r.architecture.linear_attention_state).toMatchObject({
      recurrent_elements: 32 * 128 * 128,
      conv_elements: 8192 * 3,
    });
  });
});

describe('GLM-5 scaled', () => {
  const base = load('glm-5.json');
  const r0 = count(base);

  it('47 layers and a 16-head indexer', () => {
    const r = count({ ...base, num_hidden_layers: 47 });
    // each MoE layer: attention with indexer 174,394,112 + norms 12,288 + router 1,572,864 + bias 256
    //   + (256 + 1) × 37,748,736 = 9,877,404,672; 31 fewer
    expect(r0.total_main - r.total_main).toBe(31 * 9_877_404_672);
    const s = count({ ...base, index_n_heads: 16 });
    // indexer: 2048 × 16 × 128 + 6144 × 128 + 256 + 6144 × 16 = 5,079,296 (was 9,371,904), 79 of them
    expect(r0.total_checkpoint - s.total_checkpoint).toBe(79 * (9_371_904 - 5_079_296));
  });
});

describe('MiniMax-M2.5 scaled', () => {
  const base = load('minimax-m2.5.json');
  const r0 = count(base);

  it('40 layers', () => {
    const r = count({ ...base, num_hidden_layers: 40, attn_type_list: new Array(40).fill(1) });
    // each layer: attention 44,047,360 + norms 6,144 + router 786,688 + 256 × 14,155,776 = 3,668,718,848,
    // and 223,872 FP8 scales (2,688 + 256 × 864); 22 fewer
    expect(r0.total_main - r.total_main).toBe(22 * 3_668_718_848);
    expect(r0.total_checkpoint - r.total_checkpoint).toBe(22 * (3_668_718_848 + 223_872));
  });
});

describe('names do not matter', () => {
  it('stripping architectures, auto_map and other labels leaves every count unchanged', () => {
    for (const name of [
      'deepseek-v4-pro.json',
      'kimi-k2.6.json',
      'qwen3.5-397b-a17b.json',
      'glm-5.json',
      'minimax-m2.5.json',
    ]) {
      const cfg = load(name);
      const { architectures: _a, auto_map: _m, _name_or_path: _n, ...rest } = cfg;
      const text = rest.text_config
        ? { text_config: { ...rest.text_config, architectures: ['X'], auto_map: {}, _name_or_path: 'x' } }
        : {};
      const renamed = {
        ...rest,
        ...text,
        architectures: ['SomethingElseForCausalLM'],
        _name_or_path: 'someone/other-model',
      };
      const a = count(cfg);
      const b = count(renamed);
      expect(b.total_checkpoint, name).toBe(a.total_checkpoint);
      expect(b.total_logical, name).toBe(a.total_logical);
      expect(b.active, name).toBe(a.active);
      expect(b.breakdown, name).toEqual(a.breakdown);
    }
  });
});
