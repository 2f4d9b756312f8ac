// The byte writer the CSV rows are written with (src/csv/lines.ts). A cell must be exactly the text
// `${v}` gives: that is what the rows were before they were written as bytes, what csv-stringify
// writes for named designs, and ECMAScript's Number::toString, which the file's readers parse back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSlice, formatSliceBytes } from '../src/csv/rows.js';
import { Lines, cellBytes } from '../src/csv/lines.js';
import { makePlan } from '../src/sweep/plan.js';
import { parseSpec } from '../src/index.js';

const decoder = new TextDecoder();

function numText(v: number): string {
  const lines = new Lines(16);
  lines.num(v);
  return decoder.decode(lines.bytes());
}

describe('Lines.num', () => {
  it.each([
    [0, '0'],
    [-0, '0'], // `${-0}` is "0"
    [7, '7'],
    [10, '10'],
    [99, '99'],
    [100, '100'],
    [101, '101'],
    [99_999_999, '99999999'],
    [100_000_000, '100000000'], // the first number written as two halves: 1 and 00000000
    [100_000_001, '100000001'],
    [199_999_999, '199999999'],
    [671_000_000_000, '671000000000'], // DeepSeek-V3's total parameters, as its model card rounds them
    [104_781_020_256, '104781020256'], // a per-GPU byte count, once printed with a float tail
    [9_007_199_254_740_991, '9007199254740991'], // 2^53 − 1
    [9_007_199_254_740_992, '9007199254740992'], // 2^53: past it, `${v}` decides
    [9_007_199_254_740_994, '9007199254740994'],
    [1e21, '1e+21'],
    [0.5, '0.5'],
    [1 / 3, '0.3333333333333333'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e-7, '1e-7'],
    [123_456_789.5, '123456789.5'],
    [-5, '-5'],
    [-1.5e300, '-1.5e+300'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('%d → %s', (v, text) => {
    expect(numText(v)).toBe(text);
  });

  it('writes what String(v) writes, for any double, whole numbers below 2^53 and those next to a multiple of 10^8', () => {
    const nearSplit = fc
      .tuple(fc.integer({ min: 1, max: 90_000_000 }), fc.integer({ min: -3, max: 3 }))
      .map(([hi, d]) => Math.max(0, hi * 1e8 + d));
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.maxSafeNat(), nearSplit, fc.integer()), (v) => {
        expect(numText(v)).toBe(`${v}`);
      }),
      { seed: 5, numRuns: 20_000 },
    );
  });
});

describe('Lines', () => {
  it('writes text byte for byte as UTF-8, ASCII or not', () => {
    const lines = new Lines(16);
    for (const s of ['dense_ffn,', 'μ-batch ✓', ',EP8xTP1', '𝔼[tokens]']) lines.text(s);
    expect(lines.bytes()).toEqual(new TextEncoder().encode('dense_ffn,μ-batch ✓,EP8xTP1𝔼[tokens]'));
  });

  it('keeps every byte as it grows past its first size, and again() copies an earlier run', () => {
    const lines = new Lines(16);
    const cell = cellBytes(',cell');
    let want = '';
    for (let i = 0; i < 5000; i++) {
      const from = lines.length;
      lines.cell(cell);
      lines.commaNum(i * 1_000_003);
      lines.commaFinite(i % 2 === 0 ? 1 / (i + 1) : Number.POSITIVE_INFINITY);
      const n = lines.length - from;
      lines.again(from, n);
      lines.newline();
      const row = `,cell,${i * 1_000_003},${i % 2 === 0 ? 1 / (i + 1) : ''}`;
      want += `${row}${row}\n`;
    }
    expect(lines.toText()).toBe(want);
    expect(lines.capacity).toBeGreaterThan(16);
  });
});

describe('formatSliceBytes', () => {
  it('gives each call bytes of its own: a later call does not write over an earlier one', () => {
    const spec = parseSpec(
      [
        'grid:',
        '  experts: [8, 64]',
        '  top_k: [1, 2, 8]',
        '  expert_params: {from: 0.5B, to: 2B, step: 0.5B}',
        '  shared_params: [1B, 3.5B]',
      ].join('\n'),
      'small.yaml',
    );
    const plan = makePlan(spec)!;
    const front = new Float64Array(0);
    const first = formatSliceBytes(plan, 0, 20, 'all', front);
    const firstText = decoder.decode(first);
    const second = formatSliceBytes(plan, 20, 48, 'all', front);
    expect(decoder.decode(first)).toBe(firstText);
    expect(decoder.decode(first) + decoder.decode(second)).toBe(formatSlice(plan, 0, 48, 'all', front));
    // 2 × 3 × 4 × 2 = 48 points, all of them designs (top_k ≤ experts)
    expect(formatSlice(plan, 0, 48, 'all', front).split('\n')).toHaveLength(49);
  });
});
