import type { Architecture, GqaShape, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { NO_SHARED, RMS_PRE_NORMS, common } from './common.js';

/**
 * Per-layer 0/1 flags (`hybrid_layer_pattern`, `moe_layer_freq` as the vendor's configs spell them)
 * or per-layer strings (`layer_types`, `mlp_layer_types` as transformers spells them): true where
 * the layer is of the second kind (sliding, MoE). Absent = `dflt`.
 */
function layerFlags(
  f: Fields,
  L: number,
  flagsKey: string,
  namesKey: string,
  names: [string, string],
  dflt: (i: number) => boolean,
): boolean[] {
  const raw = f.raw(flagsKey);
  if (raw != null) {
    if (!Array.isArray(raw) || raw.length !== L || raw.some((x) => x !== 0 && x !== 1)) {
      f.invalid(flagsKey, `a list of ${L} entries, each 0 or 1`);
    }
    return raw.map((x) => x === 1);
  }
  const list = f.strList(namesKey);
  if (list === undefined) return Array.from({ length: L }, (_, i) => dflt(i));
  if (list.length !== L || list.some((t) => !names.includes(t))) {
    f.invalid(namesKey, `a list of ${L} entries, each "${names[0]}" or "${names[1]}"`);
  }
  return list.map((t) => t === names[1]);
}

/**
 * Xiaomi MiMo-V2 (MiMo-V2-Flash `mimo_v2_flash`, MiMo-V2.5 / V2.5-Pro `mimo_v2`): GQA attention
 * whose q and k heads are head_dim wide but v heads v_head_dim (192 / 128), in full-attention
 * layers and sliding-window layers with their own head counts and a learned sink per query head;
 * a dense gated MLP (intermediate_size) in the layers `moe_layer_freq` marks 0 (the first), and
 * in the others DeepSeek-V3-style sigmoid routing (router weight E·d plus the
 * e_score_correction_bias buffer the checkpoint stores) over E gated experts of
 * moe_intermediate_size, no shared expert.
 *
 * Two spellings are read. transformers' modeling_mimo_v2_flash.py (MiMoV2FlashAttention):
 * layer_types / mlp_layer_types, the sliding layers have num_key_value_heads·2 KV heads and
 * `sinks` (num_attention_heads), the full layers none. The vendor's configs (remote code):
 * hybrid_layer_pattern (1 = sliding) / moe_layer_freq (1 = MoE), swa_num_attention_heads,
 * swa_num_key_value_heads, swa_head_dim, swa_v_head_dim, and add_swa_attention_sink_bias /
 * add_full_attention_sink_bias for the sinks. q, k and v carry attention_bias; o_proj has none.
 * The MTP layers (model.mtp.*, num_nextn_predict_layers) are skipped by transformers and not
 * counted; MiMo-V2.5's vision and audio encoders are not modelled.
 */
export function mimoV2(f: Fields, modelType: string): Architecture {
  const c = common(f);
  const L = c.num_layers;
  const H = f.int('num_attention_heads');
  const K = f.int('num_key_value_heads');
  const hd = f.has('head_dim') ? f.int('head_dim') : f.headDim(c.hidden_size, H);
  const vd = f.has('v_head_dim') ? f.int('v_head_dim') : hd;
  // transformers' default: full attention in layer 0 and every 6th layer, sliding elsewhere
  const slidingFlags = layerFlags(
    f,
    L,
    'hybrid_layer_pattern',
    'layer_types',
    ['full_attention', 'sliding_attention'],
    (i) => !(i === 0 || (i + 1) % 6 === 0),
  );
  // default: the first layer dense, the rest MoE
  const moeFlags = layerFlags(f, L, 'moe_layer_freq', 'mlp_layer_types', ['dense', 'sparse'], (i) => i > 0);
  const vendor = f.has('swa_num_key_value_heads');
  const sliding: GqaShape = vendor
    ? {
        num_attention_heads: f.intOr('swa_num_attention_heads', H, 1),
        num_key_value_heads: f.int('swa_num_key_value_heads'),
        head_dim: f.intOr('swa_head_dim', hd, 1),
        v_head_dim: f.intOr('swa_v_head_dim', vd, 1),
        attention_sinks: f.bool('add_swa_attention_sink_bias', false),
      }
    : { num_attention_heads: H, num_key_value_heads: 2 * K, head_dim: hd, v_head_dim: vd, attention_sinks: true };
  const hasSliding = slidingFlags.some((s) => s);
  const window = f.has('sliding_window') ? f.int('sliding_window') : hasSliding ? f.int('sliding_window_size') : null;
  const moeLayers = moeFlags.flatMap((m, i) => (m ? [i] : []));
  const bias = f.bool('attention_bias', false);
  return {
    model_type: modelType,
    ...c,
    lm_head_bias: false,
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: K,
    head_dim: hd,
    v_head_dim: vd,
    attention_qkv_bias: bias,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: vendor ? f.bool('add_full_attention_sink_bias', false) : false,
    sliding_attention: hasSliding ? sliding : null,
    ...RMS_PRE_NORMS,
    num_experts: f.int('n_routed_experts'),
    num_experts_per_tok: f.int('num_experts_per_tok'),
    moe_intermediate_size: f.int('moe_intermediate_size'),
    expert_gated: true,
    expert_bias: false,
    ...NO_SHARED,
    router_bias: false,
    router_score_correction_bias: true,
    first_k_dense_replace: 0,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    moe_layers: moeLayers,
    dense_intermediate_size: moeLayers.length < L ? f.int('intermediate_size') : null,
    layer_attention: slidingFlags.map((s): LayerAttentionKind => (s ? 'sliding' : 'full')),
    sliding_window: hasSliding ? window : null,
  };
}
