/**
 * Families added from their own configuration/modeling code: one hand-worked tiny config each,
 * and the published figures where a release states one.
 *
 * Shared notation (as in tiny-families.test.ts): d = hidden 8, V = vocab 16, H = 2 query heads,
 * K = 1 kv head, hd = 4, E = 4 experts, top-k 2, expert width I = 6. Pieces:
 *   embedding V·d = 128; untied head 128; final RMSNorm d = 8
 *   GQA projections: q 64 + k 32 + v 32 + o 64 = 192; their biases q 8 + k 4 + v 4 (+ o 8)
 *   RMSNorms per layer 2·d = 16; router d·E = 32; gated expert 3·d·I = 144, E of them 576
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectConfig } from '../../src/arch/inspect.js';
import { tinyMlaConfig } from '../helpers.js';
import {
  tinyBase as base,
  tinyErnie45Moe,
  tinyArctic,
  tinyHunyuanV1Moe,
  tinyJetMoe,
  tinyLongcatFlash,
} from '../fixtures/tiny-configs.js';

/** |actual − published| no more than half a unit of the published figure's last digit. */
function roundsTo(actual: number, published: number, unit: number): void {
  expect(Math.abs(actual - published), `${actual} does not round to ${published}`).toBeLessThanOrEqual(unit / 2);
}

describe('deepseek (DeepSeekMoE)', () => {
  it('tiny: a dense first layer, then routed + shared experts', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'deepseek',
      attention_bias: true,
      first_k_dense_replace: 1,
      intermediate_size: 10,
      moe_intermediate_size: 6,
      n_routed_experts: 4,
      n_shared_experts: 2,
      num_experts_per_tok: 2,
    });
    // attention (192 + biases 24) × 2 = 432; norms 2·16 + 8 = 40; layer 0 dense 3·8·10 = 240;
    // layer 1: router 32, experts 576, shared MLP 3·8·(2·6) = 288
    // total = 128 + 128 + 432 + 40 + 240 + 32 + 576 + 288 = 1864
    expect(r.breakdown).toMatchObject({ attention: 432, norms: 40, dense_ffn: 240, router: 32, shared_experts: 288 });
    expect(r.total_main).toBe(1864);
    expect(r.layers).toEqual({ total: 2, moe: 1, dense: 1 });
    // active = 1864 − (4 − 2) × 144 = 1576
    expect(r.active).toBe(1576);
  });

  it('DeepSeekMoE 16B: 16.4B parameters, 2.8B activated', () => {
    // deepseek-ai/deepseek-moe-16b-base config.json fields (arXiv:2401.06066 §5: 28 layers,
    // d 2048, 16 heads, first layer dense, 2 shared + 64 routed experts, 6 activated)
    const r = inspectConfig({
      model_type: 'deepseek',
      attention_bias: false,
      first_k_dense_replace: 1,
      hidden_size: 2048,
      intermediate_size: 10944,
      moe_intermediate_size: 1408,
      moe_layer_freq: 1,
      n_routed_experts: 64,
      n_shared_experts: 2,
      num_attention_heads: 16,
      num_experts_per_tok: 6,
      num_hidden_layers: 28,
      num_key_value_heads: 16,
      tie_word_embeddings: false,
      vocab_size: 102400,
    });
    // embeddings 2 × 102400·2048 = 419,430,400; attention 28 × 4·2048² = 469,762,048;
    // layer 0 dense 3·2048·10944 = 67,239,936; 27 MoE layers × (router 131,072 + shared
    // 17,301,504 + 64 × 8,650,752) = 15,419,179,008; norms 28·4096 + 2048 = 116,736
    expect(r.total_main).toBe(16_375_728_128);
    // README of deepseek-ai/DeepSeek-MoE: "a Mixture-of-Experts (MoE) language model with 16.4B parameters"
    roundsTo(r.total_main, 16.4e9, 0.1e9);
    // active: 27 × (131,072 + 17,301,504 + 6 × 8,650,752) = 1,872,101,376 + the rest 956,549,120
    expect(r.active).toBe(2_828_650_496);
    // arXiv:2401.06066 (DeepSeekMoE paper): DeepSeekMoE 16B activates 2.8B parameters per token
    roundsTo(r.active, 2.8e9, 0.1e9);
  });
});

