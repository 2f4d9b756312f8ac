/**
 * One tiny config per supported family, with every expected count worked out by hand.
 *
 * Shared notation: d = hidden 8, V = vocab 16, H = 2 query heads, K = 1 kv head,
 * hd = head_dim 4 (unless said otherwise), E = 4 experts, top-k = 2, expert width I = 6.
 * Recurring pieces (RMSNorm unless said otherwise):
 *   embedding V·d = 128; untied head 128; final norm d = 8
 *   GQA projections: q d·H·hd 64 + k d·K·hd 32 + v 32 + o H·hd·d 64 = 192
 *   norms per layer 2·d = 16
 *   router d·E = 32
 *   gated expert 3·d·I = 144, so E experts = 576 per MoE layer
 */
import { describe, expect, it } from 'vitest';
import { countParameters } from '../../src/arch/count.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import { inspectConfig } from '../../src/arch/inspect.js';

const base = {
  hidden_size: 8,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  vocab_size: 16,
  tie_word_embeddings: false,
};

describe('hand-worked tiny configs, one per family', () => {
  it('mixtral: no biases anywhere', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'mixtral',
      intermediate_size: 6,
      num_local_experts: 4,
      num_experts_per_tok: 2,
    });
    // attention 2 × 192 = 384; norms 2·16 + 8 = 40; routers 2 × 32 = 64; experts 2 × 576 = 1152
    // total_main = 128 + 128 + 384 + 40 + 64 + 1152 = 1896
    expect(r.breakdown).toMatchObject({
      embedding: 128,
      lm_head: 128,
      attention: 384,
      norms: 40,
      router: 64,
      routed_experts: 1152,
      shared_experts: 0,
      dense_ffn: 0,
    });
    expect(r.total_main).toBe(1896);
    expect(r.total_checkpoint).toBe(1896);
    // expert_params = one expert over 2 MoE layers = 2 × 144 = 288
    // active = 1896 − (4 − 2) × 288 = 1320; shared_params = 1896 − 4 × 288 = 744
    expect(r.expert_params).toBe(288);
    expect(r.active).toBe(1320);
    expect(r.shared_params).toBe(744);
    expect(r.active_excl_input_embedding).toBe(1320 - 128);
    expect(r.active_non_embedding).toBe(1320 - 256);
  });

  it('qwen2_moe: qkv bias, gated shared expert, mlp_only_layers', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'qwen2_moe',
      intermediate_size: 12,
      moe_intermediate_size: 6,
      shared_expert_intermediate_size: 10,
      num_experts: 4,
      num_experts_per_tok: 2,
      decoder_sparse_step: 1,
      mlp_only_layers: [1],
    });
    // attention per layer 192 + q/k/v biases (8 + 4 + 4) = 208; × 2 = 416
    // layer 0 MoE: router 32, experts 576, shared expert 3·8·10 = 240 + gate Linear(8,1) 8 = 248
    // layer 1 dense (mlp_only_layers): 3·8·12 = 288
    // total_main = 128 + 128 + 416 + 40 + 32 + 576 + 248 + 288 = 1856
    expect(r.layers).toEqual({ total: 2, moe: 1, dense: 1 });
    expect(r.breakdown.attention).toBe(416);
    expect(r.breakdown.shared_experts).toBe(248);
    expect(r.breakdown.dense_ffn).toBe(288);
    expect(r.total_main).toBe(1856);
    // expert_params = 144 (one MoE layer); active = 1856 − 2 × 144 = 1568
    expect(r.expert_params).toBe(144);
    expect(r.active).toBe(1568);
    expect(r.shared_params).toBe(1856 - 4 * 144);
  });

  it('qwen3_moe: per-head QK norm, head_dim independent of hidden/heads', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'qwen3_moe',
      head_dim: 3,
      attention_bias: false,
      intermediate_size: 12,
      moe_intermediate_size: 6,
      num_experts: 4,
      num_experts_per_tok: 2,
      mlp_only_layers: [],
    });
    // q 8·2·3 = 48, k 8·1·3 = 24, v 24, o 48 → 144; q_norm + k_norm 2·3 = 6 → 150; × 2 = 300
    // total_main = 128 + 128 + 300 + 40 + 64 + 1152 = 1812; active = 1812 − 2 × 288 = 1236
    expect(r.breakdown.attention).toBe(300);
    expect(r.total_main).toBe(1812);
    expect(r.active).toBe(1236);
  });

  const mla = {
    q_lora_rank: 4,
    kv_lora_rank: 4,
    qk_nope_head_dim: 2,
    qk_rope_head_dim: 2,
    v_head_dim: 2,
  };

  it('deepseek_v3: MLA, dense first layer, score-correction bias, MTP with copies, FP8 scales', () => {
    const r = inspectConfig({
      ...base,
      ...mla,
      model_type: 'deepseek_v3',
      num_hidden_layers: 3,
      num_key_value_heads: 2,
      first_k_dense_replace: 1,
      moe_layer_freq: 1,
      intermediate_size: 12,
      moe_intermediate_size: 6,
      n_routed_experts: 4,
      n_shared_experts: 1,
      num_experts_per_tok: 2,
      topk_method: 'noaux_tc',
      num_nextn_predict_layers: 1,
      quantization_config: { quant_method: 'fp8', weight_block_size: [4, 4] },
    });
    // MLA per layer: q_a 8·4 = 32, q_a_norm 4, q_b 4·2·(2+2) = 32, kv_a 8·(4+2) = 48,
    // kv_a_norm 4, kv_b 4·2·(2+2) = 32, o 2·2·8 = 32 → 184; × 3 layers = 552
    expect(r.breakdown.attention).toBe(552);
    // norms 3·16 + 8 = 56; layer 0 dense 3·8·12 = 288
    // layers 1, 2 MoE: router 32 + e_score_correction_bias 4 = 36, experts 576, shared 144
    expect(r.layers).toEqual({ total: 3, moe: 2, dense: 1 });
    expect(r.breakdown).toMatchObject({
      norms: 56,
      dense_ffn: 288,
      router: 72,
      routed_experts: 1152,
      shared_experts: 288,
    });
    // total_main = 128 + 128 + 552 + 56 + 288 + 72 + 1152 + 288 = 2664
    expect(r.total_main).toBe(2664);
    // MTP module: enorm 8 + hnorm 8 + eh_proj 2·8·8 = 128 + MoE layer (184 + 16 + 36 + 576 + 144 = 956)
    // + shared_head.norm 8 = 1108; stored embedding and head copies 128 + 128 = 256
    expect(r.breakdown.mtp).toBe(1108);
    expect(r.breakdown.mtp_stored_copies).toBe(256);
    // FP8 scales at block 4, ceil(out/4)·ceil(in/4) per weight:
    //   attention q_a [4,8] 2, q_b [8,4] 2, kv_a [6,8] 4, kv_b [8,4] 2, o [8,4] 2 → 12 per layer
    //   expert gate/up [6,8] 4 each, down [8,6] 4 → 12; MoE layer = (4 routed + 1 shared) × 12 = 60
    //   dense gate/up [12,8] 6 each, down [8,12] 6 → 18
    //   main 3·12 + 2·60 + 18 = 174; MTP layer 12 + 60 = 72 → 246
    expect(r.breakdown.fp8_scales).toBe(246);
    // total_checkpoint = 2664 + 1108 + 256 + 246 = 4274
    expect(r.total_checkpoint).toBe(4274);
    // expert_params = 2 × 144 = 288; active = 2664 − 2 × 288 = 2088
    expect(r.active).toBe(2088);
    expect(r.active_excl_input_embedding).toBe(1960);
    expect(r.active_non_embedding).toBe(1832);
  });

  it('kimi_k2 is read with the deepseek_v3 rules', () => {
    const cfg = {
      ...base,
      ...mla,
      num_hidden_layers: 3,
      first_k_dense_replace: 1,
      intermediate_size: 12,
      moe_intermediate_size: 6,
      n_routed_experts: 4,
      n_shared_experts: 1,
      num_experts_per_tok: 2,
      topk_method: 'noaux_tc',
      num_nextn_predict_layers: 0,
    };
    const kimi = inspectConfig({ ...cfg, model_type: 'kimi_k2' });
    const v3 = inspectConfig({ ...cfg, model_type: 'deepseek_v3' });
    // Same main model as the deepseek_v3 case above (2664) and no MTP module.
    expect(kimi.total_main).toBe(2664);
    expect(kimi.total_main).toBe(v3.total_main);
    expect(kimi.total_checkpoint).toBe(2664);
  });

  it('deepseek_v2: full-rank q, no score bias, two shared experts, moe_layer_freq 2', () => {
    const r = inspectConfig({
      ...base,
      ...mla,
      model_type: 'deepseek_v2',
      q_lora_rank: null,
      num_hidden_layers: 3,
      first_k_dense_replace: 0,
      moe_layer_freq: 2,
      intermediate_size: 12,
      moe_intermediate_size: 6,
      n_routed_experts: 4,
      n_shared_experts: 2,
      num_experts_per_tok: 2,
      topk_method: 'greedy',
    });
    // MLA without q-LoRA: q 8·2·(2+2) = 64, kv_a 48 + kv_a_norm 4, kv_b 32, o 32 → 180; × 3 = 540
    // MoE layers 0 and 2 (i % 2 == 0): router 32, experts 576, shared 2 × 144 = 288
    // layer 1 dense: 288; norms 56
    // total_main = 256 + 540 + 56 + 64 + 1152 + 576 + 288 = 2932
    expect(r.layers).toEqual({ total: 3, moe: 2, dense: 1 });
    expect(r.breakdown.attention).toBe(540);
    expect(r.breakdown.router).toBe(64);
    expect(r.breakdown.shared_experts).toBe(576);
    expect(r.total_main).toBe(2932);
    // active = 2932 − 2 × 288 = 2356
    expect(r.active).toBe(2356);
  });

  it('llama4: interleaved MoE, shared expert, weightless QK norm, vision tower', () => {
    const r = inspectConfig({
      model_type: 'llama4',
      text_config: {
        ...base,
        model_type: 'llama4_text',
        head_dim: 4,
        intermediate_size: 6,
        intermediate_size_mlp: 12,
        num_local_experts: 4,
        num_experts_per_tok: 1,
        interleave_moe_layer_step: 2,
        use_qk_norm: true,
        attention_bias: false,
      },
      vision_config: {
        hidden_size: 4,
        num_hidden_layers: 1,
        intermediate_size: 16,
        patch_size: 2,
        image_size: 4,
        num_channels: 3,
        projector_input_dim: 8,
        projector_output_dim: 8,
        vision_output_dim: 8,
        pixel_shuffle_ratio: 0.5,
      },
    });
    // Text: attention 2 × 192 = 384 (L2 QK norm has no weight); norms 40
    // layer 0 dense (intermediate_size_mlp 12): 288; layer 1 MoE: router 32, experts 576,
    // shared expert 144. total_main = 256 + 384 + 40 + 288 + 32 + 576 + 144 = 1720
    expect(r.layers).toEqual({ total: 2, moe: 1, dense: 1 });
    expect(r.total_main).toBe(1720);
    // Vision: patch Linear(3·2·2, 4) 48 (no bias) + class 4 + positions ((4/2)^2 + 1)·4 = 20
    // + pre/post LayerNorm 2·8 = 16 + block (attention 4·(16 + 4) = 80, MLP 2·4·16 + 16 + 4 = 148,
    // 2 LayerNorms 16 → 244) + adapter fc1 16·8 = 128, fc2 8·8 = 64 + projector 8·8 = 64 = 588
    expect(r.breakdown.vision).toBe(588);
    expect(r.total_checkpoint).toBe(1720 + 588);
    // top-1: active = 1720 − 3 × 144 = 1288
    expect(r.active).toBe(1288);
  });

  it('gpt_oss: attention and expert biases, sinks, router bias', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'gpt_oss',
      head_dim: 4,
      intermediate_size: 6,
      num_local_experts: 4,
      num_experts_per_tok: 2,
      attention_bias: true,
    });
    // attention per layer 192 + qkv bias 16 + o bias 8 + sinks 2 = 218; × 2 = 436
    // expert 144 + gate_up bias 2·6 + down bias 8 = 164; 4 × 164 × 2 layers = 1312
    // router (32 + bias 4) × 2 = 72; total_main = 256 + 436 + 40 + 72 + 1312 = 2116
    expect(r.breakdown.attention).toBe(436);
    expect(r.breakdown.routed_experts).toBe(1312);
    expect(r.breakdown.router).toBe(72);
    expect(r.total_main).toBe(2116);
    // expert_params = 2 × 164 = 328; active = 2116 − 2 × 328 = 1460; without input embedding 1332
    expect(r.active).toBe(1460);
    expect(r.active_excl_input_embedding).toBe(1332);
  });

  it('olmoe: full QK norm', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'olmoe',
      intermediate_size: 6,
      num_experts: 4,
      num_experts_per_tok: 2,
    });
    // q_norm RMSNorm(hidden 8) + k_norm RMSNorm(hd·K = 4) = 12; attention (192 + 12) × 2 = 408
    // total_main = 256 + 408 + 40 + 64 + 1152 = 1920; active = 1920 − 2 × 288 = 1344
    expect(r.breakdown.attention).toBe(408);
    expect(r.total_main).toBe(1920);
    expect(r.active).toBe(1344);
  });

  it('dbrx: nested attn/ffn config, bias-free LayerNorm', () => {
    const r = inspectConfig({
      model_type: 'dbrx',
      d_model: 8,
      n_heads: 2,
      n_layers: 2,
      vocab_size: 16,
      attn_config: { kv_n_heads: 1, clip_qkv: 8 },
      ffn_config: { ffn_hidden_size: 6, moe_num_experts: 4, moe_top_k: 2 },
    });
    // LayerNorm(bias=False) stores d weights like an RMSNorm, and nothing has a bias, so the
    // count equals the Mixtral case: 128 + 128 + 384 + 40 + 64 + 1152 = 1896; active 1320
    expect(r.architecture.norm_type).toBe('layernorm');
    expect(r.breakdown.norms).toBe(40);
    expect(r.total_main).toBe(1896);
    expect(r.active).toBe(1320);
  });

  it('phimoe: LayerNorm with bias, attention biases, head bias', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'phimoe',
      intermediate_size: 6,
      num_local_experts: 4,
      num_experts_per_tok: 2,
      attention_bias: true,
      lm_head_bias: true,
    });
    // attention (192 + qkv bias 16 + o bias 8) × 2 = 432
    // LayerNorm weight + bias 2·8 = 16 each: 2 layers × 2 × 16 + final 16 = 80
    // head 128 + bias 16 = 144
    // total_main = 128 + 144 + 432 + 80 + 64 + 1152 = 2000; active = 2000 − 2 × 288 = 1424
    expect(r.breakdown).toMatchObject({ attention: 432, norms: 80, lm_head: 144 });
    expect(r.total_main).toBe(2000);
    expect(r.active).toBe(1424);
    expect(r.active_non_embedding).toBe(1424 - 128 - 144);
  });

  it('glm4_moe: qkv bias without o bias, per-head QK norm, score bias, dense first layer, MTP', () => {
    const r = inspectConfig({
      ...base,
      model_type: 'glm4_moe',
      num_hidden_layers: 3,
      head_dim: 4,
      attention_bias: true,
      use_qk_norm: true,
      n_routed_experts: 4,
      n_shared_experts: 1,
      moe_intermediate_size: 6,
      intermediate_size: 12,
      first_k_dense_replace: 1,
      num_experts_per_tok: 2,
      num_nextn_predict_layers: 1,
    });
    // attention per layer 192 + qkv bias 16 + q_norm/k_norm 2·4 = 216; × 3 = 648
    // norms 3·16 + 8 = 56; layer 0 dense 288
    // layers 1, 2: router 32 + e_score_correction_bias 4 = 36, experts 576, shared 144
    // total_main = 256 + 648 + 56 + 288 + 72 + 1152 + 288 = 2760
    expect(r.breakdown.attention).toBe(648);
    expect(r.total_main).toBe(2760);
    // MTP: enorm + hnorm 16 + eh_proj 128 + layer (216 + 16 + 36 + 576 + 144 = 988) + norm 8 = 1140
    expect(r.breakdown.mtp).toBe(1140);
    expect(r.breakdown.mtp_stored_copies).toBe(256);
    expect(r.total_checkpoint).toBe(2760 + 1140 + 256);
    // active = 2760 − 2 × 288 = 2184; GLM's convention (no embeddings) 2184 − 256 = 1928
    expect(r.active).toBe(2184);
    expect(r.active_non_embedding).toBe(1928);
  });

  it('grok-1: recognised by its architecture name, 4 norms per layer, tied embedding', () => {
    const r = inspectConfig({
      architectures: ['Grok1ModelForCausalLM'],
      hidden_size: 8,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      vocab_size: 16,
      intermediate_size: 6,
      num_experts: 4,
      num_experts_per_tok: 2,
    });
    // tie_word_embeddings defaults to true: embedding 128, head 0
    // norms 2 layers × 4 × 8 + final 8 = 72
    // total_main = 128 + 384 + 72 + 64 + 1152 = 1800; active = 1800 − 2 × 288 = 1224
    expect(r.model_type).toBe('grok-1');
    expect(r.breakdown).toMatchObject({ lm_head: 0, norms: 72 });
    expect(r.total_main).toBe(1800);
    expect(r.active).toBe(1224);
    // the tied matrix is the output head (a matmul), so nothing is dropped as "input embedding"
    expect(r.active_excl_input_embedding).toBe(1224);
    expect(r.active_non_embedding).toBe(1224 - 128);
  });
});

describe('countParameters on an Architecture directly', () => {
  it('agrees with the identity active = shared_params + k × expert_params', () => {
    const arch = architectureFromHfConfig({
      ...base,
      model_type: 'mixtral',
      intermediate_size: 6,
      num_local_experts: 4,
      num_experts_per_tok: 2,
    });
    const b = countParameters(arch);
    expect(b.active).toBe(b.shared_params + arch.num_experts_per_tok * b.expert_params);
    expect(b.modules.routed_experts).toBe(arch.num_experts * b.expert_params);
  });

  it('rejects top-k above the expert count', () => {
    const arch = architectureFromHfConfig({
      ...base,
      model_type: 'mixtral',
      intermediate_size: 6,
      num_local_experts: 4,
      num_experts_per_tok: 2,
    });
    expect(() => countParameters({ ...arch, num_experts_per_tok: 5 })).toThrow(/num_experts_per_tok/);
  });
});
