/**
 * Families whose attention layers do not all have one shape: MiMo-V2 (q/k heads wider than v
 * heads; sliding-window layers with their own KV-head count and the only attention sinks) and
 * Gemma 4 (global layers of wider heads, fewer KV heads and keys reused as values), and MiniMax-M3
 * (block-sparse attention layers with a lightning indexer beside full-attention ones). Each
 * has a tiny config whose every count is worked out by hand below, and the vendor's config checked
 * against the published figures (cited at each assertion). The real configs are in
 * test/fixtures/hf-configs (origins in its SOURCES.md).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countParameters } from '../../src/arch/count.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import { formatInspect, inspectConfig, type InspectResult } from '../../src/arch/inspect.js';
import {
  kvBytesPerTokenLongContext,
  kvCacheBytes,
  kvFixedBytesPerSequence,
  kvLayoutFromArchitecture,
} from '../../src/arch/kv-cache.js';
import { checkpointWeightBytes } from '../../src/arch/memory.js';
import {
  tinyMimoV2Flash,
  tinyGemma4Text,
  tinyGemma4,
  tinyMinimaxM3VlText,
  tinyMinimaxM3Vl,
} from '../fixtures/tiny-configs.js';

function fixture(name: string): InspectResult {
  const url = new URL(`../fixtures/hf-configs/${name}`, import.meta.url);
  return inspectConfig(JSON.parse(readFileSync(url, 'utf8')), name, {});
}

/** n rounded to `digits` significant figures */
function sig(n: number, digits: number): number {
  return Number(n.toPrecision(digits));
}

