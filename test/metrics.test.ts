import { describe, expect, it } from 'vitest';
import { DTYPE_BYTES } from '../src/formats/dtypes.js';
import { computeMetrics, isMetricId, METRIC_IDS, type MetricId, metricsInto } from '../src/metrics/design.js';
import { isQualityMetric, QUALITY_METRICS } from '../src/metrics/quality.js';
import {
  CONSTRAINABLE_IDS,
  DESIGN_SLOT_COUNT,
  HARDWARE_COLUMNS,
  QUALITY_COLUMNS,
  REGISTRY,
  SERVING_COLUMNS,
  SLOT,
  SLOT_COUNT,
  TRAINING_SLOT_END,
  TRAINING_COST_COLUMNS,
} from '../src/metrics/registry.js';
import { isServingMetric, SERVING_METRICS } from '../src/metrics/serving.js';
import { isTrainingCostMetric } from '../src/metrics/training.js';
import { CSV_COLUMNS } from '../src/csv/columns.js';
import { ConstraintsSchema, OBJECTIVE_PATTERN } from '../src/spec/schema.js';
import { metricIndex } from '../src/sweep/design.js';

describe('metrics of a design', () => {
  // Hand-worked: 8 experts of 5.6B, top-2, 1.6B shared (a Mixtral-8x7B-like split), bf16.
  //   total  = 1.6B + 8 × 5.6B = 46.4B        active = 1.6B + 2 × 5.6B = 12.8B
  //   ratio  = 12.8 / 46.4 = 0.275862068965…  sparsity = 1 − 2/8 = 0.75
  //   saving = 1 − 0.275862… = 0.724137931…   FLOPs/token = 2 × 12.8B = 25.6B
  //   weights = 46.4B × 2 B = 92.8 GB          vram (overhead 0.15) = 92.8 × 1.15 = 106.72 GB
  const d = { experts: 8, top_k: 2, expert_params: 5.6e9, shared_params: 1.6e9 };
  const m = computeMetrics(d, DTYPE_BYTES.bf16, 0.15);

  it('total and active', () => {
    expect(m.total_params).toBe(46.4e9);
    expect(m.active_params).toBe(12.8e9);
  });
  it('ratios', () => {
    expect(m.active_ratio).toBeCloseTo(0.2758620689655, 12);
    expect(m.expert_sparsity).toBe(0.75);
    expect(m.compute_saving).toBeCloseTo(0.7241379310345, 12);
    expect(m.active_ratio + m.compute_saving).toBeCloseTo(1, 15);
  });
  it('FLOPs and memory', () => {
    expect(m.flops_per_token).toBe(25.6e9);
    expect(m.weight_bytes).toBe(92.8e9);
    expect(m.vram_bytes).toBe(106_720_000_000);
  });

  it('bytes per weight follow the dtype', () => {
    // int4 packs two weights per byte plus one 16-bit scale per 128: 4.125 bits, 46.4B × 0.515625
    // = 23.925 GB; mxfp4 (OCP MX v1.0: one 8-bit scale per 32) 4.25 bits = 24.65 GB; nvfp4 (one
    // 8-bit scale per 16) 4.5 bits = 26.1 GB; fp32: × 4 = 185.6 GB; fp8: × 1.
    expect(computeMetrics(d, DTYPE_BYTES.int4).weight_bytes).toBe(23.925e9);
    expect(computeMetrics(d, DTYPE_BYTES.mxfp4).weight_bytes).toBeCloseTo(24.65e9, 0);
    expect(computeMetrics(d, DTYPE_BYTES.nvfp4).weight_bytes).toBe(26.1e9);
    expect(computeMetrics(d, DTYPE_BYTES.fp32).weight_bytes).toBe(185.6e9);
    expect(computeMetrics(d, DTYPE_BYTES.fp8).weight_bytes).toBe(46.4e9);
    expect(computeMetrics(d, DTYPE_BYTES.fp16).weight_bytes).toBe(computeMetrics(d, DTYPE_BYTES.bf16).weight_bytes);
  });

  it('vram_bytes equals weight_bytes without overhead', () => {
    const z = computeMetrics(d, DTYPE_BYTES.bf16);
    expect(z.vram_bytes).toBe(z.weight_bytes);
  });

  it('a dense model (one expert, top-1) has active = total and no saving', () => {
    const dense = computeMetrics({ experts: 1, top_k: 1, expert_params: 7e9, shared_params: 1e9 }, 2);
    expect(dense.active_ratio).toBe(1);
    expect(dense.compute_saving).toBe(0);
    expect(dense.expert_sparsity).toBe(0);
  });

  it('DeepSeek-V3-like split: 256 experts top-8 gives active/total about 37/671', () => {
    // README_WEIGHTS of deepseek-ai/DeepSeek-V3: 671B total, ~37B activated. With 58 MoE layers of
    // 3 × 7168 × 2048 per expert: expert_params = 58 × 44,040,192 = 2,554,331,136.
    const expert = 58 * 3 * 7168 * 2048;
    expect(expert).toBe(2_554_331_136);
    const shared = 671_026_419_200 - 256 * expert; // total_main − routed experts = 17,117,648,384
    const v3 = computeMetrics({ experts: 256, top_k: 8, expert_params: expert, shared_params: shared }, 1);
    expect(v3.total_params).toBe(671_026_419_200);
    expect(v3.active_params).toBe(37_552_297_472); // 17,117,648,384 + 8 × 2,554,331,136: canonical, with both embeddings
    expect(v3.active_params / 1e9).toBeCloseTo(37.55, 2);
  });

  it('has the CSV metric columns in order', () => {
    expect(Object.keys(m)).toEqual([...METRIC_IDS]);
    expect(METRIC_IDS).toEqual([
      'total_params',
      'active_params',
      'active_ratio',
      'expert_sparsity',
      'compute_saving',
      'flops_per_token',
      'weight_bytes',
      'vram_bytes',
    ]);
  });
});

