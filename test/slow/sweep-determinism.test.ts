// Determinism on a 300,000-point grid (test/fixtures/specs/determinism.yaml): 1 and 2 workers and the
// calling thread write the same CSV, its rows parse back to the evaluated metrics, and the feasible and
// pareto CSV modes are the all file filtered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/csv/columns.js';
import { designAt } from '../../src/grid/axes.js';
import { writeResultsCsv } from '../../src/output/csv-file.js';
import { loadSpec, parseSpec } from '../../src/spec/load.js';
import { runSweep, runSweepSync } from '../../src/sweep/run.js';
import { evaluateDesign } from '../../src/sweep/design.js';
import { parseCsv, specFixture, useTempDir } from '../helpers.js';

const tmp = useTempDir('moe-sweep-test-');
const fixture = (name: string) => loadSpec(specFixture(name));

async function csvWith(workers: number, file: string) {
  const spec = fixture('determinism');
  const result = await runSweep(spec, { workers });
  const { EvaluatorPool } = await import('../../src/pool/pool.js');
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
    const rows = parseCsv(text);
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
    const { EvaluatorPool } = await import('../../src/pool/pool.js');
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

describe('an architecture sweep with hardware on the pool', () => {
  it('gives what the calling thread gives when each worker evaluates several slices of the plan in turn', async () => {
    // 3 × 3 × 15 × 16 × 5 × 3 = 32,400 points: 8 slices of at most 4,096, so each worker takes
    // several slices of the same plan (its kept pass) and moves each slice's arrays to this thread
    const spec = parseSpec(
      `name: arch-pool
architecture: {from: deepseek-v3}
grid:
  hidden_size: [5120, 6144, 7168]
  num_layers: [40, 48, 61]
  experts: {from: 64, to: 512, step: 32}
  top_k: {from: 1, to: 16}
  moe_intermediate_size: [1024, 1536, 2048, 2560, 3072]
  first_k_dense_replace: [0, 1, 3]
dtype: fp8
serving: {context: 128K, batch: 16}
hardware: {gpu: H200, count: 8}
constraints:
  active_params: {max: 30B}
  vram: {budget: 1128GB, overhead: 0.1}
objectives: [min active_params, max total_params, max decode_tokens_per_s]
`,
      'arch-pool.yaml',
    );
    const { EvaluatorPool } = await import('../../src/pool/pool.js');
    const pool = new EvaluatorPool(2);
    try {
      const pooled = await runSweep(spec, { workers: 2, pool });
      const sync = runSweepSync(spec);
      expect(pooled.slices.length).toBe(8);
      expect(pooled.counts).toEqual(sync.counts);
      expect(pooled.violationCounts).toEqual(sync.violationCounts);
      expect(Object.values(pooled.violationCounts).every((n) => n > 0)).toBe(true);
      expect(pooled.heatmap).toEqual(sync.heatmap);
      expect(pooled.front).toEqual(sync.front);
      await writeResultsCsv(pooled, join(tmp, 'arch-pool.csv'), 'feasible', { pool, workers: 2 });
      await writeResultsCsv(sync, join(tmp, 'arch-sync.csv'), 'feasible', { workers: 1 });
      expect(readFileSync(join(tmp, 'arch-pool.csv')).equals(readFileSync(join(tmp, 'arch-sync.csv')))).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
