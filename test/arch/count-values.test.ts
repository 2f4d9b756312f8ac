/**
 * Parameter counts at the edges of src/arch/count.ts, on a tiny `Architecture` written out by hand
 * (no config reader in between): argument checks named by field, explicit MoE layer lists, MLA
 * biases and full-rank q, MTP modules of several layers, norms, overflow past 2^53.
 *
 * Base (the mixtral row of tiny-families.test.ts): d = 8, L = 2, V = 16, H = 2 query heads, K = 1 KV
 * head, head_dim 4, E = 4 experts of I = 6, top-2, RMSNorm, untied head.
 *   embedding V·d = 128; head 128; attention q 64 + k 32 + v 32 + o 64 = 192 per layer;
 *   norms 2·8 per layer + final 8; router d·E = 32; gated expert 3·8·6 = 144, 4 of them 576;
 *   total_main = 128 + 128 + 2·192 + (2·16 + 8) + 2·32 + 2·576 = 1,896.
 */
import { describe, expect, it } from 'vitest';
import {
  countParameters,
  kindOf,
  layerAttentionKinds,
  moeLayerIndices,
  norm,
  visionParams,
} from '../../src/arch/count.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import { presetConfig } from '../helpers.js';
import type { Architecture } from '../../src/arch/types.js';

const base: Architecture = {
  hidden_size: 8,
  num_layers: 2,
  vocab_size: 16,
  tie_word_embeddings: false,
  lm_head_bias: false,
  norm_type: 'rmsnorm',
  norm_bias: false,
  norms_per_layer: 2,
  final_norm: true,
  num_experts: 4,
  num_experts_per_tok: 2,
  moe_intermediate_size: 6,
  expert_gated: true,
  expert_bias: false,
  num_shared_experts: 0,
  shared_expert_intermediate_size: null,
  shared_expert_gate: false,
  router_bias: false,
  router_score_correction_bias: false,
  first_k_dense_replace: 0,
  moe_layer_period: 1,
  moe_layer_offset: 0,
  dense_intermediate_size: null,
  attention_type: 'gqa',
  num_attention_heads: 2,
  num_key_value_heads: 1,
  head_dim: 4,
  attention_qkv_bias: false,
  attention_out_bias: false,
  qk_norm: 'none',
  attention_sinks: false,
};

const arch = (over: Record<string, unknown>) => ({ ...base, ...over }) as Architecture;

/** MLA: H 2, q_lora 4, kv_lora 4, nope 2, rope 2, v 2 (d 8). */
const mla = arch({
  attention_type: 'mla',
  num_key_value_heads: null,
  head_dim: null,
  q_lora_rank: 4,
  kv_lora_rank: 4,
  qk_nope_head_dim: 2,
  qk_rope_head_dim: 2,
  v_head_dim: 2,
});

describe('the base architecture', () => {
  it('total_main 1,896 (as the mixtral row of tiny-families)', () => {
    const b = countParameters(base);
    expect(b.total_main).toBe(1896);
    expect(b.layers).toEqual({ total: 2, moe: 2, dense: 0 });
  });
});