describe('the metric registry', () => {
  it('numbers the slots 0..n-1 in its own order, each id once', () => {
    expect(REGISTRY.map((m) => SLOT[m.id])).toEqual(REGISTRY.map((_, i) => i));
    expect(new Set(REGISTRY.map((m) => m.id)).size).toBe(REGISTRY.length);
    expect(Object.keys(SLOT)).toHaveLength(SLOT_COUNT);
    expect(SLOT_COUNT).toBe(REGISTRY.length);
  });

  it('groups the slots design, training, serving, hardware, training cost, as the kernels size their vectors', () => {
    const order = ['design', 'training', 'serving', 'hardware', 'training.hardware'];
    const ranks = REGISTRY.map((m) => order.indexOf(m.needs));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(DESIGN_SLOT_COUNT).toBe(REGISTRY.filter((m) => m.needs === 'design').length);
    expect(TRAINING_SLOT_END).toBe(DESIGN_SLOT_COUNT + REGISTRY.filter((m) => m.needs === 'training').length);
  });

  it('is where the slots and the id checks come from', () => {
    REGISTRY.forEach((m, i) => expect(SLOT[m.id as keyof typeof SLOT]).toBe(i));
    expect(Object.keys(SLOT)).toEqual(expect.arrayContaining([...METRIC_IDS]));
    expect(METRIC_IDS.every(isMetricId) && QUALITY_METRICS.every(isQualityMetric)).toBe(true);
    expect(SERVING_METRICS.every((m) => isServingMetric(m.id))).toBe(true);
    for (const m of REGISTRY) {
      const checks = [
        isMetricId(m.id),
        isQualityMetric(m.id),
        isServingMetric(m.id),
        isTrainingCostMetric(m.id),
      ].filter(Boolean);
      expect(checks.length, m.id).toBe('internal' in m ? 0 : 1);
    }
  });

  it('gives every metric column of the CSV', () => {
    const columns = (needs: string) =>
      REGISTRY.filter((m) => m.needs === needs).flatMap((m) => m.csv.map((c) => c.name));
    const fixed = ['design', 'experts', 'top_k', 'expert_params', 'shared_params', 'feasible', 'pareto', 'violations'];
    expect(CSV_COLUMNS.filter((c) => !fixed.includes(c))).toEqual(columns('design'));
    expect(QUALITY_COLUMNS).toEqual(columns('training'));
    expect(SERVING_COLUMNS).toEqual(columns('serving'));
    expect(HARDWARE_COLUMNS).toEqual(columns('hardware'));
    expect(TRAINING_COST_COLUMNS).toEqual(columns('training.hardware'));
    expect(TRAINING_COST_COLUMNS).toEqual([
      'train_flops',
      'train_mfu',
      'train_gpu_hours',
      'train_days',
      'train_cost',
      'train_layout',
      'train_memory_per_gpu',
      'train_fits',
    ]);
    // pinned, so a change to the registry that moves a column shows up here as well as in the outputs
    expect(QUALITY_COLUMNS).toEqual(['loss_delta_vs_dense', 'dense_equivalent_params', 'quality_domain']);
    expect(HARDWARE_COLUMNS).toEqual([
      'gpu_layout',
      'per_gpu_bytes',
      'gpus_needed',
      'decode_bound_tokens_per_s',
      'all_to_all_bytes_per_token_layer',
      'decode_tokens_per_s',
      'decode_bound',
      'tpot_ms',
      'ttft_ms',
      'prefill_tokens_per_s',
      'max_batch',
      'max_context',
    ]);
  });

  it('is where metricsInto writes each design metric, from a source text that stands alone', () => {
    const [e, k, x, sh, bpw, overhead] = [64, 6, 3e8, 2.5e9, 0.5, 0.2];
    const total = sh + e * x;
    const active = sh + k * x;
    const expected: Record<MetricId, number> = {
      total_params: total,
      active_params: active,
      active_ratio: active / total,
      expert_sparsity: 1 - k / e,
      compute_saving: 1 - active / total,
      flops_per_token: 2 * active,
      weight_bytes: total * bpw,
      vram_bytes: Math.round(total * bpw * (1 + overhead)),
    };
    // the report's calculator runs metricsInto's source text on its own, with nothing in scope
    const standalone = new Function(`return ${metricsInto.toString()}`)() as typeof metricsInto;
    for (const f of [metricsInto, standalone]) {
      const v = new Float64Array(DESIGN_SLOT_COUNT + 2).fill(Number.NaN);
      f(v, 1, e, k, x, sh, bpw, overhead);
      for (const id of METRIC_IDS) expect(v[1 + SLOT[id]], id).toBe(expected[id]);
    }
  });

  it("is the spec's list of metric names for constraints and objectives", () => {
    const constrainable = REGISTRY.filter((m) => !('internal' in m)).map((m) => m.id);
    expect(CONSTRAINABLE_IDS).toEqual(constrainable);
    for (const m of REGISTRY) expect('bound' in m, m.id).toBe(!('internal' in m));
    expect(ConstraintsSchema.keyof().options.filter((k) => k !== 'vram')).toEqual([...CONSTRAINABLE_IDS]);
    expect(OBJECTIVE_PATTERN).toBe(`^(min|max) (${CONSTRAINABLE_IDS.join('|')})$`);
    for (const id of CONSTRAINABLE_IDS) expect(metricIndex(id)).toBe(SLOT[id]);
  });
});
