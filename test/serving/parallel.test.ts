/**
 * Per-GPU memory under EP × TP, hand-worked on toy models (whole GB to keep the arithmetic
 * visible) and on DeepSeek-V3 from its official config.
 */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../helpers.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import {
  gpusNeeded,
  kvCacheBytes,
  perGpuMemory,
  resolveGpu,
  servingModelFromArchitecture,
  type KvWorkload,
  type ServingModel,
} from '../../src/serving/index.js';
import { loadGpuCatalogue } from '../../src/catalog/gpus.js';

const GB = 1e9;
const noKv: KvWorkload = { batch: 0, kv_bytes_per_sequence: 0, kv_heads: 1 };

describe('perGpuMemory', () => {
  it('experts are split over EP (rounded up), the rest is replicated per EP group', () => {
    // E = 8 experts of 10 GB each (all layers), rest 5 GB; EP 4, TP 1:
    // 8 / 4 = 2 experts = 20 GB + 5 GB rest = 25 GB on every GPU
    const toy: ServingModel = { num_experts: 8, expert_bytes: 10 * GB, rest_bytes: 5 * GB };
    const m = perGpuMemory(toy, noKv, { ep: 4, tp: 1 }, { memory_bytes: 40 * GB });
    expect(m.gpus).toBe(4);
    expect(m.groups.map((g) => g.experts)).toEqual([2, 2, 2, 2]);
    expect(m.groups.map((g) => g.total_bytes)).toEqual([25 * GB, 25 * GB, 25 * GB, 25 * GB]);
    expect(m.total_bytes).toBe(100 * GB); // 80 GB of experts once + 4 copies of the 5 GB rest
    expect(m.fits).toBe(true);
  });

  it('per-GPU verdict: the aggregate check says "fits" while one GPU overflows', () => {
    // E = 8 over EP 3 → 3, 3, 2 experts: 3 × 10 + 5 = 35 GB, 35 GB, 2 × 10 + 5 = 25 GB.
    // GPU memory 33 GB: the first two overflow. Summed: 95 GB ≤ 3 × 33 = 99 GB.
    const toy: ServingModel = { num_experts: 8, expert_bytes: 10 * GB, rest_bytes: 5 * GB };
    const m = perGpuMemory(toy, noKv, { ep: 3, tp: 1 }, { memory_bytes: 33 * GB });
    expect(m.groups.map((g) => g.experts)).toEqual([3, 3, 2]);
    expect(m.groups.map((g) => g.total_bytes / GB)).toEqual([35, 35, 25]);
    expect(m.groups.map((g) => g.fits)).toEqual([false, false, true]);
    expect(m.fits_aggregate).toBe(true);
    expect(m.fits).toBe(false);
    expect(m.max_needed_bytes).toBe(35 * GB);
  });

  it('TP divides the rest and (by default) the experts; overhead is applied per GPU', () => {
    // E = 8, 10 GB each, rest 8 GB; EP 2 × TP 2: 4 experts / 2 = 20 GB + 8 / 2 = 4 GB → 24 GB
    const toy: ServingModel = { num_experts: 8, expert_bytes: 10 * GB, rest_bytes: 8 * GB };
    const m = perGpuMemory(toy, noKv, { ep: 2, tp: 2 }, { memory_bytes: 26 * GB, overhead: 0.1 });
    expect(m.gpus).toBe(4);
    expect(m.groups[0]).toMatchObject({ expert_bytes: 20 * GB, rest_bytes: 4 * GB, total_bytes: 24 * GB });
    // 24 GB × 1.1 = 26.4 GB > 26 GB
    expect(m.groups[0]!.needed_bytes).toBeCloseTo(26.4 * GB, -3);
    expect(m.fits).toBe(false);
    // whole experts on every GPU of the group: 4 × 10 + 4 = 44 GB
    const whole = perGpuMemory(toy, noKv, { ep: 2, tp: 2, experts_split_by_tp: false }, { memory_bytes: 80 * GB });
    expect(whole.groups[0]!.total_bytes).toBe(44 * GB);
  });

  it('KV: split over the EP groups by batch and over TP by KV head, never below one head', () => {
    const model: ServingModel = { num_experts: 4, expert_bytes: 0, rest_bytes: 0 };
    const gqa = (batch: number): KvWorkload => ({ batch, kv_bytes_per_sequence: 8 * GB, kv_heads: 8 });
    const kvOf = (kv: KvWorkload, ep: number, tp: number) =>
      perGpuMemory(model, kv, { ep, tp }, { memory_bytes: 1e15 }).groups.map((g) => g.kv_bytes / GB);
    // batch 10 over EP 4: 3, 3, 2, 2 sequences × 8 GB
    expect(kvOf(gqa(10), 4, 1)).toEqual([24, 24, 16, 16]);
    // one sequence, 8 KV heads: TP 2 → 4 heads = 4 GB; TP 3 → ⌈8/3⌉ = 3 heads = 3 GB on the fullest GPU
    expect(kvOf(gqa(1), 1, 2)).toEqual([4]);
    expect(kvOf(gqa(1), 1, 3)).toEqual([3]);
    // TP 16 > 8 heads: each GPU still holds a whole head (1 GB), not half of one
    expect(kvOf(gqa(1), 1, 16)).toEqual([1]);
    // MLA's latent is one "head": TP does not split it
    expect(kvOf({ batch: 1, kv_bytes_per_sequence: 8 * GB, kv_heads: 1 }, 1, 8)).toEqual([8]);
  });

  it('DeepSeek-V3 in fp8 on 8 × H200 (EP 8), 64 sequences of 4K context', () => {
    const arch = architectureFromHfConfig(presetConfig('deepseek-v3.json'));
    const model = servingModelFromArchitecture(arch, { experts: 'fp8', rest: 'fp8' });
    // one expert over the 58 MoE layers: 58 × 3 × 7168 × 2048 = 58 × 44,040,192 = 2,554,331,136
    expect(model.expert_bytes).toBe(2_554_331_136);
    // rest = total_main 671,026,419,200 − routed 256 × 2,554,331,136 (653,908,770,816)
    expect(model.rest_bytes).toBe(17_117_648_384);
    expect(model.routed_expert_bytes).toBe(653_908_770_816);
    // KV: 35,136 bytes/token × 4,096 = 143,917,056 bytes per sequence (MLA: one "head")
    const perSeq = kvCacheBytes(model.kv_layout, { context: 4096, batch: 1, kvBytes: 'fp8' }).total_bytes;
    expect(perSeq).toBe(143_917_056);
    const h200 = resolveGpu('H200', loadGpuCatalogue());
    const m = perGpuMemory(
      model,
      { batch: 64, kv_bytes_per_sequence: perSeq, kv_heads: model.kv_layout.kv_heads },
      { ep: 8, tp: 1 },
      { memory_bytes: h200.memory_bytes, overhead: 0.1 },
    );
    // per GPU: 256/8 = 32 experts × 2,554,331,136 = 81,738,596,352
    //        + rest 17,117,648,384 + 64/8 = 8 sequences × 143,917,056 = 1,151,336,448
    //        = 100,007,581,184 bytes; × 1.1 = 110,008,339,302.4 ≤ 141e9 → fits
    expect(m.groups.length).toBeGreaterThan(0);
    expect(m.groups.every((g) => g.total_bytes === 100_007_581_184)).toBe(true);
    expect(m.max_needed_bytes).toBeCloseTo(110_008_339_302.4, 0);
    expect(m.fits).toBe(true);
    // on 80 GB H100s the same layout does not fit
    expect(
      perGpuMemory(
        model,
        { batch: 64, kv_bytes_per_sequence: perSeq, kv_heads: 1 },
        { ep: 8, tp: 1 },
        { memory_bytes: 80e9 },
      ).fits,
    ).toBe(false);
  });

  it('rejects bad layouts', () => {
    const toy: ServingModel = { num_experts: 8, expert_bytes: 1, rest_bytes: 1 };
    expect(() => perGpuMemory(toy, noKv, { ep: 0, tp: 1 }, { memory_bytes: 1 })).toThrow(/ep must be an integer >= 1/);
    expect(() => perGpuMemory(toy, noKv, { ep: 1, tp: 1.5 }, { memory_bytes: 1 })).toThrow(/tp/);
    expect(() => perGpuMemory(toy, { ...noKv, kv_heads: 0 }, { ep: 1, tp: 1 }, { memory_bytes: 1 })).toThrow(
      /kv_heads/,
    );
    expect(() => perGpuMemory(toy, noKv, { ep: 1, tp: 1 }, { memory_bytes: 1, overhead: -0.1 })).toThrow(/overhead/);
  });
});

