// Per-GPU memory under expert and tensor parallelism, and the smallest layout that fits, worked out by hand.
import { describe, expect, it } from 'vitest';
import { gpusNeeded, perGpuMemory, type KvWorkload, type ServingModel } from '../../src/serving/parallel.js';

describe('perGpuMemory', () => {
  // 10 experts of 1 GB (summed over layers), 8 GB of the rest; 5 sequences of 1 GB KV, 8 KV heads
  const model: ServingModel = { num_experts: 10, expert_bytes: 1e9, rest_bytes: 8e9 };
  const kv: KvWorkload = { batch: 5, kv_bytes_per_sequence: 1e9, kv_heads: 8 };

  it('EP 4 × TP 2: uneven experts and sequences, the fullest GPU decides', () => {
    // experts per group: 10 = 3 + 3 + 2 + 2; sequences: 5 = 2 + 1 + 1 + 1
    // rest / TP = 4 GB; KV fraction ⌈8/2⌉/8 = 1/2; experts split over TP: 3 GB / 2 = 1.5 GB
    // group 0: 1.5 + 4 + 2·1·0.5 = 6.5 GB → ×1.25 = 8.125 GB
    // group 1: 1.5 + 4 + 0.5 = 6 GB → 7.5 GB;  groups 2, 3: 1 + 4 + 0.5 = 5.5 GB → 6.875 GB
    const m = perGpuMemory(model, kv, { ep: 4, tp: 2 }, { memory_bytes: 8e9, overhead: 0.25 });
    expect(m.gpus).toBe(8);
    expect(m.ep).toBe(4);
    expect(m.tp).toBe(2);
    expect(m.groups.map((g) => g.experts)).toEqual([3, 3, 2, 2]);
    expect(m.groups.map((g) => g.sequences)).toEqual([2, 1, 1, 1]);
    expect(m.groups.map((g) => g.ep_rank)).toEqual([0, 1, 2, 3]);
    expect(m.groups.map((g) => g.expert_bytes)).toEqual([1.5e9, 1.5e9, 1e9, 1e9]);
    expect(m.groups.map((g) => g.rest_bytes)).toEqual([4e9, 4e9, 4e9, 4e9]);
    expect(m.groups.map((g) => g.kv_bytes)).toEqual([1e9, 0.5e9, 0.5e9, 0.5e9]);
    expect(m.groups.map((g) => g.total_bytes)).toEqual([6.5e9, 6e9, 5.5e9, 5.5e9]);
    expect(m.groups.map((g) => g.needed_bytes)).toEqual([8.125e9, 7.5e9, 6.875e9, 6.875e9]);
    expect(m.max_needed_bytes).toBe(8.125e9);
    // 8 GB per GPU: group 0 overflows, the others fit
    expect(m.groups.map((g) => g.fits)).toEqual([false, true, true, true]);
    expect(m.fits).toBe(false);
    // summed: 2 × (6.5 + 6 + 5.5 + 5.5) = 47 GB; with overhead 2 × 29.375 = 58.75 GB ≤ 8 × 8 = 64 GB
    expect(m.total_bytes).toBe(47e9);
    expect(m.fits_aggregate).toBe(true);
  });

  it('fits when the fullest GPU needs exactly the memory', () => {
    const m = perGpuMemory(model, kv, { ep: 4, tp: 2 }, { memory_bytes: 8.125e9, overhead: 0.25 });
    expect(m.groups[0]!.fits).toBe(true);
    expect(m.fits).toBe(true);
  });

  it('the aggregate check fails exactly above GPUs × memory', () => {
    // no overhead: summed 47 GB over 8 GPUs; 47/8 = 5.875 GB per GPU fits the sum, 5.8 GB does not
    expect(perGpuMemory(model, kv, { ep: 4, tp: 2 }, { memory_bytes: 5.875e9 }).fits_aggregate).toBe(true);
    expect(perGpuMemory(model, kv, { ep: 4, tp: 2 }, { memory_bytes: 5.8e9 }).fits_aggregate).toBe(false);
  });

  it('keeps whole experts on every GPU of the group when experts are not split by TP', () => {
    // group 0: 3 GB + 4 + 1 = 8 GB
    const m = perGpuMemory(model, kv, { ep: 4, tp: 2, experts_split_by_tp: false }, { memory_bytes: 8e9 });
    expect(m.groups[0]!.expert_bytes).toBe(3e9);
    expect(m.groups[0]!.total_bytes).toBe(8e9);
    expect(m.groups[0]!.needed_bytes).toBe(8e9);
    expect(m.fits).toBe(true);
  });

  it('never splits the KV cache below one head per GPU', () => {
    // MLA (1 head), TP 2: each GPU keeps the whole cache of its group: ⌈1/2⌉/1 = 1
    const mla = perGpuMemory(model, { ...kv, kv_heads: 1 }, { ep: 1, tp: 2 }, { memory_bytes: 1e12 });
    expect(mla.groups[0]!.kv_bytes).toBe(5e9);
    // 3 heads over TP 2: the fullest GPU holds 2 of 3
    const gqa = perGpuMemory(model, { ...kv, kv_heads: 3 }, { ep: 1, tp: 2 }, { memory_bytes: 1e12 });
    expect(gqa.groups[0]!.kv_bytes).toBeCloseTo((5e9 * 2) / 3, 0);
  });

  it('rejects bad sizes', () => {
    const mem = { memory_bytes: 8e9 };
    const l = { ep: 1, tp: 1 };
    expect(() => perGpuMemory(model, kv, { ep: 0, tp: 1 }, mem)).toThrow(/ep must be an integer >= 1/);
    expect(() => perGpuMemory(model, kv, { ep: 1, tp: 1.5 }, mem)).toThrow(/tp must/);
    expect(() => perGpuMemory({ ...model, num_experts: 0 }, kv, l, mem)).toThrow(/num_experts/);
    expect(() => perGpuMemory({ ...model, expert_bytes: -1 }, kv, l, mem)).toThrow(
      /expert_bytes must be a number >= 0/,
    );
    expect(() => perGpuMemory({ ...model, rest_bytes: Number.NaN }, kv, l, mem)).toThrow(/rest_bytes/);
    expect(() => perGpuMemory(model, { ...kv, batch: -1 }, l, mem)).toThrow(/batch/);
    expect(() => perGpuMemory(model, { ...kv, batch: 0.5 }, l, mem)).toThrow(/batch/);
    expect(() => perGpuMemory(model, { ...kv, kv_bytes_per_sequence: Infinity }, l, mem)).toThrow(/kv_bytes/);
    expect(() => perGpuMemory(model, { ...kv, kv_heads: 0 }, l, mem)).toThrow(/kv_heads/);
    expect(() => perGpuMemory(model, kv, l, { memory_bytes: -1 })).toThrow(/memory_bytes/);
    expect(() => perGpuMemory(model, kv, l, { memory_bytes: 1, overhead: -0.1 })).toThrow(/overhead/);
    expect(() =>
      perGpuMemory({ ...model, expert_bytes: 0, rest_bytes: 0 }, { ...kv, batch: 0 }, l, { memory_bytes: 0 }),
    ).not.toThrow();
  });
});