/** The tiny Qwen3-MoE text model: d 8, 2 layers, 2 q / 1 kv heads x 4, 4 experts of 6, top 2. */
const tinyQwen3Text = {
  ...base,
  model_type: 'qwen3_vl_moe_text',
  num_experts: 4,
  num_experts_per_tok: 2,
  moe_intermediate_size: 6,
};

describe('qwen3_vl_moe', () => {
  it('tiny: the Qwen3-MoE text model plus the Qwen3-VL vision tower', () => {
    const r = inspectConfig({
      model_type: 'qwen3_vl_moe',
      tie_word_embeddings: false,
      text_config: tinyQwen3Text,
      vision_config: {
        depth: 1,
        hidden_size: 4,
        intermediate_size: 8,
        patch_size: 2,
        temporal_patch_size: 2,
        in_channels: 3,
        num_position_embeddings: 4,
        spatial_merge_size: 2,
        out_hidden_size: 8,
        deepstack_visual_indexes: [0],
      },
    });
    // text: attention (192 + q/k norm 2·4) × 2 = 400; norms 40; routers 64; experts 1152
    // total_main = 128 + 128 + 400 + 40 + 64 + 1152 = 1912
    expect(r.total_main).toBe(1912);
    // vision: patch Conv3d 3·2·2·2·4 + 4 = 100; positions 4·4 = 16;
    //   block: 2 LayerNorms 2·8, qkv 4·12 + 12 = 60, proj 16 + 4 = 20, fc1 4·8 + 8 = 40, fc2 8·4 + 4 = 36 → 172
    //   merger: LayerNorm(4) 8, fc1 16·16 + 16 = 272, fc2 16·8 + 8 = 136 → 416
    //   deepstack merger: LayerNorm(16) 32 + 272 + 136 = 440
    //   = 100 + 16 + 172 + 416 + 440 = 1144
    expect(r.breakdown.vision).toBe(1144);
    expect(r.total_logical).toBe(1912 + 1144);
    expect(r.model_type).toBe('qwen3_vl_moe');
  });

  it('Qwen3-VL-30B-A3B: the Qwen3-30B-A3B text model plus a 0.54B vision tower, 31.07B', () => {
    // Qwen/Qwen3-VL-30B-A3B-Instruct config.json: text_config as Qwen3-30B-A3B's, vision_config below
    const text = JSON.parse(readFileSync(new URL('../../presets/configs/qwen3-30b-a3b.json', import.meta.url), 'utf8'));
    const r = inspectConfig({
      model_type: 'qwen3_vl_moe',
      tie_word_embeddings: false,
      text_config: { ...text, model_type: 'qwen3_vl_moe_text' },
      vision_config: {
        depth: 27,
        hidden_size: 1152,
        intermediate_size: 4304,
        num_heads: 16,
        out_hidden_size: 2048,
        patch_size: 16,
        temporal_patch_size: 2,
        spatial_merge_size: 2,
        in_channels: 3,
        num_position_embeddings: 2304,
        deepstack_visual_indexes: [8, 16, 24],
      },
    });
    // text: 30,532,122,624 (the Hub's exact count of Qwen3-30B-A3B)
    expect(r.total_main).toBe(30_532_122_624);
    // vision: patch 3·2·16·16·1152 + 1152 = 1,770,624; positions 2304·1152 = 2,654,208;
    //   27 blocks × (norms 4·1152 + qkv 1152·3456 + 3456 + proj 1152² + 1152 + fc1 1152·4304 + 4304
    //   + fc2 4304·1152 + 1152 = 15,239,504) = 411,466,608; merger LayerNorm(1152) 2,304 + fc1
    //   4608² + 4608 + fc2 4608·2048 + 2048 = 30,679,808; 3 deepstack mergers with LayerNorm(4608):
    //   3 × 30,686,720 = 92,060,160 → 538,631,408
    expect(r.breakdown.vision).toBe(538_631_408);
    // 31,070,754,032: the Hub page of Qwen/Qwen3-VL-30B-A3B-Instruct shows 31.1B params (its
    // safetensors metadata rounded); model aggregators that copy that metadata list 31.07B
    expect(r.total_checkpoint).toBe(31_070_754_032);
    roundsTo(r.total_checkpoint, 31.1e9, 0.1e9);
  });

  it('a tied config shares the head with the embedding', () => {
    const r = inspectConfig({ model_type: 'qwen3_vl_moe', tie_word_embeddings: true, text_config: tinyQwen3Text });
    expect(r.breakdown.lm_head).toBe(0);
    expect(r.total_main).toBe(1912 - 128);
  });
});

