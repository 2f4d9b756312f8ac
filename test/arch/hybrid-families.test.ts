/**
 * Families whose layers are not all softmax attention: Mamba-1, Mamba-2, lightning attention,
 * Gated DeltaNet, Kimi Delta Attention and short-convolution hybrids. Each has a tiny config
 * whose every count is worked out by hand below, and the vendor's config checked against the
 * published figures (cited at each assertion). The real configs are in test/fixtures/hf-configs
 * (origins in its SOURCES.md).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countParameters } from '../../src/arch/count.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import { formatInspect, inspectConfig, type InspectResult } from '../../src/arch/inspect.js';
import { kvLayoutFromArchitecture } from '../../src/arch/kv-cache.js';
import { tinyGraniteMoeHybrid, tinyMinimaxText01, tinyKimiLinear, tinyLfm2Moe } from '../fixtures/tiny-configs.js';

function fixture(name: string, kv: Parameters<typeof inspectConfig>[2] = {}): InspectResult {
  const url = new URL(`../fixtures/hf-configs/${name}`, import.meta.url);
  return inspectConfig(JSON.parse(readFileSync(url, 'utf8')), name, kv);
}

/** n rounded to `digits` significant figures */
function sig(n: number, digits: number): number {
  return Number(n.toPrecision(digits));
}

describe('jamba: Mamba-1 layers, attention every attn_layer_period, MoE every expert_layer_period', () => {
  // d = 8, V = 10, H = 2, K = 1, hd = 4, I = 6, E = 3 (top-1); 4 layers:
  // attention where i % 4 == 1 (layer 1), Mamba elsewhere (0, 2, 3); MoE where i % 2 == 1 (1, 3).
  // Mamba: d_inner = 2·8 = 16, d_state 2, d_conv 3, dt_rank "auto" = ceil(8/16) = 1, conv bias.
  const tiny = {
    model_type: 'jamba',
    hidden_size: 8,
    num_hidden_layers: 4,
    vocab_size: 10,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    intermediate_size: 6,
    num_experts: 3,
    num_experts_per_tok: 1,
    attn_layer_period: 4,
    attn_layer_offset: 1,
    expert_layer_period: 2,
    expert_layer_offset: 1,
    mamba_d_state: 2,
    mamba_d_conv: 3,
    mamba_expand: 2,
    mamba_dt_rank: 'auto',
    mamba_conv_bias: true,
    mamba_proj_bias: false,
    tie_word_embeddings: false,
  };

  it('counts every module by hand', () => {
    const r = inspectConfig(tiny, 'tiny', { context: 100, batch: 2 });
    expect(r.attention_layers).toEqual({ mamba: 3, full: 1 });
    expect(r.layers).toEqual({ total: 4, moe: 2, dense: 2 });
    // Mamba mixer: in_proj 8·32 = 256; conv1d 16·3 + 16 = 64; x_proj 16·(1 + 2·2) = 80;
    // dt_proj 1·16 + 16 = 32; A_log 16·2 = 32; D 16; out_proj 16·8 = 128; dt/B/C norms 1 + 2 + 2 = 5
    // = 613 per layer, × 3 = 1,839
    // attention q 64 + k 32 + v 32 + o 64 = 192 (one layer)
    // norms 4 layers × 2·8 + final 8 = 72; routers 2 × 8·3 = 48
    // experts 2 layers × 3 × 3·8·6 = 864; dense FFN 2 layers × 144 = 288
    expect(r.breakdown).toMatchObject({
      embedding: 80,
      lm_head: 80,
      attention: 192,
      mamba: 1_839,
      linear_attention: 0,
      norms: 72,
      router: 48,
      routed_experts: 864,
      dense_ffn: 288,
    });
    // 80 + 80 + 192 + 1,839 + 72 + 48 + 864 + 288 = 3,463
    expect(r.total_main).toBe(3_463);
    // active: 2 of the 3 experts idle in 2 MoE layers: 3,463 − 2·2·144 = 2,887
    expect(r.active).toBe(2_887);
  });

  it('the KV cache: KV per token in the attention layer, a fixed Mamba state per sequence', () => {
    const r = inspectConfig(tiny, 'tiny', { context: 100, batch: 2 });
    // per Mamba layer and sequence: SSM d_inner·d_state = 32, conv d_inner·(d_conv − 1) = 32
    expect(r.architecture.linear_attention_state).toEqual({ recurrent_elements: 32, conv_elements: 32 });
    const kv = r.memory.kv;
    expect(kv.layers).toMatchObject({ full: 1, mamba: 3, linear: 0 });
    // 1 attention layer × 2·K·hd = 8 values × 2 bytes = 16 bytes per token
    expect(kv.bytes_per_token).toBe(16);
    // 3 Mamba layers × (32 + 32) values × 2 bytes = 384 bytes per sequence, whatever the context
    expect(kv.fixed_bytes_per_sequence).toBe(384);
    // 2 sequences × (100 tokens × 16 + 384) = 3,968
    expect(kv.at_context?.total_bytes).toBe(3_968);
    expect(kv.at_context?.linear_bytes).toBe(768);
  });

  it('block-FP8 storage gives the Mamba linears their scale tiles', () => {
    const arch = { ...architectureFromHfConfig(tiny), checkpoint_fp8_block: 4 };
    // one F32 scale per 4×4 tile of every linear: Mamba in_proj [32, 8] 8·2 = 16, x_proj [5, 16]
    // 2·4 = 8, dt_proj [16, 1] 4·1 = 4, out_proj [8, 16] 2·4 = 8 → 36 per layer × 3 = 108; attention q 4 + k 2 + v 2 +
    // o 4 = 12; experts (gate [6, 8] 4, up 4, down [8, 6] 4) 12 × 3 experts × 2 layers = 72; dense
    // FFNs 12 × 2 = 24; conv1d, A_log, D and the norms stay unquantised
    expect(countParameters(arch).extra.fp8_scales).toBe(108 + 12 + 72 + 24);
  });

  it('AI21 Jamba 1.5 Mini (the Jamba-v0.1 architecture): 52B total, 12B active', () => {
    const r = fixture('ai21-jamba-1.5-mini.json');
    expect(r.attention_layers).toEqual({ mamba: 28, full: 4 });
    // By hand: embedding + head 2·65,536·4,096 = 536,870,912; 4 attention layers × 41,943,040;
    // 28 Mamba layers × 105,308,448 (in_proj 67,108,864 + conv 40,960 + x_proj 2,359,296 + dt_proj
    // 2,105,344 + A_log 131,072 + D 8,192 + out_proj 33,554,432 + norms 288); 16 MoE layers × (16
    // experts × 176,160,768 + router 65,536); 16 dense × 176,160,768; norms 32·8,192 + 4,096
    expect(r.breakdown.mamba).toBe(28 * 105_308_448);
    expect(r.breakdown.attention).toBe(4 * 41_943_040);
    expect(r.total_main).toBe(51_570_323_328);
    // https://huggingface.co/ai21labs/AI21-Jamba-1.5-Mini (and ai21labs/Jamba-v0.1): the Hub's
    // safetensors count "51.6B params"; the model card: "12B active and 52B total parameters".
    expect(sig(r.total_checkpoint, 3)).toBe(51.6e9);
    expect(sig(r.total_main, 2)).toBe(52e9);
    // canonical active: 2 of 16 experts: 51,570,323,328 − 14·16·176,160,768 = 12,110,311,296
    expect(r.active).toBe(12_110_311_296);
    expect(sig(r.active, 2)).toBe(12e9);
  });
});

