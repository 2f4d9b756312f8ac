// Every family whose checkpoints name tensors their own way, reconciled in process: a tiny config
// (those of test/arch/hybrid-families.test.ts and new-families.test.ts, whose counts are worked out by
// hand there, most shared through test/fixtures/tiny-configs.ts) and the tensors its checkpoint would hold, with the names and shapes the modeling code
// gives them (cited per family; test/checkpoint/modules.test.ts lists the same names one by one).
// Each must reconcile: every tensor explained, every counted module present, every row equal. A
// name put in the wrong module moves its elements to another row, and the test fails.
import { describe, expect, it } from 'vitest';
import { inspectConfig } from '../../src/arch/inspect.js';
import { reconcileCheckpoint } from '../../src/checkpoint/reconcile.js';
import type { TensorInfo } from '../../src/checkpoint/tensor.js';
import {
  tinyBase as base,
  tinyGraniteMoeHybrid,
  tinyMinimaxText01,
  tinyKimiLinear,
  tinyLfm2Moe,
  tinyErnie45Moe,
  tinyArctic,
  tinyHunyuanV1Moe,
  tinyJetMoe,
  tinyLongcatFlash,
  tinyMimoV2Flash,
  tinyGemma4Text,
  tinyGemma4,
  tinyMinimaxM3Vl,
} from '../fixtures/tiny-configs.js';

const BYTES: Record<string, number> = { BF16: 2, F32: 4 };

/** Tensors as a header lists them; F32 for the names given in `f32`, BF16 otherwise. */
function tensors(spec: [string, ...number[]][], f32: RegExp = /$^/): TensorInfo[] {
  return spec.map(([name, ...shape]) => {
    const elements = shape.reduce((a, b) => a * b, 1);
    const dtype = f32.test(name) ? 'F32' : 'BF16';
    return { name, dtype, shape, elements, bytes: elements * BYTES[dtype]!, file: 'model.safetensors' };
  });
}

function reconcile(config: object, spec: [string, ...number[]][], f32?: RegExp) {
  const r = inspectConfig(config);
  const c = reconcileCheckpoint(tensors(spec, f32), 1, r, 'safetensors');
  return { r, c };
}

/** Llama attention q/k/v/o of H heads, K kv heads of hd, with an optional prefix name for o. */
function gqa(p: string, d: number, H: number, K: number, hd: number, o = 'o_proj'): [string, ...number[]][] {
  return [
    [`${p}q_proj.weight`, H * hd, d],
    [`${p}k_proj.weight`, K * hd, d],
    [`${p}v_proj.weight`, K * hd, d],
    [`${p}${o}.weight`, d, H * hd],
  ];
}