describe('arctic', () => {
  it('tiny: a dense residual MLP of width d beside the experts in every MoE layer', () => {
    const r = inspectConfig(tinyArctic);
    // attention 2 × 192 = 384; norms 2 × 3·8 + 8 = 56; routers 64; experts 1152;
    // residual MLP 3·8·8 = 192 per layer → 384
    // total = 128 + 128 + 384 + 56 + 64 + 1152 + 384 = 2296
    expect(r.breakdown).toMatchObject({ norms: 56, shared_experts: 384, routed_experts: 1152 });
    expect(r.total_main).toBe(2296);
    // active = 2296 − 2 × 288 = 1720 (the residual MLP always runs)
    expect(r.active).toBe(1720);
  });

  it('tiny: moe_layer_frequency 2 without the residual MLP: layer 1 MoE, layer 0 dense', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'arctic',
      intermediate_size: 6,
      num_local_experts: 4,
      num_experts_per_tok: 2,
    });
    // defaults: moe_layer_frequency 2, parallel_attn_mlp_res false → (i + 1) % 2 == 0 → layer 1
    // layer 0: dense 3·8·6 = 144; layer 1: router 32 + experts 576; norms 2·16 + 8 = 40
    expect(r.layers).toEqual({ total: 2, moe: 1, dense: 1 });
    expect(r.total_main).toBe(128 + 128 + 384 + 40 + 144 + 32 + 576);
  });

  it('refuses a residual MLP in only some layers', () => {
    expect(() =>
      inspectConfig(
        {
          ...base,
          model_type: 'arctic',
          intermediate_size: 6,
          num_local_experts: 4,
          num_experts_per_tok: 2,
          moe_layer_frequency: 2,
          parallel_attn_mlp_res: true,
        },
        'a.json',
      ),
    ).toThrow('a.json: field "moe_layer_frequency" (model_type "arctic") must be 1 when parallel_attn_mlp_res is true');
  });

  it('Snowflake Arctic: 480B total, 17B active, 128 x 3.66B experts', () => {
    // Snowflake/snowflake-arctic-instruct config.json fields
    const r = inspectConfig({
      model_type: 'arctic',
      hidden_size: 7168,
      intermediate_size: 4864,
      num_attention_heads: 56,
      num_key_value_heads: 8,
      num_hidden_layers: 35,
      num_local_experts: 128,
      num_experts_per_tok: 2,
      moe_layer_frequency: 1,
      parallel_attn_mlp_res: true,
      vocab_size: 32000,
      tie_word_embeddings: false,
    });
    // one expert over 35 layers: 35 × 3·7168·4864 = 3,660,840,960
    expect(r.expert_params).toBe(3_660_840_960);
    // routed 128 × 3,660,840,960 = 468,587,642,880; residual MLPs 35 × 3·7168² = 5,394,923,520;
    // attention 35 × (2·7168² + 2·7168·1024) = 4,110,417,920; embeddings 2 × 32000·7168 =
    // 458,752,000; routers 35 × 7168·128 = 32,112,640; norms 35·3·7168 + 7168 = 759,808
    expect(r.total_main).toBe(478_584_608_768);
    // Snowflake/snowflake-arctic-instruct model card: "a 10B dense transformer model with a
    // residual 128x3.66B MoE MLP resulting in 480B total and 17B active parameters"
    roundsTo(r.expert_params, 3.66e9, 0.01e9);
    roundsTo(r.total_main, 480e9, 10e9);
    // active = 478,584,608,768 − 126 × 3,660,840,960 (461,265,960,960) = 17,318,647,808
    expect(r.active).toBe(17_318_647_808);
    roundsTo(r.active, 17e9, 1e9);
    // the dense part: everything but the routed experts, 478,584,608,768 − 468,587,642,880 = 9,996,965,888 ≈ "10B dense"
    expect(r.total_main - 128 * r.expert_params).toBe(9_996_965_888);
  });
});

