/**
 * Other released sizes of the supported families, beyond the fixture files: each config
 * below is abridged to the fields the counter reads (values as in the model's hub
 * config.json, recalled rather than copied), and the expected number is the hub's
 * safetensors parameter count of that repository (also recalled). That the two independent
 * recollections agree to the last digit is the check; the fixtures in reference-configs.test.ts
 * are the cited ones. Totals confirmed since in independent public records: Qwen1.5-MoE-A2.7B
 * 14,315,784,192 (keras-hub, qwen_moe presets, "params"), OLMoE-1B-7B 6,919,161,856 (llama.cpp
 * llama-bench output for olmoe-1b-7b-0924 GGUF: n_params), DeepSeek-V2-Lite 15,706,484,224 (a
 * serving log: "with 15706484224 (2.7B effect.) parameters"), GLM-4.5 and GLM-4.5-Air (hub pages).
 */
import { describe, expect, it } from 'vitest';
import { inspectConfig } from '../../src/arch/inspect.js';

const cases: { repo: string; expected: number; config: Record<string, unknown> }[] = [
  {
    repo: 'allenai/OLMoE-1B-7B-0924',
    expected: 6_919_161_856,
    config: {
      model_type: 'olmoe',
      hidden_size: 2048,
      num_hidden_layers: 16,
      num_attention_heads: 16,
      num_key_value_heads: 16,
      vocab_size: 50304,
      intermediate_size: 1024,
      num_experts: 64,
      num_experts_per_tok: 8,
      clip_qkv: null,
      tie_word_embeddings: false,
    },
  },
  {
    repo: 'Qwen/Qwen1.5-MoE-A2.7B',
    expected: 14_315_784_192,
    config: {
      model_type: 'qwen2_moe',
      hidden_size: 2048,
      num_hidden_layers: 24,
      num_attention_heads: 16,
      num_key_value_heads: 16,
      vocab_size: 151936,
      intermediate_size: 5632,
      moe_intermediate_size: 1408,
      shared_expert_intermediate_size: 5632,
      num_experts: 60,
      num_experts_per_tok: 4,
      decoder_sparse_step: 1,
      tie_word_embeddings: false,
    },
  },
  {
    repo: 'deepseek-ai/DeepSeek-V2-Lite',
    expected: 15_706_484_224,
    config: {
      model_type: 'deepseek_v2',
      hidden_size: 2048,
      num_hidden_layers: 27,
      num_attention_heads: 16,
      num_key_value_heads: 16,
      vocab_size: 102400,
      q_lora_rank: null,
      kv_lora_rank: 512,
      qk_nope_head_dim: 128,
      qk_rope_head_dim: 64,
      v_head_dim: 128,
      n_routed_experts: 64,
      n_shared_experts: 2,
      moe_intermediate_size: 1408,
      intermediate_size: 10944,
      num_experts_per_tok: 6,
      first_k_dense_replace: 1,
      moe_layer_freq: 1,
      topk_method: 'greedy',
      tie_word_embeddings: false,
    },
  },
  {
    repo: 'databricks/dbrx-base',
    expected: 131_596_523_520,
    config: {
      model_type: 'dbrx',
      d_model: 6144,
      n_heads: 48,
      n_layers: 40,
      vocab_size: 100352,
      attn_config: { kv_n_heads: 8, clip_qkv: 8, rope_theta: 500000 },
      ffn_config: { ffn_hidden_size: 10752, moe_num_experts: 16, moe_top_k: 4 },
    },
  },
  {
    repo: 'microsoft/Phi-3.5-MoE-instruct',
    expected: 41_873_153_344,
    config: {
      model_type: 'phimoe',
      hidden_size: 4096,
      num_hidden_layers: 32,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      vocab_size: 32064,
      intermediate_size: 6400,
      num_local_experts: 16,
      num_experts_per_tok: 2,
      attention_bias: true,
      lm_head_bias: true,
      tie_word_embeddings: false,
    },
  },
  {
    // The MTP layer 46 stores its own embed_tokens and shared_head.head: without those copies the
    // count would be 1,241,513,984 lower.
    repo: 'zai-org/GLM-4.5-Air',
    expected: 110_468_824_832,
    config: {
      model_type: 'glm4_moe',
      hidden_size: 4096,
      num_hidden_layers: 46,
      num_attention_heads: 96,
      num_key_value_heads: 8,
      head_dim: 128,
      attention_bias: true,
      use_qk_norm: false,
      n_routed_experts: 128,
      n_shared_experts: 1,
      moe_intermediate_size: 1408,
      intermediate_size: 10944,
      first_k_dense_replace: 1,
      num_experts_per_tok: 8,
      vocab_size: 151552,
      num_nextn_predict_layers: 1,
      tie_word_embeddings: false,
    },
  },
  {
    repo: 'zai-org/GLM-4.5',
    expected: 358_337_791_296,
    config: {
      model_type: 'glm4_moe',
      hidden_size: 5120,
      num_hidden_layers: 92,
      num_attention_heads: 96,
      num_key_value_heads: 8,
      head_dim: 128,
      attention_bias: true,
      use_qk_norm: true,
      n_routed_experts: 160,
      n_shared_experts: 1,
      moe_intermediate_size: 1536,
      intermediate_size: 12288,
      first_k_dense_replace: 3,
      num_experts_per_tok: 8,
      vocab_size: 151552,
      num_nextn_predict_layers: 1,
      tie_word_embeddings: false,
    },
  },
  {
    repo: 'openai/gpt-oss-20b',
    expected: 20_914_757_184,
    config: {
      model_type: 'gpt_oss',
      hidden_size: 2880,
      num_hidden_layers: 24,
      num_attention_heads: 64,
      num_key_value_heads: 8,
      head_dim: 64,
      vocab_size: 201088,
      intermediate_size: 2880,
      num_local_experts: 32,
      num_experts_per_tok: 4,
      attention_bias: true,
      tie_word_embeddings: false,
    },
  },
  {
    repo: 'meta-llama/Llama-4-Scout-17B-16E-Instruct',
    expected: 108_641_793_536,
    config: {
      model_type: 'llama4',
      text_config: {
        model_type: 'llama4_text',
        hidden_size: 5120,
        num_hidden_layers: 48,
        num_attention_heads: 40,
        num_key_value_heads: 8,
        head_dim: 128,
        vocab_size: 202048,
        intermediate_size: 8192,
        intermediate_size_mlp: 16384,
        num_local_experts: 16,
        num_experts_per_tok: 1,
        interleave_moe_layer_step: 1,
        use_qk_norm: true,
        attention_bias: false,
      },
      vision_config: {
        hidden_size: 1408,
        num_hidden_layers: 34,
        intermediate_size: 5632,
        patch_size: 14,
        image_size: 336,
        num_channels: 3,
        projector_input_dim: 4096,
        projector_output_dim: 4096,
        vision_output_dim: 4096,
        pixel_shuffle_ratio: 0.5,
      },
    },
  },
];

describe('other sizes of the supported families', () => {
  for (const c of cases) {
    it(`${c.repo}: total_checkpoint = ${c.expected.toLocaleString('en-US')}`, () => {
      expect(inspectConfig(c.config, c.repo).total_checkpoint).toBe(c.expected);
    });
  }
});