describe('granitemoehybrid: Mamba-2 and attention layers, each with routed experts plus a shared MLP', () => {
  const tiny = tinyGraniteMoeHybrid;

  it('counts every module by hand', () => {
    const r = inspectConfig(tiny, 'tiny');
    expect(r.attention_layers).toEqual({ mamba2: 2, full: 1 });
    // Mamba-2: conv_dim = 16 + 2·2·3 = 28; in_proj 8·(16 + 28 + 4) = 384; conv1d 28·2 + 28 = 84;
    // dt_bias + A_log + D 3·4 = 12; gated norm 16; out_proj 16·8 = 128 → 624 per layer, × 2 = 1,248
    // MoE per layer: router 8·4 = 32, experts 4 × 3·8·6 = 576, shared MLP 3·8·5 = 120
    // norms 3 × 16 + 8 = 56; embedding 80, head tied
    expect(r.breakdown).toMatchObject({
      embedding: 80,
      lm_head: 0,
      attention: 192,
      mamba: 1_248,
      norms: 56,
      router: 96,
      routed_experts: 1_728,
      shared_experts: 360,
      dense_ffn: 0,
    });
    // 80 + 192 + 1,248 + 56 + 96 + 1,728 + 360 = 3,760; active drops 2 experts × 144 × 3 layers
    expect(r.total_main).toBe(3_760);
    expect(r.active).toBe(3_760 - 864);
    // state per Mamba-2 layer: SSM 4·4·3 = 48, conv 28·(2 − 1) = 28 → 76 values, 152 bytes in bf16
    expect(r.architecture.linear_attention_state).toEqual({ recurrent_elements: 48, conv_elements: 28 });
    expect(r.memory.kv.fixed_bytes_per_sequence).toBe(2 * 152);
    expect(r.memory.kv.bytes_per_token).toBe(16);
  });

  it('num_local_experts 0 (Granite-4.0-H-1B, -Micro): the shared MLP is a dense FFN', () => {
    const r = inspectConfig({ ...tiny, num_local_experts: 0, num_experts_per_tok: 0 }, 'tiny');
    expect(r.layers).toEqual({ total: 3, moe: 0, dense: 3 });
    // dense 3 × 120 = 360; total 80 + 192 + 1,248 + 56 + 360 = 1,936
    expect(r.breakdown.dense_ffn).toBe(360);
    expect(r.total_main).toBe(1_936);
    expect(r.active).toBe(1_936);
  });

  it('rejects a layer type it does not know, naming the field', () => {
    expect(() => inspectConfig({ ...tiny, layer_types: ['mamba', 'conv', 'mamba'] }, 'c.json')).toThrow(
      'c.json: field "layer_types" (model_type "granitemoehybrid") must be "mamba" or "attention" entries',
    );
  });

  it('Granite-4.0-H-Tiny: 6.94B total, 7B / 1B active as IBM rounds it', () => {
    const r = fixture('granite-4.0-h-tiny.json');
    expect(r.attention_layers).toEqual({ mamba2: 36, full: 4 });
    // By hand: embedding 100,352·1,536 = 154,140,672 (tied); 36 Mamba-2 layers × 14,642,576
    // (in_proj 1,536·6,448 + conv1d 3,328·4 + 3,328 + 3·48 + norm 3,072 + out_proj 3,072·1,536);
    // 4 attention layers × 6,291,456; 40 MoE layers × (router 98,304 + 64 × 2,359,296 + shared
    // 4,718,592); norms 40·3,072 + 1,536
    expect(r.breakdown.mamba).toBe(36 * 14_642_576);
    expect(r.total_main).toBe(6_939_037_248);
    // https://huggingface.co/ibm-granite/granite-4.0-h-tiny model card: "Granite-4.0-H-Tiny is a 7B
    // parameter long-context instruct model"; IBM's Granite 4.0 release gives H-Tiny as 7B total,
    // 1B active (no exact count is published with it)
    expect(sig(r.total_main, 1)).toBe(7e9);
    // 6 of 64 experts: 6,939,037,248 − 58·40·2,359,296 = 1,465,470,528; without embedding 1.31B
    expect(r.active).toBe(1_465_470_528);
    expect(sig(r.active_non_embedding, 1)).toBe(1e9);
  });
});

