// The data behind the report's live layer: the staircase of a 2-D projection, the front in its
// objectives' space, "copy as YAML" read back by the spec loader, the CSP's hashes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { compileChart, frontSpec, overviewSpec, projectionFront } from '../src/output/report/charts.js';
import { withCsp } from '../src/output/report/html.js';
import { designYaml, frontTable } from '../src/output/report/table.js';
import { loadSpec, parseSpec } from '../src/spec/load.js';
import { runSweepSync } from '../src/sweep/run.js';

type P = [number, number];
const px = (p: P) => p[0];
const py = (p: P) => p[1];

describe('projectionFront', () => {
  it('keeps the points no other beats on both axes, by hand', () => {
    // min x, min y: (3,4) is beaten by (2,3); (1,5), (2,3), (4,1) each win on one axis.
    const points: P[] = [
      [3, 4],
      [1, 5],
      [4, 1],
      [2, 3],
    ];
    expect(projectionFront(points, px, py, ['min', 'min'])).toEqual([
      [1, 5],
      [2, 3],
      [4, 1],
    ]);
    // min x, max y: (3,2) is beaten by (2,3) (less x, more y); (1,1) has the least x, (4,4) the most y.
    const up: P[] = [
      [1, 1],
      [2, 3],
      [3, 2],
      [4, 4],
    ];
    expect(projectionFront(up, px, py, ['min', 'max'])).toEqual([
      [1, 1],
      [2, 3],
      [4, 4],
    ]);
    // max x, max y: only (4,4) and (5,1) are left; ties on x keep the better y.
    const both: P[] = [
      [4, 4],
      [4, 2],
      [5, 1],
      [3, 3],
    ];
    expect(projectionFront(both, px, py, ['max', 'max'])).toEqual([
      [4, 4],
      [5, 1],
    ]);
  });
});

const ABSTRACT = `name: t
grid: {experts: [8, 16], top_k: [1, 2], expert_params: [1B, 2B], shared_params: [1B]}
constraints: {active_params: {max: 4B}}
objectives: [min active_params, max total_params, min weight_bytes]
`;

describe("the front in its objectives' space", () => {
  it("puts the first two objectives on the axes, the third in colour, and the staircase through the projection's front", () => {
    const result = runSweepSync(parseSpec(ABSTRACT, 't.yaml'));
    const spec = frontSpec(result) as unknown as {
      layer: {
        mark: { type: string; interpolate?: string };
        data: { values: Record<string, number>[] };
        encoding: Record<string, { field?: string }>;
      }[];
    };
    const [stairs, points] = spec.layer;
    expect(stairs!.mark).toMatchObject({ type: 'line', interpolate: 'step-after' }); // x is minimised
    expect(points!.encoding.x!.field).toBe('active_params');
    expect(points!.encoding.y!.field).toBe('total_params');
    expect(points!.encoding.color!.field).toBe('weight_bytes');
    expect(points!.data.values).toHaveLength(result.front.length);
    const expected = projectionFront(
      points!.data.values,
      (r) => r.active_params!,
      (r) => r.total_params!,
      ['min', 'max'],
    ).map((r) => [r.active_params, r.total_params]);
    expect(stairs!.data.values.map((r) => [r.active_params, r.total_params])).toEqual(expected);
  });
});

describe('copy as YAML', () => {
  it('gives a designs: entry of the four numbers that the spec loader reads back', () => {
    const result = runSweepSync(parseSpec(ABSTRACT, 't.yaml'));
    const f = result.front[0]!;
    const text = designYaml(result, f, 0);
    const back = parseSpec(`designs:\n${text.replace(/^/gm, '  ')}`, 'copied.yaml');
    expect(back.designs[0]).toMatchObject({
      name: 'front-1',
      experts: f.experts,
      top_k: f.top_k,
      expert_params: f.expert_params,
      shared_params: f.shared_params,
    });
  });

  it('gives an architecture entry with the swept fields that counts to the same design', () => {
    const spec = parseSpec(
      `architecture: {from: deepseek-v3, num_shared_experts: 2}
grid: {experts: [64, 128], top_k: [4], moe_intermediate_size: [1024, 2048], num_layers: [24]}
objectives: [min active_params, max total_params]
`,
      'a.yaml',
    );
    const result = runSweepSync(spec);
    const i = result.front.length - 1;
    const f = result.front[i]!;
    const text = designYaml(result, f, i);
    expect(text).toContain('from: deepseek-v3');
    expect(text).toContain('num_shared_experts: 2');
    expect(text).toContain(`moe_intermediate_size: ${f.fields!.moe_intermediate_size}`);
    const back = parseSpec(`designs:\n${text.replace(/^/gm, '  ')}`, 'copied.yaml');
    expect(back.designs[0]).toMatchObject({
      experts: f.experts,
      top_k: f.top_k,
      expert_params: f.expert_params,
      shared_params: f.shared_params,
    });
    // The table has a column per swept field.
    expect(frontTable(result, 10).columns.map((c) => c.label)).toEqual(
      expect.arrayContaining(['experts', 'top-k', 'moe_intermediate_size', 'num_layers']),
    );
  });
});

