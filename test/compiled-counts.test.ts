// Compiled counts (src/evaluate/compile.ts, compiled.ts) and the compiled kernel's helpers
// (front-buffer.ts, LogBin in compiled-kernel.ts): published counts at a grid point, structural
// cases, the fallback of points no polynomial covers, and the helpers against their references.
// The random-grid equality over every family is test/property/compiled-counts.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIndices, formatSlice } from '../src/csv/rows.js';
import { binOf } from '../src/evaluate/binner.js';
import { LogBin } from '../src/evaluate/log-bin.js';
import { FrontBuffer } from '../src/evaluate/front-buffer.js';
import { PointSource, countAt } from '../src/evaluate/general.js';
import { Growable } from '../src/evaluate/growable.js';
import { localFront } from '../src/evaluate/pareto.js';
import { evaluateSlice } from '../src/evaluate/slice.js';
import { parseSpec } from '../src/spec/load.js';
import { gridPoints, makePlan } from '../src/sweep/plan.js';

const spec = (grid: string, from = 'deepseek-v3') =>
  parseSpec(
    `name: compiled
architecture: {from: ${from}}
grid:
${grid}
dtype: fp8
serving: {context: 128K, batch: 16}
hardware: {gpu: H200, count: 8}
objectives: [min active_params, max total_params, max decode_tokens_per_s]
`,
    'compiled.yaml',
  );

/** Every point's compiled counts against countAt (module by module); returns how many compiled. */
function checkEveryPoint(s: ReturnType<typeof spec>): { points: number; compiled: number } {
  const plan = makePlan(s)!;
  const gp = plan.general!;
  const source = new PointSource(gp);
  let points = 0;
  let compiled = 0;
  for (let index = 0; index < gridPoints(s); index++) {
    const p = source.at(index);
    if (!p) continue;
    points++;
    if (source.walker.ok()) compiled++;
    const want = countAt(
      gp,
      Array.from(source.walker.idx, (i, d) => gp.dims[d]!.values[i]!),
    );
    expect([p.expert_params, p.shared_params, p.facts]).toEqual([want.expert_params, want.shared_params, want.facts]);
  }
  return { points, compiled };
}

/** The compiled and module-by-module paths give the same summary and CSV text. */
function samePaths(s: ReturnType<typeof spec>): void {
  const n = gridPoints(s);
  const plan = makePlan(s)!;
  const plan0 = makePlan(s, { compiled: false })!;
  const a = evaluateSlice(plan, 0, n);
  const b = evaluateSlice(plan0, 0, n);
  expect(a).toEqual(b);
  expect(formatSlice(plan, 0, n, 'all', a.frontIndex)).toBe(formatSlice(plan0, 0, n, 'all', b.frontIndex));
}