describe('nemotron_h: one mixer per block (Mamba-2, attention, MLP or MoE)', () => {
  // d = 8, V = 10 (untied), H = 2, K = 1, hd = 4; pattern "M*-E": a Mamba-2 block, an attention
  // block, a relu² MLP block (I = 6) and an MoE block (3 experts top-1 of width 5, shared MLP 7);
  // Mamba-2: 2 heads × head_dim 4 = d_inner 8, 1 group, d_state 3, conv kernel 2 with bias.
  const tiny = {
    model_type: 'nemotron_h',
    hidden_size: 8,
    vocab_size: 10,
    tie_word_embeddings: false,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    head_dim: 4,
    hybrid_override_pattern: 'M*-E',
    intermediate_size: 6,
    n_routed_experts: 3,
    num_experts_per_tok: 1,
    moe_intermediate_size: 5,
    n_shared_experts: 1,
    moe_shared_expert_intermediate_size: 7,
    mamba_num_heads: 2,
    mamba_head_dim: 4,
    n_groups: 1,
    ssm_state_size: 3,
    conv_kernel: 2,
    use_conv_bias: true,
    use_bias: false,
    mlp_bias: false,
    mamba_ssm_cache_dtype: 'float32',
  };

  it('counts every module by hand', () => {
    const r = inspectConfig(tiny, 'tiny');
    expect(r.attention_layers).toEqual({ mamba2: 1, full: 1, none: 2 });
    expect(r.layers).toEqual({ total: 4, moe: 1, dense: 1, without_ffn: 2 });
    // Mamba-2: conv_dim 8 + 2·1·3 = 14; in_proj 8·(8 + 14 + 2) = 192; conv1d 14·2 + 14 = 42;
    // dt_bias + A_log + D 3·2 = 6; gated norm 8; out_proj 8·8 = 64 → 312
    // MLP block up + down 2·8·6 = 96; MoE: router 8·3 + correction bias 3 = 27, experts 3 × 2·8·5
    // = 240, shared 2·8·7 = 112; one norm per block 4·8 + final 8 = 40
    expect(r.breakdown).toMatchObject({
      embedding: 80,
      lm_head: 80,
      attention: 192,
      mamba: 312,
      norms: 40,
      router: 27,
      routed_experts: 240,
      shared_experts: 112,
      dense_ffn: 96,
    });
    // 160 + 192 + 312 + 40 + 27 + 240 + 112 + 96 = 1,179; active: 2 idle experts × 80
    expect(r.total_main).toBe(1_179);
    expect(r.active).toBe(1_019);
    // state per Mamba-2 block: SSM 2·4·3 = 24 values in float32 (96 bytes) + conv 14·1 in bf16 (28)
    expect(r.memory.kv.fixed_bytes_per_sequence).toBe(124);
    expect(r.memory.kv.bytes_per_token).toBe(16);
    expect(r.memory.kv.layers).toMatchObject({ full: 1, mamba2: 1, none: 2 });
  });

  it('reads the transformers 5 layers_block_type list the same as the pattern', () => {
    const { hybrid_override_pattern: _, ...rest } = tiny;
    const r = inspectConfig({ ...rest, layers_block_type: ['linear_attention', 'full_attention', 'mlp', 'moe'] });
    expect(r.total_main).toBe(1_179);
  });

  it('rejects an unknown block, naming the field', () => {
    expect(() => inspectConfig({ ...tiny, hybrid_override_pattern: 'M*X' }, 'c.json')).toThrow(
      'c.json: field "hybrid_override_pattern" (model_type "nemotron_h") must be a string of M, *, - and E',
    );
  });

  it('NVIDIA-Nemotron-3-Nano-30B-A3B: 31.6B total, 3.2B active (3.6B with embeddings)', () => {
    const r = fixture('nvidia-nemotron-3-nano-30b-a3b.json');
    expect(r.attention_layers).toEqual({ mamba2: 23, none: 23, full: 6 });
    // By hand: 23 Mamba-2 blocks × 38,742,208 (in_proj 2,688·10,304 + conv1d 6,144·4 + 6,144 + 3·64
    // + norm 4,096 + out_proj 4,096·2,688); 6 attention blocks × 23,396,352; 23 MoE blocks ×
    // 1,297,465,472 (router 2,688·128 + 128, experts 128 × 2·2,688·1,856, shared 2·2,688·3,712);
    // embedding and head 2·131,072·2,688; norms 52·2,688 + 2,688
    expect(r.breakdown.mamba).toBe(23 * 38_742_208);
    expect(r.total_main).toBe(31_577_940_288);
    // https://huggingface.co/nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16 model card: 31.6B total
    // parameters, about 3.2B active per token (3.6B including embeddings)
    expect(sig(r.total_main, 3)).toBe(31.6e9);
    // 6 of 128 experts: 31,577,940,288 − 23·122·2·2,688·1,856 = 3,580,076,352 (both embeddings)
    expect(r.active).toBe(3_580_076_352);
    expect(sig(r.active, 2)).toBe(3.6e9);
    expect(sig(r.active_excl_input_embedding, 2)).toBe(3.2e9);
    // state per Mamba-2 block: SSM 64·64·128 float32 (mamba_ssm_cache_dtype) + conv 6,144·3 bf16
    expect(r.memory.kv.linear_state_bytes_per_layer).toBe(64 * 64 * 128 * 4 + 6_144 * 3 * 2);
  });
});

