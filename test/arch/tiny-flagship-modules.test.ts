/**
 * The modules of the 2026 flagships, one hand-worked tiny config each, every expected value
 * worked out by hand below (no value is taken from the code under test).
 *
 * Shared notation (as in tiny-families.test.ts): d = hidden 8, V = vocab 16, E = 4 experts,
 * top-k 2, expert width I = 6, RMSNorm unless said otherwise.
 *   embedding V·d = 128; untied head 128; final norm 8; norms per layer 2·d = 16
 *   router d·E = 32 (+E = 4 with a score-correction bias)
 *   gated expert 3·d·I = 144, so E experts = 576 per MoE layer
 *
 * Module shapes: DeepSeek-V4 from the official reference code (deepseek-ai/DeepSeek-V4-Flash
 * inference/model.py: Compressor, Indexer, Attention, Gate, Block, MTPBlock); GLM-5 from
 * transformers glm_moe_dsa (GlmMoeDsaIndexer = DeepseekV32Indexer); Qwen3.5 from transformers
 * qwen3_5_moe (Gated DeltaNet, gated attention, Qwen3-VL vision tower); MoonViT from
 * moonshotai/Kimi-K2.5 modeling_kimi_k25.py; MiniMax-M2 from modeling_minimax_m2.py.
 */
import { describe, expect, it } from 'vitest';
import { countParameters, gatedDeltaNetState, layerAttentionKinds } from '../../src/arch/count.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import { inspectConfig } from '../../src/arch/inspect.js';

/**
 * A tiny DeepSeek-V4: 3 layers with compress ratios 0 (sliding window only), 4 (CSA) and 8 (HCA),
 * one MTP layer with ratio 0; H = 2 query heads × head_dim c = 4, q_lora r_q = 4, o_groups G = 2 ×
 * o_lora r_o = 2, indexer n_I = 2 heads × d_I = 2, hc_mult m = 2, one hash-routed layer.
 */
const v4 = {
  model_type: 'deepseek_v4',
  hidden_size: 8,
  num_hidden_layers: 3,
  vocab_size: 16,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  head_dim: 4,
  q_lora_rank: 4,
  qk_rope_head_dim: 2,
  o_groups: 2,
  o_lora_rank: 2,
  compress_ratios: [0, 4, 8, 0],
  index_n_heads: 2,
  index_head_dim: 2,
  hc_mult: 2,
  n_routed_experts: 4,
  n_shared_experts: 1,
  num_experts_per_tok: 2,
  moe_intermediate_size: 6,
  num_hash_layers: 1,
  num_nextn_predict_layers: 1,
  sliding_window: 4,
  tie_word_embeddings: false,
};