describe('ernie4_5_moe', () => {
  const tiny = tinyErnie45Moe;

  it('tiny: dense below moe_layer_start_index, correction bias, one shared expert', () => {
    const r = inspectConfig(tiny);
    // start 1 (default), end −1 → the last layer: layer 0 dense 3·8·10 = 240, layer 1 MoE
    // layer 1: router 32 + e_score_correction_bias 4 = 36, experts 576, shared 144
    // total = 128 + 128 + 384 + 40 + 240 + 36 + 576 + 144 = 1676
    expect(r.layers).toEqual({ total: 2, moe: 1, dense: 1 });
    expect(r.breakdown).toMatchObject({ router: 36, dense_ffn: 240, shared_experts: 144 });
    expect(r.total_main).toBe(1676);
    // active = 1676 − 2 × 144 = 1388
    expect(r.active).toBe(1388);
  });

  it('tiny: interval and end index pick the MoE layers; tied by default', () => {
    const { tie_word_embeddings, ...untied } = tiny;
    void tie_word_embeddings;
    const r = inspectConfig({
      ...untied,
      num_hidden_layers: 4,
      moe_layer_start_index: 0,
      moe_layer_end_index: 2,
      moe_layer_interval: 2,
    });
    // (i + 1) % 2 == 0 and 0 <= i <= 2 → layer 1 only; layers 0, 2, 3 dense
    expect(r.layers).toEqual({ total: 4, moe: 1, dense: 3 });
    expect(r.breakdown.lm_head).toBe(0);
  });

  it('reads the attribute_map spellings too (num_experts, num_experts_per_tok)', () => {
    const { moe_num_experts, moe_k, ...rest } = tiny;
    const r = inspectConfig({ ...rest, num_experts: moe_num_experts, num_experts_per_tok: moe_k });
    expect(r.total_main).toBe(1676);
  });

  it('refuses use_bias (biased MLPs)', () => {
    expect(() => inspectConfig({ ...tiny, use_bias: true }, 'e.json')).toThrow(
      'e.json: field "use_bias" (model_type "ernie4_5_moe") must be false (biased MLPs are not modelled)',
    );
  });

  it('the configuration defaults (the ERNIE-4.5-21B-A3B shape): 21.83B total, 3.35B active', () => {
    // configuration_ernie4_5_moe.py defaults, documented as the ERNIE-4.5-21B-A3B style configuration
    const r = inspectConfig({
      model_type: 'ernie4_5_moe',
      hidden_size: 2560,
      intermediate_size: 12288,
      num_hidden_layers: 28,
      num_attention_heads: 20,
      num_key_value_heads: 4,
      vocab_size: 103424,
      moe_num_experts: 64,
      moe_k: 6,
      moe_intermediate_size: 1536,
      moe_num_shared_experts: 2,
    });
    // tied embedding 103424·2560 = 264,765,440; attention 28 × (2·2560² + 2·2560·512) =
    // 440,401,920; layer 0 dense 3·2560·12288 = 94,371,840; 27 MoE layers × (64 + 2) ×
    // 3·2560·1536 + router 163,840 + bias 64 = 27 × 778,731,584 = 21,025,752,768; norms 145,920
    expect(r.total_main).toBe(21_825_437_888);
    // active: 27 × (8 × 11,796,480 + 163,904) = 2,552,465,088, + 264,765,440 + 440,401,920 +
    // 94,371,840 + 145,920 = 3,352,150,208
    expect(r.active).toBe(3_352_150_208);
  });
});

describe('hunyuan_v1_moe', () => {
  const tiny = tinyHunyuanV1Moe;

  it('tiny: shared MLP of intermediate_size, per-head QK norm, per-layer lists', () => {
    const r = inspectConfig(tiny);
    // attention (192 + q/k norm 2·4) × 2 = 400; norms 40; routers 64; experts 1152;
    // shared MLP 3·8·10 = 240 per layer → 480
    // total = 128 + 128 + 400 + 40 + 64 + 1152 + 480 = 2392
    expect(r.breakdown).toMatchObject({ attention: 400, shared_experts: 480 });
    expect(r.total_main).toBe(2392);
    // active = 2392 − 2 × 288 = 1816
    expect(r.active).toBe(1816);
  });

  it('transformers form: scalar num_experts and moe_topk, experts of intermediate_size', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'hunyuan_v1_moe',
      intermediate_size: 6,
      num_experts: 4,
      moe_topk: 2,
    });
    // experts 3·8·6 = 144 each (576 per layer), one shared MLP 144 per layer
    expect(r.breakdown).toMatchObject({ routed_experts: 1152, shared_experts: 288 });
  });

  it('refuses per-layer sizes that differ', () => {
    expect(() => inspectConfig({ ...tiny, num_experts: [4, 8] }, 'h.json')).toThrow(
      'h.json: field "num_experts" (model_type "hunyuan_v1_moe") must be an integer >= 1 or a list of equal ones',
    );
  });
});

