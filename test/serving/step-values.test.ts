// The decode and prefill step model (src/serving/step.ts), the attention-cost coefficients, the
// engines' memory rules and the inverse solves, each against values worked out by hand in the
// comments.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { findPreset } from '../../src/catalog/presets.js';
import { ServingEvaluator, estimatePlan, type ServingPlan } from '../../src/metrics/serving.js';
import { SLOT, SLOT_COUNT } from '../../src/metrics/registry.js';
import { attentionCost } from '../../src/serving/attention.js';
import { engineMemory, gpuLink } from '../../src/serving/constants.js';
import {
  allReduceSeconds,
  allToAllSeconds,
  attentionFlopsOver,
  decodeEstimate,
  prefillEstimate,
  tokensPerStep,
  type StepConstants,
  type StepDesign,
  type StepHardware,
} from '../../src/serving/step.js';
import { ESTIMATE_FACTS, NO_ENGINE } from '../helpers.js';

const catalog = loadCatalog();
const arch = (id: string) => catalog.presetArchitecture(findPreset(catalog.presets, id)!);

// A toy model: 2 layers (1 MoE), 4 experts of 1e9 parameters and 1e9 bytes per layer, top-1,
// 1e9 other parameters in 2e9 bytes, no attention, no KV cache.
const toy: StepDesign = {
  layers: 2,
  moe_layers: 1,
  experts: 4,
  top_k: 1,
  hidden: 1000,
  expert_layer_params: 1e9,
  expert_layer_bytes: 1e9,
  attention_params: 0,
  attention_bytes: 0,
  other_params: 1e9,
  other_bytes: 2e9,
  kv_bytes_per_sequence: 0,
  kv_heads: 1,
  attn_flops_full: 0,
  attn_flops_windowed: 0,
  attn_window: 0,
  attn_flops_fixed: 0,
  cpu_moe_layers: 0,
};
const gpu: StepHardware = {
  gpus: 1,
  tp: 1,
  ep: 1,
  dp_attention: false,
  bandwidth_bytes_per_s: 1e12,
  flops_per_s: 1e15,
  link_bytes_per_s: 1e11,
  link_latency_s: 1e-5,
  activation_bytes: 2,
  cpu_bandwidth_bytes_per_s: 0,
};
const half: StepConstants = {
  bandwidth_fraction: 0.5,
  compute_fraction: 0.5,
  link_fraction: 1,
  layer_overhead_s: 1e-3,
  chunk_tokens: Number.POSITIVE_INFINITY,
  node_gpus: 8,
  inter_node_bytes_per_s: 50e9,
  inter_node_latency_s: 1e-5,
  cpu_bandwidth_fraction: 1,
};

describe('decodeEstimate', () => {
  it('batch 1: MoE layer 2e9 bytes / 5e11 = 4 ms, dense layer 1e9 / 5e11 = 2 ms, 2 × 1 ms fixed: 8 ms, 125 tok/s', () => {
    // per layer the other weights are 2e9 / 2 layers = 1e9 bytes; the MoE layer adds the touched
    // expert: 4 × (1 − 3/4) × 1e9 = 1e9 bytes; compute (3e9 FLOPs / 5e14 = 6 µs) does not bind
    const e = decodeEstimate(toy, gpu, half, 1, 0);
    expect(e.memory_s).toBeCloseTo(6e-3, 12);
    expect(e.overhead_s).toBeCloseTo(2e-3, 12);
    expect(e.compute_s).toBe(0);
    expect(e.link_s).toBe(0);
    expect(e.seconds).toBeCloseTo(8e-3, 12);
    expect(e.tokens_per_s).toBeCloseTo(125, 9);
    expect(e.binding).toBe('bandwidth');
  });

  it('batch 4 touches 4 × (1 − (3/4)^4) = 175/64 experts: (1 + 2.734375) GB / 5e11 + 2 ms + 2 ms = 11.46875 ms', () => {
    const e = decodeEstimate(toy, gpu, half, 4, 0);
    expect(e.seconds).toBeCloseTo(11.46875e-3, 12);
    expect(e.tokens_per_s).toBeCloseTo(4 / 11.46875e-3, 6); // 348.77
    expect(e.tpot_s).toBeCloseTo(11.46875e-3, 12);
  });

  it('one draft token (MTP) at acceptance 0.8: the step verifies 8 tokens, then one draft layer at batch 4', () => {
    // verify: 4 × (1 − (3/4)^8) = 4 × 58975/65536 = 3.5995483... experts → (1 + 3.5995483) GB / 5e11
    //   = 9.1990967 ms, + dense 2 ms + fixed 2 ms = 13.1990967 ms
    // draft: one average layer (2e9 / 2 = 1e9 bytes) + 2.734375 GB of experts at batch 4 = 7.46875 ms + 1 ms fixed
    // step 21.6678467 ms for 1.8 tokens per sequence
    const STEP = ((1 + (4 * 58975) / 65536) * 1e9) / 5e11 + 4e-3 + 8.46875e-3;
    expect(STEP).toBeCloseTo(21.6678467e-3, 9);
    const e = decodeEstimate(toy, gpu, half, 4, 0, 1, tokensPerStep([0.8]));
    expect(e.seconds).toBeCloseTo(STEP, 12);
    expect(e.tokens_per_step).toBeCloseTo(1.8, 12);
    expect(e.tokens_per_s).toBeCloseTo((4 * 1.8) / STEP, 6);
    expect(e.tpot_s).toBeCloseTo(STEP / 1.8, 12);
  });

  it('experts of the MoE layer in CPU memory: 4 × 0.25 × 1e9 bytes over 1e11 B/s = 10 ms beside the GPU layers', () => {
    // GPU: both layers read only their 1e9 share: 2 × 2 ms; fixed 2 ms; CPU 1e9 / 1e11 = 10 ms
    const e = decodeEstimate({ ...toy, cpu_moe_layers: 1 }, { ...gpu, cpu_bandwidth_bytes_per_s: 1e11 }, half, 1, 0);
    expect(e.cpu_s).toBeCloseTo(10e-3, 12);
    expect(e.seconds).toBeCloseTo(16e-3, 12);
    expect(e.binding).toBe('cpu');
  });

  it('TP 2 adds two all-reduces per layer of 1 token × 1000 × 2 bytes: 2 × 2 × (10 µs + 2000 / 1e11) = 40.04 µs', () => {
    const two = { ...gpu, gpus: 2, tp: 2 };
    const e = decodeEstimate(toy, two, half, 1, 0);
    expect(e.link_s).toBeCloseTo(2 * 2 * (1e-5 + 2000 / 1e11), 15);
  });
});