describe('argument checks name the field', () => {
  it.each([
    ['hidden_size', { hidden_size: 0 }, 'architecture field hidden_size must be an integer >= 1, got 0'],
    ['num_layers', { num_layers: 0 }, 'architecture field num_layers must be an integer >= 1, got 0'],
    ['vocab_size', { vocab_size: 1.5 }, 'architecture field vocab_size must be an integer >= 1, got 1.5'],
    ['norms_per_layer', { norms_per_layer: -1 }, 'architecture field norms_per_layer must be an integer >= 0, got -1'],
    ['num_experts', { num_experts: null }, 'architecture field num_experts must be an integer >= 0, got null'],
    ['num_experts_per_tok', { num_experts_per_tok: -1 }, 'field num_experts_per_tok must'],
    ['moe_intermediate_size', { moe_intermediate_size: -1 }, 'field moe_intermediate_size must'],
    ['num_shared_experts', { num_shared_experts: -1 }, 'field num_shared_experts must'],
    ['first_k_dense_replace', { first_k_dense_replace: -1 }, 'field first_k_dense_replace must'],
    ['moe_layer_period', { moe_layer_period: 0 }, 'field moe_layer_period must be an integer >= 1, got 0'],
    ['moe_layer_offset', { moe_layer_offset: -1 }, 'field moe_layer_offset must'],
    ['num_attention_heads', { num_attention_heads: 0 }, 'field num_attention_heads must'],
    ['num_key_value_heads', { num_key_value_heads: 0 }, 'field num_key_value_heads must'],
    ['head_dim', { head_dim: 0 }, 'field head_dim must'],
    ['a string count', { hidden_size: '8' }, 'architecture field hidden_size must be an integer >= 1, got 8'],
    ['an unsafe integer', { vocab_size: 2 ** 53 }, 'field vocab_size must'],
    ['hyper_connections.mult', { hyper_connections: { mult: 0 } }, 'field hyper_connections.mult must'],
    ['num_hash_layers', { num_hash_layers: -1 }, 'field num_hash_layers must'],
    [
      'checkpoint_expert_quant.group_size',
      { checkpoint_expert_quant: { format: 'int4_pack_quantized', group_size: 0 } },
      'field checkpoint_expert_quant.group_size must',
    ],
    ['layer_attention', { layer_attention: ['full'] }, 'layer_attention has 1 entries for 2 layers'],
    [
      'dense_intermediate_size',
      { first_k_dense_replace: 1 },
      'field dense_intermediate_size must be an integer >= 1, got null',
    ],
    [
      'shared_expert_intermediate_size',
      { num_shared_experts: 1 },
      'field shared_expert_intermediate_size must be an integer >= 1, got null',
    ],
  ])('%s', (_name, over, message) => {
    expect(() => countParameters(arch(over))).toThrow(message);
  });

  it('MLA fields', () => {
    expect(() => countParameters({ ...mla, q_lora_rank: 0 } as Architecture)).toThrow('field q_lora_rank must');
    expect(() => countParameters({ ...mla, kv_lora_rank: 0 } as Architecture)).toThrow('field kv_lora_rank must');
    expect(() => countParameters({ ...mla, qk_nope_head_dim: -1 } as Architecture)).toThrow(
      'field qk_nope_head_dim must',
    );
    expect(() => countParameters({ ...mla, qk_rope_head_dim: -1 } as Architecture)).toThrow(
      'field qk_rope_head_dim must',
    );
    expect(() => countParameters({ ...mla, v_head_dim: 0 } as Architecture)).toThrow('field v_head_dim must');
    expect(() => countParameters({ ...mla, dsa_indexer: { n_heads: 0, head_dim: 4 } } as Architecture)).toThrow(
      'field dsa_indexer.n_heads must',
    );
    expect(() => countParameters({ ...mla, dsa_indexer: { n_heads: 1, head_dim: 0 } } as Architecture)).toThrow(
      'field dsa_indexer.head_dim must',
    );
    // a DSA indexer takes its queries from the q latent
    expect(() =>
      countParameters({ ...mla, q_lora_rank: null, dsa_indexer: { n_heads: 1, head_dim: 4 } } as Architecture),
    ).toThrow('a DSA indexer needs q_lora_rank (its queries come from the q latent)');
    // GQA fields are not checked on an MLA model (head_dim is null there)
    expect(countParameters(mla).total_main).toBeGreaterThan(0);
  });

  it('top-k equal to the expert count is allowed (every expert active); one more is not', () => {
    const all = countParameters(arch({ num_experts_per_tok: 4 }));
    expect(all.active).toBe(all.total_main);
    expect(() => countParameters(arch({ num_experts_per_tok: 5 }))).toThrow(
      'num_experts_per_tok (5) exceeds num_experts (4)',
    );
  });

  it('a linear layer needs a gated_deltanet', () => {
    expect(() => countParameters(arch({ layer_attention: ['full', 'linear'] }))).toThrow(
      'layer 1 is linear attention but the architecture has no gated_deltanet',
    );
  });
});

