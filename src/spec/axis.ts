// One grid axis as a spec writes it: a value, a list of distinct values, or a range {from, to, step}
// or {from, to, times}, expanded to its values with every part checked where it was written.
import { expandRange, rangeLength, type RangeSpec } from '../grid/axes.js';
import { describeValue, type PathSegment } from '../findings/errors.js';
import type { Locator } from './locator.js';

export interface AxisRule {
  /** One value, checked (throws a located error). */
  value: (raw: unknown, path: PathSegment[]) => number;
  /** A step as written (a number, or a count such as 0.2B), before it is checked to be whole and positive. */
  step: (raw: unknown) => number | undefined;
  /** A range's values are counted up to this many (and one more); more are never expanded. */
  countLimit: number;
  /** Why a range of n values is too long, or undefined when it is not. */
  tooMany: (n: number) => string | undefined;
}

export function expandAxis(
  raw: unknown,
  path: PathSegment[],
  at: Locator,
  rule: AxisRule,
): { values: number[]; text: string } {
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw at.expected(path, 'expected at least one value', raw);
    const values = raw.map((v, i) => rule.value(v, [...path, i]));
    const seen = new Set<number>();
    values.forEach((v, i) => {
      if (seen.has(v))
        throw at.expected([...path, i], 'expected distinct values (this one repeats an earlier one)', raw[i]);
      seen.add(v);
    });
    return { values, text: `[${raw.map(String).join(', ')}]` };
  }
  if (raw !== null && typeof raw === 'object') {
    const r = raw as { from: unknown; to: unknown; step?: unknown; times?: unknown };
    const from = rule.value(r.from, [...path, 'from']);
    const to = rule.value(r.to, [...path, 'to']);
    if (from > to)
      throw at.expected([...path, 'to'], `expected a value not below from (${describeValue(r.from)})`, r.to);
    const range: RangeSpec = { from, to };
    if (r.step !== undefined && r.times !== undefined) {
      throw at.error([...path, 'times'], 'expected either step (additive) or times (geometric), not both', {
        atKey: true,
      });
    }
    if (r.times !== undefined) {
      if (typeof r.times !== 'number' || !Number.isFinite(r.times) || r.times <= 1) {
        throw at.expected([...path, 'times'], 'expected a factor greater than 1', r.times);
      }
      if (from < 1)
        throw at.expected([...path, 'from'], 'expected a value of at least 1 for a geometric range', r.from);
      range.times = r.times;
    } else if (r.step !== undefined) {
      const step = rule.step(r.step);
      if (step === undefined || !Number.isFinite(step) || !Number.isInteger(step) || step <= 0) {
        throw at.expected(
          [...path, 'step'],
          'expected a positive whole step (the range runs upwards from `from` to `to`)',
          r.step,
        );
      }
      range.step = step;
    }
    const why = rule.tooMany(rangeLength(range, rule.countLimit));
    if (why) throw at.error(path, why);
    const text =
      range.times !== undefined
        ? `${String(r.from)} → ${String(r.to)}, ×${range.times}`
        : `${String(r.from)} → ${String(r.to)}, step ${String(r.step ?? 1)}`;
    return { values: expandRange(range), text };
  }
  return { values: [rule.value(raw, path)], text: String(raw) };
}