describe('mimo_v2 / mimo_v2_flash: v heads narrower than q/k, sliding layers with their own KV heads and sinks', () => {
  const vendor = tinyMimoV2Flash;
  // transformers' spelling (MiMoV2FlashConfig): the sliding layers have num_key_value_heads·2 KV
  // heads and sinks, the full layers none: the same model.
  const transformers = {
    model_type: 'mimo_v2_flash',
    hidden_size: 8,
    num_hidden_layers: 3,
    vocab_size: 10,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    head_dim: 4,
    v_head_dim: 2,
    sliding_window: 4,
    layer_types: ['full_attention', 'sliding_attention', 'sliding_attention'],
    mlp_layer_types: ['dense', 'sparse', 'sparse'],
    intermediate_size: 6,
    n_routed_experts: 3,
    num_experts_per_tok: 1,
    moe_intermediate_size: 2,
  };

  it('counts every module of the tiny config by hand', () => {
    const b = countParameters(architectureFromHfConfig(vendor));
    expect(b.modules.embedding).toBe(80); // 10·8
    expect(b.modules.lm_head).toBe(80); // untied
    // full layer: q 8·(2·4) 64 + k 8·(1·4) 32 + v 8·(1·2) 16 + o (2·2)·8 32 = 144, no sinks;
    // sliding layer: q 64 + k 8·(2·4) 64 + v 8·(2·2) 32 + o 32 + sinks 2 = 194; 144 + 2·194 = 532
    expect(b.modules.attention).toBe(532);
    expect(b.modules.norms).toBe(56); // 2·8·3 + 8
    expect(b.modules.dense_ffn).toBe(144); // 3·8·6 in layer 0
    expect(b.modules.router).toBe(54); // (8·3 weight + 3 e_score_correction_bias)·2 MoE layers
    expect(b.modules.routed_experts).toBe(288); // 3 experts · 3·8·2 · 2 layers
    expect(b.total_main).toBe(1234); // 80 + 80 + 532 + 56 + 144 + 54 + 288
    expect(b.active).toBe(1042); // 1234 − 2 idle experts · 48 · 2 layers
    expect(b.layers).toEqual({ total: 3, moe: 2, dense: 1 });
  });

  it('reads transformers’ spelling, and its defaults, as the same model', () => {
    const a = countParameters(architectureFromHfConfig(vendor));
    expect(countParameters(architectureFromHfConfig(transformers))).toEqual(a);
    // no layer lists: layer 0 (and every 6th) full, the rest sliding; layer 0 dense, the rest MoE
    const { layer_types: _l, mlp_layer_types: _m, ...defaults } = transformers;
    expect(countParameters(architectureFromHfConfig(defaults))).toEqual(a);
    // mimo_v2 (MiMo-V2.5) is read the same way
    expect(countParameters(architectureFromHfConfig({ ...vendor, model_type: 'mimo_v2' })).total_main).toBe(1234);
  });

  it('sizes each kind of layer’s KV cache by its own heads and widths', () => {
    const layout = kvLayoutFromArchitecture(architectureFromHfConfig(vendor));
    // full: K·(head_dim + v_head_dim) = 1·(4 + 2) = 6 values; sliding: 2·(4 + 2) = 12
    expect(layout.values_per_token_per_layer).toBe(6);
    expect(layout.sliding_values_per_token_per_layer).toBe(12);
    expect(layout.full_layers).toBe(1);
    expect(layout.sliding_layers).toBe(2);
    // bf16, past the window: 1 full layer · 6 · 2 bytes = 12 bytes per token
    expect(kvBytesPerTokenLongContext(layout, 2)).toBe(12);
    // the two windows once full: 2 layers · 4 tokens · 12 · 2 bytes = 192
    expect(kvFixedBytesPerSequence(layout, 2)).toBe(192);
    // context 3 (inside the window), batch 2: full 2·3·6·2 = 72, sliding 2·2·3·12·2 = 288
    const at = kvCacheBytes(layout, { context: 3, batch: 2, kvBytes: 2 });
    expect(at.full_bytes).toBe(72);
    expect(at.sliding_bytes).toBe(288);
  });

  it('stores the weights it counts, layer kind by layer kind', () => {
    const arch = architectureFromHfConfig(vendor);
    const w = checkpointWeightBytes(arch);
    // every parameter in bf16 but the F32 e_score_correction_bias (3 per MoE layer)
    expect(w.total_bytes).toBe((1234 - 6) * 2 + 6 * 4);
  });

  it('refuses a layer list of the wrong length or with unknown entries, naming the field', () => {
    expect(() => architectureFromHfConfig({ ...vendor, hybrid_layer_pattern: [0, 1] }, 'c.json')).toThrow(
      'hybrid_layer_pattern',
    );
    expect(() => architectureFromHfConfig({ ...vendor, moe_layer_freq: [0, 2, 1] }, 'c.json')).toThrow(
      'moe_layer_freq',
    );
    expect(() =>
      architectureFromHfConfig({ ...transformers, layer_types: ['full_attention', 'x', 'full_attention'] }),
    ).toThrow('layer_types');
  });

  it('MiMo-V2-Flash: 308,778,780,864 total and 15,445,936,320 active against the card’s 309B / 15B', () => {
    const r = fixture('mimo-v2-flash.json');
    const b = countParameters(r.architecture);
    // embedding and head 152,576·4,096 = 624,951,296 each;
    // 9 full layers: q 4096·64·192 50,331,648 + k 4096·4·192 3,145,728 + v 4096·4·128 2,097,152
    //   + o 64·128·4096 33,554,432 = 89,128,960; 39 sliding layers: k and v with 8 KV heads
    //   (6,291,456 and 4,194,304) + 64 sinks = 94,371,904: 9·89,128,960 + 39·94,371,904 = 4,482,664,896;
    // norms 2·4096·48 + 4096 = 397,312; routers (4096·256 + 256)·47 = 49,295,104;
    // experts 256 · 3·4096·2048 · 47 = 302,795,194,368; dense layer 0: 3·4096·16384 = 201,326,592.
    expect(b.modules.attention).toBe(4_482_664_896);
    expect(b.total_main).toBe(308_778_780_864);
    // active: minus 248 idle experts of 25,165,824 in 47 layers (293,332,844,544)
    expect(b.active).toBe(15_445_936_320);
    // "MiMo-V2-Flash, with 309B total parameters and 15B activated parameters" (LMSYS / Xiaomi,
    // "SGLang Day-0 Support for MiMo-V2-Flash Model", 2025-12-15; the model card says the same)
    expect(sig(b.total_main, 3)).toBe(309e9);
    expect(sig(b.active, 2)).toBe(15e9);
    // KV: full K·(192 + 128) = 4·320 = 1,280 values, sliding 8·320 = 2,560; bf16 past the window
    // 9 · 1,280 · 2 = 23,040 bytes per token, and 39 windows of 128 tokens · 2,560 · 2 = 25,559,040 bytes
    expect(r.memory.kv.values_per_token_per_layer).toBe(1280);
    expect(r.memory.kv.bytes_per_token).toBe(23_040);
    expect(r.memory.kv.fixed_bytes_per_sequence).toBe(25_559_040);
    expect(formatInspect(r)).toContain(
      'GQA attention (64 q / 4 kv heads x 192, v 128; sliding layers 64 q / 8 kv heads x 192, v 128 with sinks)',
    );
  });

  it('MiMo-V2-Pro shape (mimo_v2): 1,021,248,126,336 total and 41,894,919,552 active against 1.02T / 42B', () => {
    const b = countParameters(fixture('mimo-v2-pro.json').architecture);
    // embedding and head 152,576·6,144 = 937,426,944 each;
    // 10 full layers: q 6144·128·192 150,994,944 + k 6144·8·192 9,437,184 + v 6144·8·128 6,291,456
    //   + o 128·128·6144 100,663,296 = 267,386,880; 60 sliding layers the same + 128 sinks:
    //   2,673,868,800 + 16,043,220,480 = 18,717,089,280;
    // norms 2·6144·70 + 6144 = 866,304; routers (6144·384 + 384)·69 = 162,817,920;
    // experts 384 · 3·6144·2048 · 69 = 1,000,190,509,056; dense layer 0: 3·6144·16384 = 301,989,888
    expect(b.modules.attention).toBe(18_717_089_280);
    expect(b.total_main).toBe(1_021_248_126_336);
    expect(b.active).toBe(41_894_919_552); // minus 69 · 376 idle experts of 37,748,736
    // MiMo-V2.5-Pro "1.02T" total, "42B" active (SGLang cookbook, MiMo-V2.5 page)
    expect(sig(b.total_main, 3)).toBe(1.02e12);
    expect(sig(b.active, 2)).toBe(42e9);
  });
});

