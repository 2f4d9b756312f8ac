import type { Architecture, VisionSpec } from '../../types.js';
import type { Fields } from '../fields.js';
import { glm4Moe } from './glm4-moe.js';

/**
 * The GLM-4.1V / GLM-4.5V vision tower (modular_glm4v.py Glm4vVisionModel, which Glm4vMoe
 * reuses): patch_embed Conv3d(in_channels, h, [temporal, patch, patch]) with bias,
 * post_conv_layernorm RMSNorm(h), a learned position table of (image_size/patch_size)² rows;
 * blocks with RMSNorm norm1/norm2, attn.qkv Linear(h, 3h) with bias per attention_bias and
 * attn.proj Linear(h, h) without, and a gated MLP (gate/up h→out_hidden_size, down back, no
 * bias); post_layernorm RMSNorm(h); downsample Conv2d(h, out_hidden_size, kernel
 * spatial_merge_size) with bias, here a Linear(h·m², out) with the same parameters; the merger:
 * proj Linear(out, out), post_projection_norm LayerNorm(out) with bias, gate/up out→intermediate_size
 * and down back, no biases.
 */
function glm4vVision(v: Fields, textHidden: number): VisionSpec {
  const h = v.int('hidden_size');
  const out = v.intOr('out_hidden_size', textHidden, 1);
  const I = v.int('intermediate_size');
  const m = v.intOr('spatial_merge_size', 2, 1);
  return {
    hidden_size: h,
    num_layers: v.int('depth'),
    // the block MLP's width is out_hidden_size (Glm4VisionMlp); intermediate_size sizes the merger
    intermediate_size: out,
    patch_size: v.int('patch_size'),
    image_size: v.int('image_size'),
    temporal_patch_size: v.intOr('temporal_patch_size', 2, 1),
    num_channels: v.intOr('in_channels', 3, 1),
    attention_bias: v.bool('attention_bias', false),
    attention_out_bias: false,
    mlp_bias: false,
    mlp_gated: true,
    norm_type: 'rmsnorm',
    patch_bias: true,
    class_token: false,
    pre_norm: true,
    post_norm: true,
    projector_norm: out,
    adapter: [[h * m * m, out, true]],
    projector: [
      [out, out, false],
      [out, I, false],
      [out, I, false],
      [I, out, false],
    ],
  };
}

/**
 * GLM-4.5V (model_type "glm4v_moe", modular_glm4v_moe.py): the GLM-4.5 MoE text model under
 * text_config (Glm4vMoeTextDecoderLayer = Glm4MoeDecoderLayer, its MoE and router) and the
 * GLM-4.1V vision tower.
 */
export function glm4vMoe(top: Fields): Architecture {
  const text = top.sub('text_config');
  const arch = glm4Moe(text);
  const tie = top.has('tie_word_embeddings')
    ? top.bool('tie_word_embeddings', false)
    : text.bool('tie_word_embeddings', false);
  return {
    ...arch,
    model_type: 'glm4v_moe',
    tie_word_embeddings: tie,
    vision: top.has('vision_config') ? glm4vVision(top.sub('vision_config'), arch.hidden_size) : null,
  };
}