describe('gpusNeeded', () => {
  // 8 experts of 1 GB, 2 GB rest, no KV; 4 GB GPUs
  const model: ServingModel = { num_experts: 8, expert_bytes: 1e9, rest_bytes: 2e9 };
  const kv: KvWorkload = { batch: 0, kv_bytes_per_sequence: 0, kv_heads: 1 };

  it('finds the fewest GPUs, the smaller TP first', () => {
    // 1 GPU: 10 GB. 2: EP2 8/2... 4 + 2 = 6, TP2 4 + 1 = 5. 3: EP3 3 + 2 = 5.
    // 4: EP4 TP1 2 + 2 = 4 ≤ 4 fits (EP2 TP2, 2 + 1 = 3, would fit too but TP1 comes first)
    const m = gpusNeeded(model, kv, { memory_bytes: 4e9 });
    expect(m).not.toBeNull();
    expect([m!.gpus, m!.ep, m!.tp]).toEqual([4, 4, 1]);
    expect(m!.max_needed_bytes).toBe(4e9);
  });

  it('gives up past max_gpus', () => {
    expect(gpusNeeded(model, kv, { memory_bytes: 4e9, max_gpus: 3 })).toBeNull();
    expect(gpusNeeded(model, kv, { memory_bytes: 4e9, max_gpus: 4 })!.gpus).toBe(4);
  });

  it('only tries the TP degrees given (sorted, duplicates dropped)', () => {
    // TP 2 only: 2 GPUs (EP1): 4 + 1 = 5; 4 GPUs (EP2): 2 + 1 = 3 fits
    const m = gpusNeeded(model, kv, { memory_bytes: 4e9, tp_options: [2, 2] });
    expect([m!.gpus, m!.ep, m!.tp]).toEqual([4, 2, 2]);
    // 3 GB GPUs, TP 4 or 1: 4 GPUs as EP4 TP1 needs 4 GB, as EP1 TP4 needs 8/4 + 2/4 = 2.5 GB: fits
    const t = gpusNeeded(model, kv, { memory_bytes: 3e9, tp_options: [4, 1] });
    expect([t!.gpus, t!.ep, t!.tp]).toEqual([4, 1, 4]);
  });

  it('sorts the TP degrees: at equal GPU counts the smaller TP wins whatever the order given', () => {
    // 4 GPUs: EP4 TP1 needs 2 + 2 = 4 GB and fits 4 GB GPUs, as does EP2 TP2 (2 + 1 = 3 GB): TP1 is tried first
    const m = gpusNeeded(model, kv, { memory_bytes: 4e9, tp_options: [2, 1] });
    expect([m!.gpus, m!.ep, m!.tp]).toEqual([4, 4, 1]);
  });

  it('passes experts_split_by_tp on', () => {
    // TP 2, whole experts: 2 GPUs 8 + 1 = 9; 4 GPUs 4 + 1 = 5; 6 GPUs (EP3) 3 + 1 = 4 fits
    const m = gpusNeeded(model, kv, { memory_bytes: 4e9, tp_options: [2], experts_split_by_tp: false });
    expect([m!.gpus, m!.ep, m!.tp]).toEqual([6, 3, 2]);
  });

  it('rejects a TP option below 1', () => {
    expect(() => gpusNeeded(model, kv, { memory_bytes: 4e9, tp_options: [0, 1] })).toThrow(/tp option/);
  });
});