describe('gemma4: global layers of their own head width and KV heads, keys as values; MLP beside the experts', () => {
  const text = tinyGemma4Text;
  const tiny = tinyGemma4;

  it('counts every module of the tiny config by hand', () => {
    const b = countParameters(architectureFromHfConfig(tiny));
    expect(b.modules.embedding).toBe(80); // 10·8
    expect(b.modules.lm_head).toBe(0); // tied
    // sliding: q 8·(2·4) 64 + k 8·(2·4) 64 + v 64 + o 64 + q_norm and k_norm 2·4 = 264, twice;
    // full: q 8·(2·6) 96 + k 8·(1·6) 48 + no v_proj + o 12·8 96 + norms 2·6 = 252; 528 + 252 = 780
    expect(b.modules.attention).toBe(780);
    expect(b.modules.norms).toBe(179); // 3 · (7 norms · 8 + layer_scalar 1) + final 8
    expect(b.modules.router).toBe(105); // 3 · (proj 8·3 + scale 8 + per_expert_scale 3)
    expect(b.modules.routed_experts).toBe(432); // 3 layers · 3 experts · 3·8·2
    expect(b.modules.shared_experts).toBe(432); // the MLP: 3 layers · 3·8·6
    expect(b.total_main).toBe(2008); // 80 + 780 + 179 + 105 + 432 + 432
    expect(b.active).toBe(1720); // 2008 − 3 layers · 2 idle experts · 48
    // no layer_types: five sliding then one full, the last layer full: the same three layers
    const { layer_types: _t, ...defaults } = text;
    expect(countParameters(architectureFromHfConfig({ model_type: 'gemma4', text_config: defaults }))).toEqual(b);
  });

  it('sizes the global and the sliding layers’ KV cache by their own heads', () => {
    const layout = kvLayoutFromArchitecture(architectureFromHfConfig(tiny));
    // full: keys and values cached apart, 1·(6 + 6) = 12 values; sliding 2·(4 + 4) = 16
    expect(layout.values_per_token_per_layer).toBe(12);
    expect(layout.sliding_values_per_token_per_layer).toBe(16);
    expect(kvBytesPerTokenLongContext(layout, 2)).toBe(24); // 1 full layer · 12 · 2 bytes
    expect(kvFixedBytesPerSequence(layout, 2)).toBe(256); // 2 windows · 4 tokens · 16 · 2 bytes
  });

  it('counts the dense variants (no MoE block) with four norms a layer and the MLP as a dense FFN', () => {
    const b = countParameters(architectureFromHfConfig({ ...text, enable_moe_block: false }));
    // 80 + attention 780 + norms 3·(4·8 + 1) + 8 = 107 + MLP 3·144 = 432
    expect(b.total_main).toBe(1399);
    expect(b.layers).toEqual({ total: 3, moe: 0, dense: 3 });
  });

  it('refuses per-layer embeddings and shared-KV layers, naming the field', () => {
    expect(() =>
      architectureFromHfConfig(
        { model_type: 'gemma4', text_config: { ...text, hidden_size_per_layer_input: 256 } },
        'c.json',
      ),
    ).toThrow('text_config.hidden_size_per_layer_input');
    expect(() =>
      architectureFromHfConfig({ model_type: 'gemma4', text_config: { ...text, num_kv_shared_layers: 1 } }, 'c.json'),
    ).toThrow('text_config.num_kv_shared_layers');
  });

  it('gemma-4-26B-A4B: 25,233,141,790 total and 3,822,530,590 active against the card’s 25.2B / 3.8B', () => {
    const r = fixture('gemma-4-26b-a4b.json');
    const b = countParameters(r.architecture);
    // embedding 262,144·2,816 = 738,197,504 (tied);
    // 25 sliding layers: q 2816·16·256 11,534,336 + k and v 2816·8·256 5,767,168 each + o 11,534,336
    //   + q/k norms 512 = 34,603,520; 5 global layers: q 2816·16·512 23,068,672 + k 2816·2·512
    //   2,883,584 + o 23,068,672 + norms 1,024 = 49,021,952: 865,088,000 + 245,109,760 = 1,110,197,760;
    // norms 30·(7·2816 + 1) + 2816 = 594,206; routers 30·(2816·128 + 2816 + 128) = 10,901,760;
    // experts 30·128·3·2816·704 = 22,837,985,280; MLPs 30·3·2816·2112 = 535,265,280
    expect(b.modules.attention).toBe(1_110_197_760);
    expect(b.total_main).toBe(25_233_141_790);
    // active: minus 30 layers · 120 idle experts of 5,947,392 (21,410,611,200)
    expect(b.active).toBe(3_822_530_590);
    // "25.2B total parameters but only 3.8B active per token" (gemma-4-26B-A4B-it model card, as
    // quoted by Vast.ai and Featherless; the card lists the ~550M vision encoder apart, not counted here)
    expect(sig(b.total_main, 3)).toBe(25.2e9);
    expect(sig(b.active, 2)).toBe(3.8e9);
    // KV: global 2·(512 + 512) = 2,048 values, sliding 8·(256 + 256) = 4,096; bf16 past the window
    // 5 · 2,048 · 2 = 20,480 bytes per token; 25 windows · 1,024 · 4,096 · 2 = 209,715,200 bytes
    expect(r.memory.kv.bytes_per_token).toBe(20_480);
    expect(r.memory.kv.fixed_bytes_per_sequence).toBe(209_715_200);
  });

  it('gemma-4-31B (the dense sibling, same attention): 30,697,345,340 against the card’s 30.7B', () => {
    const b = countParameters(fixture('gemma-4-31b.json').architecture);
    // embedding 262,144·5,376 = 1,409,286,144 (tied);
    // 50 sliding layers: q 5376·32·256 44,040,192 + k and v 5376·16·256 22,020,096 each + o 44,040,192
    //   + q/k norms 512 = 132,121,088; 10 global layers: q 5376·32·512 88,080,384 + k 5376·4·512
    //   11,010,048 + o 88,080,384 + norms 1,024 = 187,171,840: 6,606,054,400 + 1,871,718,400;
    // MLPs 60·3·5376·21504 = 20,808,990,720; norms 60·(4·5376 + 1) + 5376 = 1,295,676
    expect(b.modules.attention).toBe(8_477_772_800);
    expect(b.total_main).toBe(30_697_345_340);
    // "31B (30.7B params, 60 layers, 256K text/image)" (the Gemma 4 model card's size table, as quoted in
    // a public summary of the gemma-4-26B-A4B-it card)
    expect(sig(b.total_main, 3)).toBe(30.7e9);
  });
});