describe('the Content-Security-Policy', () => {
  it('allows each inline script and style by the SHA-256 of its text, and nothing inline else', () => {
    const sha = (t: string) => `'sha256-${createHash('sha256').update(t, 'utf8').digest('base64')}'`;
    const html = withCsp(
      '<meta content="__CONTENT_SECURITY_POLICY__"><style>a{}</style><script type="application/json">{"x":1}</script><script>one()</script><script>two()</script>',
    );
    const csp = html.match(/content="([^"]*)"/)![1]!;
    expect(csp).toBe(
      `default-src 'none'; script-src ${sha('one()')} ${sha('two()')}; style-src ${sha('a{}')}; img-src data:; form-action 'none'; base-uri 'none'`,
    );
  });
});

describe('the parallel coordinates sample', () => {
  it('takes every k-th feasible grid index off the front, k the least stride within the limit', async () => {
    const { sampleFeasible, parallelData } = await import('../src/output/report/parallel.js');
    const { pointEvaluator } = await import('../src/sweep/design.js');
    const result = runSweepSync(
      parseSpec(
        'grid: {experts: [8, 16, 32], top_k: [1, 2, 4], expert_params: [0.5B, 1B, 2B], shared_params: [1B, 2B]}\nconstraints: {active_params: {max: 6B}}\n',
        's.yaml',
      ),
    );
    // Independently: every grid index, evaluated, feasible and not on the front, in order.
    const at = pointEvaluator(result.spec, result.plan!);
    const front = new Set(result.frontGridIndex);
    const offFront = Array.from({ length: result.counts.points }, (_, i) => i).filter(
      (i) => at(i)?.feasible && !front.has(i),
    );
    expect(offFront.length).toBe(result.counts.feasible - front.size);
    expect(sampleFeasible(result, 1000)).toEqual(offFront);
    // A limit of 5 gives stride ceil(n / 5): the 1st, (k+1)th, … of them.
    const k = Math.ceil(offFront.length / 5);
    expect(sampleFeasible(result, 5)).toEqual(offFront.filter((_, j) => j % k === 0));
    expect(sampleFeasible(result, 5).length).toBeLessThanOrEqual(5);
    // The lines: the sample first, then every front design.
    const data = parallelData(result)!;
    expect(data.rows.filter((r) => r.front === 'Pareto front')).toHaveLength(result.front.length);
    // The swept fields, then the default objectives (min active, max total) and the constrained metric.
    expect(data.fields).toEqual([
      'experts',
      'top_k',
      'expert_params',
      'shared_params',
      'active_params',
      'total_params',
    ]);
  });
});

describe('names beside the overview marks', () => {
  it('sit inside the plot beside their own point, clear of one another and of every named point', async () => {
    // The main example's named designs and presets: ours-v2 and ours-v3 are 17 % apart in total and
    // 3 % in active, GLM-5 and DeepSeek-V3 close by too; DeepSeek-V4-Pro is the largest total, at
    // the plot's right edge.
    const result = runSweepSync(loadSpec('sweeps/target-30b-active.yaml'));
    const view = await drawn(overviewSpec(result));
    type Item = {
      x: number;
      y: number;
      opacity: number;
      datum: { label: string };
      bounds: { x1: number; y1: number; x2: number; y2: number };
    };
    const names = itemsOf<Item>(view, 'named_points_names_marks');
    const points = itemsOf<Item>(view, 'named_points_marks');
    const labels = [...result.designs.map((d) => d.name), ...result.compare.map((p) => p.name)];
    expect(names.map((n) => n.datum.label).sort()).toEqual([...labels].sort());
    const [width, height] = [view.width(), view.height()];
    const overlap = (a: Item['bounds'], b: Item['bounds']) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    for (const n of names) {
      const b = n.bounds;
      expect(n.opacity, n.datum.label).toBe(1); // every name found a place
      expect([b.x1 >= 0, b.y1 >= 0, b.x2 <= width, b.y2 <= height], n.datum.label).toEqual([true, true, true, true]);
      for (const m of names)
        if (m !== n) expect(overlap(b, m.bounds), `${n.datum.label} / ${m.datum.label}`).toBe(false);
      for (const p of points)
        expect(p.x > b.x1 && p.x < b.x2 && p.y > b.y1 && p.y < b.y2, `${n.datum.label} over ${p.datum.label}`).toBe(
          false,
        );
      // beside its own point and clear of its mark: the name's box is 7 px (NAME_GAP) from the
      // point's centre, give or take a pixel; the mark (size 90 px²) reaches about 5.4 px out
      const own = points.find((p) => p.datum.label === n.datum.label)!;
      const dx = Math.max(b.x1 - own.x, 0, own.x - b.x2);
      const dy = Math.max(b.y1 - own.y, 0, own.y - b.y2);
      expect(Math.hypot(dx, dy), n.datum.label).toBeGreaterThanOrEqual(Math.sqrt(90 / Math.PI));
      expect(Math.hypot(dx, dy), n.datum.label).toBeLessThanOrEqual(7 + 1);
    }
    view.finalize();
  });
});

