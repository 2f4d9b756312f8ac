// Tensor names of released checkpoints, each put in the module whose count explains it. The names are
// those the Hugging Face modeling code gives its parameters (modeling_<family>.py in transformers) or,
// for DeepSeek-V4, the names its reference inference/model.py loads; GGUF names are llama.cpp's
// (gguf-py/gguf/constants.py).
import { describe, expect, it } from 'vitest';
import type { LayerAttentionKind } from '../../src/arch/types.js';
import { type CheckpointModule, classifyTensor, type NameContext } from '../../src/checkpoint/modules.js';
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
];

describe('tensor names to modules', () => {
  it.each(cases)('%s → %s', (name, module) => {
    expect(classifyTensor(name, ctx)).toBe(module);
  });
});

// The families added with the hybrid layer kinds, each with the layer kinds the classifier is given
// (what layerAttentionKinds returns for the family) and the names its modeling code gives the
// parameters. A layer's index picks its kind: in a context of kinds [a, b, c], `layers.1` is b.
const kinds = (...k: LayerAttentionKind[]): NameContext => ({ num_layers: k.length, layer_kinds: k });
const familyCases: [string, NameContext, [string, CheckpointModule | null][]][] = [
  [
    // transformers modeling_nemotron_h.py: NemotronHBlock has one `norm` and one `mixer`
    // (NemotronHMamba2Mixer in_proj, conv1d, dt_bias, A_log, D, norm, out_proj; NemotronHAttention =
    // JambaAttention q/k/v/o_proj; NemotronHMLP up_proj/down_proj; NemotronHMoE gate (weight and
    // e_score_correction_bias), experts, shared_experts); NemotronHModel embeddings, norm_f. The
    // released safetensors keep the vendor's remote-code prefix `backbone.` (NemotronHForCausalLM
    // `self.backbone = NemotronHModel(config)`), the experts one module each.
    'nemotron_h (pattern M*-E)',
    kinds('mamba2', 'full', 'none', 'none'),
    [
      ['backbone.embeddings.weight', 'embedding'],
      ['backbone.norm_f.weight', 'norms'],
      ['lm_head.weight', 'lm_head'],
      ['backbone.layers.0.norm.weight', 'norms'],
      ['backbone.layers.0.mixer.in_proj.weight', 'mamba'],
      ['backbone.layers.0.mixer.conv1d.weight', 'mamba'],
      ['backbone.layers.0.mixer.conv1d.bias', 'mamba'],
      ['backbone.layers.0.mixer.dt_bias', 'mamba'],
      ['backbone.layers.0.mixer.A_log', 'mamba'],
      ['backbone.layers.0.mixer.D', 'mamba'],
      ['backbone.layers.0.mixer.norm.weight', 'mamba'],
      ['backbone.layers.0.mixer.out_proj.weight', 'mamba'],
      ['backbone.layers.1.mixer.q_proj.weight', 'attention'],
      ['backbone.layers.1.mixer.o_proj.weight', 'attention'],
      ['backbone.layers.2.mixer.up_proj.weight', 'dense_ffn'],
      ['backbone.layers.2.mixer.down_proj.weight', 'dense_ffn'],
      ['backbone.layers.3.mixer.gate.weight', 'router'],
      ['backbone.layers.3.mixer.gate.e_score_correction_bias', 'router'],
      ['backbone.layers.3.mixer.experts.5.up_proj.weight', 'routed_experts'],
      ['backbone.layers.3.mixer.shared_experts.down_proj.weight', 'shared_experts'],
      // transformers 5's own names: `model.` and fused 3-D experts
      ['model.layers.3.mixer.experts.up_proj', 'routed_experts'],
      ['model.embeddings.weight', 'embedding'],
    ],
  ],
  [
    // transformers modeling_jamba.py: JambaMambaDecoderLayer `mamba` (JambaMambaMixer in_proj,
    // conv1d, x_proj, dt_proj, A_log, D, out_proj, dt/b/c_layernorm), JambaAttentionDecoderLayer
    // `self_attn`; both have input_layernorm, pre_ff_layernorm and `feed_forward` (JambaMLP
    // gate/up/down_proj, or JambaSparseMoeBlock `router` and `experts`)
    'jamba (attention at layer 1)',
    kinds('mamba', 'full'),
    [
      ['model.layers.0.mamba.in_proj.weight', 'mamba'],
      ['model.layers.0.mamba.x_proj.weight', 'mamba'],
      ['model.layers.0.mamba.dt_proj.bias', 'mamba'],
      ['model.layers.0.mamba.A_log', 'mamba'],
      ['model.layers.0.mamba.D', 'mamba'],
      ['model.layers.0.mamba.dt_layernorm.weight', 'mamba'],
      ['model.layers.0.mamba.c_layernorm.weight', 'mamba'],
      ['model.layers.0.pre_ff_layernorm.weight', 'norms'],
      ['model.layers.0.feed_forward.gate_proj.weight', 'dense_ffn'],
      ['model.layers.1.self_attn.k_proj.weight', 'attention'],
      ['model.layers.1.feed_forward.router.weight', 'router'],
      ['model.layers.1.feed_forward.experts.15.down_proj.weight', 'routed_experts'],
      ['model.final_layernorm.weight', 'norms'],
    ],
  ],
  [
    // transformers modeling_granitemoehybrid.py: GraniteMoeHybridDecoderLayer `mamba` or `self_attn`,
    // `block_sparse_moe` (router.layer, input_linear, output_linear) and `shared_mlp`
    // (input_linear, output_linear)
    'granitemoehybrid (mamba, attention)',
    kinds('mamba2', 'full'),
    [
      ['model.layers.0.mamba.in_proj.weight', 'mamba'],
      ['model.layers.0.mamba.norm.weight', 'mamba'],
      ['model.layers.0.mamba.conv1d.bias', 'mamba'],
      ['model.layers.1.self_attn.v_proj.weight', 'attention'],
      ['model.layers.1.block_sparse_moe.router.layer.weight', 'router'],
      ['model.layers.1.block_sparse_moe.input_linear.weight', 'routed_experts'],
      ['model.layers.1.block_sparse_moe.output_linear.weight', 'routed_experts'],
      ['model.layers.1.shared_mlp.input_linear.weight', 'shared_experts'],
    ],
  ],
  [
    // Granite-4.0-H-Micro (num_local_experts 0): the shared_mlp is the layer's only FFN, counted as dense
    'granitemoehybrid without experts',
    { ...kinds('mamba2', 'full'), has_experts: false },
    [
      ['model.layers.0.shared_mlp.input_linear.weight', 'dense_ffn'],
      ['model.layers.0.shared_mlp.output_linear.weight', 'dense_ffn'],
    ],
  ],
  [
    // transformers modeling_minimax.py: MiniMaxDecoderLayer `self_attn` is MiniMaxLightningAttention
    // (qkv_proj, output_gate, norm, out_proj) in linear_attention layers, MiniMaxAttention otherwise;
    // `block_sparse_moe` (gate, experts.N.w1/w2/w3)
    'minimax (lightning, full)',
    kinds('lightning', 'full'),
    [
      ['model.layers.0.self_attn.qkv_proj.weight', 'linear_attention'],
      ['model.layers.0.self_attn.output_gate.weight', 'linear_attention'],
      ['model.layers.0.self_attn.norm.weight', 'linear_attention'],
      ['model.layers.0.self_attn.out_proj.weight', 'linear_attention'],
      ['model.layers.1.self_attn.q_proj.weight', 'attention'],
      ['model.layers.1.block_sparse_moe.gate.weight', 'router'],
      ['model.layers.1.block_sparse_moe.experts.31.w3.weight', 'routed_experts'],
    ],
  ],
  [
    // Kimi Linear (modeling_kimi.py of moonshotai/Kimi-Linear-48B-A3B; transformers
    // modeling_kimi_linear.py): KimiDecoderLayer `self_attn` is KimiDeltaAttention (q/k/v_proj,
    // q/k/v_conv1d, f_a/f_b_proj, b_proj, A_log, dt_bias, g_a/g_b_proj, o_norm, o_proj) in KDA layers
    // and MLA otherwise; `block_sparse_moe` (gate with e_score_correction_bias, experts, shared_experts)
    // or `mlp` in the first first_k_dense_replace layers
    'kimi_linear (kda, full)',
    kinds('kda', 'full'),
    [
      ['model.layers.0.self_attn.q_conv1d.weight', 'linear_attention'],
      ['model.layers.0.self_attn.f_a_proj.weight', 'linear_attention'],
      ['model.layers.0.self_attn.A_log', 'linear_attention'],
      ['model.layers.0.self_attn.dt_bias', 'linear_attention'],
      ['model.layers.0.self_attn.o_norm.weight', 'linear_attention'],
      ['model.layers.0.mlp.gate_proj.weight', 'dense_ffn'],
      ['model.layers.1.self_attn.kv_a_proj_with_mqa.weight', 'attention'],
      ['model.layers.1.block_sparse_moe.gate.e_score_correction_bias', 'router'],
      ['model.layers.1.block_sparse_moe.experts.0.w1.weight', 'routed_experts'],
      ['model.layers.1.block_sparse_moe.shared_experts.down_proj.weight', 'shared_experts'],
    ],
  ],
  [
    // transformers modeling_lfm2_moe.py: Lfm2MoeDecoderLayer `conv` (Lfm2MoeShortConv in_proj, conv,
    // out_proj) or `self_attn` (q/k/v/out_proj, q_layernorm, k_layernorm), operator_norm, ffn_norm,
    // `feed_forward` (Lfm2MoeMLP w1/w2/w3, or Lfm2MoeSparseMoeBlock gate, experts and the
    // expert_bias buffer); Lfm2MoeModel embedding_norm at the end
    'lfm2_moe (short_conv, full)',
    kinds('short_conv', 'full'),
    [
      ['model.layers.0.conv.in_proj.weight', 'short_conv'],
      ['model.layers.0.conv.conv.weight', 'short_conv'],
      ['model.layers.0.conv.out_proj.weight', 'short_conv'],
      ['model.layers.0.operator_norm.weight', 'norms'],
      ['model.layers.0.feed_forward.w1.weight', 'dense_ffn'],
      ['model.layers.1.self_attn.out_proj.weight', 'attention'],
      ['model.layers.1.self_attn.q_layernorm.weight', 'attention'],
      ['model.layers.1.ffn_norm.weight', 'norms'],
      ['model.layers.1.feed_forward.gate.weight', 'router'],
      ['model.layers.1.feed_forward.expert_bias', 'router'],
      ['model.layers.1.feed_forward.experts.3.w2.weight', 'routed_experts'],
      ['model.embedding_norm.weight', 'norms'],
    ],
  ],
  [
    // transformers modeling_qwen3_next.py: `linear_attn` (Gated DeltaNet) or `self_attn` layers; the
    // checkpoint's `mtp.*` stack (skipped by transformers) is the count's MTP module
    'qwen3_next (linear, full)',
    kinds('linear', 'full'),
    [
      ['model.layers.0.linear_attn.in_proj_ba.weight', 'linear_attention'],
      ['model.layers.0.linear_attn.conv1d.weight', 'linear_attention'],
      ['model.layers.1.self_attn.q_proj.weight', 'attention'],
      ['mtp.layers.0.self_attn.q_proj.weight', 'mtp'],
    ],
  ],
  [
    // transformers modeling_jetmoe.py: JetMoeBlock `self_attention` (JetMoeAttention: experts =
    // JetMoeMoA input_linear, output_linear, bias, router.layer; kv_proj), `mlp` (JetMoeMoE
    // input_linear, output_linear, bias, router.layer), input_layernorm, post_attention_layernorm.
    // The count puts the attention experts and their router in attention, the MoE output bias with the router.
    'jetmoe',
    kinds('full'),
    [
      ['model.layers.0.self_attention.experts.input_linear.weight', 'attention'],
      ['model.layers.0.self_attention.experts.router.layer.weight', 'attention'],
      ['model.layers.0.self_attention.experts.bias', 'attention'],
      ['model.layers.0.self_attention.kv_proj.weight', 'attention'],
      ['model.layers.0.mlp.input_linear.weight', 'routed_experts'],
      ['model.layers.0.mlp.output_linear.weight', 'routed_experts'],
      ['model.layers.0.mlp.router.layer.weight', 'router'],
      ['model.layers.0.mlp.bias', 'router'],
    ],
  ],
  [
    // transformers modeling_longcat_flash.py: LongcatFlashDecoderLayer `self_attn.0/1` (MLA),
    // `mlps.0/1` (dense MLPs), input_layernorm.0/1, post_attention_layernorm.0/1 and the shortcut MoE
    // `mlp` (router.classifier with router.e_score_correction_bias over real and zero experts,
    // experts). The count makes the first sublayer's MLP the MoE layer's shared expert. The
    // checkpoint's `model.mtp.*` is an MTP module the count leaves out.
    'longcat_flash',
    kinds('full', 'full'),
    [
      ['model.layers.0.self_attn.0.q_a_proj.weight', 'attention'],
      ['model.layers.0.self_attn.1.kv_a_layernorm.weight', 'attention'],
      ['model.layers.0.mlps.0.gate_proj.weight', 'shared_experts'],
      ['model.layers.0.mlps.1.down_proj.weight', 'dense_ffn'],
      ['model.layers.0.input_layernorm.1.weight', 'norms'],
      ['model.layers.0.post_attention_layernorm.0.weight', 'norms'],
      ['model.layers.0.mlp.router.classifier.weight', 'router'],
      ['model.layers.0.mlp.router.e_score_correction_bias', 'router'],
      ['model.layers.0.mlp.experts.511.up_proj.weight', 'routed_experts'],
      ['model.mtp.layers.0.self_attn.q_a_proj.weight', 'mtp'],
    ],
  ],
  [
    // Snowflake Arctic (modeling_arctic.py of Snowflake/snowflake-arctic-instruct; vLLM arctic.py):
    // ArcticDecoderLayer `self_attn`, `block_sparse_moe` (gate, experts.N.w1/w2/w3), and with
    // parallel_attn_mlp_res in MoE layers `residual_layernorm` and `residual_mlp` (w1/w2/w3)
    'arctic',
    kinds('full', 'full'),
    [
      ['model.layers.0.block_sparse_moe.gate.weight', 'router'],
      ['model.layers.0.block_sparse_moe.experts.127.w2.weight', 'routed_experts'],
      ['model.layers.0.residual_mlp.w1.weight', 'shared_experts'],
      ['model.layers.0.residual_layernorm.weight', 'norms'],
      // a layer that is not MoE (moe_layer_frequency > 1): ArcticMoE holds a dense `mlp`
      ['model.layers.1.block_sparse_moe.mlp.w2.weight', 'dense_ffn'],
    ],
  ],
  [
    // transformers modular_ernie4_5_moe.py: Ernie4_5_MoeSparseMoeBlock gate, moe_statics
    // (e_score_correction_bias), experts, shared_experts; the checkpoints' MTP weights (mtp_block.N,
    // mtp_emb_norm.N, mtp_hidden_norm.N, mtp_linear_proj.N) are ignored on load and not counted
    'ernie4_5_moe',
    kinds('full'),
    [
      ['model.layers.0.mlp.gate.weight', 'router'],
      ['model.layers.0.mlp.moe_statics.e_score_correction_bias', 'router'],
      ['model.layers.0.mlp.shared_experts.up_proj.weight', 'shared_experts'],
      ['model.mtp_block.0.mlp.experts.3.up_proj.weight', 'mtp'],
      ['model.mtp_emb_norm.0.weight', 'mtp'],
      ['model.mtp_linear_proj.0.weight', 'mtp'],
    ],
  ],
  [
    // transformers modular_hunyuan_v1_moe.py: HunYuanMoEV1Moe `gate` (HunYuanMoEV1Gate `wg`),
    // experts, shared_mlp; attention query_layernorm and key_layernorm
    'hunyuan_v1_moe',
    kinds('full'),
    [
      ['model.layers.0.mlp.gate.wg.weight', 'router'],
      ['model.layers.0.mlp.shared_mlp.gate_proj.weight', 'shared_experts'],
      ['model.layers.0.mlp.experts.63.down_proj.weight', 'routed_experts'],
      ['model.layers.0.self_attn.query_layernorm.weight', 'attention'],
    ],
  ],
  [
    // Ling (modeling_bailing_moe.py / modeling_bailing_moe_v2.py of inclusionAI): BailingMoeModel
    // `word_embeddings`, `attention` (query_key_value, dense, V2 query_layernorm / key_layernorm),
    // `mlp` (gate weight and, in V2, its expert_bias; experts; shared_experts)
    'bailing_moe, bailing_moe_v2',
    kinds('full', 'full'),
    [
      ['model.word_embeddings.weight', 'embedding'],
      ['model.layers.0.attention.query_key_value.weight', 'attention'],
      ['model.layers.0.attention.dense.weight', 'attention'],
      ['model.layers.0.attention.key_layernorm.weight', 'attention'],
      ['model.layers.0.mlp.gate_proj.weight', 'dense_ffn'],
      ['model.layers.1.mlp.gate.weight', 'router'],
      ['model.layers.1.mlp.gate.expert_bias', 'router'],
      ['model.layers.1.mlp.shared_experts.gate_proj.weight', 'shared_experts'],
    ],
  ],
  [
    // transformers modeling_granitemoe.py / modular_granitemoeshared.py: `block_sparse_moe`
    // (router.layer, input_linear, output_linear) and GraniteMoeShared's `shared_mlp`
    'granitemoe, granitemoeshared',
    kinds('full'),
    [
      ['model.layers.0.block_sparse_moe.router.layer.weight', 'router'],
      ['model.layers.0.block_sparse_moe.input_linear.weight', 'routed_experts'],
      ['model.layers.0.shared_mlp.output_linear.weight', 'shared_experts'],
    ],
  ],
  [
    // dots1 (modular_dots1.py: DeepSeek-V3 MoE), flex_olmo (modular_flex_olmo.py: OLMoE MoE, Olmo2
    // q_norm/k_norm, post_feedforward_layernorm), qwen3_vl_moe and glm4v_moe (vision-language
    // wrappers with fused or per-expert experts), deepseek (DeepSeekMoE remote code)
    'dots1, flex_olmo, qwen3_vl_moe, glm4v_moe, deepseek',
    kinds('full', 'full'),
    [
      ['model.layers.1.mlp.gate.e_score_correction_bias', 'router'],
      ['model.layers.1.mlp.shared_experts.gate_proj.weight', 'shared_experts'],
      ['model.layers.0.self_attn.k_norm.weight', 'attention'],
      ['model.layers.0.post_feedforward_layernorm.weight', 'norms'],
      ['model.language_model.layers.1.mlp.experts.gate_up_proj', 'routed_experts'],
      ['model.visual.merger.proj.weight', 'vision'],
      ['model.visual.blocks.0.mlp.gate_proj.weight', 'vision'],
      ['model.visual.deepstack_merger_list.0.linear_fc1.weight', 'vision'],
    ],
  ],
  [
    // Grok-1, the hpcai-tech HF port modeling_grok1.py: DecoderLayer attn (q/k/v/o_proj), moe_block
    // (gate, experts.N.linear / linear_1 / linear_v), pre/post_attn_norm, pre/post_moe_norm
    'grok-1',
    kinds('full'),
    [
      ['model.layers.0.attn.q_proj.weight', 'attention'],
      ['model.layers.0.moe_block.gate.weight', 'router'],
      ['model.layers.0.moe_block.experts.7.linear_v.weight', 'routed_experts'],
      ['model.layers.0.post_moe_norm.weight', 'norms'],
    ],
  ],
  [
    // GGUF (gguf-py constants.py): Mamba and Gated DeltaNet mixers are both ssm_*; Qwen3-Next's linear
    // layers keep attn_qkv and attn_gate; LFM2 shortconv.*; the layer's kind tells them apart
    'GGUF hybrids (mamba2, linear, short_conv, full)',
    kinds('mamba2', 'linear', 'short_conv', 'full'),
    [
      ['blk.0.ssm_in.weight', 'mamba'],
      ['blk.0.ssm_conv1d.weight', 'mamba'],
      ['blk.0.ssm_a', 'mamba'],
      ['blk.0.ssm_norm.weight', 'mamba'],
      ['blk.0.attn_norm.weight', 'norms'],
      ['blk.1.ssm_out.weight', 'linear_attention'],
      ['blk.1.ssm_ba.weight', 'linear_attention'],
      ['blk.1.attn_qkv.weight', 'linear_attention'],
      ['blk.1.attn_gate.weight', 'linear_attention'],
      ['blk.1.attn_norm.weight', 'norms'],
      ['blk.2.shortconv.in_proj.weight', 'short_conv'],
      ['blk.2.shortconv.conv.weight', 'short_conv'],
      ['blk.3.attn_qkv.weight', 'attention'],
      ['blk.3.ffn_up_exps.weight', 'routed_experts'],
    ],
  ],
  [
    // Xiaomi MiMo-V2-Flash / V2.5. transformers modular_mimo_v2_flash.py: MiMoV2FlashAttention q/k/v
    // (with attention_bias) and o_proj, `sinks` in sliding layers; MiMoV2FlashSparseMoeBlock =
    // DeepseekV3MoE without shared_experts (`gate` with e_score_correction_bias, fused 3-D `experts`);
    // Glm4MoeMLP gate/up/down_proj in the dense layer; `model.mtp.*` ignored on load. The released
    // safetensors keep per-expert weights and name the sink `attention_sink_bias`
    // (convert_mimo_v2_flash_weights_to_hf.py; vLLM mimo_v2_flash.py MiMoV2Attention)
    'mimo_v2_flash (full, sliding, sliding)',
    kinds('full', 'sliding', 'sliding'),
    [
      ['model.layers.0.self_attn.q_proj.weight', 'attention'],
      ['model.layers.0.self_attn.v_proj.bias', 'attention'],
      ['model.layers.0.mlp.gate_proj.weight', 'dense_ffn'],
      ['model.layers.1.self_attn.attention_sink_bias', 'attention'],
      ['model.layers.1.self_attn.sinks', 'attention'],
      ['model.layers.1.self_attn.o_proj.weight', 'attention'],
      ['model.layers.1.mlp.gate.weight', 'router'],
      ['model.layers.1.mlp.gate.e_score_correction_bias', 'router'],
      ['model.layers.1.mlp.experts.255.down_proj.weight', 'routed_experts'],
      ['model.layers.1.mlp.experts.255.down_proj.weight_scale_inv', 'quantization_scales'],
      ['model.layers.2.mlp.experts.gate_up_proj', 'routed_experts'],
      ['model.layers.2.post_attention_layernorm.weight', 'norms'],
      ['model.mtp.layers.0.self_attn.q_proj.weight', 'mtp'],
    ],
  ],
  [
    // Gemma 4 MoE (gemma-4-26B-A4B), transformers modeling_gemma4.py: Gemma4TextDecoderLayer
    // self_attn (q/k/v/o_proj, q_norm, k_norm; no v_proj where keys are the values), `mlp`
    // (Gemma4TextMLP gate/up/down_proj) beside `router` (Gemma4TextRouter proj, scale,
    // per_expert_scale; its norm has no weight) and `experts` (MixtralExperts gate_up_proj,
    // down_proj), input/post_attention/pre_feedforward/post_feedforward_layernorm plus
    // post_feedforward_layernorm_1/_2 and pre_feedforward_layernorm_2, the `layer_scalar` buffer;
    // Gemma4Model wraps the text model as `model.language_model`
    'gemma4 MoE (sliding, full)',
    { ...kinds('sliding', 'full'), mlp_beside_experts: true },
    [
      ['model.language_model.embed_tokens.weight', 'embedding'],
      ['model.language_model.norm.weight', 'norms'],
      ['model.language_model.layers.0.self_attn.v_proj.weight', 'attention'],
      ['model.language_model.layers.1.self_attn.k_norm.weight', 'attention'],
      ['model.language_model.layers.0.mlp.gate_proj.weight', 'shared_experts'],
      ['model.language_model.layers.0.mlp.down_proj.weight', 'shared_experts'],
      ['model.language_model.layers.0.router.proj.weight', 'router'],
      ['model.language_model.layers.0.router.scale', 'router'],
      ['model.language_model.layers.0.router.per_expert_scale', 'router'],
      ['model.language_model.layers.0.experts.gate_up_proj', 'routed_experts'],
      ['model.language_model.layers.0.experts.down_proj', 'routed_experts'],
      ['model.language_model.layers.1.post_feedforward_layernorm_1.weight', 'norms'],
      ['model.language_model.layers.1.pre_feedforward_layernorm_2.weight', 'norms'],
      ['model.language_model.layers.1.layer_scalar', 'norms'],
      // a quantised router keeps its own scale suffixes
      ['model.language_model.layers.0.router.proj.weight_scale', 'quantization_scales'],
    ],
  ],
  [
    // the dense Gemma 4 (no MoE block): the same `mlp` is the layer's dense FFN
    'gemma4 dense (sliding)',
    kinds('sliding'),
    [
      ['model.language_model.layers.0.mlp.up_proj.weight', 'dense_ffn'],
      ['model.language_model.layers.0.layer_scalar', 'norms'],
    ],
  ],
  [
    // MiniMax-M3, transformers modular_minimax_m3_vl.py: MiniMaxM3VLAttention q/k/v/o_proj, q_norm,
    // k_norm and in minimax_m3_sparse layers an `indexer` (MiniMaxM3VLIndexer q_proj, k_proj, q_norm,
    // k_norm); `mlp` a MiniMaxM3VLSparseMoeBlock (gate with e_score_correction_bias, fused experts,
    // shared_experts gate_up_proj/down_proj) or a MiniMaxM3VLDenseMLP (gate_up_proj, down_proj);
    // MiniMaxM3VLModel vision_tower (embeddings.proj, pre_layrnorm, CLIP layers) and
    // multi_modal_projector (linear_1/2, merge_linear_1/2); `mtp.*` ignored on load
    'minimax_m3_vl (full, full)',
    kinds('full', 'full'),
    [
      ['model.language_model.layers.0.self_attn.q_norm.weight', 'attention'],
      ['model.language_model.layers.1.self_attn.indexer.q_proj.weight', 'indexers'],
      ['model.language_model.layers.1.self_attn.indexer.k_norm.weight', 'indexers'],
      ['model.language_model.layers.0.mlp.gate_up_proj.weight', 'dense_ffn'],
      ['model.language_model.layers.0.mlp.down_proj.weight', 'dense_ffn'],
      ['model.language_model.layers.1.mlp.gate.weight', 'router'],
      ['model.language_model.layers.1.mlp.gate.e_score_correction_bias', 'router'],
      ['model.language_model.layers.1.mlp.experts.gate_up_proj', 'routed_experts'],
      ['model.language_model.layers.1.mlp.shared_experts.gate_up_proj.weight', 'shared_experts'],
      ['model.vision_tower.embeddings.proj.weight', 'vision'],
      ['model.vision_tower.pre_layrnorm.bias', 'vision'],
      ['model.vision_tower.layers.0.self_attn.out_proj.weight', 'vision'],
      ['model.multi_modal_projector.merge_linear_1.weight', 'vision'],
      ['mtp.layers.0.self_attn.q_proj.weight', 'mtp'],
    ],
  ],
];

describe.each(familyCases)('tensor names of %s', (_family, context, names) => {
  it.each(names)('%s → %s', (name, module) => {
    expect(classifyTensor(name, context)).toBe(module);
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