describe('minimax: lightning attention with softmax attention every few layers (MiniMax-Text-01, M1)', () => {
  const tiny = tinyMinimaxText01;

  it('counts every module by hand', () => {
    const r = inspectConfig(tiny, 'tiny', { context: 50 });
    expect(r.attention_layers).toEqual({ lightning: 1, full: 1 });
    // lightning: qkv_proj 8·3·8 = 192, output_gate 8·8 = 64, out_proj 8·8 = 64, norm 8 → 328
    // softmax attention 192; MoE 2 × (router 24 + 3 × 144); norms 2·16 + 8 = 40
    expect(r.breakdown).toMatchObject({
      embedding: 80,
      lm_head: 80,
      attention: 192,
      linear_attention: 328,
      norms: 40,
      router: 48,
      routed_experts: 864,
    });
    // 160 + 192 + 328 + 40 + 48 + 864 = 1,632; active: 2 idle experts × 144 × 2 layers
    expect(r.total_main).toBe(1_632);
    expect(r.active).toBe(1_056);
    // lightning state: one H × hd × hd kv matrix per sequence = 2·4·4 = 32 values, 64 bytes in bf16;
    // the softmax layer caches 2·1·4 values per token, 16 bytes
    expect(r.architecture.linear_attention_state).toEqual({ recurrent_elements: 32, conv_elements: 0 });
    expect(r.memory.kv.fixed_bytes_per_sequence).toBe(64);
    expect(r.memory.kv.at_context?.total_bytes).toBe(50 * 16 + 64);
  });

  it('reads the transformers layer_types the same as the vendor attn_type_list', () => {
    const { attn_type_list: _, ...rest } = tiny;
    const r = inspectConfig({ ...rest, model_type: 'minimax', layer_types: ['linear_attention', 'full_attention'] });
    expect(r.total_main).toBe(1_632);
  });

  it('MiniMax-Text-01 as its report describes it: 456B total, 45.9B active', () => {
    // arXiv:2501.08313 (MiniMax-01), §2 and its architecture table: 80 layers, hidden 6,144, 64
    // heads of 128 (GQA with 8 KV heads in the softmax layers), a softmax-attention layer after
    // every 7 lightning layers, 32 experts of FFN width 9,216 with top-2 routing, vocabulary
    // 200,064; "456 billion total parameters, of which 45.9 billion are activated for each token".
    const r = inspectConfig({
      model_type: 'minimax',
      hidden_size: 6144,
      num_hidden_layers: 80,
      vocab_size: 200064,
      num_attention_heads: 64,
      num_key_value_heads: 8,
      head_dim: 128,
      layer_types: Array.from({ length: 80 }, (_, i) => ((i + 1) % 8 === 0 ? 'full_attention' : 'linear_attention')),
      num_local_experts: 32,
      num_experts_per_tok: 2,
      intermediate_size: 9216,
      tie_word_embeddings: false,
    });
    expect(r.attention_layers).toEqual({ lightning: 70, full: 10 });
    // lightning 6,144·3·8,192 + 6,144·8,192 + 8,192·6,144 + 8,192 = 251,666,432 per layer;
    // softmax 2·6,144·8,192 + 2·6,144·1,024 = 113,246,208; MoE 6,144·32 + 32·3·6,144·9,216 per layer
    expect(r.breakdown.linear_attention).toBe(70 * 251_666_432);
    expect(r.breakdown.attention).toBe(10 * 113_246_208);
    expect(r.total_main).toBe(456_089_655_296);
    expect(sig(r.total_main, 3)).toBe(456e9);
    // active without the two embedding matrices (MiniMax's convention): 48,403,306,496 −
    // 2·200,064·6,144 = 45,944,920,064 → 45.9B
    expect(r.active_non_embedding).toBe(45_944_920_064);
    expect(sig(r.active_non_embedding, 3)).toBe(45.9e9);
  });
});