/** A chart drawn by vega from the spec the report compiles (compileChart), with no renderer. */
async function drawn(spec: TopLevelSpec) {
  const { vega } = await import('../src/output/report/chart-modules.js');
  const view = new vega.View(vega.parse(await compileChart(spec)), { renderer: 'none' });
  await view.runAsync();
  return view;
}

/** The items of the mark named `name` anywhere in a drawn chart's scenegraph. */
function itemsOf<T>(view: Awaited<ReturnType<typeof drawn>>, name: string): T[] {
  const walk = (node: unknown): T[] => {
    const n = node as { marktype?: string; name?: string; items?: unknown[] };
    if (n.marktype && n.name === name) return n.items as T[];
    return (n.items ?? []).flatMap(walk);
  };
  return walk((view.scenegraph() as unknown as { root: unknown }).root);
}

describe('the parallel coordinates chart', () => {
  it("joins each design's values on neighbouring axes, one segment per pair of axes, in axis order", async () => {
    const { parallelData, parallelSpec } = await import('../src/output/report/parallel.js');
    const result = runSweepSync(
      parseSpec(
        'grid: {experts: [8, 16, 32], top_k: [1, 2, 4], expert_params: [0.5B, 1B, 2B], shared_params: [1B, 2B]}\nconstraints: {active_params: {max: 6B}}\n',
        's.yaml',
      ),
    );
    const data = parallelData(result)!;
    const view = await drawn(parallelSpec(data)!);
    type Segment = { x: number; y: number; x2: number; y2: number; datum: Record<string, unknown> };
    const segments = itemsOf<Segment>(view, 'layer_1_marks');
    const fields = data.fields;
    // By hand: a value's height on its axis is its share of the axis's span over the designs drawn.
    const span = (f: string) => {
      const vs = data.rows.map((r) => r[f] as number);
      return [Math.min(...vs), Math.max(...vs)] as const;
    };
    const share = (r: (typeof data.rows)[number], f: string) => {
      const [lo, hi] = span(f);
      return ((r[f] as number) - lo) / (hi - lo);
    };
    expect(segments).toHaveLength(data.rows.length * (fields.length - 1));
    for (const row of data.rows) {
      const mine = segments.filter((s) => s.datum.id === row.id).sort((a, b) => a.x - b.x);
      expect(mine.map((s) => [s.datum.axis, s.datum.axis2])).toEqual(fields.slice(1).map((f, i) => [fields[i], f]));
      for (const s of mine) {
        expect(s.datum.norm).toBeCloseTo(share(row, s.datum.axis as string), 12);
        expect(s.datum.norm2).toBeCloseTo(share(row, s.datum.axis2 as string), 12);
      }
      // one unbroken line: each segment starts where the one before it ends
      for (let i = 1; i < mine.length; i++)
        expect([mine[i]!.x, mine[i]!.y]).toEqual([mine[i - 1]!.x2, mine[i - 1]!.y2]);
    }
    view.finalize();
  });
});

describe("the overview's labels for screen readers", () => {
  const labels = (svg: string) =>
    (svg.split('<script')[0]!.match(/role="graphics-symbol" aria-roledescription="rect mark"/g) ?? []).length;

  it('name each bin of a small overview, and none past 500 bins', async () => {
    const { renderSvg } = await import('../src/output/report/charts.js');
    const bins = (r: ReturnType<typeof runSweepSync>) => {
      const plot = r.plot as { mode: 'bins'; infeasible: ArrayLike<number>; feasible: ArrayLike<number> };
      return [...Array.from(plot.infeasible), ...Array.from(plot.feasible)].filter((n) => n > 0).length;
    };
    // 8 × 8 × 100 × 1 = 6,400 points (past the 5,000 drawn one by one): binned, over few bins
    const few = runSweepSync(
      parseSpec(
        'grid: {experts: [64], top_k: [1, 2, 4, 8], expert_params: {from: 0.01B, to: 1B, step: 0.01B}, shared_params: [1B, 2B, 4B, 8B, 16B, 32B, 64B, 128B, 256B, 512B, 1T, 2T, 4T, 8T, 16T, 32T]}\n',
        'few.yaml',
      ),
    );
    // experts and expert sizes over decades: hundreds of bins
    const many = runSweepSync(
      parseSpec(
        'grid: {experts: {from: 8, to: 512, step: 8}, top_k: [1, 2, 4, 8, 16], expert_params: {from: 0.01B, to: 2B, step: 0.05B}, shared_params: [0.1B, 1B, 10B]}\n',
        'many.yaml',
      ),
    );
    expect(bins(few)).toBeLessThan(500);
    expect(bins(many)).toBeGreaterThanOrEqual(500);
    expect(labels(await renderSvg(overviewSpec(few), 'few'))).toBe(bins(few));
    expect(labels(await renderSvg(overviewSpec(many), 'many'))).toBe(0);
  });
});