describe('dots1', () => {
  const tiny = {
    ...base,
    model_type: 'dots1',
    first_k_dense_replace: 1,
    intermediate_size: 10,
    moe_intermediate_size: 6,
    n_routed_experts: 4,
    n_shared_experts: 1,
    num_experts_per_tok: 2,
  };

  it('tiny: Qwen3 attention in DeepSeek-V3 layers', () => {
    const r = inspectConfig(tiny);
    // attention (192 + 2·4) × 2 = 400; norms 40; layer 0 dense 3·8·10 = 240;
    // layer 1: router 32 + correction bias 4 = 36, experts 576, shared 144
    // total = 128 + 128 + 400 + 40 + 240 + 36 + 576 + 144 = 1692
    expect(r.breakdown).toMatchObject({ attention: 400, dense_ffn: 240, router: 36, shared_experts: 144 });
    expect(r.total_main).toBe(1692);
    // active = 1692 − 2 × 144 = 1404
    expect(r.active).toBe(1404);
    expect(r.attention_layers).toEqual({ full: 2 });
  });

  it('layers from max_window_layers on slide when sliding_window is set', () => {
    const r = inspectConfig({ ...tiny, sliding_window: 4, max_window_layers: 1 });
    expect(r.attention_layers).toEqual({ full: 1, sliding: 1 });
    expect(r.total_main).toBe(1692);
  });
});

describe('flex_olmo', () => {
  it('tiny: full-width QK norms, post-norms, experts of intermediate_size', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'flex_olmo',
      intermediate_size: 6,
      num_experts: 4,
      num_experts_per_tok: 2,
    });
    // attention 192 + q_norm H·hd 8 + k_norm K·hd 4 = 204 per layer → 408; norms 2·16 + 8 = 40;
    // routers 64; experts 1152 → total = 128 + 128 + 408 + 40 + 64 + 1152 = 1920
    expect(r.breakdown).toMatchObject({ attention: 408, norms: 40 });
    expect(r.total_main).toBe(1920);
    expect(r.model_type).toBe('flex_olmo');
    // active = 1920 − 2 × 288 = 1344
    expect(r.active).toBe(1344);
  });
});

describe('granitemoe and granitemoeshared', () => {
  const tiny = { ...base, intermediate_size: 6, num_local_experts: 4, num_experts_per_tok: 2, attention_bias: true };

  it('granitemoe tiny: every layer MoE, attention biases', () => {
    const r = inspectConfig({ ...tiny, model_type: 'granitemoe' });
    // attention (192 + 24) × 2 = 432; norms 40; routers 64; experts 1152
    // total = 128 + 128 + 432 + 40 + 64 + 1152 = 1944; active = 1944 − 2 × 288 = 1368
    expect(r.total_main).toBe(1944);
    expect(r.active).toBe(1368);
  });

  it('granitemoeshared tiny: a shared MLP of shared_intermediate_size per layer', () => {
    const r = inspectConfig({ ...tiny, model_type: 'granitemoeshared', shared_intermediate_size: 10 });
    // shared: input_linear 8·20 + output_linear 10·8 = 240 per layer → 480; total = 1944 + 480 = 2424
    expect(r.breakdown.shared_experts).toBe(480);
    expect(r.total_main).toBe(2424);
    expect(r.active).toBe(1368 + 480);
    // shared_intermediate_size 0: no shared MLP
    expect(inspectConfig({ ...tiny, model_type: 'granitemoeshared', shared_intermediate_size: 0 }).total_main).toBe(
      1944,
    );
  });
});

describe('deepseek_v32', () => {
  it('tiny: DeepSeek-V3 plus an indexer in every layer, the MTP layer too', () => {
    const idx = { index_n_heads: 2, index_head_dim: 4, index_topk: 4 };
    const v3 = inspectConfig(tinyMlaConfig({ num_nextn_predict_layers: 1 }));
    const v32 = inspectConfig(tinyMlaConfig({ model_type: 'deepseek_v32', num_nextn_predict_layers: 1, ...idx }));
    // per layer: wq_b q_lora 4 × 2·4 = 32, wk 8·4 = 32, k_norm LayerNorm(4) 8, weights_proj 8·2 = 16 → 88
    // two main layers → 176; the MTP layer's own 88 sits in mtp
    expect(v32.breakdown.indexers).toBe(176);
    expect(v32.total_main).toBe(v3.total_main + 176);
    expect(v32.breakdown.mtp).toBe(v3.breakdown.mtp + 88);
    expect(v32.total_checkpoint).toBe(v3.total_checkpoint + 264);
    // the indexer runs for every token: active grows by the same 176
    expect(v32.active).toBe(v3.active + 176);
    expect(v32.architecture.model_type).toBe('deepseek_v32');
  });
});