describe('qwen3_next: Gated DeltaNet and gated attention (the Qwen3.5-MoE layers), dense layers allowed', () => {
  // d = 8, V = 10 (untied), H = 2, K = 1, hd = 4; full_attention_interval 2: layers 1 and 3 gated
  // attention, 0 and 2 Gated DeltaNet (1 key head of 2, 2 value heads of 2, conv kernel 3);
  // decoder_sparse_step 2 → MoE where (i + 1) % 2 == 0, minus mlp_only_layers [3]: MoE in layer 1
  // only (2 experts of 3, top-1, shared expert 4 with its gate); dense MLP of 5 elsewhere.
  const tiny = {
    model_type: 'qwen3_next',
    hidden_size: 8,
    num_hidden_layers: 4,
    vocab_size: 10,
    tie_word_embeddings: false,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    head_dim: 4,
    full_attention_interval: 2,
    linear_num_key_heads: 1,
    linear_key_head_dim: 2,
    linear_num_value_heads: 2,
    linear_value_head_dim: 2,
    linear_conv_kernel_dim: 3,
    num_experts: 2,
    num_experts_per_tok: 1,
    moe_intermediate_size: 3,
    shared_expert_intermediate_size: 4,
    decoder_sparse_step: 2,
    mlp_only_layers: [3],
    intermediate_size: 5,
  };

  it('counts every module by hand', () => {
    const r = inspectConfig(tiny, 'tiny');
    expect(r.attention_layers).toEqual({ linear: 2, full: 2 });
    expect(r.layers).toEqual({ total: 4, moe: 1, dense: 3 });
    // Gated DeltaNet: conv_dim 2·2 + 4 = 8; in_proj_qkv 8·8 = 64, z 8·4 = 32, b and a 2·8·2 = 32,
    // conv1d 8·3 = 24, dt_bias + A_log 4, gated norm 2, out_proj 4·8 = 32 → 190 per layer
    // gated attention: q 8·2·4·2 = 128, k and v 32 each, o 64, q/k norms 2·4 → 264 per layer
    // MoE: router 16, experts 2 × 3·8·3 = 144, shared 3·8·4 + gate 8 = 104; dense 3 × 3·8·5
    expect(r.breakdown).toMatchObject({
      linear_attention: 380,
      attention: 528,
      router: 16,
      routed_experts: 144,
      shared_experts: 104,
      dense_ffn: 360,
      norms: 72,
    });
    // 160 + 380 + 528 + 16 + 144 + 104 + 360 + 72 = 1,764; one idle expert of 72 in the MoE layer
    expect(r.total_main).toBe(1_764);
    expect(r.active).toBe(1_692);
  });

  it('Qwen3-Next-80B-A3B: 80B total (79B non-embedding), 3B active', () => {
    const r = fixture('qwen3-next-80b-a3b-instruct.json');
    expect(r.attention_layers).toEqual({ linear: 36, full: 12 });
    // Gated DeltaNet per layer: 2,048·8,192 + 2,048·4,096 + 2·2,048·32 + 8,192·4 + 64 + 128 +
    // 4,096·2,048 = 33,718,464; gated attention 2,048·8,192 + 2·2,048·512 + 4,096·2,048 + 512 =
    // 27,263,488; MoE per layer: router 2,048·512, 512 experts × 3·2,048·512, shared 3·2,048·512 + 2,048
    expect(r.breakdown.linear_attention).toBe(36 * 33_718_464);
    expect(r.breakdown.attention).toBe(12 * 27_263_488);
    expect(r.total_main).toBe(79_674_391_296);
    // https://huggingface.co/Qwen/Qwen3-Next-80B-A3B-Instruct model card: "Number of Parameters: 80B
    // in total and 3B activated", "Number of Paramaters (Non-Embedding): 79B". The MTP layer the
    // checkpoint also stores is not described by config.json, so it is not counted here.
    expect(sig(r.total_main, 2)).toBe(80e9);
    // non-embedding: 79,674,391,296 − 2·151,936·2,048 = 79,052,061,440
    expect(r.total_main - r.breakdown.embedding - r.breakdown.lm_head).toBe(79_052_061_440);
    expect(sig(r.total_main - r.breakdown.embedding - r.breakdown.lm_head, 2)).toBe(79e9);
    // 10 of 512 experts: 3,874,929,408 canonical, 3,252,599,552 without embeddings → 3B
    expect(r.active).toBe(3_874_929_408);
    expect(sig(r.active_non_embedding, 1)).toBe(3e9);
  });
});