describe('DeepSeek-V4 modules, by hand', () => {
  const r = inspectConfig(v4);

  it('attention core, compressors (HCA and overlapping CSA) and the CSA indexer', () => {
    // Attention core per layer: attn_sink H 2 + wq_a d·r_q 32 + q_norm 4 + wq_b r_q·H·c 32
    //   + wkv d·c 32 + kv_norm 4 + wo_a H·c·r_o 16 + wo_b G·r_o·d 32 = 154; × 3 layers = 462
    expect(r.breakdown.attention).toBe(462);
    // Compressor of ratio m over width w, k = 2 iff m is the CSA ratio 4: ape m·k·w + wkv d·k·w
    //   + wgate d·k·w + norm w.
    //   layer 1 (CSA, m 4, k 2, w 4): 32 + 64 + 64 + 4 = 164
    //   layer 2 (HCA, m 8, k 1, w 4): 32 + 32 + 32 + 4 = 100
    //   layer 0 and the MTP layer (ratio 0): none
    expect(r.breakdown.compressors).toBe(264);
    // CSA indexer (layer 1 only): wq_b r_q·n_I·d_I 16 + weights_proj d·n_I 16 + its own compressor
    //   over d_I = 2 (m 4, k 2): ape 16 + wkv 32 + wgate 32 + norm 2 = 82 → 114
    expect(r.breakdown.indexers).toBe(114);
    expect(r.attention_layers).toEqual({ sliding: 1, csa: 1, hca: 1 });
    expect(r.architecture.sliding_window).toBe(4);
  });

  it('hyper-connections in every block and at the head', () => {
    // Per block, m = 2: 2 sites × (hc_fn (2+m)·m × m·d = 8 × 16 = 128 + hc_base 8 + hc_scale 3) = 278
    // Head: hc_head_fn m × m·d = 32 + hc_head_base m 2 + hc_head_scale 1 = 35
    // 3 blocks × 278 + 35 = 869
    expect(r.breakdown.hyper_connections).toBe(869);
  });

  it('hash routing: a token-to-expert table instead of the score-correction bias', () => {
    // Gate weight d·E = 32 in every layer; bias E = 4 only in layers >= num_hash_layers:
    //   32 + 36 + 36 = 104
    expect(r.breakdown.router).toBe(104);
    // Layer 0 stores tid2eid [V, top-k] = 16 × 2 = 32 integers: stored, not parameters
    expect(r.breakdown.routing_tables).toBe(32);
  });

  it('totals, MTP block and active', () => {
    // total_main = 128 + 128 + 462 + 264 + 114 + 869 + norms (3·16 + 8 = 56) + 104
    //   + routed 3 × 576 = 1728 + shared 3 × 144 = 432 = 4285
    expect(r.total_main).toBe(4285);
    // MTP block (layer 3, ratio 0): enorm + hnorm 16 + e_proj + h_proj 2·64 = 128 + norm 8
    //   + hc_head 35 + block (attention 154 + norms 16 + hc 278 + router 36 + experts 576
    //   + shared 144 = 1204) = 1391
    expect(r.breakdown.mtp).toBe(1391);
    expect(r.total_logical).toBe(4285 + 1391);
    // total_checkpoint = 5676 + the hash table 32 (no quantisation in this config)
    expect(r.total_checkpoint).toBe(5708);
    // expert_params = 3 × 144 = 432; active = 4285 − (4 − 2) × 432 = 3421 (hyper-connections,
    // compressors and indexers are all active)
    expect(r.active).toBe(3421);
  });

  it('FP4 experts packed two per int8 element with group scales, and FP8 block scales', () => {
    const q = inspectConfig({
      ...v4,
      expert_dtype: 'fp4',
      quantization_config: { quant_method: 'fp8', weight_block_size: [4, 4] },
    });
    // Logical counts do not change.
    expect(q.total_main).toBe(4285);
    expect(q.total_logical).toBe(5676);
    // FP4 experts (3 main + 1 MTP MoE layers × 4 experts = 16): per expert w1, w3 [6, 8] and
    // w2 [8, 6]; one scale per 32 weights along the input: 6·1 + 6·1 + 8·1 = 20 → 320 scales.
    expect(q.breakdown.quant_scales).toBe(320);
    // Packing: [6, 8] → [6, 4] int8 (24 stored for 48), w3 the same, [8, 6] → [8, 3] (24 for 48):
    // −72 per expert, half its 144 weights; × 16 = −1152
    expect(q.breakdown.storage_adjustment).toBe(-1152);
    // FP8 at block 4, ceil(out/4)·ceil(in/4) per matrix:
    //   attention wq_a [4,8] 2, wq_b [8,4] 2, wkv [4,8] 2, wo_a [4,4] 1, wo_b [8,4] 2 → 9 per layer
    //   CSA indexer wq_b [4,4] 1 (layer 1); shared expert [6,8] 4, [6,8] 4, [8,6] 4 → 12
    //   layers 0, 2: 21; layer 1: 22; MTP layer 21 + e_proj, h_proj [8,8] 4 each → 29; total 93
    //   (routed experts are FP4, compressors and weights_proj BF16: no FP8 scales)
    expect(q.breakdown.fp8_scales).toBe(93);
    // total_checkpoint = 5676 + 93 + 32 + 320 − 1152 = 4969, fewer elements than parameters
    expect(q.total_checkpoint).toBe(4969);
    expect(q.stored_elements).toBe(4969);
  });
});

/** The tiny MLA of tiny-families.test.ts: q_lora 4, kv_lora 4, nope 2, rope 2, v 2, 2 heads → 184 per layer. */
const mla = {
  hidden_size: 8,
  vocab_size: 16,
  num_attention_heads: 2,
  num_key_value_heads: 2,
  q_lora_rank: 4,
  kv_lora_rank: 4,
  qk_nope_head_dim: 2,
  qk_rope_head_dim: 2,
  v_head_dim: 2,
  num_hidden_layers: 3,
  first_k_dense_replace: 1,
  moe_layer_freq: 1,
  intermediate_size: 12,
  moe_intermediate_size: 6,
  n_routed_experts: 4,
  n_shared_experts: 1,
  num_experts_per_tok: 2,
  topk_method: 'noaux_tc',
  tie_word_embeddings: false,
};

