// Tiny checkpoints of two families, tensor by tensor with the names and shapes of the Hugging Face
// modeling code (modeling_qwen3_moe.py, modeling_deepseek_v3.py) and the dtypes the released
// checkpoints use (DeepSeek-V3: FP8 E4M3 linears with F32 weight_scale_inv per 128x128 tile, here
// 4x4; BF16 norms, embeddings and router; F32 e_score_correction_bias). Their configs are the tiny
// configs of test/arch/tiny-families.test.ts, whose counts are worked out by hand there.
import type { GgufTensorSpec, TensorSpec } from './write.js';

const t = (name: string, dtype: string, ...shape: number[]): TensorSpec => ({ name, dtype, shape });

/** d 8, 2 layers, V 16, H 2, K 1, head_dim 3, E 4 of width 6, top-2: total_main 1812 by hand. */
export const QWEN3_MOE_CONFIG = {
  model_type: 'qwen3_moe',
  hidden_size: 8,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  vocab_size: 16,
  tie_word_embeddings: false,
  head_dim: 3,
  attention_bias: false,
  intermediate_size: 12,
  moe_intermediate_size: 6,
  num_experts: 4,
  num_experts_per_tok: 2,
  mlp_only_layers: [],
  torch_dtype: 'bfloat16',
};

export function qwen3MoeTensors(): TensorSpec[] {
  const out = [
    t('model.embed_tokens.weight', 'BF16', 16, 8),
    t('lm_head.weight', 'BF16', 16, 8),
    t('model.norm.weight', 'BF16', 8),
  ];
  for (let i = 0; i < 2; i++) {
    const p = `model.layers.${i}.`;
    out.push(
      t(`${p}input_layernorm.weight`, 'BF16', 8),
      t(`${p}post_attention_layernorm.weight`, 'BF16', 8),
      t(`${p}self_attn.q_proj.weight`, 'BF16', 6, 8),
      t(`${p}self_attn.k_proj.weight`, 'BF16', 3, 8),
      t(`${p}self_attn.v_proj.weight`, 'BF16', 3, 8),
      t(`${p}self_attn.o_proj.weight`, 'BF16', 8, 6),
      t(`${p}self_attn.q_norm.weight`, 'BF16', 3),
      t(`${p}self_attn.k_norm.weight`, 'BF16', 3),
      t(`${p}mlp.gate.weight`, 'BF16', 4, 8),
    );
    for (let e = 0; e < 4; e++) {
      out.push(
        t(`${p}mlp.experts.${e}.gate_proj.weight`, 'BF16', 6, 8),
        t(`${p}mlp.experts.${e}.up_proj.weight`, 'BF16', 6, 8),
        t(`${p}mlp.experts.${e}.down_proj.weight`, 'BF16', 8, 6),
      );
    }
  }
  return out;
}

/**
 * d 8, 3 layers (the first dense, width 12), 1 MTP layer, V 16, MLA (H 2, r_q 4, r_kv 4, nope = rope
 * = v = 2), E 4 of width 6 + 1 shared, block-FP8 at 4x4: total_checkpoint 4274 by hand.
 */
export const DEEPSEEK_V3_CONFIG = {
  model_type: 'deepseek_v3',
  hidden_size: 8,
  num_hidden_layers: 3,
  num_attention_heads: 2,
  num_key_value_heads: 2,
  vocab_size: 16,
  tie_word_embeddings: false,
  q_lora_rank: 4,
  kv_lora_rank: 4,
  qk_nope_head_dim: 2,
  qk_rope_head_dim: 2,
  v_head_dim: 2,
  first_k_dense_replace: 1,
  moe_layer_freq: 1,
  intermediate_size: 12,
  moe_intermediate_size: 6,
  n_routed_experts: 4,
  n_shared_experts: 1,
  num_experts_per_tok: 2,
  topk_method: 'noaux_tc',
  num_nextn_predict_layers: 1,
  torch_dtype: 'bfloat16',
  quantization_config: { quant_method: 'fp8', weight_block_size: [4, 4] },
};

/** The dimensions a DeepSeek-V3 checkpoint's tensor shapes follow (config.json field names in comments). */
export interface DeepseekV3Dims {
  d: number; // hidden_size
  V: number; // vocab_size
  H: number; // num_attention_heads
  rq: number; // q_lora_rank
  rkv: number; // kv_lora_rank
  nope: number; // qk_nope_head_dim
  rope: number; // qk_rope_head_dim
  v: number; // v_head_dim
  dense: number; // intermediate_size
  I: number; // moe_intermediate_size
  E: number; // n_routed_experts (one shared expert of width I)
  layers: number; // num_hidden_layers, then one MTP layer
  firstDense: number; // first_k_dense_replace
  block: number; // quantization_config.weight_block_size
}

export const TINY_DEEPSEEK_V3: DeepseekV3Dims = {
  d: 8,
  V: 16,
  H: 2,
  rq: 4,
  rkv: 4,
  nope: 2,
  rope: 2,
  v: 2,
  dense: 12,
  I: 6,
  E: 4,
  layers: 3,
  firstDense: 1,
  block: 4,
};