describe('kimi_linear: Kimi Delta Attention layers and MLA layers, DeepSeek-V3 MoE', () => {
  const tiny = tinyKimiLinear;

  it('counts every module by hand', () => {
    const r = inspectConfig(tiny, 'tiny');
    expect(r.attention_layers).toEqual({ kda: 2, full: 1 });
    // KDA: q/k/v_proj 3·8·4 = 96, f_a 8·2 = 16, f_b 2·4 = 8, b_proj 8·2 = 16, g_a 16, g_b 8,
    // o_proj 4·8 = 32, q/k/v convs 3·4·2 = 24, A_log 2, dt_bias 4, o_norm 2 → 224 per layer
    // MLA: q 8·2·3 = 48, kv_a 8·5 = 40, kv_a_norm 4, kv_b 4·2·4 = 32, o 4·8 = 32 → 156
    // dense 3·8·5 = 120; 2 MoE layers × (router 16 + bias 2, experts 2 × 72, shared 72)
    expect(r.breakdown).toMatchObject({
      linear_attention: 448,
      attention: 156,
      dense_ffn: 120,
      router: 36,
      routed_experts: 288,
      shared_experts: 144,
      norms: 56,
    });
    // 160 + 448 + 156 + 120 + 36 + 288 + 144 + 56 = 1,408; one idle expert of 72 in 2 layers
    expect(r.total_main).toBe(1_408);
    expect(r.active).toBe(1_264);
    // KDA state: H·hd·hd = 8 recurrent + 3·4·(2 − 1) = 12 conv values → 40 bytes per layer;
    // the MLA layer caches r_kv + rope = 5 values (10 bytes) per token
    expect(r.architecture.linear_attention_state).toEqual({ recurrent_elements: 8, conv_elements: 12 });
    expect(r.memory.kv.fixed_bytes_per_sequence).toBe(80);
    expect(r.memory.kv.bytes_per_token).toBe(10);
  });

  it('reads transformers layer_types the same as the vendor layer lists', () => {
    const r = inspectConfig({ ...tiny, layer_types: ['kda_attention', 'kda_attention', 'full_attention'] });
    expect(r.total_main).toBe(1_408);
  });

  it('Kimi-Linear-48B-A3B: 48B total and 3B active as Moonshot counts them', () => {
    const r = fixture('kimi-linear-48b-a3b-instruct.json');
    expect(r.attention_layers).toEqual({ kda: 20, full: 7 });
    // KDA per layer: 3·2,304·4,096 + 2·2,304·128 + 2·128·4,096 + 2,304·32 + 4,096·2,304 + 3·4,096·4
    // + 32 + 4,096 + 128 = 39,514,272; MLA 2,304·6,144 + 2,304·576 + 512 + 512·8,192 + 4,096·2,304
    // = 29,114,880; 26 MoE layers × (2,304·256 + 256 + 257 × 3·2,304·1,024); dense 3·2,304·9,216
    expect(r.breakdown.linear_attention).toBe(20 * 39_514_272);
    expect(r.breakdown.attention).toBe(7 * 29_114_880);
    expect(r.total_main).toBe(49_122_681_728);
    // https://huggingface.co/moonshotai/Kimi-Linear-48B-A3B-Instruct model card (and the model
    // name): 48B total parameters, 3B activated. Without the two embedding matrices the total is
    // 48,367,707,008 → 48B; 8 of 256 experts active: 3,106,972,544 without the input embedding → 3B
    expect(sig(r.total_main - r.breakdown.embedding - r.breakdown.lm_head, 2)).toBe(48e9);
    expect(r.active).toBe(3_484_459_904);
    expect(sig(r.active_excl_input_embedding, 1)).toBe(3e9);
  });
});