describe('glm4_moe_lite', () => {
  it('tiny: DeepSeek-V3 latent attention in GLM MoE layers, dense first layer by default', () => {
    // the same tiny MLA model as deepseek_v3 (first layer dense, then MoE with one shared expert)
    const { first_k_dense_replace, ...rest } = tinyMlaConfig();
    void first_k_dense_replace;
    const v3 = inspectConfig(tinyMlaConfig());
    const lite = inspectConfig({ ...rest, model_type: 'glm4_moe_lite' });
    // mlp_layer_types defaults to ["dense", "sparse"]: the same layers as first_k_dense_replace 1
    expect(lite.layers).toEqual({ total: 2, moe: 1, dense: 1 });
    expect(lite.total_main).toBe(v3.total_main);
    expect(lite.breakdown.router).toBe(v3.breakdown.router);
  });

  it('tiny: mlp_layer_types decides the layers', () => {
    const { first_k_dense_replace, ...rest } = tinyMlaConfig();
    void first_k_dense_replace;
    const all = inspectConfig({ ...rest, model_type: 'glm4_moe_lite', mlp_layer_types: ['sparse', 'sparse'] });
    const v3 = inspectConfig(tinyMlaConfig({ first_k_dense_replace: 0 }));
    expect(all.layers).toEqual({ total: 2, moe: 2, dense: 0 });
    expect(all.total_main).toBe(v3.total_main);
    expect(() =>
      inspectConfig({ ...rest, model_type: 'glm4_moe_lite', mlp_layer_types: ['sparse', 'moe'] }, 'g.json'),
    ).toThrow('g.json: field "mlp_layer_types" (model_type "glm4_moe_lite") must be "dense" or "sparse" entries');
  });
});

describe('bailing_moe and bailing_moe_v2', () => {
  const tiny = {
    ...base,
    first_k_dense_replace: 1,
    intermediate_size: 10,
    moe_intermediate_size: 6,
    num_experts: 4,
    num_shared_experts: 1,
    num_experts_per_tok: 2,
    use_qkv_bias: true,
  };

  it('bailing_moe tiny: fused qkv with bias, dense first layer, one shared expert', () => {
    const r = inspectConfig({ ...tiny, model_type: 'bailing_moe' });
    // attention (192 + qkv bias 16) × 2 = 416; norms 40; layer 0 dense 240; layer 1 router 32,
    // experts 576, shared 144 → total = 128 + 128 + 416 + 40 + 240 + 32 + 576 + 144 = 1704
    expect(r.breakdown).toMatchObject({ attention: 416, router: 32, shared_experts: 144, dense_ffn: 240 });
    expect(r.total_main).toBe(1704);
    // active = 1704 − 2 × 144 = 1416
    expect(r.active).toBe(1416);
  });

  it('bailing_moe_v2 tiny: adds per-head QK norms and the expert_bias buffer', () => {
    const r = inspectConfig({ ...tiny, model_type: 'bailing_moe_v2' });
    // + q/k norms 2·4 per layer (16) + expert_bias 4 → 1704 + 20 = 1724
    expect(r.breakdown).toMatchObject({ attention: 432, router: 36 });
    expect(r.total_main).toBe(1724);
  });
});