/** deepseek-ai/DeepSeek-V3's config.json (presets/configs/deepseek-v3.json). */
export const FULL_DEEPSEEK_V3: DeepseekV3Dims = {
  d: 7168,
  V: 129280,
  H: 128,
  rq: 1536,
  rkv: 512,
  nope: 128,
  rope: 64,
  v: 128,
  dense: 18432,
  I: 2048,
  E: 256,
  layers: 61,
  firstDense: 3,
  block: 128,
};

/**
 * Every tensor of a DeepSeek-V3 checkpoint as modeling_deepseek_v3.py names its parameters, with the
 * released storage: FP8 linears with an F32 weight_scale_inv per block × block tile, BF16 norms,
 * embeddings, router and the MTP layer's eh_proj, F32 e_score_correction_bias. Layer `layers` is the
 * MTP module (DeepSeek-V3 stores it as model.layers.61).
 */
export function deepseekV3Tensors(x: DeepseekV3Dims = TINY_DEEPSEEK_V3): TensorSpec[] {
  const { d, V, H, rq, rkv, nope, rope, v, block } = x;
  const fp8 = (name: string, out: number, inn: number): TensorSpec[] => [
    t(`${name}.weight`, 'F8_E4M3', out, inn),
    t(`${name}.weight_scale_inv`, 'F32', Math.ceil(out / block), Math.ceil(inn / block)),
  ];
  const out = [
    t('model.embed_tokens.weight', 'BF16', V, d),
    t('lm_head.weight', 'BF16', V, d),
    t('model.norm.weight', 'BF16', d),
  ];
  for (let i = 0; i <= x.layers; i++) {
    const p = `model.layers.${i}.`;
    out.push(
      t(`${p}input_layernorm.weight`, 'BF16', d),
      t(`${p}post_attention_layernorm.weight`, 'BF16', d),
      ...fp8(`${p}self_attn.q_a_proj`, rq, d),
      t(`${p}self_attn.q_a_layernorm.weight`, 'BF16', rq),
      ...fp8(`${p}self_attn.q_b_proj`, H * (nope + rope), rq),
      ...fp8(`${p}self_attn.kv_a_proj_with_mqa`, rkv + rope, d),
      t(`${p}self_attn.kv_a_layernorm.weight`, 'BF16', rkv),
      ...fp8(`${p}self_attn.kv_b_proj`, H * (nope + v), rkv),
      ...fp8(`${p}self_attn.o_proj`, d, H * v),
    );
    if (i < x.firstDense) {
      out.push(
        ...fp8(`${p}mlp.gate_proj`, x.dense, d),
        ...fp8(`${p}mlp.up_proj`, x.dense, d),
        ...fp8(`${p}mlp.down_proj`, d, x.dense),
      );
      continue;
    }
    out.push(t(`${p}mlp.gate.weight`, 'BF16', x.E, d), t(`${p}mlp.gate.e_score_correction_bias`, 'F32', x.E));
    const ffns = [...Array.from({ length: x.E }, (_, e) => `experts.${e}`), 'shared_experts'];
    for (const e of ffns) {
      out.push(
        ...fp8(`${p}mlp.${e}.gate_proj`, x.I, d),
        ...fp8(`${p}mlp.${e}.up_proj`, x.I, d),
        ...fp8(`${p}mlp.${e}.down_proj`, d, x.I),
      );
    }
    if (i === x.layers) {
      out.push(
        t(`${p}embed_tokens.weight`, 'BF16', V, d),
        t(`${p}enorm.weight`, 'BF16', d),
        t(`${p}hnorm.weight`, 'BF16', d),
        t(`${p}eh_proj.weight`, 'BF16', d, 2 * d),
        t(`${p}shared_head.norm.weight`, 'BF16', d),
        t(`${p}shared_head.head.weight`, 'BF16', V, d),
      );
    }
  }
  return out;
}

/**
 * The same qwen3_moe model as llama.cpp writes it to GGUF (convert_hf_to_gguf.py, tensor names of
 * gguf-py/gguf/constants.py): embedding and head in Q8_0 (32 values in 34 bytes), attention in F16,
 * norms and the router in F32, the stacked experts in Q4_0 (32 values in 18 bytes).
 */
export function qwen3MoeGguf(): GgufTensorSpec[] {
  const g = (name: string, type: number, dims: number[]): GgufTensorSpec => {
    const n = dims.reduce((a, b) => a * b, 1);
    const bytes = type === 0 ? 4 * n : type === 1 ? 2 * n : type === 8 ? (n / 32) * 34 : (n / 32) * 18;
    return { name, type, dims, bytes };
  };
  const out = [g('token_embd.weight', 8, [8, 16]), g('output_norm.weight', 0, [8]), g('output.weight', 8, [8, 16])];
  for (let i = 0; i < 2; i++) {
    const p = `blk.${i}.`;
    out.push(
      g(`${p}attn_norm.weight`, 0, [8]),
      g(`${p}attn_q.weight`, 1, [8, 6]),
      g(`${p}attn_k.weight`, 1, [8, 3]),
      g(`${p}attn_v.weight`, 1, [8, 3]),
      g(`${p}attn_output.weight`, 1, [6, 8]),
      g(`${p}attn_q_norm.weight`, 0, [3]),
      g(`${p}attn_k_norm.weight`, 0, [3]),
      g(`${p}ffn_norm.weight`, 0, [8]),
      g(`${p}ffn_gate_inp.weight`, 0, [8, 4]),
      g(`${p}ffn_gate_exps.weight`, 2, [8, 6, 4]),
      g(`${p}ffn_up_exps.weight`, 2, [8, 6, 4]),
      g(`${p}ffn_down_exps.weight`, 2, [6, 8, 4]),
    );
  }
  return out;
}