describe('lfm2_moe: gated short-convolution and GQA layers, dense then MoE FFNs', () => {
  const tiny = tinyLfm2Moe;

  it('counts every module by hand', () => {
    const r = inspectConfig(tiny, 'tiny');
    expect(r.attention_layers).toEqual({ short_conv: 2, full: 1 });
    // short conv: in_proj 8·24 + 24, conv 8·3 + 8, out_proj 8·8 + 8 → 320 per layer
    // attention q/k/v/out 192 + q/k layernorms 2·4 = 200; dense 3·8·5 = 120
    // 2 MoE layers × (gate 8·4 + expert_bias 4, experts 4 × 3·8·3 = 288); norms 3·16 + 8 = 56
    expect(r.breakdown).toMatchObject({
      embedding: 80,
      lm_head: 0,
      short_conv: 640,
      attention: 200,
      dense_ffn: 120,
      router: 72,
      routed_experts: 576,
      norms: 56,
    });
    // 80 + 640 + 200 + 120 + 72 + 576 + 56 = 1,744; 2 idle experts × 72 in 2 layers
    expect(r.total_main).toBe(1_744);
    expect(r.active).toBe(1_456);
    // conv state: d·(L_cache − 1) = 16 values, 32 bytes per layer; no recurrent state
    expect(r.architecture.linear_attention_state).toEqual({ recurrent_elements: 0, conv_elements: 16 });
    expect(r.memory.kv.fixed_bytes_per_sequence).toBe(64);
    expect(r.memory.kv.bytes_per_token).toBe(16);
  });

  it('reads the original full_attn_idxs the same as layer_types', () => {
    const { layer_types: _, ...rest } = tiny;
    expect(inspectConfig({ ...rest, full_attn_idxs: [1] }).total_main).toBe(1_744);
  });

  it('LFM2-8B-A1B: 8.3B total, 1.5B active', () => {
    const r = fixture('lfm2-8b-a1b.json');
    expect(r.attention_layers).toEqual({ short_conv: 18, full: 6 });
    // short conv 2,048·6,144 + 2,048·3 + 2,048·2,048 = 16,783,360 per layer; attention 2·2,048·2,048
    // + 2·2,048·512 + 2·64 = 10,485,888; 2 dense × 3·2,048·7,168; 22 MoE × (2,048·32 + 32 + 32 ×
    // 3·2,048·1,792); tied embedding 65,536·2,048; norms 24·4,096 + 2,048
    expect(r.breakdown.short_conv).toBe(18 * 16_783_360);
    expect(r.total_main).toBe(8_339_930_560);
    // https://huggingface.co/LiquidAI/LFM2-8B-A1B model card: 8.3B total parameters, 1.5B active.
    // 4 of 32 experts: 8,339,930,560 − 28·22·11,010,048 = 1,557,740,992, which the card gives as 1.5B
    // (the first decimal, not rounded)
    expect(sig(r.total_main, 2)).toBe(8.3e9);
    expect(r.active).toBe(1_557_740_992);
    expect(Math.floor(r.active / 1e8)).toBe(15);
  });
});