describe('counts beyond 2^53 are refused, naming the module', () => {
  it.each([
    // V·d = 2^27 · 2^27 = 2^54
    [
      'embedding',
      { vocab_size: 2 ** 27, hidden_size: 2 ** 27, num_experts: 0, num_experts_per_tok: 0, dense_intermediate_size: 1 },
    ],
    // 2 layers × 4 experts × 3·8·2^50 = 3·2^56
    ['routed_experts', { moe_intermediate_size: 2 ** 50 }],
    // dense layers: 2 × 3·8·2^50
    ['dense_ffn', { num_experts: 0, num_experts_per_tok: 0, dense_intermediate_size: 2 ** 50 }],
    // one shared expert per layer: 2 × 3·8·2^50
    ['shared_experts', { num_shared_experts: 1, shared_expert_intermediate_size: 2 ** 50 }],
    // q: 8·2·2^50 per layer
    ['attention', { head_dim: 2 ** 50 }],
    // hyper-connections of mult 2^17: (2 + m)·m·m·d > 2^17·2^17·2^17·8 = 2^54
    ['hyper_connections', { hyper_connections: { mult: 2 ** 17 } }],
    // a Gated DeltaNet with value_head_dim 2^50: in_proj_z alone is d·V·dv = 8·2^50
    [
      'linear_attention',
      {
        layer_attention: ['full', 'linear'],
        gated_deltanet: {
          num_key_heads: 1,
          key_head_dim: 2,
          num_value_heads: 1,
          value_head_dim: 2 ** 50,
          conv_kernel: 2,
        },
      },
    ],
    // the dense MTP layer of an all-MoE model: 3·8·2^50
    [
      'mtp',
      {
        dense_intermediate_size: 2 ** 50,
        mtp: { num_modules: 1, layer_kind: 'dense', stores_embedding: false, stores_head: false },
      },
    ],
    // V·d = 2^26·(2^27 − 1) = 2^53 − 2^26 is exact; the head bias adds V = 2^26: 2^53
    ['lm_head', { vocab_size: 2 ** 26, hidden_size: 2 ** 27 - 1, lm_head_bias: true }],
    // 2 layers × 2^52 norms × d 8
    ['norms', { norms_per_layer: 2 ** 52 }],
    // 2 layers × d 8 × E 2^50
    ['router', { num_experts: 2 ** 50, moe_intermediate_size: 0 }],
    // embedding and head 2^49·8 = 2^52 each are exact, their sum 2^53 (+ the layers) is not
    ['total_main', { vocab_size: 2 ** 49 }],
    // tied: main 2^52 + small; two stored copies of the embedding 2 × 2^52 = 2^53
    [
      'mtp_stored_copies',
      {
        vocab_size: 2 ** 49,
        tie_word_embeddings: true,
        mtp: { num_modules: 1, layer_kind: 'moe', stores_embedding: true, stores_head: true },
      },
    ],
    // tied: main 2^52 + small, one copy 2^52: each exact, the logical total 2^53 + … not
    [
      'total_logical',
      {
        vocab_size: 2 ** 49,
        tie_word_embeddings: true,
        mtp: { num_modules: 1, layer_kind: 'moe', stores_embedding: true, stores_head: false },
      },
    ],
  ])('%s', (name, over) => {
    expect(() => countParameters(arch(over))).toThrow(
      `parameter count for ${name} exceeds the exactly representable range`,
    );
  });
});

describe('MoE layer indices', () => {
  it('an explicit list: deduplicated, sorted numerically, indices outside 0..n-1 and fractions dropped', () => {
    const a = arch({ num_layers: 12, moe_layers: [10, 2, 9, 2, -1, 12, 1.5, 11] });
    expect(moeLayerIndices(a)).toEqual([2, 9, 10, 11]);
    // the last index n − 1 is kept, n is not
    expect(moeLayerIndices(a, 11)).toEqual([2, 9, 10]);
  });

  it('no experts: no MoE layer, whatever the period (every layer dense, 3·8·6 = 144 each)', () => {
    const dense = arch({ num_experts: 0, num_experts_per_tok: 0, dense_intermediate_size: 6 });
    expect(moeLayerIndices(dense)).toEqual([]);
    const b = countParameters(dense);
    expect(b.layers).toEqual({ total: 2, moe: 0, dense: 2 });
    // 128 + 128 + 384 + 40 + 2 × 144 = 968
    expect(b.modules.dense_ffn).toBe(288);
    expect(b.total_main).toBe(968);
  });
});

