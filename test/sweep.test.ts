import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, stringifyRow } from '../src/output/csv/columns.js';
import { formatCsvChunk } from '../src/output/csv/rows.js';
import { designAt, gridSize } from '../src/grid/axes.js';
import { writeResultsCsv } from '../src/output/csv/file.js';
import { loadSpec } from '../src/spec/load.js';
import { makePlan } from '../src/sweep/plan.js';
import { runSweep, runSweepSync } from '../src/sweep/run.js';
import { evaluateDesign } from '../src/sweep/design.js';

const tmp = mkdtempSync(join(tmpdir(), 'moe-sweep-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fixture = (name: string) => loadSpec(`test/fixtures/specs/${name}.yaml`);

async function csvWith(workers: number, file: string) {
  const spec = fixture('determinism');
  const result = await runSweep(spec, { workers });
  const { EvaluatorPool } = await import('../src/pool/pool.js');
  const pool = new EvaluatorPool(workers);
  try {
    await writeResultsCsv(result, file, 'all', { pool, workers });
  } finally {
    await pool.close();
  }
  return { result, bytes: readFileSync(file) };
}

describe('parallel evaluation', () => {
  it('writes byte-identical CSV with 1 and 2 workers, and the same as the calling thread', async () => {
    const one = await csvWith(1, join(tmp, 'w1.csv'));
    const two = await csvWith(2, join(tmp, 'w2.csv'));
    expect(one.result.counts.points).toBeGreaterThan(290_000);
    expect(two.bytes.equals(one.bytes)).toBe(true);
    const sync = runSweepSync(fixture('determinism'));
    await writeResultsCsv(sync, join(tmp, 'w0.csv'), 'all', { workers: 1 });
    expect(readFileSync(join(tmp, 'w0.csv')).equals(one.bytes)).toBe(true);
    expect(two.result.counts).toEqual(sync.counts);
    expect(two.result.front).toEqual(sync.front);
  });

  it('counts and marks rows consistently: parse the CSV back and check every value of sampled rows', () => {
    const spec = fixture('determinism');
    const result = runSweepSync(spec);
    const text = readFileSync(join(tmp, 'w0.csv'), 'utf8');
    const rows: string[][] = parse(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const data = rows.slice(1);
    expect(data.length).toBe(result.designs.length + result.counts.evaluated);
    // The named design's formula-like name is escaped for spreadsheets.
    expect(data[0]![0]).toBe(`'=HYPERLINK("x")`);
    expect(data.filter((r) => r[13] === 'true').length).toBe(
      result.counts.feasible + result.designs.filter((d) => d.feasible).length,
    );
    expect(data.filter((r) => r[14] === 'true').length).toBe(result.front.length);
    // Grid rows come in grid order: row i (after named designs and skipped points) decodes to index i.
    const gridRows = data.slice(result.designs.length);
    for (const i of [0, 1, 777, 12_345, gridRows.length - 1]) {
      const r = gridRows[i]!;
      const design = {
        experts: Number(r[1]),
        top_k: Number(r[2]),
        expert_params: Number(r[3]),
        shared_params: Number(r[4]),
      };
      const e = evaluateDesign(spec, design);
      expect(r.slice(5, 13).map(Number)).toEqual(Object.values(e.metrics));
      expect(r[13]).toBe(String(e.feasible));
      expect(r[15]).toBe(e.violations.join(';'));
    }
    expect(gridRows[0]!.slice(0, 5)).toEqual(['', ...Object.values(designAt(spec.grid!, 0)).map(String)]);
  });
});

describe('CSV modes', () => {
  it('feasible and pareto files are exactly the all file filtered, with and without workers', async () => {
    const spec = fixture('determinism');
    const result = runSweepSync(spec);
    const { EvaluatorPool } = await import('../src/pool/pool.js');
    const pool = new EvaluatorPool(2);
    const read = async (mode: 'all' | 'feasible' | 'pareto', withPool: boolean) => {
      const file = join(tmp, `mode-${mode}-${withPool}.csv`);
      const rows = await writeResultsCsv(result, file, mode, { pool: withPool ? pool : undefined, workers: 2 });
      const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
      expect(lines.length - 1).toBe(rows);
      return lines;
    };
    try {
      const all = await read('all', true);
      const col = (line: string, i: number) => line.split(',').at(i - 16)!; // from the end: design names may hold commas
      for (const withPool of [true, false]) {
        expect(await read('feasible', withPool)).toEqual([
          all[0],
          ...all.slice(1).filter((l) => col(l, 13) === 'true'),
        ]);
        expect(await read('pareto', withPool)).toEqual([all[0], ...all.slice(1).filter((l) => col(l, 14) === 'true')]);
      }
    } finally {
      await pool.close();
    }
  });
});

describe('CSV rows', () => {
  it('every grid row the workers format is byte-identical to csv-stringify on the same cells', () => {
    const spec = fixture('fail-design');
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
    const r = runSweepSync(fixture('pass'));
    expect(r.counts).toMatchObject({ points: 3 * 8 * 3 * 2, skipped: 24, evaluated: 120 });
    expect(r.designs[0]!.feasible).toBe(true);
    expect(r.counts.feasible).toBeGreaterThan(0);
  });

  it('a failing named design lists its violations', () => {
    const r = runSweepSync(fixture('fail-design'));
    const bad = r.designs.find((d) => d.name === 'too-big')!;
    // 1B + 64 × 2B = 129B params × 2 bytes × 1.2 = 309.6 GB > 80 GB
    expect(bad.metrics.vram_bytes).toBe(309.6e9);
    expect(bad.feasible).toBe(false);
    expect(bad.violations).toEqual(['vram']);
  });

  it('the front of the sweep equals the brute-force front of every feasible design', () => {
    const spec = fixture('pass');
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
