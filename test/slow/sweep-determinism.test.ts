// Determinism on a 300,000-point grid (test/fixtures/specs/determinism.yaml): 1 and 2 workers and the
// calling thread write the same CSV, its rows parse back to the evaluated metrics, and the feasible and
// pareto CSV modes are the all file filtered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/csv/columns.js';
import { designAt } from '../../src/grid/axes.js';
import { writeResultsCsv } from '../../src/output/csv-file.js';
import { loadSpec } from '../../src/spec/load.js';
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