describe('norms', () => {
  it('LayerNorm with bias 2·d; LayerNorm without bias and RMSNorm d (a bias flag on RMSNorm is ignored)', () => {
    expect(norm(arch({ norm_type: 'layernorm', norm_bias: true }), 8)).toBe(16);
    expect(norm(arch({ norm_type: 'layernorm', norm_bias: false }), 8)).toBe(8);
    expect(norm(arch({ norm_type: 'rmsnorm', norm_bias: true }), 8)).toBe(8);
  });
});

describe('MLA attention', () => {
  // per layer: q_a 8·4 = 32 + q_a_norm 4 + q_b 4·2·(2+2) = 32 → 68; kv_a 8·(4+2) = 48 + kv_a_norm 4 → 52;
  // kv_b 4·2·(2+2) = 32; o 2·2·8 = 32 → 184 per layer, 368 for 2
  it('low-rank q: 184 per layer', () => {
    expect(countParameters(mla).modules.attention).toBe(368);
  });

  it('attention_bias adds q_a r_q + kv_a (r_kv + rope) and o d: 184 + 4 + 6 + 8 = 202', () => {
    expect(countParameters({ ...mla, attention_qkv_bias: true } as Architecture).modules.attention).toBe(2 * 194);
    expect(countParameters({ ...mla, attention_out_bias: true } as Architecture).modules.attention).toBe(2 * 192);
    expect(
      countParameters({ ...mla, attention_qkv_bias: true, attention_out_bias: true } as Architecture).modules.attention,
    ).toBe(2 * 202);
  });

  it('full-rank q: d·H·(nope + rope) = 8·2·4 = 64 replaces 68; a q bias needs the latent', () => {
    // 184 − 68 + 64 = 180
    expect(countParameters({ ...mla, q_lora_rank: null } as Architecture).modules.attention).toBe(360);
    // with attention_qkv_bias only kv_a's 6 is added (there is no q_a): 186
    expect(
      countParameters({ ...mla, q_lora_rank: null, attention_qkv_bias: true } as Architecture).modules.attention,
    ).toBe(372);
  });

  it('block-FP8 scales of the full-rank q: ⌈(H·qk)/b⌉·⌈d/b⌉ with b = 4 → ⌈8/4⌉·⌈8/4⌉ = 4', () => {
    // per layer, b = 4: q [8 out, 8 in] 2·2 = 4; kv_a [6, 8] 2·2 = 4; kv_b [8, 4] 2·1 = 2; o [8, 4] 2·1 = 2
    // experts: 4 × (gate [6, 8] 2·2 + up 4 + down [8, 6] 2·2) = 4 × 12 = 48 → 60 per layer
    const b = countParameters({ ...mla, q_lora_rank: null, checkpoint_fp8_block: 4 } as Architecture);
    expect(b.extra.fp8_scales).toBe(2 * 60);
  });
});