describe('GLM-5 DSA indexer, by hand', () => {
  const glm = { ...mla, model_type: 'glm_moe_dsa', index_n_heads: 2, index_head_dim: 2, num_nextn_predict_layers: 1 };

  it('one lightning indexer per layer, the MTP layer included, no embedding copies', () => {
    const r = inspectConfig(glm);
    // Indexer: wq_b r_q·n·h 4·2·2 = 16 + wk d·h 16 + k_norm LayerNorm(2) weight + bias 4
    //   + weights_proj d·n 16 = 52 per layer; × 3 = 156
    expect(r.breakdown.indexers).toBe(156);
    // total_main = 256 + MLA 3 × 184 = 552 + 156 + norms 56 + dense 3·8·12 = 288
    //   + routers 2 × 36 = 72 + experts 1152 + shared 288 = 2820
    expect(r.total_main).toBe(2820);
    // MTP: enorm + hnorm 16 + eh_proj 128 + layer (184 + 52 + 16 + 36 + 576 + 144 = 1008) + norm 8 = 1160
    expect(r.breakdown.mtp).toBe(1160);
    expect(r.breakdown.mtp_stored_copies).toBe(0);
    expect(r.total_checkpoint).toBe(2820 + 1160);
    // active = 2820 − 2 × 288 = 2244; GLM's convention (no embeddings) 1988
    expect(r.active).toBe(2244);
    expect(r.active_non_embedding).toBe(1988);
  });

  it('layers that share the previous top-k ("S" in index_topk_pattern) have no indexer', () => {
    const r = inspectConfig({ ...glm, index_topk_pattern: 'FSF' });
    // layers 0 and 2 keep theirs: 2 × 52 = 104; the MTP layer still has its own
    expect(r.breakdown.indexers).toBe(104);
    expect(r.breakdown.mtp).toBe(1160);
    expect(r.architecture).toMatchObject({ dsa_indexer: { n_heads: 2, head_dim: 2, layers: [0, 2] } });
  });
});

/**
 * A tiny Qwen3.5: one Gated DeltaNet layer, then one gated full-attention layer; H = 2 query / K = 1
 * kv heads × head_dim 4; DeltaNet 1 key head × 2, 2 value heads × 2, conv kernel 3; shared expert 4.
 */
const qwen35Text = {
  model_type: 'qwen3_5_moe_text',
  hidden_size: 8,
  num_hidden_layers: 2,
  layer_types: ['linear_attention', 'full_attention'],
  num_attention_heads: 2,
  num_key_value_heads: 1,
  head_dim: 4,
  attn_output_gate: true,
  linear_num_key_heads: 1,
  linear_key_head_dim: 2,
  linear_num_value_heads: 2,
  linear_value_head_dim: 2,
  linear_conv_kernel_dim: 3,
  num_experts: 4,
  num_experts_per_tok: 2,
  moe_intermediate_size: 6,
  shared_expert_intermediate_size: 4,
  vocab_size: 16,
  mtp_num_hidden_layers: 0,
  mlp_only_layers: [],
};

