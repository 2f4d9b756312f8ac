/**
 * Block-FP8 storage is the same for every family: a qwen3_moe checkpoint saved with
 * quant_method "fp8" stores one F32 weight_scale_inv per 128x128 tile of every converted linear,
 * and total_checkpoint counts them. Modules left unconverted (`modules_to_not_convert`) that the
 * counter keeps unquantised anyway (head, routers) change nothing; one the counter would scale
 * (attention) makes the storage unmodelled, said in the notes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectConfig } from '../../src/arch/inspect.js';
import { leavesOnlyUnscaledModules } from '../../src/arch/hf-config/quantization.js';

const FP8 = { quant_method: 'fp8', activation_scheme: 'dynamic', fmt: 'e4m3', weight_block_size: [128, 128] };

/** d 256, 2 layers, 4 q / 2 kv heads x 64, 4 experts of 192 (top 2), vocab 1000, untied. */
const tiny = {
  model_type: 'qwen3_moe',
  hidden_size: 256,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 64,
  num_experts: 4,
  num_experts_per_tok: 2,
  moe_intermediate_size: 192,
  intermediate_size: 512,
  vocab_size: 1000,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
};

describe('block-FP8 qwen3_moe', () => {
  it('tiny config: total_checkpoint adds one scale per 128x128 tile (hand-worked)', () => {
    const plain = inspectConfig(tiny);
    const fp8 = inspectConfig({ ...tiny, quantization_config: FP8 });
    // per layer, tiles ceil(out/128)·ceil(in/128):
    //   q [256, 256] 2·2 = 4, k [128, 256] 1·2 = 2, v 2, o [256, 256] 4        = 12
    //   each expert: gate [192, 256] 2·2 = 4, up 4, down [256, 192] 2·2 = 4     = 12, x 4 experts = 48
    //   router, norms, embedding, head: none
    // 2 layers x 60 = 120
    expect(fp8.breakdown.fp8_scales).toBe(120);
    expect(fp8.total_logical).toBe(plain.total_logical);
    expect(fp8.total_checkpoint).toBe(plain.total_checkpoint + 120);
    expect(fp8.stored_elements).toBe(plain.total_logical + 120);
    expect(fp8.notes.join(' ')).toContain('block-FP8 (128x128)');
  });

  it('Qwen3-30B-A3B-FP8: the scale tensors of 48 layers (hand-worked)', () => {
    const url = new URL('../../presets/configs/qwen3-30b-a3b.json', import.meta.url);
    const config = JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
    const r = inspectConfig({ ...config, quantization_config: FP8 });
    // per layer: q [4096, 2048] 32·16 = 512, k and v [512, 2048] 4·16 = 64 each, o [2048, 4096] 16·32 = 512
    //   → 1,152; each expert gate/up [768, 2048] 6·16 = 96, down [2048, 768] 16·6 = 96 → 288,
    //   x 128 = 36,864; per layer 38,016; x 48 layers = 1,824,768
    expect(r.breakdown.fp8_scales).toBe(1_824_768);
    // 30,532,122,624 bf16 parameters (the Hub's count of Qwen/Qwen3-30B-A3B) + 1,824,768
    expect(r.total_checkpoint).toBe(30_533_947_392);
  });

  it('unconverted head and routers change nothing', () => {
    const q = { ...FP8, modules_to_not_convert: ['lm_head', 'model.layers.0.mlp.gate', 'model.layers.1.mlp.gate'] };
    const r = inspectConfig({ ...tiny, quantization_config: q });
    expect(r.breakdown.fp8_scales).toBe(120);
    expect(r.stored_elements).not.toBeNull();
  });

  it('unconverted attention: storage not modelled, and the notes say so', () => {
    const q = { ...FP8, modules_to_not_convert: ['model.layers.*.self_attn'] };
    const r = inspectConfig({ ...tiny, quantization_config: q });
    expect(r.breakdown.fp8_scales).toBe(0);
    expect(r.stored_elements).toBeNull();
    expect(r.notes.join(' ')).toContain('not modelled');
  });

  it('reads the quantization_config of a nested text_config', () => {
    const r = inspectConfig({ model_type: 'qwen3_moe', text_config: { ...tiny, quantization_config: FP8 } });
    expect(r.breakdown.fp8_scales).toBe(120);
  });

  it.each([
    [['lm_head', 'gate', 'e_score_correction_bias'], true],
    [['model.layers.3.mlp.gate', 'model.embed_tokens', 'model.norm', 'model.layers.0.input_layernorm'], true],
    [['model.visual', 're:.*visual.*', 'model.layers.*.mlp.shared_expert_gate'], true],
    [['model.layers.*.self_attn'], false],
    [['re:.*mlp\\.(gate|up|gate_up|down)_proj.*'], false],
    [['model.layers.0.linear_attn.in_proj_a'], false],
  ])('leavesOnlyUnscaledModules(%j) = %s', (entries, ok) => {
    expect(leavesOnlyUnscaledModules(entries)).toBe(ok);
  });
});