describe('MTP modules', () => {
  // one MTP module: enorm + hnorm 16 + eh_proj 2·8·8 = 128 + final norm 8 = 152, plus its layer(s)
  // a MoE layer: attention 192 + norms 16 + router 32 + experts 576 = 816; dense (I 6): 192 + 16 + 144 = 352
  const mtp = (m: Record<string, unknown>) =>
    arch({ mtp: { num_modules: 1, layer_kind: 'moe', stores_embedding: false, stores_head: false, ...m } });

  it('one module of one MoE layer: 152 + 816 = 968', () => {
    expect(countParameters(mtp({})).extra.mtp).toBe(968);
  });

  it('layers_per_module 2: 152 + 2 × 816 = 1,784', () => {
    expect(countParameters(mtp({ layers_per_module: 2 })).extra.mtp).toBe(1784);
  });

  it('a dense MTP layer in an all-MoE model needs the dense width: 152 + 352 = 504', () => {
    expect(() => countParameters(mtp({ layer_kind: 'dense' }))).toThrow('field dense_intermediate_size must');
    const b = countParameters({ ...mtp({ layer_kind: 'dense' }), dense_intermediate_size: 6 } as Architecture);
    expect(b.extra.mtp).toBe(504);
    // the main model stays all-MoE
    expect(b.modules.dense_ffn).toBe(0);
  });

  it('0 modules: nothing, even with stored copies declared', () => {
    const b = countParameters(mtp({ num_modules: 0, stores_embedding: true, stores_head: true }));
    expect(b.extra.mtp).toBe(0);
    expect(b.extra.mtp_stored_copies).toBe(0);
    expect(b.total_logical).toBe(1896);
  });

  it('block-FP8 scales of a Gated DeltaNet layer (b = 4)', () => {
    // same linear layer as below (convDim 6, value 2, V 1): in_proj_qkv [6, 8] ⌈6/4⌉·⌈8/4⌉ = 4,
    // in_proj_z [2, 8] 1·2 = 2, in_proj_b and in_proj_a [1, 8] 2 each, out_proj [8, 2] 2·1 = 2 → 12;
    // the full layer: q [8, 8] 4 + k, v [4, 8] 2 each + o [8, 8] 4 = 12; experts 4 × (4 + 4 + 4) = 48 per layer
    const gdn = { num_key_heads: 1, key_head_dim: 2, num_value_heads: 1, value_head_dim: 2, conv_kernel: 2 };
    const b = countParameters(
      arch({ layer_attention: ['full', 'linear'], gated_deltanet: gdn, checkpoint_fp8_block: 4 }),
    );
    expect(b.extra.fp8_scales).toBe(12 + 12 + 2 * 48);
  });

  it('an MTP module of 2 layers after a linear last layer: both MTP layers are full attention', () => {
    const gdn = { num_key_heads: 1, key_head_dim: 2, num_value_heads: 1, value_head_dim: 2, conv_kernel: 2 };
    const b = countParameters({
      ...mtp({ layers_per_module: 2 }),
      layer_attention: ['full', 'linear'],
      gated_deltanet: gdn,
    } as Architecture);
    // 152 + 2 × 816, as for the all-full model
    expect(b.extra.mtp).toBe(1784);
  });

  it('kindOf: MTP layers (index >= L) are full; main layers as listed, full where the list stops', () => {
    const a = arch({ layer_attention: ['full', 'linear'] });
    const kinds = layerAttentionKinds(a);
    expect(kinds).toEqual(['full', 'linear']);
    expect(kindOf(a, kinds, 1)).toBe('linear');
    expect(kindOf(a, kinds, 2)).toBe('full');
    expect(kindOf(a, [], 0)).toBe('full');
    // without layer_attention every main layer is full
    expect(layerAttentionKinds(base)).toEqual(['full', 'full']);
  });

  it('MTP layers are full attention even when the last main layer is linear', () => {
    // main layers: full, linear (Gated DeltaNet with K 1, dk 2, V 1, dv 2, kernel 2):
    // convDim 2·2 + 2 = 6; in_proj_qkv 8·6 = 48, z 8·2 = 16, b and a 2·8·1 = 16, conv 6·2 = 12,
    // dt_bias + A_log 2, norm 2, out 2·8 = 16 → 112
    const gdn = { num_key_heads: 1, key_head_dim: 2, num_value_heads: 1, value_head_dim: 2, conv_kernel: 2 };
    const b = countParameters({
      ...mtp({}),
      layer_attention: ['full', 'linear'],
      gated_deltanet: gdn,
    } as Architecture);
    expect(b.modules.linear_attention).toBe(112);
    expect(b.modules.attention).toBe(192);
    // the MTP layer (index 2) is a GQA layer: 968 as above
    expect(b.extra.mtp).toBe(968);
  });
});