/**
 * Nemotron-H with one block of each kind (hybrid_override_pattern "M*E-": Mamba-2, attention, MoE,
 * MLP): d 8, V 16, attention H 2, K 1, head_dim 4; Mamba-2 2 heads of 4, 1 group, state 2, kernel 4;
 * 2 non-gated experts of width 4, top-1, one shared MLP of 6; the MLP block's width 12.
 */
export const NEMOTRON_H_CONFIG = {
  model_type: 'nemotron_h',
  hidden_size: 8,
  vocab_size: 16,
  tie_word_embeddings: false,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  head_dim: 4,
  mamba_num_heads: 2,
  mamba_head_dim: 4,
  n_groups: 1,
  ssm_state_size: 2,
  conv_kernel: 4,
  use_conv_bias: true,
  use_bias: false,
  n_routed_experts: 2,
  num_experts_per_tok: 1,
  moe_intermediate_size: 4,
  n_shared_experts: 1,
  moe_shared_expert_intermediate_size: 6,
  intermediate_size: 12,
  hybrid_override_pattern: 'M*E-',
  torch_dtype: 'bfloat16',
};

/**
 * The tensors of NEMOTRON_H_CONFIG with the released checkpoints' names (the vendor's remote-code
 * `backbone.` prefix, experts one module each; transformers modeling_nemotron_h.py for the module
 * names and shapes): NemotronHMamba2Mixer in_proj [d_inner + conv_dim + heads, d], conv1d
 * [conv_dim, 1, kernel] with bias, dt_bias / A_log / D [heads], gated norm [d_inner], out_proj;
 * the router's e_score_correction_bias in F32 (DeepSeek-V3's router, kept in float32).
 */
export function nemotronHTensors(): TensorSpec[] {
  const b = (i: number, rest: string) => `backbone.layers.${i}.${rest}`;
  const out = [t('backbone.embeddings.weight', 'BF16', 16, 8), t('lm_head.weight', 'BF16', 16, 8)];
  for (let i = 0; i < 4; i++) out.push(t(b(i, 'norm.weight'), 'BF16', 8));
  // d_inner = 2 heads × 4 = 8; conv_dim = d_inner + 2 × groups × state = 8 + 2·1·2 = 12;
  // in_proj rows = d_inner + conv_dim + heads = 8 + 12 + 2 = 22
  out.push(
    t(b(0, 'mixer.in_proj.weight'), 'BF16', 22, 8),
    t(b(0, 'mixer.conv1d.weight'), 'BF16', 12, 1, 4),
    t(b(0, 'mixer.conv1d.bias'), 'BF16', 12),
    t(b(0, 'mixer.dt_bias'), 'BF16', 2),
    t(b(0, 'mixer.A_log'), 'BF16', 2),
    t(b(0, 'mixer.D'), 'BF16', 2),
    t(b(0, 'mixer.norm.weight'), 'BF16', 8),
    t(b(0, 'mixer.out_proj.weight'), 'BF16', 8, 8),
  );
  out.push(
    t(b(1, 'mixer.q_proj.weight'), 'BF16', 8, 8),
    t(b(1, 'mixer.k_proj.weight'), 'BF16', 4, 8),
    t(b(1, 'mixer.v_proj.weight'), 'BF16', 4, 8),
    t(b(1, 'mixer.o_proj.weight'), 'BF16', 8, 8),
  );
  out.push(t(b(2, 'mixer.gate.weight'), 'BF16', 2, 8), t(b(2, 'mixer.gate.e_score_correction_bias'), 'F32', 2));
  for (let e = 0; e < 2; e++) {
    out.push(
      t(b(2, `mixer.experts.${e}.up_proj.weight`), 'BF16', 4, 8),
      t(b(2, `mixer.experts.${e}.down_proj.weight`), 'BF16', 8, 4),
    );
  }
  out.push(
    t(b(2, 'mixer.shared_experts.up_proj.weight'), 'BF16', 6, 8),
    t(b(2, 'mixer.shared_experts.down_proj.weight'), 'BF16', 8, 6),
  );
  out.push(t(b(3, 'mixer.up_proj.weight'), 'BF16', 12, 8), t(b(3, 'mixer.down_proj.weight'), 'BF16', 8, 12));
  out.push(t('backbone.norm_f.weight', 'BF16', 8));
  return out;
}