describe('tokensPerStep', () => {
  it('1 + a1 + a1·a2 + a1·a2·a3: [0.8, 0.6, 0.5] → 1 + 0.8 + 0.48 + 0.24 = 2.52', () => {
    expect(tokensPerStep([0.8, 0.6, 0.5])).toBeCloseTo(2.52, 12);
    expect(tokensPerStep([])).toBe(1);
  });
});

describe('prefillEstimate', () => {
  it('a 4-token prompt in one pass costs what a decode step of 4 tokens with no KV does: 11.46875 ms', () => {
    const p = prefillEstimate(toy, gpu, half, 4);
    expect(p.ttft_s).toBeCloseTo(11.46875e-3, 12);
    expect(p.tokens_per_s).toBeCloseTo(4 / 11.46875e-3, 6);
  });

  it('chunks of 2: two passes of 2 tokens, each (1 + 4 × 7/16) GB / 5e11 + 2 + 2 ms = 9.5 ms', () => {
    // 2 tokens touch 4 × (1 − (3/4)^2) = 1.75 experts; throughput is one full chunk per pass: 2 / 9.5 ms
    const p = prefillEstimate(toy, gpu, { ...half, chunk_tokens: 2 }, 4);
    expect(p.ttft_s).toBeCloseTo(2 * 9.5e-3, 12);
    expect(p.tokens_per_s).toBeCloseTo(2 / 9.5e-3, 6);
  });
});

describe('attention cost', () => {
  it('DeepSeek-V3 MLA, absorbed: 61 layers × 2 × 128 heads × (2 × 512 + 64) = 16,990,208 FLOPs per context token', () => {
    expect(attentionCost(arch('deepseek-v3'))).toEqual({ full: 16_990_208, windowed: 0, window: 0, fixed: 0 });
  });

  it('Qwen3-30B-A3B GQA: 48 layers × 4 × 32 heads × 128 = 786,432', () => {
    expect(attentionCost(arch('qwen3-30b-a3b')).full).toBe(786_432);
  });

  it('gpt-oss-120b: 18 full and 18 sliding (128-token window) layers of 4 × 64 heads × 64 = 16,384 each', () => {
    expect(attentionCost(arch('gpt-oss-120b'))).toEqual({ full: 294_912, windowed: 294_912, window: 128, fixed: 0 });
  });

  it('a causal pass sums the per-position cost: positions 0..4 with full 1, windowed 1 (window 3), fixed 10', () => {
    const d = { ...toy, attn_flops_full: 1, attn_flops_windowed: 1, attn_window: 3, attn_flops_fixed: 10 };
    // Σp = 10, Σ min(p, 3) = 0 + 1 + 2 + 3 + 3 = 9, 5 × 10 = 50
    expect(attentionFlopsOver(d, 0, 5)).toBe(69);
    // positions 2, 3, 4: Σp = 9, Σ min = 2 + 3 + 3 = 8, 30
    expect(attentionFlopsOver(d, 2, 3)).toBe(47);
  });
});