describe('minimax_m3_vl: lightning-indexer sparse layers, dense and MoE layers, CLIP-style tower with a two-stage projector', () => {
  const text = tinyMinimaxM3VlText;
  const tiny = tinyMinimaxM3Vl;

  it('counts every module of the tiny config by hand', () => {
    const b = countParameters(architectureFromHfConfig(tiny));
    expect(b.modules.embedding).toBe(80); // 10·8
    expect(b.modules.lm_head).toBe(80); // untied
    // q 8·8 64 + k 8·4 32 + v 32 + o 8·8 64 + per-head q/k norms 2·4 = 200, in 3 layers
    expect(b.modules.attention).toBe(600);
    // indexer: q_proj 8·(2·4) 64 + k_proj 8·4 32 + q_norm and k_norm 2·4 = 104, in 2 sparse layers
    expect(b.modules.indexers).toBe(208);
    expect(b.modules.norms).toBe(56); // 2·8·3 + 8
    expect(b.modules.router).toBe(54); // (8·3 + 3 e_score_correction_bias)·2
    expect(b.modules.routed_experts).toBe(288); // 2 layers · 3 · 3·8·2
    expect(b.modules.shared_experts).toBe(144); // 2 layers · 3·8·3
    expect(b.modules.dense_ffn).toBe(144); // 3·8·6
    expect(b.total_main).toBe(1654);
    expect(b.active).toBe(1462); // 1654 − 2 layers · 2 idle experts · 48
    // tower: patch Conv3d 3·2·2·2·4 = 96 (no bias), pre_layrnorm 2·4 = 8, one layer: q/k/v/out 4·(16 + 4) = 80,
    // fc1 4·8 + 8 and fc2 8·4 + 4 = 76, two LayerNorms 16 → 172; projector: linear_1 4·5 + 5 = 25,
    // linear_2 5·8 + 8 = 48, merge_linear_1 (4·8)·5 + 5 = 165, merge_linear_2 48 → 286
    expect(b.extra.vision).toBe(562); // 96 + 8 + 172 + 286
    expect(b.total_logical).toBe(2216);
  });

  it('reads transformers’ spelling (layer_types, mlp_layer_types, index_*) as the same model', () => {
    const { moe_layer_freq: _m, sparse_attention_config: _s, ...rest } = text;
    const hf = {
      ...rest,
      layer_types: ['full_attention', 'minimax_m3_sparse', 'minimax_m3_sparse'],
      mlp_layer_types: ['dense', 'sparse', 'sparse'],
      index_n_heads: 2,
      index_head_dim: 4,
    };
    const a = countParameters(architectureFromHfConfig(tiny));
    expect(countParameters(architectureFromHfConfig({ ...tiny, text_config: hf }))).toEqual(a);
    // the text-only model type has no tower
    expect(countParameters(architectureFromHfConfig({ ...text, model_type: 'minimax_m3_vl_text' })).total_logical).toBe(
      1654,
    );
  });

  it('caches each sparse layer’s indexer key beside the K and V', () => {
    const layout = kvLayoutFromArchitecture(architectureFromHfConfig(tiny));
    expect(layout.values_per_token_per_layer).toBe(8); // 2·1·4
    expect(layout.indexer_layers).toBe(2);
    expect(layout.indexer_key_bytes_per_token).toBe(8); // 4 values in bf16
    // bf16: 3 layers · 8 · 2 + 2 · 8 = 64 bytes per token
    expect(kvBytesPerTokenLongContext(layout, 2)).toBe(64);
  });

  it('refuses a layer list of the wrong length, naming the field', () => {
    expect(() =>
      architectureFromHfConfig({ ...tiny, text_config: { ...text, moe_layer_freq: [0, 1] } }, 'c.json'),
    ).toThrow('text_config.moe_layer_freq');
    expect(() =>
      architectureFromHfConfig(
        { ...tiny, text_config: { ...text, sparse_attention_config: { sparse_attention_freq: [0, 2, 1] } } },
        'c.json',
      ),
    ).toThrow('sparse_attention_freq');
  });
});