describe('jetmoe', () => {
  const tiny = tinyJetMoe;

  it('tiny: attention experts and FFN experts, both with output biases; tied head', () => {
    const r = inspectConfig(tiny);
    // attention per layer (K·hd = 4): 4 experts × (8·4 + 4·8) = 256, router 8·4 = 32, output bias 8,
    // kv_proj 8·8 = 64 → 360; two layers 720
    // MoE per layer: router 32 + output bias 8 = 40; experts 4 × 3·8·6 = 576
    // total = embedding 128 (tied) + 720 + norms 2·16 + 8 + routers 80 + experts 1152 = 2120
    expect(r.breakdown).toMatchObject({ lm_head: 0, attention: 720, router: 80, routed_experts: 1152, norms: 40 });
    expect(r.total_main).toBe(2120);
    expect(r.architecture).toMatchObject({ num_attention_heads: 2, head_dim: 4 });
    // active: 2 of 4 FFN experts (2 × 2 × 144 = 576 idle) and 2 of 4 attention experts
    // (2 layers × 2 × 64 = 256 idle) → 2120 − 576 − 256 = 1288
    expect(r.active).toBe(1288);
  });

  it('tiny in block-FP8: every attention expert is scaled', () => {
    const r = inspectConfig({ ...tiny, quantization_config: { quant_method: 'fp8', weight_block_size: [4, 4] } });
    // per layer, 4×4 tiles: each attention expert [4,8] 2 + [8,4] 2 → 4 × 4 = 16, kv_proj [8,8] 4 → 20;
    // FFN experts [6,8] 2·2 = 4 twice, [8,6] 2·2 = 4 → 12 × 4 = 48 → 68; two layers 136
    expect(r.breakdown.fp8_scales).toBe(136);
  });

  it('JetMoE-8B: 8,522,237,952 parameters, 2,265,907,200 active without the embedding (hand-worked)', () => {
    // jetmoe/jetmoe-8b config.json fields
    const r = inspectConfig({
      model_type: 'jetmoe',
      hidden_size: 2048,
      num_hidden_layers: 24,
      num_key_value_heads: 16,
      kv_channels: 128,
      num_local_experts: 8,
      num_experts_per_tok: 2,
      intermediate_size: 5632,
      vocab_size: 32000,
      tie_word_embeddings: true,
    });
    // per layer: attention 8 × 2·2048·2048 + router 16,384 + bias 2048 + kv_proj 2048·4096 = 75,515,904;
    // MoE 8 × 3·2048·5632 = 276,824,064 + router 16,384 + bias 2048; norms 4096 → 352,362,496;
    // × 24 = 8,456,699,904 + embedding 65,536,000 + final norm 2048
    expect(r.total_main).toBe(8_522_237_952);
    // per layer active: attention 2 × 8,388,608 + 16,384 + 2048 + kv 8,388,608 = 25,184,256; MoE
    // 2 × 34,603,008 + 16,384 + 2048 = 69,224,448; norms 4096 → 94,412,800; × 24 = 2,265,907,200
    expect(r.active - 65_536_000 - 2048).toBe(2_265_907_200);
    // The JetMoE-8B model card's "8B" total and "2.2B" active read as truncations of 8.52B and
    // 2.27B (active without the embedding); they are not precise enough to test against.
  });
});