describe('hybrid layer kinds: what the counter and the KV model refuse', () => {
  const jamba = architectureFromHfConfig({
    model_type: 'jamba',
    hidden_size: 8,
    num_hidden_layers: 2,
    vocab_size: 10,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    intermediate_size: 6,
    num_experts: 2,
    num_experts_per_tok: 1,
    attn_layer_period: 2,
    attn_layer_offset: 1,
    expert_layer_period: 2,
    expert_layer_offset: 1,
  });

  it('a layer kind without its mixer', () => {
    expect(() => countParameters({ ...jamba, mamba: null })).toThrow(
      'layer 0 is a mamba layer but the architecture has no mamba',
    );
  });

  it('an MoE layer listed as having no FFN', () => {
    expect(() => countParameters({ ...jamba, no_ffn_layers: [1] })).toThrow(
      'layer 1 is both an MoE layer and in no_ffn_layers',
    );
  });

  it('two recurrent kinds in one model (one state size per model)', () => {
    expect(() => kvLayoutFromArchitecture({ ...jamba, layer_attention: ['mamba', 'short_conv'] })).toThrow(
      'layers of mamba and short_conv mixers: one recurrent state size per model is supported',
    );
  });

  it('layers without a mixer cache nothing', () => {
    // layer 0 has no mixer, layer 1 attention: 2·1·4 values per token, no fixed state
    const layout = kvLayoutFromArchitecture({ ...jamba, layer_attention: ['none', 'full'] });
    expect(layout).toMatchObject({ full_layers: 1, linear_layers: 0, values_per_token_per_layer: 8 });
  });
});

describe('inspect names the hybrid modules and their states', () => {
  it('Jamba: Mamba mixers and Mamba states', () => {
    const text = formatInspect(fixture('ai21-jamba-1.5-mini.json', { context: 1024 }));
    expect(text).toContain('token mixers: 28 mamba, 4 full');
    expect(text).toMatch(
      /^ {2}Mamba mixers +2,948,636,544 +2\.95 B +Mamba layers: in_proj, conv1d, x_proj, dt_proj, A_log, D, out_proj$/m,
    );
    // 28 layers × (SSM 8,192·16 + conv 8,192·3) values × 2 bytes = 8,716,288 bytes per sequence
    expect(text).toMatch(/^ {2}fixed per sequence +8,716,288 +8\.72 MB +Mamba states: does not grow with context$/m);
  });

  it('Nemotron-H: Mamba-2 mixers and the blocks without an FFN', () => {
    const text = formatInspect(fixture('nvidia-nemotron-3-nano-30b-a3b.json'));
    expect(text).toContain('52 layers (23 MoE, 0 dense, 29 without FFN)');
    expect(text).toContain('Mamba-2 layers: in_proj, conv1d, dt_bias, A_log, D, gated norm, out_proj');
    expect(text).toContain('23 Mamba-2 layers hold a fixed state per sequence');
  });

  it('Kimi Linear, MiniMax and LFM2: their linear attention and short convolutions', () => {
    expect(formatInspect(fixture('kimi-linear-48b-a3b-instruct.json'))).toMatch(
      /^ {2}linear attention +790,285,440 +790\.29 M +Kimi Delta Attention layers$/m,
    );
    expect(formatInspect(fixture('lfm2-8b-a1b.json'))).toMatch(
      /^ {2}short convolutions +302,100,480 +302\.10 M +gated short-conv layers: in_proj, conv, out_proj$/m,
    );
    const minimax = inspectConfig({
      model_type: 'minimax',
      hidden_size: 8,
      num_hidden_layers: 2,
      vocab_size: 10,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      layer_types: ['linear_attention', 'full_attention'],
      num_local_experts: 2,
      num_experts_per_tok: 1,
      intermediate_size: 4,
    });
    expect(formatInspect(minimax)).toContain('lightning attention layers');
  });
});
