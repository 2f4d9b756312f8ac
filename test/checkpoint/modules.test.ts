// Tensor names of released checkpoints, each put in the module whose count explains it. The names are
// those the Hugging Face modeling code gives its parameters (modeling_<family>.py in transformers) or,
// for DeepSeek-V4, the names its reference inference/model.py loads; GGUF names are llama.cpp's
// (gguf-py/gguf/constants.py).
import { describe, expect, it } from 'vitest';
import { type CheckpointModule, classifyTensor } from '../../src/checkpoint/modules.js';
import { parseSafetensorsHeader, safetensorsHeaderLength } from '../../src/checkpoint/safetensors.js';

const ctx = { num_layers: 61 };
const cases: [string, CheckpointModule | null][] = [
  // DeepSeek-V3 / Kimi K2 (modeling_deepseek_v3.py); layer 61 is the MTP layer of a 61-layer model
  ['model.embed_tokens.weight', 'embedding'],
  ['lm_head.weight', 'lm_head'],
  ['model.norm.weight', 'norms'],
  ['model.layers.0.self_attn.kv_a_layernorm.weight', 'attention'],
  ['model.layers.3.mlp.gate.e_score_correction_bias', 'router'],
  ['model.layers.3.mlp.experts.255.down_proj.weight', 'routed_experts'],
  ['model.layers.3.mlp.experts.255.down_proj.weight_scale_inv', 'quantization_scales'],
  ['model.layers.3.mlp.shared_experts.up_proj.weight', 'shared_experts'],
  ['model.layers.0.mlp.gate_proj.weight', 'dense_ffn'],
  ['model.layers.61.eh_proj.weight', 'mtp'],
  ['model.layers.61.shared_head.norm.weight', 'mtp'],
  ['model.layers.61.mlp.experts.0.gate_proj.weight', 'mtp'],
  ['model.layers.61.embed_tokens.weight', 'mtp_stored_copies'],
  ['model.layers.61.shared_head.head.weight', 'mtp_stored_copies'],
  // DeepSeek-V3.2 and GLM-5 sparse attention
  ['model.layers.5.self_attn.indexer.weights_proj.weight', 'indexers'],
  ['model.layers.5.self_attn.indexer.k_norm.bias', 'indexers'],
  // Qwen2-MoE / Qwen3-Next shared expert and its gate
  ['model.layers.0.mlp.shared_expert.gate_proj.weight', 'shared_experts'],
  ['model.layers.0.mlp.shared_expert_gate.weight', 'shared_experts'],
  ['model.layers.0.self_attn.q_norm.weight', 'attention'],
  // Qwen3-Next / Qwen3.5 Gated DeltaNet layers and the separate mtp stack
  ['model.layers.0.linear_attn.in_proj_qkvz.weight', 'linear_attention'],
  ['model.layers.0.linear_attn.A_log', 'linear_attention'],
  ['model.layers.0.linear_attn.norm.weight', 'linear_attention'],
  ['mtp.fc.weight', 'mtp'],
  ['mtp.layers.0.mlp.experts.3.up_proj.weight', 'mtp'],
  // Mixtral, MiniMax-M2
  ['model.layers.7.block_sparse_moe.gate.weight', 'router'],
  ['model.layers.7.block_sparse_moe.experts.7.w2.weight', 'routed_experts'],
  ['model.layers.7.block_sparse_moe.e_score_correction_bias', 'router'],
  // gpt-oss: MXFP4 experts as blocks and scales, router with a bias, attention sinks
  ['model.layers.0.mlp.experts.gate_up_proj_blocks', 'routed_experts'],
  ['model.layers.0.mlp.experts.gate_up_proj_scales', 'quantization_scales'],
  ['model.layers.0.mlp.experts.down_proj_bias', 'routed_experts'],
  ['model.layers.0.mlp.router.bias', 'router'],
  ['model.layers.0.self_attn.sinks', 'attention'],
  // Llama 4 (a vision-language wrapper), Qwen3-VL-MoE, Kimi-K2.5
  ['language_model.model.layers.1.feed_forward.router.weight', 'router'],
  ['language_model.model.layers.1.feed_forward.experts.gate_up_proj', 'routed_experts'],
  ['language_model.model.layers.0.feed_forward.gate_proj.weight', 'dense_ffn'],
  ['language_model.lm_head.weight', 'lm_head'],
  ['vision_model.model.layers.0.self_attn.q_proj.weight', 'vision'],
  ['multi_modal_projector.linear_1.weight', 'vision'],
  ['model.visual.blocks.0.attn.qkv.weight', 'vision'],
  ['model.language_model.embed_tokens.weight', 'embedding'],
  ['vision_tower.encoder.blocks.0.wqkv.weight', 'vision'],
  ['mm_projector.proj.0.weight', 'vision'],
  // compressed-tensors INT4 experts (Kimi K2 Thinking)
  ['model.layers.1.mlp.experts.0.gate_proj.weight_packed', 'routed_experts'],
  ['model.layers.1.mlp.experts.0.gate_proj.weight_shape', 'quantization_scales'],
  ['model.layers.1.mlp.experts.0.gate_proj.weight_scale', 'quantization_scales'],
  // DBRX
  ['transformer.wte.weight', 'embedding'],
  ['transformer.blocks.0.norm_attn_norm.attn.Wqkv.weight', 'attention'],
  ['transformer.blocks.0.norm_attn_norm.norm_1.weight', 'norms'],
  ['transformer.blocks.0.ffn.router.layer.weight', 'router'],
  ['transformer.blocks.0.ffn.experts.mlp.w1', 'routed_experts'],
  ['transformer.norm_f.weight', 'norms'],
  // DeepSeek-V4 (inference/model.py names)
  ['embed.weight', 'embedding'],
  ['head.weight', 'lm_head'],
  ['layers.0.attn.compressor.ape', 'compressors'],
  ['layers.0.attn.indexer.compressor.norm.weight', 'indexers'],
  ['layers.0.attn.wq_a.scale', 'quantization_scales'],
  ['layers.0.ffn.gate.tid2eid', 'routing_tables'],
  ['layers.3.ffn.gate.bias', 'router'],
  ['layers.0.hc_ffn_scale', 'hyper_connections'],
  ['hc_head_fn', 'hyper_connections'],
  ['layers.0.ffn_norm.weight', 'norms'],
  // GGUF (llama.cpp)
  ['token_embd.weight', 'embedding'],
  ['output.weight', 'lm_head'],
  ['output_norm.weight', 'norms'],
  ['blk.0.attn_kv_a_mqa.weight', 'attention'],
  ['blk.3.ffn_gate_inp.weight', 'router'],
  ['blk.3.exp_probs_b.bias', 'router'],
  ['blk.3.ffn_down_exps.weight', 'routed_experts'],
  ['blk.3.ffn_up_shexp.weight', 'shared_experts'],
  ['blk.0.ffn_up.weight', 'dense_ffn'],
  // not parameters, or nothing the count has
  ['model.layers.0.self_attn.rotary_emb.inv_freq', null],
  ['model.layers.0.lora_magnitude', null],
  ['score.weight', null],
  ['backbone.layers.0.mixer.in_proj.weight', null],
];