describe('longcat_flash', () => {
  const tiny = tinyLongcatFlash;

  it('tiny: two MLA sublayers with dense MLPs, one shortcut MoE whose router also scores zero experts', () => {
    const r = inspectConfig(tiny);
    // MLA per sublayer: q_a 8·4 + norm 4 + q_b 4·2·4 = 68; kv_a 8·6 + norm 4 = 52; kv_b 4·2·4 = 32;
    // o 2·2·8 = 32 → 184; two sublayers 368
    // dense MLPs 2 × 3·8·10 = 480 (one counted as the MoE sublayer's shared expert)
    // router: classifier 8 × (4 + 2) = 48 + correction bias 6 = 54; experts 4 × 3·8·6 = 576
    // norms 2 × 16 + 8 = 40; embedding and head 256
    // total = 256 + 368 + 480 + 54 + 576 + 40 = 1774
    expect(r.breakdown).toMatchObject({
      attention: 368,
      router: 54,
      routed_experts: 576,
      shared_experts: 240,
      dense_ffn: 240,
    });
    expect(r.total_main).toBe(1774);
    expect(r.layers).toEqual({ total: 2, moe: 1, dense: 1 });
    // top-3 among 4 real + 2 zero experts: 3 to 1 real experts active (144 each)
    // max = 1774 − 1 × 144 = 1630; min = 1630 − 2 × 144 = 1342
    expect(r.active).toBe(1630);
    expect(r.active_range).toEqual({
      min: 1342,
      max: 1630,
      min_excl_input_embedding: 1342 - 128,
      max_excl_input_embedding: 1630 - 128,
    });
    expect(r.notes.join(' ')).toContain('2 zero-computation experts');
  });

  it('no zero experts: no range', () => {
    const r = inspectConfig({ ...tiny, zero_expert_num: 0 });
    expect(r.active_range).toBeUndefined();
    expect(r.breakdown.router).toBe(8 * 4 + 4);
  });

  it('LongCat-Flash: 560B total, 18.6B to 31.3B active (about 27B on average)', () => {
    // meituan-longcat/LongCat-Flash-Chat: the values of transformers' LongcatFlashConfig defaults
    const r = inspectConfig({
      model_type: 'longcat_flash',
      vocab_size: 131072,
      hidden_size: 6144,
      num_layers: 28,
      num_attention_heads: 64,
      ffn_hidden_size: 12288,
      q_lora_rank: 1536,
      kv_lora_rank: 512,
      qk_nope_head_dim: 128,
      qk_rope_head_dim: 64,
      v_head_dim: 128,
      moe_topk: 12,
      n_routed_experts: 512,
      zero_expert_num: 256,
      expert_ffn_hidden_size: 2048,
    });
    // embeddings 2 × 131072·6144 = 1,610,612,736; 56 MLA sublayers × 90,572,800 = 5,072,076,800;
    // 56 dense MLPs × 3·6144·12288 = 12,683,575,296; 28 × 512 experts × 3·6144·2048 =
    // 541,165,879,296; 28 routers × (6144·768 + 768) = 132,142,080; norms 56·2·6144 + 6144 = 694,272
    expect(r.total_main).toBe(560_664_980_480);
    // one expert over 28 layers: 1,056,964,608; max active = total − 500 × that = 32,182,676,480,
    // min = max − 12 × 1,056,964,608 = 19,499,101,184; without the input embedding (805,306,368):
    // 31,377,370,112 and 18,693,794,816
    expect(r.active_range).toEqual({
      min: 19_499_101_184,
      max: 32_182_676_480,
      min_excl_input_embedding: 18_693_794_816,
      max_excl_input_embedding: 31_377_370_112,
    });
    // LongCat-Flash model card (meituan-longcat/LongCat-Flash-Chat) and technical report
    // (arXiv:2509.01322): 560B total parameters, 18.6B to 31.3B activated per token depending on
    // context, about 27B on average: the range without the input embedding, truncated to 0.1B
    roundsTo(r.total_main, 560e9, 10e9);
    expect(Math.floor(r.active_range!.min_excl_input_embedding / 1e8)).toBe(186);
    expect(Math.floor(r.active_range!.max_excl_input_embedding / 1e8)).toBe(313);
    expect(27e9).toBeGreaterThan(r.active_range!.min_excl_input_embedding);
    expect(27e9).toBeLessThan(r.active_range!.max_excl_input_embedding);
  });
});

describe('glm4v_moe', () => {
  it('tiny: the GLM-4.5 MoE text model plus the GLM-4.1V vision tower (RMSNorm, gated MLPs, downsample)', () => {
    const r = inspectConfig({
      model_type: 'glm4v_moe',
      tie_word_embeddings: false,
      text_config: {
        ...base,
        model_type: 'glm4v_moe_text',
        attention_bias: true,
        first_k_dense_replace: 0,
        n_routed_experts: 4,
        n_shared_experts: 1,
        num_experts_per_tok: 2,
        moe_intermediate_size: 6,
      },
      vision_config: {
        depth: 1,
        hidden_size: 4,
        out_hidden_size: 8,
        intermediate_size: 6,
        patch_size: 2,
        image_size: 4,
        temporal_patch_size: 2,
        in_channels: 3,
        spatial_merge_size: 2,
        attention_bias: true,
      },
    });
    // text: attention (192 + q/k/v biases 16) × 2 = 416; norms 40; routers (32 + correction 4) × 2 = 72;
    // experts 1152; shared 2 × 144 = 288; embedding and head 256 → 2224
    expect(r.total_main).toBe(2224);
    // vision: patch Conv3d 3·2·2·2·4 + 4 = 100; positions (4/2)² × 4 = 16; post_conv and post
    //   RMSNorms 4 + 4; block: qkv 4·12 + 12 and proj 4·4 = 76, gated MLP 3·4·8 = 96, norms 2·4 → 180;
    //   downsample Conv2d 4·2·2 × 8 + 8 = 136; merger proj 8·8 = 64, LayerNorm(8) 16, gate/up 2 × 8·6,
    //   down 6·8 → 64 + 16 + 144 = 224 → 100 + 16 + 8 + 180 + 136 + 224 = 664
    expect(r.breakdown.vision).toBe(664);
    expect(r.model_type).toBe('glm4v_moe');
  });
});