function gated(
  p: string,
  d: number,
  I: number,
  names = ['gate_proj', 'up_proj', 'down_proj'],
): [string, ...number[]][] {
  return [
    [`${p}${names[0]}.weight`, I, d],
    [`${p}${names[1]}.weight`, I, d],
    [`${p}${names[2]}.weight`, d, I],
  ];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function expectReconciled(c: ReturnType<typeof reconcile>['c'], total: number) {
  expect(c.unexplained).toEqual([]);
  expect(c.missing).toEqual([]);
  for (const [m, row] of Object.entries(c.modules)) expect(row.checkpoint, m).toBe(row.config);
  expect(c.reconciled).toBe(true);
  expect(c.elements).toBe(total);
}

describe('hybrid families', () => {
  it('jamba: mamba.* mixers, self_attn in attention layers, feed_forward router/experts or dense MLP', () => {
    // modeling_jamba.py: JambaMambaMixer in_proj [2·di, d], conv1d [di, 1, K] + bias, x_proj
    // [R + 2N, di], dt_proj [di, R] + bias, A_log [di, N], D [di], out_proj [d, di], dt/b/c_layernorm
    const d = 8;
    const di = 16;
    const spec: [string, ...number[]][] = [
      ['model.embed_tokens.weight', 10, d],
      ['lm_head.weight', 10, d],
      ['model.final_layernorm.weight', d],
    ];
    for (const i of range(4)) {
      const p = `model.layers.${i}.`;
      spec.push([`${p}input_layernorm.weight`, d], [`${p}pre_ff_layernorm.weight`, d]);
      if (i === 1) spec.push(...gqa(`${p}self_attn.`, d, 2, 1, 4));
      else
        spec.push(
          [`${p}mamba.in_proj.weight`, 2 * di, d],
          [`${p}mamba.conv1d.weight`, di, 1, 3],
          [`${p}mamba.conv1d.bias`, di],
          [`${p}mamba.x_proj.weight`, 1 + 2 * 2, di],
          [`${p}mamba.dt_proj.weight`, di, 1],
          [`${p}mamba.dt_proj.bias`, di],
          [`${p}mamba.A_log`, di, 2],
          [`${p}mamba.D`, di],
          [`${p}mamba.out_proj.weight`, d, di],
          [`${p}mamba.dt_layernorm.weight`, 1],
          [`${p}mamba.b_layernorm.weight`, 2],
          [`${p}mamba.c_layernorm.weight`, 2],
        );
      if (i % 2 === 1) {
        spec.push([`${p}feed_forward.router.weight`, 3, d]);
        for (const e of range(3)) spec.push(...gated(`${p}feed_forward.experts.${e}.`, d, 6));
      } else spec.push(...gated(`${p}feed_forward.`, d, 6));
    }
    const { r, c } = reconcile(
      {
        model_type: 'jamba',
        hidden_size: 8,
        num_hidden_layers: 4,
        vocab_size: 10,
        num_attention_heads: 2,
        num_key_value_heads: 1,
        intermediate_size: 6,
        num_experts: 3,
        num_experts_per_tok: 1,
        attn_layer_period: 4,
        attn_layer_offset: 1,
        expert_layer_period: 2,
        expert_layer_offset: 1,
        mamba_d_state: 2,
        mamba_d_conv: 3,
        mamba_expand: 2,
        mamba_dt_rank: 'auto',
        tie_word_embeddings: false,
      },
      spec,
    );
    // test/arch/hybrid-families.test.ts: 613 per Mamba layer × 3
    expect(c.modules.mamba).toEqual({ config: 1839, checkpoint: 1839, tensors: 36 });
    expectReconciled(c, r.total_main);
  });

  it('granitemoehybrid: mamba.* (Mamba-2), block_sparse_moe ParallelExperts and shared_mlp', () => {
    // modeling_granitemoehybrid.py: GraniteMoeHybridMambaLayer in_proj [di + conv + h, d], conv1d
    // [conv, 1, K] + bias, dt_bias / A_log / D [h], norm [di], out_proj [d, di]; conv = di + 2·G·N
    const d = 8;
    const di = 16;
    const conv = di + 2 * 2 * 3;
    const spec: [string, ...number[]][] = [
      ['model.embed_tokens.weight', 10, d],
      ['model.norm.weight', d],
    ];
    for (const i of range(3)) {
      const p = `model.layers.${i}.`;
      spec.push([`${p}input_layernorm.weight`, d], [`${p}post_attention_layernorm.weight`, d]);
      if (i === 1) spec.push(...gqa(`${p}self_attn.`, d, 2, 1, 4));
      else
        spec.push(
          [`${p}mamba.in_proj.weight`, di + conv + 4, d],
          [`${p}mamba.conv1d.weight`, conv, 1, 2],
          [`${p}mamba.conv1d.bias`, conv],
          [`${p}mamba.dt_bias`, 4],
          [`${p}mamba.A_log`, 4],
          [`${p}mamba.D`, 4],
          [`${p}mamba.norm.weight`, di],
          [`${p}mamba.out_proj.weight`, d, di],
        );
      spec.push(
        [`${p}block_sparse_moe.router.layer.weight`, 4, d],
        [`${p}block_sparse_moe.input_linear.weight`, 4, 12, d],
        [`${p}block_sparse_moe.output_linear.weight`, 4, d, 6],
        [`${p}shared_mlp.input_linear.weight`, 10, d],
        [`${p}shared_mlp.output_linear.weight`, d, 5],
      );
    }
    const config = tinyGraniteMoeHybrid;
    const { r, c } = reconcile(config, spec);
    expectReconciled(c, r.total_main);

    // num_local_experts 0 (Granite-4.0-H-Micro): no block_sparse_moe, the shared_mlp is the dense FFN
    const dense = reconcile(
      { ...config, num_local_experts: 0 },
      spec.filter(([n]) => !n.includes('block_sparse_moe')),
    );
    // 3 layers × (input_linear 2·5·8 = 80 + output_linear 8·5 = 40)
    expect(dense.c.modules.dense_ffn).toEqual({ config: 360, checkpoint: 360, tensors: 6 });
    expectReconciled(dense.c, dense.r.total_main);
  });

  it('minimax: self_attn is lightning attention in linear layers, softmax attention elsewhere', () => {
    // modeling_minimax.py: MiniMaxLightningAttention qkv_proj [3·H·hd, d], output_gate [H·hd, d],
    // norm [H·hd], out_proj [d, H·hd]; block_sparse_moe gate, experts w1/w3/w2
    const d = 8;
    const spec: [string, ...number[]][] = [
      ['model.embed_tokens.weight', 10, d],
      ['lm_head.weight', 10, d],
      ['model.norm.weight', d],
    ];
    for (const i of range(2)) {
      const p = `model.layers.${i}.`;
      spec.push([`${p}input_layernorm.weight`, d], [`${p}post_attention_layernorm.weight`, d]);
      if (i === 0)
        spec.push(
          [`${p}self_attn.qkv_proj.weight`, 24, d],
          [`${p}self_attn.output_gate.weight`, 8, d],
          [`${p}self_attn.norm.weight`, 8],
          [`${p}self_attn.out_proj.weight`, d, 8],
        );
      else spec.push(...gqa(`${p}self_attn.`, d, 2, 1, 4));
      spec.push([`${p}block_sparse_moe.gate.weight`, 3, d]);
      for (const e of range(3)) spec.push(...gated(`${p}block_sparse_moe.experts.${e}.`, d, 6, ['w1', 'w3', 'w2']));
    }
    const { r, c } = reconcile(tinyMinimaxText01, spec);
    // lightning 192 + 64 + 64 + 8 = 328; softmax 192
    expect(c.modules.linear_attention).toEqual({ config: 328, checkpoint: 328, tensors: 4 });
    expect(c.modules.attention).toEqual({ config: 192, checkpoint: 192, tensors: 4 });
    expectReconciled(c, r.total_main);
  });

  it('kimi_linear: self_attn is Kimi Delta Attention or MLA; block_sparse_moe or a dense mlp', () => {
    // modeling_kimi.py (moonshotai/Kimi-Linear-48B-A3B-Instruct): KimiDeltaAttention q/k/v_proj,
    // q/k/v_conv1d [H·hd, 1, K], f_a_proj [hd, d], f_b_proj [H·hd, hd], b_proj [H, d], g_a/g_b as f,
    // A_log [1, 1, H, 1], dt_bias [H·hd], o_norm [hd], o_proj; KimiMLAAttention q_proj,
    // kv_a_proj_with_mqa, kv_a_layernorm, kv_b_proj, o_proj
    const d = 8;
    const spec: [string, ...number[]][] = [
      ['model.embed_tokens.weight', 10, d],
      ['lm_head.weight', 10, d],
      ['model.norm.weight', d],
    ];
    for (const i of range(3)) {
      const p = `model.layers.${i}.`;
      const a = `${p}self_attn.`;
      spec.push([`${p}input_layernorm.weight`, d], [`${p}post_attention_layernorm.weight`, d]);
      if (i < 2) {
        for (const x of ['q', 'k', 'v']) spec.push([`${a}${x}_proj.weight`, 4, d], [`${a}${x}_conv1d.weight`, 4, 1, 2]);
        spec.push(
          [`${a}f_a_proj.weight`, 2, d],
          [`${a}f_b_proj.weight`, 4, 2],
          [`${a}b_proj.weight`, 2, d],
          [`${a}g_a_proj.weight`, 2, d],
          [`${a}g_b_proj.weight`, 4, 2],
          [`${a}A_log`, 1, 1, 2, 1],
          [`${a}dt_bias`, 4],
          [`${a}o_norm.weight`, 2],
          [`${a}o_proj.weight`, d, 4],
        );
      } else
        spec.push(
          [`${a}q_proj.weight`, 6, d],
          [`${a}kv_a_proj_with_mqa.weight`, 5, d],
          [`${a}kv_a_layernorm.weight`, 4],
          [`${a}kv_b_proj.weight`, 8, 4],
          [`${a}o_proj.weight`, d, 4],
        );
      if (i === 0) spec.push(...gated(`${p}mlp.`, d, 5));
      else {
        const m = `${p}block_sparse_moe.`;
        spec.push(
          [`${m}gate.weight`, 2, d],
          [`${m}gate.e_score_correction_bias`, 2],
          ...gated(`${m}shared_experts.`, d, 3),
        );
        for (const e of range(2)) spec.push(...gated(`${m}experts.${e}.`, d, 3, ['w1', 'w3', 'w2']));
      }
    }
    const { r, c } = reconcile(tinyKimiLinear, spec, /e_score_correction_bias$/);
    // test/arch/hybrid-families.test.ts: KDA 224 per layer × 2, MLA 156
    expect(c.modules.linear_attention).toEqual({ config: 448, checkpoint: 448, tensors: 30 });
    expect(c.modules.attention).toEqual({ config: 156, checkpoint: 156, tensors: 5 });
    expectReconciled(c, r.total_main);
  });

  it('lfm2_moe: conv.* short convolutions, feed_forward with its expert_bias, embedding_norm', () => {
    // modeling_lfm2_moe.py: Lfm2MoeShortConv in_proj [3d, d], conv [d, 1, L], out_proj [d, d] (biases
    // per conv_bias); Lfm2MoeAttention q/k/v/out_proj, q_layernorm, k_layernorm
    const d = 8;
    const spec: [string, ...number[]][] = [
      ['model.embed_tokens.weight', 10, d],
      ['model.embedding_norm.weight', d],
    ];
    for (const i of range(3)) {
      const p = `model.layers.${i}.`;
      spec.push([`${p}operator_norm.weight`, d], [`${p}ffn_norm.weight`, d]);
      if (i === 1)
        spec.push(
          ...gqa(`${p}self_attn.`, d, 2, 1, 4, 'out_proj'),
          [`${p}self_attn.q_layernorm.weight`, 4],
          [`${p}self_attn.k_layernorm.weight`, 4],
        );
      else
        spec.push(
          [`${p}conv.in_proj.weight`, 3 * d, d],
          [`${p}conv.in_proj.bias`, 3 * d],
          [`${p}conv.conv.weight`, d, 1, 3],
          [`${p}conv.conv.bias`, d],
          [`${p}conv.out_proj.weight`, d, d],
          [`${p}conv.out_proj.bias`, d],
        );
      if (i === 0) spec.push(...gated(`${p}feed_forward.`, d, 5, ['w1', 'w3', 'w2']));
      else {
        spec.push([`${p}feed_forward.gate.weight`, 4, d], [`${p}feed_forward.expert_bias`, 4]);
        for (const e of range(4)) spec.push(...gated(`${p}feed_forward.experts.${e}.`, d, 3, ['w1', 'w3', 'w2']));
      }
    }
    const { r, c } = reconcile(tinyLfm2Moe, spec, /expert_bias$/);
    // test/arch/hybrid-families.test.ts: 320 per short-conv layer × 2
    expect(c.modules.short_conv).toEqual({ config: 640, checkpoint: 640, tensors: 12 });
    expectReconciled(c, r.total_main);
  });
});

/** embed_tokens, lm_head, the final norm and two norms per layer of a 2-layer base model. */
function frame(norms: string[] = ['input_layernorm', 'post_attention_layernorm'], embed = 'embed_tokens') {
  const spec: [string, ...number[]][] = [
    [`model.${embed}.weight`, 16, 8],
    ['lm_head.weight', 16, 8],
    ['model.norm.weight', 8],
  ];
  for (const i of range(2)) for (const n of norms) spec.push([`model.layers.${i}.${n}.weight`, 8]);
  return spec;
}

describe('standard-shape families with names of their own', () => {
  it('jetmoe: self_attention experts (MoA), mlp ParallelExperts, output biases with their routers', () => {
    // modeling_jetmoe.py: JetMoeAttention experts = JetMoeMoA (input_linear [E, K·hd, d],
    // output_linear [E, d, K·hd], bias [d], router.layer [E, d]), kv_proj [2·K·hd, d]; JetMoeMoE
    // input_linear [E, 2I, d], output_linear [E, d, I], bias [d], router.layer
    const spec = frame().filter(([n]) => n !== 'lm_head.weight');
    for (const i of range(2)) {
      const a = `model.layers.${i}.self_attention.`;
      const m = `model.layers.${i}.mlp.`;
      spec.push(
        [`${a}experts.input_linear.weight`, 4, 4, 8],
        [`${a}experts.output_linear.weight`, 4, 8, 4],
        [`${a}experts.bias`, 8],
        [`${a}experts.router.layer.weight`, 4, 8],
        [`${a}kv_proj.weight`, 8, 8],
        [`${m}input_linear.weight`, 4, 12, 8],
        [`${m}output_linear.weight`, 4, 8, 6],
        [`${m}bias`, 8],
        [`${m}router.layer.weight`, 4, 8],
      );
    }
    const { r, c } = reconcile(tinyJetMoe, spec);
    // test/arch/new-families.test.ts: attention 720, router 80
    expect(c.modules.attention).toEqual({ config: 720, checkpoint: 720, tensors: 10 });
    expect(c.modules.router).toEqual({ config: 80, checkpoint: 80, tensors: 4 });
    expectReconciled(c, r.total_main);
  });

  it('longcat_flash: two self_attn/mlps/norm sublayers, the shortcut MoE router.classifier', () => {
    // modeling_longcat_flash.py: LongcatFlashDecoderLayer self_attn.0/1 (LongcatFlashMLA),
    // mlps.0/1, input_layernorm.0/1, post_attention_layernorm.0/1, mlp (router.classifier
    // [E + Z, d], router.e_score_correction_bias [E + Z], experts)
    const d = 8;
    const p = 'model.layers.0.';
    const spec: [string, ...number[]][] = [
      ['model.embed_tokens.weight', 16, d],
      ['lm_head.weight', 16, d],
      ['model.norm.weight', d],
      [`${p}mlp.router.classifier.weight`, 6, d],
      [`${p}mlp.router.e_score_correction_bias`, 6],
    ];
    for (const s of range(2)) {
      const a = `${p}self_attn.${s}.`;
      spec.push(
        [`${a}q_a_proj.weight`, 4, d],
        [`${a}q_a_layernorm.weight`, 4],
        [`${a}q_b_proj.weight`, 8, 4],
        [`${a}kv_a_proj_with_mqa.weight`, 6, d],
        [`${a}kv_a_layernorm.weight`, 4],
        [`${a}kv_b_proj.weight`, 8, 4],
        [`${a}o_proj.weight`, d, 4],
        ...gated(`${p}mlps.${s}.`, d, 10),
        [`${p}input_layernorm.${s}.weight`, d],
        [`${p}post_attention_layernorm.${s}.weight`, d],
      );
    }
    for (const e of range(4)) spec.push(...gated(`${p}mlp.experts.${e}.`, d, 6));
    const { r, c } = reconcile(tinyLongcatFlash, spec, /e_score_correction_bias$/);
    // test/arch/new-families.test.ts: the first sublayer's MLP is the shared expert, the second the dense FFN
    expect(c.modules.shared_experts).toEqual({ config: 240, checkpoint: 240, tensors: 3 });
    expect(c.modules.dense_ffn).toEqual({ config: 240, checkpoint: 240, tensors: 3 });
    expect(c.modules.router).toEqual({ config: 54, checkpoint: 54, tensors: 2 });
    expectReconciled(c, r.total_main);
  });

  it('arctic: the residual_mlp beside the experts, behind its residual_layernorm', () => {
    // modeling_arctic.py (Snowflake/snowflake-arctic-instruct): ArcticDecoderLayer self_attn,
    // block_sparse_moe (gate, experts.N.w1/w3/w2), residual_layernorm, residual_mlp (w1/w3/w2 of d)
    const spec = frame(['input_layernorm', 'post_attention_layernorm', 'residual_layernorm']);
    for (const i of range(2)) {
      const p = `model.layers.${i}.`;
      spec.push(...gqa(`${p}self_attn.`, 8, 2, 1, 4), [`${p}block_sparse_moe.gate.weight`, 4, 8]);
      spec.push(...gated(`${p}residual_mlp.`, 8, 8, ['w1', 'w3', 'w2']));
      for (const e of range(4)) spec.push(...gated(`${p}block_sparse_moe.experts.${e}.`, 8, 6, ['w1', 'w3', 'w2']));
    }
    const { r, c } = reconcile(tinyArctic, spec);
    expect(c.modules.shared_experts).toEqual({ config: 384, checkpoint: 384, tensors: 6 });
    expectReconciled(c, r.total_main);
  });

  it('hunyuan_v1_moe: the router gate.wg, shared_mlp, query/key_layernorm', () => {
    // modular_hunyuan_v1_moe.py: HunYuanMoEV1Gate wg [E, d]; HunYuanMoEV1Moe experts, shared_mlp;
    // HunYuanMoEV1Attention query_layernorm, key_layernorm [hd]
    const spec = frame();
    for (const i of range(2)) {
      const p = `model.layers.${i}.`;
      spec.push(
        ...gqa(`${p}self_attn.`, 8, 2, 1, 4),
        [`${p}self_attn.query_layernorm.weight`, 4],
        [`${p}self_attn.key_layernorm.weight`, 4],
        [`${p}mlp.gate.wg.weight`, 4, 8],
        ...gated(`${p}mlp.shared_mlp.`, 8, 10),
      );
      for (const e of range(4)) spec.push(...gated(`${p}mlp.experts.${e}.`, 8, 6));
    }
    const { r, c } = reconcile(tinyHunyuanV1Moe, spec);
    expect(c.modules.router).toEqual({ config: 64, checkpoint: 64, tensors: 2 });
    expectReconciled(c, r.total_main);
  });

  it('bailing_moe_v2: word_embeddings, attention.query_key_value/dense, the gate with its expert_bias', () => {
    // modeling_bailing_moe_v2.py (inclusionAI Ling 2.0): BailingMoeV2Model word_embeddings;
    // attention query_key_value [(H + 2K)·hd, d] + bias, dense, query_layernorm, key_layernorm;
    // mlp gate (weight, expert_bias), experts, shared_experts; a dense mlp below first_k_dense_replace
    const spec = frame(undefined, 'word_embeddings');
    for (const i of range(2)) {
      const p = `model.layers.${i}.`;
      spec.push(
        [`${p}attention.query_key_value.weight`, 16, 8],
        [`${p}attention.query_key_value.bias`, 16],
        [`${p}attention.dense.weight`, 8, 8],
        [`${p}attention.query_layernorm.weight`, 4],
        [`${p}attention.key_layernorm.weight`, 4],
      );
      if (i === 0) spec.push(...gated(`${p}mlp.`, 8, 10));
      else {
        spec.push(
          [`${p}mlp.gate.weight`, 4, 8],
          [`${p}mlp.gate.expert_bias`, 4],
          ...gated(`${p}mlp.shared_experts.`, 8, 6),
        );
        for (const e of range(4)) spec.push(...gated(`${p}mlp.experts.${e}.`, 8, 6));
      }
    }
    const { r, c } = reconcile(
      {
        ...base,
        model_type: 'bailing_moe_v2',
        first_k_dense_replace: 1,
        intermediate_size: 10,
        moe_intermediate_size: 6,
        num_experts: 4,
        num_shared_experts: 1,
        num_experts_per_tok: 2,
        use_qkv_bias: true,
      },
      spec,
      /expert_bias$/,
    );
    expect(c.modules.attention).toEqual({ config: 432, checkpoint: 432, tensors: 10 });
    expectReconciled(c, r.total_main);
  });

  it('granitemoeshared: block_sparse_moe ParallelExperts and the shared_mlp', () => {
    // modeling_granitemoe.py / modular_granitemoeshared.py: GraniteMoeMoE router.layer,
    // input_linear [E, 2I, d], output_linear [E, d, I]; GraniteMoeSharedMLP input_linear [2·Is, d],
    // output_linear [d, Is]; attention q/k/v/o with biases per attention_bias
    const spec = frame();
    for (const i of range(2)) {
      const p = `model.layers.${i}.`;
      for (const [n, out] of [
        ['q_proj', 8],
        ['k_proj', 4],
        ['v_proj', 4],
      ] as const)
        spec.push([`${p}self_attn.${n}.weight`, out, 8], [`${p}self_attn.${n}.bias`, out]);
      spec.push(
        [`${p}self_attn.o_proj.weight`, 8, 8],
        [`${p}self_attn.o_proj.bias`, 8],
        [`${p}block_sparse_moe.router.layer.weight`, 4, 8],
        [`${p}block_sparse_moe.input_linear.weight`, 4, 12, 8],
        [`${p}block_sparse_moe.output_linear.weight`, 4, 8, 6],
        [`${p}shared_mlp.input_linear.weight`, 20, 8],
        [`${p}shared_mlp.output_linear.weight`, 8, 10],
      );
    }
    const { r, c } = reconcile(
      {
        ...base,
        model_type: 'granitemoeshared',
        intermediate_size: 6,
        num_local_experts: 4,
        num_experts_per_tok: 2,
        attention_bias: true,
        shared_intermediate_size: 10,
      },
      spec,
    );
    expect(c.modules.routed_experts).toEqual({ config: 1152, checkpoint: 1152, tensors: 4 });
    expectReconciled(c, r.total_main);
  });

  it('ernie4_5_moe: moe_statics correction bias; the MTP weights transformers skips stay unexplained', () => {
    // modular_ernie4_5_moe.py: Ernie4_5_MoeSparseMoeBlock gate, moe_statics.e_score_correction_bias
    // [1, E], experts, shared_experts; a dense mlp below moe_layer_start_index
    const spec = frame();
    for (const i of range(2)) {
      const p = `model.layers.${i}.`;
      spec.push(...gqa(`${p}self_attn.`, 8, 2, 1, 4));
      if (i === 0) spec.push(...gated(`${p}mlp.`, 8, 10));
      else {
        spec.push(
          [`${p}mlp.gate.weight`, 4, 8],
          [`${p}mlp.moe_statics.e_score_correction_bias`, 1, 4],
          ...gated(`${p}mlp.shared_experts.`, 8, 6),
        );
        for (const e of range(4)) spec.push(...gated(`${p}mlp.experts.${e}.`, 8, 6));
      }
    }
    const config = tinyErnie45Moe;
    const { r, c } = reconcile(config, spec, /e_score_correction_bias$/);
    expect(c.modules.router).toEqual({ config: 36, checkpoint: 36, tensors: 2 });
    expectReconciled(c, r.total_main);

    // the released checkpoints also hold an MTP module the count leaves out: reported in the MTP
    // row, each tensor unexplained, never folded into another row
    const mtp: [string, ...number[]][] = [
      ['model.mtp_emb_norm.0.weight', 8],
      ['model.mtp_hidden_norm.0.weight', 8],
      ['model.mtp_linear_proj.0.weight', 8, 16],
    ];
    const withMtp = reconcile(config, [...spec, ...mtp], /e_score_correction_bias$/);
    expect(withMtp.c.modules.mtp).toEqual({ config: 0, checkpoint: 144, tensors: 3 });
    expect(withMtp.c.unexplained).toEqual(mtp.map(([n]) => n));
    expect(withMtp.c.reconciled).toBe(false);
  });
});

describe('layer-shape families: per-layer head shapes, sinks, router scales, indexers and a two-stage projector', () => {
  // the tiny configs of test/arch/layer-shape-families.test.ts, whose counts are worked out there

  it('mimo_v2_flash: full and sliding layers of their own shapes, attention_sink_bias, per-expert weights', () => {
    // the released layout (convert_mimo_v2_flash_weights_to_hf.py keeps the safetensors as they are;
    // vLLM mimo_v2_flash.py): q/k/v/o_proj, `attention_sink_bias` in the sliding layers, mlp.gate
    // with e_score_correction_bias and one module per expert; a dense Glm4MoeMLP in layer 0
    const d = 8;
    const spec: [string, ...number[]][] = [
      ['model.embed_tokens.weight', 10, d],
      ['lm_head.weight', 10, d],
      ['model.norm.weight', d],
    ];
    for (const i of range(3)) {
      const p = `model.layers.${i}.`;
      spec.push([`${p}input_layernorm.weight`, d], [`${p}post_attention_layernorm.weight`, d]);
      // full: 2 q heads, 1 kv head; sliding: 2 and 2; q/k 4 wide, v 2 wide
      const K = i === 0 ? 1 : 2;
      spec.push(
        [`${p}self_attn.q_proj.weight`, 2 * 4, d],
        [`${p}self_attn.k_proj.weight`, K * 4, d],
        [`${p}self_attn.v_proj.weight`, K * 2, d],
        [`${p}self_attn.o_proj.weight`, d, 2 * 2],
      );
      if (i === 0) spec.push(...gated(`${p}mlp.`, d, 6));
      else {
        spec.push(
          [`${p}self_attn.attention_sink_bias`, 2],
          [`${p}mlp.gate.weight`, 3, d],
          [`${p}mlp.gate.e_score_correction_bias`, 3],
        );
        for (const e of range(3)) spec.push(...gated(`${p}mlp.experts.${e}.`, d, 2));
      }
    }
    const config = tinyMimoV2Flash;
    const { r, c } = reconcile(config, spec, /e_score_correction_bias$/);
    // full 144 + sliding 2 · (64 + 64 + 32 + 32 + sinks 2)
    expect(c.modules.attention).toEqual({ config: 532, checkpoint: 532, tensors: 14 });
    expectReconciled(c, 1234);
    expect(r.total_main).toBe(1234);
  });

  // Gemma 4 MoE: 3 layers (sliding, sliding, full), d 8, V 10 tied
  const gemmaText = tinyGemma4Text;
  /** modeling_gemma4.py Gemma4TextDecoderLayer, under Gemma4Model's `model.language_model` */
  function gemmaSpec(moe: boolean): [string, ...number[]][] {
    const d = 8;
    const m = 'model.language_model.';
    const spec: [string, ...number[]][] = [
      [`${m}embed_tokens.weight`, 10, d],
      [`${m}norm.weight`, d],
    ];
    for (const i of range(3)) {
      const p = `${m}layers.${i}.`;
      const norms = [
        'input_layernorm',
        'post_attention_layernorm',
        'pre_feedforward_layernorm',
        'post_feedforward_layernorm',
      ];
      if (moe)
        norms.push('post_feedforward_layernorm_1', 'post_feedforward_layernorm_2', 'pre_feedforward_layernorm_2');
      for (const n of norms) spec.push([`${p}${n}.weight`, d]);
      spec.push([`${p}layer_scalar`, 1]);
      if (i < 2)
        spec.push(
          ...gqa(`${p}self_attn.`, d, 2, 2, 4),
          [`${p}self_attn.q_norm.weight`, 4],
          [`${p}self_attn.k_norm.weight`, 4],
        );
      // the global layer: keys are the values, so no v_proj
      else
        spec.push(
          [`${p}self_attn.q_proj.weight`, 2 * 6, d],
          [`${p}self_attn.k_proj.weight`, 6, d],
          [`${p}self_attn.o_proj.weight`, d, 2 * 6],
          [`${p}self_attn.q_norm.weight`, 6],
          [`${p}self_attn.k_norm.weight`, 6],
        );
      spec.push(...gated(`${p}mlp.`, d, 6));
      if (moe)
        spec.push(
          [`${p}router.proj.weight`, 3, d],
          [`${p}router.scale`, d],
          [`${p}router.per_expert_scale`, 3],
          [`${p}experts.gate_up_proj`, 3, 2 * 2, d],
          [`${p}experts.down_proj`, 3, d, 2],
        );
    }
    return spec;
  }

  it('gemma4 (MoE): router proj/scale/per_expert_scale, the mlp beside the experts, layer_scalar, no v_proj on global layers', () => {
    const { r, c } = reconcile(tinyGemma4, gemmaSpec(true));
    expect(c.modules.router).toEqual({ config: 105, checkpoint: 105, tensors: 9 });
    // the MLP, counted as the always-active shared expert: 3 layers · 3·8·6
    expect(c.modules.shared_experts).toEqual({ config: 432, checkpoint: 432, tensors: 9 });
    // 3 · (7 · 8 + layer_scalar 1) + final 8
    expect(c.modules.norms).toEqual({ config: 179, checkpoint: 179, tensors: 25 });
    expectReconciled(c, 2008);
    expect(r.total_main).toBe(2008);
  });

  it('gemma4 (dense): the same mlp is the dense FFN, four norms a layer', () => {
    const { r, c } = reconcile({ ...gemmaText, enable_moe_block: false }, gemmaSpec(false));
    expect(c.modules.dense_ffn).toEqual({ config: 432, checkpoint: 432, tensors: 9 });
    expectReconciled(c, 1399);
    expect(r.total_main).toBe(1399);
  });

  it('minimax_m3_vl: indexers in the sparse layers, fused dense and shared MLPs, the CLIP tower and its projector', () => {
    // modular_minimax_m3_vl.py: MiniMaxM3VLModel language_model / vision_tower / multi_modal_projector,
    // the head `lm_head` of MiniMaxM3VLForConditionalGeneration
    const d = 8;
    const m = 'model.language_model.';
    const spec: [string, ...number[]][] = [
      [`${m}embed_tokens.weight`, 10, d],
      ['lm_head.weight', 10, d],
      [`${m}norm.weight`, d],
    ];
    for (const i of range(3)) {
      const p = `${m}layers.${i}.`;
      spec.push([`${p}input_layernorm.weight`, d], [`${p}post_attention_layernorm.weight`, d]);
      spec.push(
        ...gqa(`${p}self_attn.`, d, 2, 1, 4),
        [`${p}self_attn.q_norm.weight`, 4],
        [`${p}self_attn.k_norm.weight`, 4],
      );
      if (i === 0) spec.push([`${p}mlp.gate_up_proj.weight`, 2 * 6, d], [`${p}mlp.down_proj.weight`, d, 6]);
      else
        spec.push(
          // MiniMaxM3VLIndexer: 2 heads of 4, one key head
          [`${p}self_attn.indexer.q_proj.weight`, 2 * 4, d],
          [`${p}self_attn.indexer.k_proj.weight`, 4, d],
          [`${p}self_attn.indexer.q_norm.weight`, 4],
          [`${p}self_attn.indexer.k_norm.weight`, 4],
          [`${p}mlp.gate.weight`, 3, d],
          [`${p}mlp.gate.e_score_correction_bias`, 3],
          [`${p}mlp.experts.gate_up_proj`, 3, 2 * 2, d],
          [`${p}mlp.experts.down_proj`, 3, d, 2],
          [`${p}mlp.shared_experts.gate_up_proj.weight`, 2 * 3, d],
          [`${p}mlp.shared_experts.down_proj.weight`, d, 3],
        );
    }
    // tower: h 4, one layer of I 8, patch 2, temporal 2, 3 channels; projector P 5, merge 2
    const v = 'model.vision_tower.';
    spec.push(
      [`${v}embeddings.proj.weight`, 4, 3, 2, 2, 2],
      [`${v}pre_layrnorm.weight`, 4],
      [`${v}pre_layrnorm.bias`, 4],
    );
    for (const n of ['q_proj', 'k_proj', 'v_proj', 'out_proj'])
      spec.push([`${v}layers.0.self_attn.${n}.weight`, 4, 4], [`${v}layers.0.self_attn.${n}.bias`, 4]);
    spec.push(
      [`${v}layers.0.mlp.fc1.weight`, 8, 4],
      [`${v}layers.0.mlp.fc1.bias`, 8],
      [`${v}layers.0.mlp.fc2.weight`, 4, 8],
      [`${v}layers.0.mlp.fc2.bias`, 4],
    );
    for (const n of ['layer_norm1', 'layer_norm2'])
      spec.push([`${v}layers.0.${n}.weight`, 4], [`${v}layers.0.${n}.bias`, 4]);
    const j = 'model.multi_modal_projector.';
    spec.push(
      [`${j}linear_1.weight`, 5, 4],
      [`${j}linear_1.bias`, 5],
      [`${j}linear_2.weight`, d, 5],
      [`${j}linear_2.bias`, d],
      [`${j}merge_linear_1.weight`, 5, 4 * d],
      [`${j}merge_linear_1.bias`, 5],
      [`${j}merge_linear_2.weight`, d, 5],
      [`${j}merge_linear_2.bias`, d],
    );
    const config = tinyMinimaxM3Vl;
    const { r, c } = reconcile(config, spec, /e_score_correction_bias$/);
    expect(c.modules.indexers).toEqual({ config: 208, checkpoint: 208, tensors: 8 });
    // tower 96 + 8 + 172, projector 286 (worked in test/arch/layer-shape-families.test.ts)
    expect(c.modules.vision).toEqual({ config: 562, checkpoint: 562, tensors: 27 });
    expectReconciled(c, 2216);
    expect(r.total_logical).toBe(2216);
  });
});
