// CSV rows, exit status and the front on small fixtures; the same on a 300,000-point grid with 1 and 2
// workers is in test/slow/sweep-determinism.test.ts.
import { describe, expect, it } from 'vitest';
import { stringifyRow } from '../src/csv/columns.js';
import { formatCsvChunk } from '../src/csv/rows.js';
import { designAt, gridSize } from '../src/grid/axes.js';
import { loadSpec, parseSpec } from '../src/spec/load.js';
import { makePlan } from '../src/sweep/plan.js';
import { runSweep, runSweepSync } from '../src/sweep/run.js';
import { evaluateDesign } from '../src/sweep/design.js';
import { specFixture } from './helpers.js';

const fixture = (name: string) => loadSpec(specFixture(name));

describe('CSV rows', () => {
  it('every grid row the workers format is byte-identical to csv-stringify on the same cells', () => {
    const spec = fixture('exit1-named-design-over-vram');
    const plan = makePlan(spec)!;
    const front = Float64Array.from([1, 5]);
    const rows = formatCsvChunk(plan, 0, gridSize(spec.grid!), 'all', front).split(/(?<=\n)/);
    expect(rows.length).toBe(gridSize(spec.grid!));
    rows.forEach((row, i) => {
      const d = designAt(spec.grid!, i);
      const e = evaluateDesign(spec, d);
      const cells = [
        '',
        d.experts,
        d.top_k,
        d.expert_params,
        d.shared_params,
        ...Object.values(e.metrics),
        e.feasible,
        i === 1 || i === 5,
        e.violations.join(';'),
      ];
      expect(row).toBe(stringifyRow(cells));
    });
  });

  it('plain numbers: integers as integers, no exponent below 1e21, booleans as true/false', () => {
    const row = stringifyRow(['d', 1_026_408_232_448, 0.5, true, false]);
    expect(row).toBe('d,1026408232448,0.5,true,false\n');
  });
});

describe('exit status and front', () => {
  it('a passing spec: named design feasible, grid has feasible designs', () => {
    const r = runSweepSync(fixture('exit0-all-pass'));
    expect(r.counts).toMatchObject({ points: 3 * 8 * 3 * 2, skipped: 24, evaluated: 120 });
    expect(r.designs[0]!.feasible).toBe(true);
    expect(r.counts.feasible).toBeGreaterThan(0);
  });

  it('a failing named design lists its violations', () => {
    const r = runSweepSync(fixture('exit1-named-design-over-vram'));
    const bad = r.designs.find((d) => d.name === 'too-big')!;
    // 1B + 64 × 2B = 129B params × 2 bytes × 1.2 = 309.6 GB > 80 GB
    expect(bad.metrics.vram_bytes).toBe(309.6e9);
    expect(bad.feasible).toBe(false);
    expect(bad.violations).toEqual(['vram']);
  });

  it('the front of the sweep equals the brute-force front of every feasible design', () => {
    const spec = fixture('exit0-all-pass');
    const r = runSweepSync(spec);
    const all = [] as { total: number; active: number }[];
    for (let i = 0; i < r.counts.points; i++) {
      const d = designAt(spec.grid!, i);
      if (d.top_k > d.experts) continue;
      const e = evaluateDesign(spec, d);
      if (e.feasible) all.push({ total: e.metrics.total_params, active: e.metrics.active_params });
    }
    for (const d of r.designs)
      if (d.feasible) all.push({ total: d.metrics.total_params, active: d.metrics.active_params });
    const front = all.filter(
      (p) => !all.some((q) => q.active <= p.active && q.total >= p.total && (q.active < p.active || q.total > p.total)),
    );
    const key = (p: { total: number; active: number }) => `${p.total}/${p.active}`;
    expect(r.front.map((f) => key({ total: f.metrics.total_params, active: f.metrics.active_params })).sort()).toEqual(
      front.map(key).sort(),
    );
    expect(r.front.length).toBeGreaterThan(1);
  });
});

describe('a sweep without plot data (--no-report)', () => {
  it('bins nothing and gathers no points, and counts, front and CSV rows are those of a full run', async () => {
    // 20 × 8 × 40 × 2 = 12,800 points: past PLOT_POINT_LIMIT, so a full run bins the cloud
    const spec = parseSpec(
      'grid: {experts: {from: 8, to: 160, step: 8}, top_k: {from: 1, to: 8}, expert_params: {from: 0.1B, to: 4B, step: 0.1B}, shared_params: [2B, 4B]}\nconstraints: {active_params: {min: 5B, max: 20B}}\n',
      'no-plot.yaml',
    );
    const full = await runSweep(spec, { workers: 1 });
    const bare = await runSweep(spec, { workers: 1, plot: false });
    expect(full.plot?.mode).toBe('bins');
    expect(bare.plot).toBeUndefined();
    expect(bare.slices.every((s) => s.bins === undefined)).toBe(true);
    expect(full.slices.every((s) => s.bins !== undefined)).toBe(true);
    expect(bare.counts).toEqual(full.counts);
    expect(bare.front).toEqual(full.front);
    expect(Array.from(bare.frontGridIndex)).toEqual(Array.from(full.frontGridIndex));
    const n = gridSize(spec.grid!);
    expect(formatCsvChunk(bare.plan!, 0, n, 'all', bare.frontGridIndex)).toBe(
      formatCsvChunk(full.plan!, 0, n, 'all', full.frontGridIndex),
    );
  });
});
