import type { Architecture, LayerAttentionKind, VisionSpec } from '../../types.js';
import type { Fields } from '../fields.js';

/** Per-layer flags from a list of 0/1 (or booleans); absent = `dflt` for every layer. */
function flags(f: Fields, key: string, L: number, list: unknown, dflt: boolean): boolean[] {
  if (list == null) return new Array<boolean>(L).fill(dflt);
  if (!Array.isArray(list) || list.length !== L || list.some((x) => ![0, 1, true, false].includes(x as number))) {
    return f.invalid(key, `a list of ${L} entries, each 0 or 1`);
  }
  return list.map((x) => x === 1 || x === true);
}

/** Per-layer names: true where the entry is `yes`, false where `no`. */
function names(f: Fields, key: string, L: number, list: string[], yes: string, no: string): boolean[] {
  if (list.length !== L || list.some((t) => t !== yes && t !== no)) {
    return f.invalid(key, `a list of ${L} entries, each "${yes}" or "${no}"`);
  }
  return list.map((t) => t === yes);
}

/**
 * The MiniMax-M3 vision tower (modular_minimax_m3_vl.py): Conv3d patch embedding
 * (channels·temporal·patch² → h, no bias), pre_layrnorm LayerNorm(h), CLIP encoder layers
 * (q/k/v/out_proj h·h with biases, fc1 h·I and fc2 I·h with biases, two LayerNorms), 3D RoPE (no
 * position table), no post norm; the two-stage projector `MiniMaxM3VLMultiModalProjector`: linear_1
 * h → P and linear_2 P → d per patch, then merge_linear_1 (m²·d) → P and merge_linear_2 P → d over
 * each m×m group, all with biases (P = projector_hidden_size, m = spatial_merge_size).
 */
function m3Vision(top: Fields, v: Fields | null, textHidden: number): VisionSpec {
  // MiniMaxM3VLVisionConfig's defaults stand in for what the config leaves out (or the whole tower)
  const int = (key: string, dflt: number): number => (v ? v.intOr(key, dflt, 1) : dflt);
  const h = int('hidden_size', 1280);
  const P = top.intOr('projector_hidden_size', 6144, 1);
  const m = int('spatial_merge_size', 2);
  return {
    hidden_size: h,
    num_layers: int('num_hidden_layers', 32),
    intermediate_size: int('intermediate_size', 5120),
    patch_size: int('patch_size', 14),
    temporal_patch_size: int('temporal_patch_size', 2),
    num_channels: int('num_channels', 3),
    num_positions: 0,
    attention_bias: true,
    mlp_bias: true,
    patch_bias: false,
    class_token: false,
    pre_norm: true,
    post_norm: false,
    adapter: [],
    projector: [
      [h, P, true],
      [P, textHidden, true],
      [m * m * textHidden, P, true],
      [P, textHidden, true],
    ],
  };
}

/**
 * MiniMax-M3 (model_type "minimax_m3_vl", transformers >= 5.12, modular_minimax_m3_vl.py), the text
 * model under text_config: GQA with Gemma-style per-head q/k RMSNorms (MiniMaxM3VLAttention, no
 * biases); in the `minimax_m3_sparse` layers (`layer_types`, or sparse_attention_config's
 * `sparse_attention_freq`) a lightning indexer of index_n_heads × index_head_dim
 * (`sparse_num_index_heads` / `sparse_index_dim` in the vendor's spelling); MoE layers
 * (`mlp_layer_types` "sparse", or `moe_layer_freq` 1) with a sigmoid router (weight E·d and the
 * e_score_correction_bias buffer), E gated experts of intermediate_size and one shared expert of
 * shared_intermediate_size (MiniMaxM3VLDenseMLP: fused gate_up and down, no bias), dense layers a
 * MiniMaxM3VLDenseMLP of dense_intermediate_size; two norms a layer and a final norm; an untied
 * head. The config-class defaults fill what a config leaves out. The MTP modules (`mtp.*`, skipped
 * by transformers) are not counted.
 */
export function minimaxM3Vl(top: Fields, modelType: string): Architecture {
  const f = top.has('text_config') ? top.sub('text_config') : top;
  const L = f.intOr('num_hidden_layers', 60, 1);
  const sparseCfg = f.has('sparse_attention_config') ? f.sub('sparse_attention_config') : null;
  const layerTypes = f.strList('layer_types');
  const sparse = layerTypes
    ? names(f, 'layer_types', L, layerTypes, 'minimax_m3_sparse', 'full_attention')
    : flags(sparseCfg ?? f, 'sparse_attention_freq', L, sparseCfg?.raw('sparse_attention_freq'), false);
  const mlpTypes = f.strList('mlp_layer_types');
  const moe = mlpTypes
    ? names(f, 'mlp_layer_types', L, mlpTypes, 'sparse', 'dense')
    : flags(f, 'moe_layer_freq', L, f.raw('moe_layer_freq'), true);
  const indexN = f.has('index_n_heads')
    ? f.int('index_n_heads')
    : (sparseCfg?.intOr('sparse_num_index_heads', 4, 1) ?? 4);
  const indexH = f.has('index_head_dim')
    ? f.int('index_head_dim')
    : (sparseCfg?.intOr('sparse_index_dim', 128, 1) ?? 128);
  const d = f.intOr('hidden_size', 6144, 1);
  const moeLayers = moe.flatMap((x, i) => (x ? [i] : []));
  const sparseLayers = sparse.flatMap((x, i) => (x ? [i] : []));
  const tie = top.bool('tie_word_embeddings', false) || f.bool('tie_word_embeddings', false);
  return {
    model_type: modelType,
    hidden_size: d,
    num_layers: L,
    vocab_size: f.intOr('vocab_size', 200064, 1),
    tie_word_embeddings: tie,
    lm_head_bias: false,
    attention_type: 'gqa',
    num_attention_heads: f.intOr('num_attention_heads', 64, 1),
    num_key_value_heads: f.intOr('num_key_value_heads', 4, 1),
    head_dim: f.intOr('head_dim', 128, 1),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'per_head',
    attention_sinks: false,
    block_indexer: sparseLayers.length > 0 ? { n_heads: indexN, head_dim: indexH, layers: sparseLayers } : null,
    norm_type: 'rmsnorm',
    norm_bias: false,
    norms_per_layer: 2,
    final_norm: true,
    num_experts: f.intOr('num_local_experts', 128, 1),
    num_experts_per_tok: f.intOr('num_experts_per_tok', 4, 1),
    moe_intermediate_size: f.intOr('intermediate_size', 3072, 1),
    expert_gated: true,
    expert_bias: false,
    num_shared_experts: f.intOr('n_shared_experts', 1, 0),
    shared_expert_intermediate_size: f.intOr('shared_intermediate_size', 3072, 1),
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: true,
    first_k_dense_replace: 0,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    moe_layers: moeLayers,
    dense_intermediate_size: moeLayers.length < L ? f.intOr('dense_intermediate_size', 12288, 1) : null,
    layer_attention: new Array<LayerAttentionKind>(L).fill('full'),
    // MiniMaxM3VLConfig builds the default tower when vision_config is absent; the text-only config has none
    vision:
      modelType === 'minimax_m3_vl'
        ? m3Vision(top, top.has('vision_config') ? top.sub('vision_config') : null, d)
        : null,
  };
}