describe('compiled counts', () => {
  it("DeepSeek-V3's own point of a grid: expert 2,554,331,136 and shared 17,117,648,384 (671,026,419,200 in all)", () => {
    // test/presets.test.ts works these out from the official config: total_main = 17,117,648,384 +
    // 256 × 2,554,331,136 = 671,026,419,200, the model card's '671B total parameters'
    const s = spec(`  hidden_size: [6144, 7168]
  num_layers: [58, 61]
  experts: [256, 320]
  top_k: [8]
  moe_intermediate_size: [2048, 2560]
  first_k_dense_replace: [1, 3]`);
    const plan = makePlan(s)!;
    expect(plan.general!.compiled!.notes[0]).toMatch(/1 of 1 structural cases compiled/);
    const source = new PointSource(plan.general!);
    // dims: experts, top_k, hidden_size, num_layers, moe_intermediate_size, first_k_dense_replace
    const index = ((((0 * 1 + 0) * 2 + 1) * 2 + 1) * 2 + 0) * 2 + 1;
    expect(source.walker.cc.dims.map((d) => d.size)).toEqual([2, 1, 2, 2, 2, 2]);
    const p = source.at(index)!;
    expect(source.walker.ok()).toBe(true);
    expect(p.expert_params).toBe(2_554_331_136);
    expect(p.shared_params).toBe(17_117_648_384);
    expect(p.shared_params + 256 * p.expert_params).toBe(671_026_419_200);
    // MLA caches 61 × (512 + 64) values per token: at 128K (131,072 tokens) in bf16, 9,210,691,584 bytes
    expect(p.facts.kvBytesPerSequence).toBe(61 * 576 * 131_072 * 2);
    expect(checkEveryPoint(s)).toEqual({ points: 32, compiled: 32 });
    samePaths(s);
  });

  it('MoE layer periods, dense prefixes and layer counts: a case per residue, every point equal to countParameters', () => {
    const s = spec(
      `  num_layers: [40, 41, 42, 43, 44, 45, 46]
  moe_intermediate_size: [1024, 1536, 2048]
  first_k_dense_replace: [0, 1, 2, 3, 4]
  moe_layer_period: [1, 2, 3]`,
    );
    const cc = makePlan(s)!.general!.compiled!;
    // lcm(1, 2, 3) = 6 residues of num_layers and of first_k_dense_replace (5 values: residues 0..4), 3 periods
    expect(cc.dims.map((d) => d.classes)).toEqual([6, 1, 5, 3]);
    const { points, compiled } = checkEveryPoint(s);
    expect(points).toBe(7 * 3 * 5 * 3);
    expect(compiled).toBe(points);
    samePaths(s);
  });

  it('shared experts 0 ↔ n and sliding windows below and above the context are cases of their own', () => {
    const shared = spec(`  num_shared_experts: [0, 1, 2]
  moe_intermediate_size: [1024, 2048, 3072]`);
    const classes = (s: ReturnType<typeof spec>, key: string) => {
      const gp = makePlan(s)!.general!;
      return gp.compiled!.dims[gp.dims.findIndex((d) => d.key === key)]!.classes;
    };
    expect(classes(shared, 'num_shared_experts')).toBe(2);
    expect(checkEveryPoint(shared)).toEqual({ points: 9, compiled: 9 });
    samePaths(shared);
    const windows = spec(
      `  sliding_window: [64, 128, 131072, 262144]
  moe_intermediate_size: [1440, 2880, 4320]`,
      'gpt-oss-120b',
    );
    expect(classes(windows, 'sliding_window')).toBe(2);
    expect(checkEveryPoint(windows)).toEqual({ points: 12, compiled: 12 });
    samePaths(windows);
  });

  it('points with no MoE layer (first_k_dense_replace ≥ num_layers) fall back to module-by-module counting, with a note', () => {
    const s = spec(`  num_layers: [3, 4, 8, 16]
  first_k_dense_replace: [0, 3, 8]`);
    const cc = makePlan(s)!.general!.compiled!;
    expect(cc.notes.join('\n')).toMatch(/first_k_dense_replace >= num_layers counted module by module/);
    const { points, compiled } = checkEveryPoint(s);
    // (3, 3), (3, 8), (4, 8), (8, 8) have no MoE layer
    expect(points - compiled).toBe(4);
    samePaths(s);
  });
});

describe('the compiled kernel without serving columns', () => {
  it('an architecture grid with neither serving nor hardware: the same summary and CSV as module by module', () => {
    // the table then has its base columns only; every row, including the last of each block, must
    // hold its own figures
    const s = parseSpec(
      `name: no-serving
architecture: {from: qwen3-30b-a3b}
grid:
  hidden_size: [1536, 2048, 2560]
  num_layers: [24, 48]
  experts: [64, 128]
  top_k: [2, 8, 16]
  moe_intermediate_size: [512, 768]
dtype: bf16
constraints:
  active_params: {max: 3B}
objectives: [min active_params, max total_params]
`,
      'no-serving.yaml',
    );
    expect(s.serving).toBeUndefined();
    samePaths(s);
  });
});