describe('DeepSeek-V4 layer kinds and checks (deepseek-v4-pro.json)', () => {
  const v4 = architectureFromHfConfig(presetConfig('deepseek-v4-pro.json'));
  if (v4.attention_type !== 'csa_hca') throw new Error('expected DeepSeek-V4 attention');
  // compress_ratios: 128, 128, then 4 and 128 alternating for the 61 main layers, then 0 for the MTP layer

  it('layer kinds follow the compress ratios: 128 → hca, 4 (the CSA ratio) → csa, main layers only', () => {
    const kinds = layerAttentionKinds(v4);
    expect(kinds.length).toBe(61);
    expect(kinds.slice(0, 4)).toEqual(['hca', 'hca', 'csa', 'hca']);
    expect(kinds.filter((k) => k === 'csa').length).toBe(30);
    // the MTP layer (index 61) has ratio 0: the window alone
    expect(kindOf(v4, kinds, 2)).toBe('csa');
    expect(kindOf(v4, kinds, 61)).toBe('sliding');
    // past the listed ratios a layer is read as ratio 0
    expect(kindOf(v4, kinds, 99)).toBe('sliding');
  });

  it('compressors and indexers beyond 2^53 are refused by name', () => {
    const ratios = [...v4.compress_ratios];
    ratios[0] = 2 ** 50; // an HCA layer: ape alone is 2^50·512
    expect(() => countParameters({ ...v4, compress_ratios: ratios })).toThrow(
      'parameter count for compressors exceeds',
    );
    // CSA indexers: wq_b r_q·n_I·d_I with d_I = 2^45
    expect(() => countParameters({ ...v4, index_head_dim: 2 ** 45 })).toThrow('parameter count for indexers exceeds');
  });

  it('the kinds come from the ratios even when the Architecture carries no layer_attention', () => {
    const kinds = layerAttentionKinds({ ...v4, layer_attention: null });
    expect(kinds.slice(0, 4)).toEqual(['hca', 'hca', 'csa', 'hca']);
    expect(kinds.length).toBe(61);
  });

  it('o_groups must divide H·head_dim; every layer, MTP included, needs a ratio >= 0', () => {
    // 128 × 512 = 65,536 is not a multiple of 3
    expect(() => countParameters({ ...v4, o_groups: 3 })).toThrow(
      'o_groups (3) must divide num_attention_heads × head_dim',
    );
    expect(() => countParameters({ ...v4, compress_ratios: v4.compress_ratios.slice(0, 61) })).toThrow(
      'compress_ratios has 61 entries; 61 layers + 1 MTP layers need one each',
    );
    // 2 MTP modules of 2 layers each need 61 + 4 = 65
    const mtp2 = { ...v4, mtp: { ...(v4.mtp as NonNullable<typeof v4.mtp>), num_modules: 2, layers_per_module: 2 } };
    expect(() => countParameters(mtp2)).toThrow(
      'compress_ratios has 62 entries; 61 layers + 4 MTP layers need one each',
    );
    // without MTP, 61 are enough
    expect(countParameters({ ...v4, mtp: null, compress_ratios: v4.compress_ratios.slice(0, 61) }).extra.mtp).toBe(0);
    const bad = [...v4.compress_ratios];
    bad[3] = -4;
    expect(() => countParameters({ ...v4, compress_ratios: bad })).toThrow('field compress_ratios[3] must');
    expect(() => countParameters({ ...v4, o_lora_rank: 0 })).toThrow('field o_lora_rank must');
  });
});

describe('vision tower positions from the image size', () => {
  // hidden 2, 1 block, MLP 4, 2×2 patches of 1 channel, 4×4 images, a class token, no biases or norms:
  // patch embedding 1·1·2·2·2 = 8; class token 2; positions (⌊4/2⌋² + 1) = 5 rows × 2 = 10;
  // block: attention 4·2·2 = 16, MLP 2·2·4 = 16, two LayerNorms 4·2 = 8 → 40; total 60
  const v = {
    hidden_size: 2,
    num_layers: 1,
    intermediate_size: 4,
    patch_size: 2,
    image_size: 4,
    num_channels: 1,
    attention_bias: false,
    mlp_bias: false,
    patch_bias: false,
    class_token: true,
    pre_norm: false,
    post_norm: false,
    adapter: [],
    projector: [],
  };

  it('⌊image/patch⌋² positions, + 1 for the class token: 60', () => {
    expect(visionParams(v)).toBe(60);
  });

  it('a tower beyond 2^53 is refused by name: 4·h² = 2^56 for h = 2^27', () => {
    expect(() => countParameters(arch({ vision: { ...v, hidden_size: 2 ** 27 } }))).toThrow(
      'parameter count for vision exceeds the exactly representable range',
    );
  });

  it('needs num_positions or image_size', () => {
    const { image_size: _, ...noSize } = v;
    expect(() => visionParams(noSize)).toThrow('vision: num_positions or image_size is required');
    // num_positions 7 replaces the 5 derived rows: 60 + 2 × 2 = 64
    expect(visionParams({ ...noSize, num_positions: 7 })).toBe(64);
  });
});