describe('collectives', () => {
  it('ring all-reduce of 1 MB over 8 GPUs: 10 µs + 2 × 7/8 × 1e6 / 1e11 = 27.5 µs', () => {
    expect(allReduceSeconds(1e6, 8, gpu, half)).toBeCloseTo(2.75e-5, 15);
    expect(allReduceSeconds(1e6, 1, gpu, half)).toBe(0);
  });

  it('EP all-to-all over 2 nodes of 8: 7/15 of 1.5 MB on NVLink, 8/15 over 50 GB/s, the scale-out latency', () => {
    // 7e5 / 1e11 = 7 µs, 8e5 / 5e10 = 16 µs, + 10 µs = 33 µs
    expect(allToAllSeconds(1.5e6, { ...gpu, gpus: 16, ep: 16 }, half)).toBeCloseTo(3.3e-5, 15);
  });
});

describe('engine memory', () => {
  const m = catalog.servingModel;
  const opts = { overhead: 0, tp: 8, dp_attention: false, speculative: false };
  it('vLLM: (weights + KV + 2 GB) / 0.9; SGLang: + (12 + 8/2) GiB; TensorRT-LLM: weights + 2 GB + KV / 0.9', () => {
    const need = (e: ReturnType<typeof engineMemory>) => 100e9 * e.weight_factor + 20e9 * e.kv_factor + e.fixed_bytes;
    expect(need(engineMemory(m, 'vllm', opts))).toBeCloseTo(122e9 / 0.9, 0);
    expect(need(engineMemory(m, 'sglang', opts))).toBe(120e9 + 16 * 1024 ** 3);
    expect(need(engineMemory(m, 'sglang', { ...opts, dp_attention: true }))).toBe(120e9 + 20 * 1024 ** 3);
    expect(need(engineMemory(m, 'sglang', { ...opts, memory_fraction: 0.8 }))).toBeCloseTo(120e9 / 0.8, 0);
    expect(need(engineMemory(m, 'trtllm', opts))).toBeCloseTo(102e9 + 20e9 / 0.9, 0);
    expect(need(engineMemory(m, 'none', { ...opts, overhead: 0.1 }))).toBeCloseTo(132e9, 0);
  });

  it('link figures: the GPU’s own, else its interconnect class (NVLink → scale-up, anything else → PCIe)', () => {
    expect(gpuLink(m, { interconnect: 'NVLink 5', link_bytes_per_s: 9e11 })).toEqual({
      link_bytes_per_s: 9e11,
      link_latency_s: 10e-6,
    });
    expect(gpuLink(m, { interconnect: 'Infinity Fabric' }).link_bytes_per_s).toBe(450e9);
    expect(gpuLink(m, {})).toEqual({ link_bytes_per_s: 32e9, link_latency_s: 25e-6 });
  });
});

describe('inverse solves', () => {
  // one 80 GB GPU, no engine: 4 experts × 1e9 params × 2 B = 8 GB, 10e9 shared × 2 B = 20 GB;
  // a sequence at the 1,000-token context holds 1 GB of KV (1 MB per token, nothing fixed)
  const plan: ServingPlan = {
    context: 1000,
    batch: 4,
    overhead: 0,
    expertBytesPerWeight: 2,
    restBytesPerWeight: 2,
    kvBytesPerValue: 2,
    input: 1000,
    draftTokens: 0,
    tokensPerStep: 1,
    expertBlock: 1,
    restBlock: 1,
    hardware: {
      gpu: 'toy',
      count: 1,
      tp: null,
      memory_bytes: 80e9,
      bandwidth_bytes_per_s: 1e12,
      flops_per_s: 1e15,
      activation_bytes: 2,
      link_bytes_per_s: 450e9,
      link_latency_s: 10e-6,
      estimate: NO_ENGINE(),
    },
  };
  const facts = {
    kvBytesPerSequence: 1e9,
    kvHeads: 1,
    hiddenSize: 1000,
    inputEmbedding: 0,
    ...ESTIMATE_FACTS,
    kvLongBytesPerToken: 1e6,
  };
  it('max_batch = ⌊(80 − 28) GB / 1 GB⌋ = 52; max_context at batch 4 = ⌊52 GB / 4 / 1 MB⌋ = 13,000', () => {
    const m = new Float64Array(SLOT_COUNT);
    m[SLOT.active_params] = 11e9;
    new ServingEvaluator(plan).into(m, 4, 1, 1e9, 10e9, facts);
    expect(m[SLOT.max_batch]).toBe(52);
    expect(m[SLOT.max_context]).toBe(13_000);
  });

  it('under vLLM: ⌊(0.9 × 80 − 28 − 2) GB / 1 GB⌋ = 42 sequences', () => {
    const m = new Float64Array(SLOT_COUNT);
    m[SLOT.active_params] = 11e9;
    const estimate = estimatePlan(catalog.servingModel, { engine: 'vllm', gpus: 1, overhead: 0, speculative: false });
    new ServingEvaluator({ ...plan, hardware: { ...plan.hardware!, estimate } }).into(m, 4, 1, 1e9, 10e9, facts);
    expect(m[SLOT.max_batch]).toBe(42);
  });
});