describe('the compiled kernel from slice to slice', () => {
  it('a pass kept for the next slice of the same plan (with CSV rows formatted in between) sums to what fresh passes give', () => {
    const s = parseSpec(
      `name: slices
architecture: {from: deepseek-v3}
grid:
  hidden_size: [6144, 7168]
  num_layers: [40, 61]
  experts: [64, 128, 256]
  top_k: [1, 2, 4, 8]
  moe_intermediate_size: [1024, 2048]
  first_k_dense_replace: [1, 3]
dtype: fp8
serving: {context: 128K, batch: 16}
hardware: {gpu: H200, count: 8}
constraints:
  active_params: {max: 30B}
  vram: {budget: 1128GB, overhead: 0.1}
objectives: [min active_params, max decode_tokens_per_s]
`,
      'slices.yaml',
    );
    const plan = makePlan(s)!;
    expect(plan.id).toBeDefined();
    // without an id no pass is kept: each slice starts from a new one
    const fresh = { ...plan, id: undefined };
    const n = gridPoints(s);
    // irregular slices that start inside blocks
    const cuts = [0, 7, 50, 51, 100, 150, n];
    const want = cuts.slice(1).map((end, i) => evaluateSlice(fresh, cuts[i]!, end));
    const front = Float64Array.from(want.flatMap((w) => Array.from(w.frontIndex)));
    // rows of another part of the grid, formatted between two slices
    const rows = (i: number) => Float64Array.of(n - 2 - i, n - 1);
    const wantRows = want.map((_, i) => formatIndices(fresh, rows(i), front));
    cuts.slice(1).forEach((end, i) => {
      expect(evaluateSlice(plan, cuts[i]!, end)).toEqual(want[i]);
      expect(formatIndices(plan, rows(i), front)).toBe(wantRows[i]);
    });
  });
});

describe('LogBin', () => {
  it('gives the bin of binOf(log10(v)), also at and next to the bin edges', () => {
    const [lo, hi, n] = [8.5, 12.25, 48];
    const bins = new LogBin(lo, hi, n);
    const width = (hi - lo) / n;
    const values: number[] = [0, 1, 1e3, 1e15, Number.NaN, -5];
    for (let i = 0; i <= n; i++) {
      const edge = 10 ** (lo + i * width);
      values.push(edge, edge * (1 + 1e-15), edge * (1 - 1e-15), edge * 1.001, Math.round(edge));
    }
    fc.assert(
      fc.property(fc.double({ min: 1e8, max: 1e13, noNaN: true }), (v) => {
        expect(bins.of(v)).toBe(binOf(Math.log10(v), lo, hi, n));
      }),
      { seed: 3, numRuns: 2000 },
    );
    for (const v of values) expect(bins.of(v)).toBe(binOf(Math.log10(v), lo, hi, n));
  });
});

describe('FrontBuffer', () => {
  it('keeps the front localFront finds among every candidate, duplicates, -0, infinities and NaN included', () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 6 }) },
      { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -0, Infinity, -Infinity) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(value, { minLength: 4, maxLength: 4 }), { maxLength: 400 }),
        fc.boolean(),
        (nObj, rows, collectAll) => {
          const buffer = new FrontBuffer(nObj, collectAll);
          const index = new Growable();
          const objectives = Array.from({ length: nObj }, () => new Growable());
          rows.forEach((r, i) => {
            buffer.add(10 * i, Float64Array.from(r.slice(0, nObj)));
            index.push(10 * i);
            r.slice(0, nObj).forEach((x, j) => objectives[j]!.push(x));
          });
          const [gotIndex, gotObj] = buffer.front();
          const [wantIndex, wantObj] = localFront(index, objectives);
          expect(Array.from(gotIndex)).toEqual(Array.from(wantIndex));
          expect(Array.from(gotObj)).toEqual(Array.from(wantObj));
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});