describe('tensor names to modules', () => {
  it.each(cases)('%s → %s', (name, module) => {
    expect(classifyTensor(name, ctx)).toBe(module);
  });
});

describe('safetensors header checks', () => {
  const header = (json: object) => new TextEncoder().encode(JSON.stringify(json));

  it('reads the little-endian length and refuses what cannot be a header', () => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, 1234n, true);
    expect(safetensorsHeaderLength(b, 'f')).toBe(1234);
    new DataView(b.buffer).setBigUint64(0, 100_000_001n, true);
    expect(() => safetensorsHeaderLength(b, 'f')).toThrow(
      'f: not a safetensors file (its header length reads 100000001 bytes',
    );
  });

  it('sizes every tensor from dtype and shape, and checks its offsets against them and the file', () => {
    // F4 is E2M1, two values per byte: 6 × 4 = 24 values in 12 bytes; F8_E8M0 one byte per value
    const t = parseSafetensorsHeader(
      header({
        __metadata__: { format: 'pt' },
        w: { dtype: 'F4', shape: [6, 4], data_offsets: [0, 12] },
        s: { dtype: 'F8_E8M0', shape: [6, 1], data_offsets: [12, 18] },
      }),
      'f',
      18,
    );
    expect(t.map((x) => [x.name, x.elements, x.bytes])).toEqual([
      ['w', 24, 12],
      ['s', 6, 6],
    ]);
    expect(() =>
      parseSafetensorsHeader(header({ w: { dtype: 'BF16', shape: [2, 2], data_offsets: [0, 4] } }), 'f'),
    ).toThrow('f: tensor "w": 4 BF16 elements take 8 bytes, but its data_offsets span 4');
    expect(() =>
      parseSafetensorsHeader(header({ w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }), 'f', 2),
    ).toThrow('f: tensor "w": its data ends at byte 4 of a data region of 2 bytes');
  });
});