describe('Qwen3.5 Gated DeltaNet, gated attention and vision tower, by hand', () => {
  it('a Gated DeltaNet layer and a gated attention layer', () => {
    const r = inspectConfig({ model_type: 'qwen3_5_moe', text_config: qwen35Text, tie_word_embeddings: false });
    // Gated DeltaNet: key dim 1·2 = 2, value dim 2·2 = 4, conv channels 2·2 + 4 = 8
    //   in_proj_qkv d·8 = 64 + in_proj_z d·4 = 32 + in_proj_b, in_proj_a d·2 each = 32
    //   + conv1d 8 × kernel 3 = 24 (no bias) + dt_bias, A_log 2 each = 4 + gated norm 2
    //   + out_proj 4·8 = 32 = 190
    expect(r.breakdown.linear_attention).toBe(190);
    // Gated attention: q_proj d·H·hd·2 = 128 (query and gate) + k, v 32 each + o 64
    //   + q_norm, k_norm 2·4 = 8 = 264
    expect(r.breakdown.attention).toBe(264);
    // MoE per layer: router 32, experts 576, shared expert 3·8·4 = 96 + gate Linear(8, 1) 8 = 104
    // total_main = 256 + 190 + 264 + norms 40 + routers 64 + experts 1152 + shared 208 = 2174
    expect(r.total_main).toBe(2174);
    // active = 2174 − 2 × 288 = 1598
    expect(r.active).toBe(1598);
    // state of the linear layer per sequence: 2 value heads × 2 × 2 = 8 recurrent values and
    // 8 conv channels × (3 − 1) = 16 conv values; it does not grow with the context
    expect(r.architecture.linear_attention_state).toEqual({
      recurrent_elements: 8,
      conv_elements: 16,
      recurrent_dtype: null,
    });
    expect(r.attention_layers).toEqual({ linear: 1, full: 1 });
  });

  it('layer types default to full attention every full_attention_interval-th layer', () => {
    const { layer_types: _, ...noTypes } = qwen35Text;
    const arch = architectureFromHfConfig({
      model_type: 'qwen3_5_moe',
      text_config: { ...noTypes, num_hidden_layers: 4, full_attention_interval: 2 },
    });
    expect(layerAttentionKinds(arch)).toEqual(['linear', 'full', 'linear', 'full']);
  });

  it('an MTP module: fc 2d→d, two pre-norms, one gated-attention MoE layer, a norm', () => {
    const r = inspectConfig({ model_type: 'qwen3_5_moe', text_config: { ...qwen35Text, mtp_num_hidden_layers: 1 } });
    // fc 2·64 = 128 + pre_fc_norm_embedding + pre_fc_norm_hidden 16 + layer (264 + 16 + 32 + 576
    //   + 104 = 992) + norm 8 = 1144; embedding and head shared
    expect(r.breakdown.mtp).toBe(1144);
    expect(r.breakdown.mtp_stored_copies).toBe(0);
  });

  it('the Qwen3-VL-style vision tower, with and without a deepstack merger', () => {
    const vision = {
      hidden_size: 4,
      depth: 1,
      intermediate_size: 8,
      num_heads: 2,
      patch_size: 2,
      temporal_patch_size: 2,
      in_channels: 3,
      num_position_embeddings: 4,
      spatial_merge_size: 2,
      out_hidden_size: 8,
      deepstack_visual_indexes: [],
    };
    const r = inspectConfig({ model_type: 'qwen3_5_moe', text_config: qwen35Text, vision_config: vision });
    // Conv3d patch embed 3·2·2·2 × 4 = 96 + bias 4 = 100; pos_embed 4 × 4 = 16
    // block: qkv 4·12 + 12 and proj 4·4 + 4 = 80; mlp 4·8 + 8 + 8·4 + 4 = 76; 2 LayerNorms 16 → 172
    // merger: LayerNorm(4) 8 + fc1 (16 → 16) 272 + fc2 (16 → 8) 136 = 416
    // 100 + 16 + 172 + 416 = 704
    expect(r.breakdown.vision).toBe(704);
    expect(r.total_checkpoint).toBe(2174 + 704);
    // a deepstack merger adds LayerNorm(16) 32 + 272 + 136 = 440
    const ds = inspectConfig({
      model_type: 'qwen3_5_moe',
      text_config: qwen35Text,
      vision_config: { ...vision, deepstack_visual_indexes: [0] },
    });
    expect(ds.breakdown.vision).toBe(704 + 440);
  });

  it("gatedDeltaNetState for Qwen3.5-397B-A17B's sizes", () => {
    // 64 value heads × 128 × 128; conv channels 2·16·128 + 64·128 = 12,288 × (4 − 1)
    expect(
      gatedDeltaNetState({
        num_key_heads: 16,
        key_head_dim: 128,
        num_value_heads: 64,
        value_head_dim: 128,
        conv_kernel: 4,
      }),
    ).toEqual({ recurrent_elements: 1_048_576, conv_elements: 36_864 });
  });
});

/** The deepseek_v3 tiny of tiny-families.test.ts (total_main 2664) as Kimi's text model. */
const kimiText = { ...mla, model_type: 'kimi_k2', num_nextn_predict_layers: 0 };

