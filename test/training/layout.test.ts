// Which layouts are legal, in the words a user sees, and how the search picks among the legal ones.
import { describe, expect, it } from 'vitest';
import {
  LAYOUT_PROBLEMS,
  chooseLayout,
  describeProblem,
  layoutProblem,
  layoutThroughput,
  type LayoutQuestion,
} from '../../src/training/layout.js';
import { MIXED_PRECISION, type Layout, type TrainingShape } from '../../src/training/memory.js';

const shape: TrainingShape = {
  layers: 61,
  moeLayers: 58,
  hidden: 7168,
  vocab: 129280,
  experts: 256,
  topK: 8,
  embedding: 0,
  head: 0,
  moeLayerShared: 0,
  denseLayerShared: 0,
  moeLayerReplicated: 0,
  denseLayerReplicated: 0,
  expertParamsPerLayer: 0,
  actAttention: 0,
  actScoreHeadsKeys: 0,
  actNorms: 0,
  actDenseMlp: 0,
  actMoeShared: 0,
  actExpertFixed: 0,
  actExpertWide: 0,
  actInput: 0,
};
const facts = { heads: 128, queryGroups: 128, expertIntermediate: 2048 };
const l = (x: Partial<Layout>): Layout => ({
  tp: 1,
  pp: 16,
  ep: 64,
  etp: 1,
  cp: 1,
  zero: 1,
  recompute: 1,
  microBatch: 1,
  ...x,
});

describe('layout legality', () => {
  it("accepts DeepSeek-V3's own layout: PP 16 (61 layers as stages of at most 4), EP 64, ZeRO-1 on 2,048 GPUs", () => {
    expect(layoutProblem(shape, facts, l({}), 2048, 4096, 15360)).toBe(0);
  });

  it.each([
    [{ tp: 3 }, 2048, 0, 1], // 2,048 / (3 × 16) is not whole
    [{ ep: 48 }, 3072, 0, 5], // 256 experts / 48
    [{ ep: 64, etp: 8, pp: 64 }, 2048, 0, 6], // a stage has 2,048 / 64 = 32 GPUs < 64 × 8
    [{ etp: 3, ep: 1, pp: 1 }, 3, 0, 7], // expert width 2,048 / 3
    [{ pp: 32 }, 2048, 0, 8], // ⌈61/32⌉ = 2 layers a stage: 31 stages hold them all, one is empty
    [{}, 2048, 1000, 9], // DP 128 × micro-batch 1 does not divide 1,000 sequences
  ])('%o on %i GPUs (global batch %i): problem %i', (x, count, batch, code) => {
    expect(layoutProblem(shape, facts, l(x), count, 4096, batch)).toBe(code);
  });

  it('checks hidden size, heads and KV heads against TP', () => {
    expect(layoutProblem({ ...shape, hidden: 7004 }, facts, l({ tp: 8, pp: 1, ep: 8 }), 64, 4096, 0)).toBe(2);
    expect(layoutProblem(shape, { ...facts, heads: 20 }, l({ tp: 8, pp: 1, ep: 8 }), 64, 4096, 0)).toBe(3);
    expect(layoutProblem(shape, { ...facts, queryGroups: 4 }, l({ tp: 8, pp: 1, ep: 8 }), 64, 4096, 0)).toBe(4);
    expect(layoutProblem({ ...shape, experts: 0, moeLayers: 0 }, facts, l({ pp: 1, ep: 2 }), 2, 4096, 0)).toBe(11);
    expect(layoutProblem(shape, facts, l({ cp: 3, pp: 1, ep: 1 }), 3, 4097, 0)).toBe(10);
  });

  it('says what is wrong with the numbers', () => {
    expect(describeProblem(5, shape, facts, l({ ep: 48 }), 3072)).toBe(
      'routed experts not divisible by EP (256 experts, EP 48)',
    );
    expect(LAYOUT_PROBLEMS).toHaveLength(12);
  });
});

describe('layout search', () => {
  const q: LayoutQuestion = {
    count: 16,
    seqLen: 4096,
    globalBatch: 0,
    capacityFactor: 1,
    dropout: false,
    precision: MIXED_PRECISION,
    gpuMemory: 80e9,
    search: 'throughput',
    attentionShare: 0.3,
  };

  it('prices recomputation and the 1F1B bubble', () => {
    // full recompute repeats the forward: 1/(1 + 1/3) = 0.75
    expect(layoutThroughput(l({ pp: 1, recompute: 2 }), q)).toBeCloseTo(0.75, 12);
    // selective repeats the scores' forward: 1/(1 + 0.3/3) = 1/1.1
    expect(layoutThroughput(l({ pp: 1, recompute: 1 }), q)).toBeCloseTo(1 / 1.1, 12);
    // PP 4 with 8 × 4 = 32 micro-batches per step (no global batch given): bubble 3/32
    expect(layoutThroughput(l({ pp: 4, recompute: 0 }), q)).toBeCloseTo(1 / (1 + 3 / 32), 12);
    // a global batch of 64 on DP 16/4 = 4 at micro-batch 1: 16 micro-batches, bubble 3/16
    expect(layoutThroughput(l({ pp: 4, recompute: 0 }), { ...q, globalBatch: 64 })).toBeCloseTo(1 / (1 + 3 / 16), 12);
  });

  it('keeps the fixed fields and reports the first problem when nothing is legal', () => {
    const open = { tp: 3, pp: -1, ep: -1, etp: -1, cp: 1, zero: -1, recompute: -1, microBatch: 1 };
    const a = chooseLayout(shape, facts, open, q);
    expect(a.bytes).toBe(Infinity);
    expect(a.fits).toBe(false);
    expect(a.layout.tp).toBe(3);
    expect(a.problem).toBe(1); // 16 GPUs / 3
  });
});
