/** Vision towers of the multimodal families, read from their `vision_config`. */
import type { VisionSpec } from '../types.js';
import type { Fields } from './fields.js';

/** Kimi K2.5 / K2.6 MoonViT tower and patch-merger projector (modeling_kimi_k25.py). */
export function moonVit(v: Fields, textHidden: number): VisionSpec {
  const hidden = v.int('vt_hidden_size');
  const posType = v.str('pos_emb_type') ?? 'divided_fixed';
  // Learnable2DInterpPosEmbDivided_fixed: a learned [height, width, dim] table; the time
  // embedding is a fixed sin-cos buffer, not stored.
  if (posType !== 'divided_fixed') v.invalid('pos_emb_type', '"divided_fixed"');
  const kernel = v.intList('merge_kernel_size') ?? [2, 2];
  if (kernel.length !== 2) v.invalid('merge_kernel_size', 'two integers');
  const mm = v.intOr('mm_hidden_size', hidden, 1);
  const merged = mm * (kernel[0] as number) * (kernel[1] as number);
  const projType = v.str('mm_projector_type') ?? 'patchmerger';
  const out = v.intOr('text_hidden_size', textHidden, 1);
  let projector: [number, number, boolean][];
  if (projType === 'patchmerger') {
    // PatchMergerMLP: pre_norm LayerNorm(mm_hidden_size), proj = Linear(mm·k·k, mm·k·k), GELU,
    // Linear(mm·k·k, text hidden), both with bias.
    projector = [
      [merged, merged, true],
      [merged, out, true],
    ];
  } else if (projType === 'mlp') {
    // MLP: pre_norm LayerNorm(mm_hidden_size), Linear(mm, text hidden), GELU, Linear(text hidden, text hidden).
    projector = [
      [mm, out, true],
      [out, out, true],
    ];
  } else {
    v.invalid('mm_projector_type', '"patchmerger" or "mlp"');
  }
  return {
    hidden_size: hidden,
    num_layers: v.int('vt_num_hidden_layers'),
    intermediate_size: v.int('vt_intermediate_size'),
    patch_size: v.int('patch_size'),
    num_channels: v.intOr('in_chans', 3, 1),
    // MoonViTEncoderLayer: norm0/norm1 LayerNorm with bias, wqkv Linear(h, 3h) and wo Linear(h, h)
    // with attn_bias=True, MLP2 fc0/fc1 with bias; MoonVision3dPatchEmbed.proj = Conv2d with bias;
    // the encoder ends in final_layernorm; no class token.
    attention_bias: true,
    mlp_bias: true,
    patch_bias: true,
    class_token: false,
    num_positions: v.int('init_pos_emb_height') * v.int('init_pos_emb_width'),
    pre_norm: false,
    post_norm: true,
    projector_norm: mm,
    adapter: [],
    projector,
  };
}

/** Qwen3-VL-style vision tower of Qwen3.5 (Qwen3_5MoeVisionModel). */
export function qwen35Vision(v: Fields, textHidden: number): VisionSpec {
  const hidden = v.int('hidden_size');
  const merge = v.intOr('spatial_merge_size', 2, 1);
  const merged = hidden * merge * merge;
  const out = v.intOr('out_hidden_size', textHidden, 1);
  const deepstack = v.intList('deepstack_visual_indexes') ?? [];
  return {
    hidden_size: hidden,
    num_layers: v.int('depth'),
    intermediate_size: v.int('intermediate_size'),
    patch_size: v.int('patch_size'),
    temporal_patch_size: v.intOr('temporal_patch_size', 2, 1),
    num_channels: v.intOr('in_channels', 3, 1),
    // patch_embed.proj = Conv3d(in_channels, hidden, [temporal, patch, patch]) with bias;
    // pos_embed = Embedding(num_position_embeddings, hidden); blocks: norm1/norm2 LayerNorm with
    // bias, attn.qkv Linear(h, 3h) and attn.proj Linear(h, h) with bias, mlp linear_fc1/linear_fc2
    // with bias; no final norm and no class token.
    attention_bias: true,
    mlp_bias: true,
    patch_bias: true,
    class_token: false,
    num_positions: v.int('num_position_embeddings'),
    pre_norm: false,
    post_norm: false,
    // merger: norm LayerNorm(hidden), linear_fc1 (h·m², h·m²), linear_fc2 (h·m², out_hidden_size), with bias
    projector_norm: hidden,
    adapter: [],
    projector: [
      [merged, merged, true],
      [merged, out, true],
    ],
    // one deepstack merger per deepstack_visual_indexes entry: the same with LayerNorm(h·m²)
    extra_mergers: deepstack.map(() => ({
      norm: merged,
      layers: [
        [merged, merged, true],
        [merged, out, true],
      ],
    })),
  };
}

export function llama4Vision(v: Fields, textHidden: number): VisionSpec {
  const hidden = v.int('hidden_size');
  const inter = v.int('intermediate_size');
  return {
    hidden_size: hidden,
    num_layers: v.int('num_hidden_layers'),
    intermediate_size: inter,
    patch_size: v.int('patch_size'),
    image_size: v.int('image_size'),
    num_channels: v.intOr('num_channels', 3, 1),
    // modeling_llama4 Llama4VisionModel: patch_embedding = Llama4UnfoldConvolution
    // (Linear(C·p·p, hidden, bias=False)), class_embedding (hidden), positional_embedding_vlm
    // ((image/patch)^2 + 1 rows), layernorm_pre/post (LayerNorm with bias), encoder layers with
    // q/k/v/o Linear(bias=True), MLP fc1/fc2 (bias=True) and two LayerNorms.
    attention_bias: true,
    mlp_bias: true,
    patch_bias: false,
    class_token: true,
    pre_norm: true,
    post_norm: true,
    // Llama4VisionPixelShuffleMLP -> Llama4VisionMLP2: fc1 Linear(intermediate_size,
    // projector_input_dim) and fc2 Linear(projector_output_dim, projector_output_dim), bias=False.
    adapter: [
      [inter, v.int('projector_input_dim'), false],
      [v.int('projector_output_dim'), v.int('projector_output_dim'), false],
    ],
    // Llama4MultiModalProjector.linear_1 = Linear(vision_output_dim, text hidden_size, bias=False).
    projector: [[v.int('vision_output_dim'), textHidden, false]],
  };
}