describe('Kimi K2.5/K2.6 MoonViT and INT4 experts, by hand', () => {
  const moonvit = {
    patch_size: 2,
    init_pos_emb_height: 2,
    init_pos_emb_width: 3,
    init_pos_emb_time: 4,
    pos_emb_type: 'divided_fixed',
    vt_hidden_size: 4,
    vt_intermediate_size: 8,
    vt_num_attention_heads: 2,
    vt_num_hidden_layers: 1,
    merge_kernel_size: [2, 2],
    mm_hidden_size: 4,
    text_hidden_size: 8,
    mm_projector_type: 'patchmerger',
  };

  it('the MoonViT tower and patch-merger projector', () => {
    const r = inspectConfig({ model_type: 'kimi_k25', text_config: kimiText, vision_config: moonvit });
    expect(r.total_main).toBe(2664);
    // Conv2d patch embed 3·2·2 × 4 = 48 + bias 4 = 52; learned position table 2 × 3 × 4 = 24 (the
    // time embedding is a fixed sin-cos buffer); block: wqkv 4·12 + 12 and wo 4·4 + 4 = 80, fc0/fc1
    // 4·8 + 8 + 8·4 + 4 = 76, norm0/norm1 16 → 172; final_layernorm 8;
    // projector: pre_norm LayerNorm(4) 8 + Linear(16, 16) 272 + Linear(16, 8) 136 = 416
    // 52 + 24 + 172 + 8 + 416 = 672
    expect(r.breakdown.vision).toBe(672);
    expect(r.total_checkpoint).toBe(2664 + 672);
  });

  it("compressed-tensors INT4 experts: group scales, shape tensors, the Hub's ×8 and the stored count", () => {
    const quantization_config = {
      config_groups: {
        group_0: {
          targets: ['Linear'],
          weights: { num_bits: 4, type: 'int', strategy: 'group', group_size: 4, symmetric: true, dynamic: false },
        },
      },
      format: 'pack-quantized',
      ignore: ['lm_head', 're:.*self_attn.*', 're:.*shared_experts.*', 're:.*mlp\\.(gate|up|gate_up|down)_proj.*'],
      quant_method: 'compressed-tensors',
    };
    const r = inspectConfig({
      model_type: 'kimi_k25',
      text_config: { ...kimiText, quantization_config },
      vision_config: moonvit,
    });
    expect(r.architecture.checkpoint_expert_quant).toEqual({ format: 'int4_pack_quantized', group_size: 4 });
    expect(r.total_logical).toBe(2664 + 672);
    // 2 MoE layers × 4 experts = 8 experts, each w1, w3 [6, 8] and w2 [8, 6]:
    //   group scales (group 4 along the input): 6·2 + 6·2 + 8·2 = 40 → 320
    //   weight_shape [2] int32 per linear: 3 × 2 = 6 → 48
    //   packed int32 [out, ceil(in/8)]: [6, 1], [6, 1], [8, 1] = 20 for 144 weights
    expect(r.breakdown.quant_scales).toBe(320);
    expect(r.breakdown.quant_shape_elements).toBe(48);
    // The Hub counts every int32 as 8: packed 8·20 = 160 (16 over 144: w2's 6 inputs pad to 8)
    // and the shape tensors 8·6 = 48 (42 over their 6): +58 per expert → +464
    expect(r.breakdown.storage_adjustment).toBe(464);
    expect(r.total_checkpoint).toBe(3336 + 320 + 48 + 464);
    // stored once per int32: 3336 + 320 + 48 + 8 × (20 − 144) = 2712
    expect(r.stored_elements).toBe(2712);
  });

  it('INT4 on every linear, attention too, is compressed-tensors INT4 of every linear', () => {
    const r = inspectConfig({
      ...kimiText,
      quantization_config: {
        config_groups: {
          g: { targets: ['Linear'], weights: { num_bits: 4, type: 'int', strategy: 'group', group_size: 4 } },
        },
        format: 'pack-quantized',
        ignore: ['lm_head'],
        quant_method: 'compressed-tensors',
      },
    });
    expect(r.architecture.checkpoint_expert_quant).toBeNull();
    expect(r.architecture.checkpoint_linear_quant).toEqual({ format: 'int4_ct', group_size: 4 });
    // each [out, in] linear: scales out·ceil(in/4), int32 packs out·ceil(in/8), a 2-element shape
    //   attention per layer: q_a [4,8] 8 / 4, q_b [8,4] 8 / 8, kv_a [6,8] 12 / 6, kv_b [8,4] 8 / 8,
    //     o [8,4] 8 / 8 → 44 scales, 34 packs, 176 weights; three layers 132, 102, 528
    //   layer 0 dense [12,8] ×2 and [8,12]: 24 + 24 + 24 = 72 scales, 12 + 12 + 16 = 40 packs, 288 weights
    //   layers 1-2, 4 experts + 1 shared, each [6,8] ×2 and [8,6]: 40 scales, 20 packs, 144 weights
    //     → 2 layers × 5 = 10 FFNs: 400 scales, 200 packs, 1,440 weights
    //   in all 604 scales, 342 packs for 2,256 weights, 48 linears → 96 shape elements
    expect(r.breakdown.quant_scales).toBe(604);
    expect(r.breakdown.quant_shape_elements).toBe(96);
    // the Hub counts int32 elements 8 times: 8·342 + 8·96 − 2,256 − 96 = 1,152 over the logical count
    expect(r.breakdown.storage_adjustment).toBe(1152);
    expect(r.total_checkpoint).toBe(2664 + 604 + 96 + 1152);
    // stored once per int32: 2664 + 604 + 96 + (342 − 2,256) = 1,450
    expect(r.stored_elements).toBe(1450);
    expect(r.notes.join(' ')).toMatch(/INT4 compressed-tensors/);
  });
});