describe('gpusNeeded', () => {
  const toy: ServingModel = { num_experts: 8, expert_bytes: 10 * GB, rest_bytes: 8 * GB };

  it('the smallest EP × TP whose every GPU fits', () => {
    // 40 GB GPUs. N = 1: 80 + 8 = 88 ✗. N = 2: EP 2 → 4 × 10 + 8 = 48 ✗; TP 2 → 88 / 2 = 44 ✗.
    // N = 3: EP 3 → ⌈8/3⌉ = 3 × 10 + 8 = 38 ✓ (TP 3 is not offered)
    const r = gpusNeeded(toy, noKv, { memory_bytes: 40 * GB });
    expect(r).toMatchObject({ gpus: 3, ep: 3, tp: 1, max_needed_bytes: 38 * GB, fits: true });
  });

  it('with 10% overhead: N = 3 needs 41.8 GB ✗; N = 4, EP 4: 2 × 10 + 8 = 28 GB × 1.1 = 30.8 ✓', () => {
    const r = gpusNeeded(toy, noKv, { memory_bytes: 40 * GB, overhead: 0.1 });
    expect(r).toMatchObject({ gpus: 4, ep: 4, tp: 1 });
  });

  it('a rest larger than one GPU forces TP (EP never splits it)', () => {
    // rest 45 GB on 40 GB GPUs. N = 2, TP 2: 80/2 + 45/2 = 62.5 ✗. N = 3: TP 1 only ✗.
    // N = 4: EP 4 → 45+ ✗; EP 2 × TP 2 → 4 × 10 / 2 + 22.5 = 42.5 ✗; TP 4 → 20 + 11.25 = 31.25 ✓
    const big: ServingModel = { ...toy, rest_bytes: 45 * GB };
    expect(gpusNeeded(big, noKv, { memory_bytes: 40 * GB })).toMatchObject({ gpus: 4, ep: 1, tp: 4 });
    // with whole experts per GPU, TP only splits the rest. Below 16 GPUs: TP 2 leaves ≥ 2 experts
    // + 22.5 ≥ 42.5 GB; TP 4 (EP ≤ 3) ≥ 3 experts + 11.25 = 41.25 GB; TP 8 (EP 1) all 8 experts.
    // N = 16, EP 8 × TP 2: 1 expert × 10 + 45 / 2 = 32.5 GB ✓
    expect(gpusNeeded(big, noKv, { memory_bytes: 40 * GB, experts_split_by_tp: false })).toMatchObject({
      gpus: 16,
      ep: 8,
      tp: 2,
    });
  });

  it('null when nothing fits within max_gpus', () => {
    // rest 400 GB: even TP 8 leaves 50 GB per GPU
    expect(gpusNeeded({ ...toy, rest_bytes: 400 * GB }, noKv, { memory_bytes: 40 * GB, max_gpus: 64 })).toBeNull();
  });
});