describe('MiniMax-M2, by hand', () => {
  it('full-width QK norm, routing bias, no shared expert, FP8 scales; declared MTP not counted', () => {
    const r = inspectConfig({
      model_type: 'minimax_m2',
      hidden_size: 8,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      head_dim: 4,
      vocab_size: 16,
      intermediate_size: 6,
      num_local_experts: 4,
      num_experts_per_tok: 2,
      attn_type_list: [1, 1],
      use_qk_norm: true,
      qk_norm_type: 'per_layer',
      use_routing_bias: true,
      shared_intermediate_size: 0,
      use_mtp: true,
      num_mtp_modules: 3,
      quantization_config: { quant_method: 'fp8', weight_block_size: [4, 4] },
    });
    // attention 192 + q_norm H·hd 8 + k_norm K·hd 4 = 204; × 2 = 408
    // routers (32 + e_score_correction_bias 4) × 2 = 72
    // total_main = 256 + 408 + norms 40 + 72 + experts 1152 = 1928
    expect(r.breakdown.attention).toBe(408);
    expect(r.total_main).toBe(1928);
    expect(r.breakdown.mtp).toBe(0);
    // FP8 at block 4: q [8,8] 4, k [4,8] 2, v 2, o [8,8] 4 = 12; expert [6,8] 4, [6,8] 4, [8,6] 4 = 12
    // per layer 12 + 4 × 12 = 60; × 2 = 120
    expect(r.breakdown.fp8_scales).toBe(120);
    expect(r.total_checkpoint).toBe(2048);
    // active = 1928 − 2 × 288 = 1352; MiniMax's convention (no embeddings) 1096
    expect(r.active_non_embedding).toBe(1096);
  });
});

describe('identities on the new families', () => {
  it('active = shared_params + k × expert_params; total_checkpoint = logical + stored extras + adjustment', () => {
    for (const cfg of [
      v4,
      { ...v4, expert_dtype: 'fp4' },
      { ...mla, model_type: 'glm_moe_dsa', index_n_heads: 2, index_head_dim: 2 },
    ]) {
      const arch = architectureFromHfConfig(cfg);
      const b = countParameters(arch);
      expect(b.active).toBe(b.shared_params + arch.num_experts_per_tok * b.expert_params);
      const e = b.extra;
      expect(b.total_checkpoint).toBe(
        b.total_logical +
          e.fp8_scales +
          e.routing_tables +
          e.quant_scales +
          e.quant_shape_elements +
          e.storage_adjustment,
      );
      expect(b.total_logical).toBe(b.total_main + e.mtp + e.mtp_stored_copies + e.vision);
    }
  });
});
