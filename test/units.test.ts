import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, parseBytes, parseCount } from '../src/formats/units.js';

describe('parseCount', () => {
  it.each([
    ['30B', 30e9],
    ['0.1B', 100_000_000],
    ['5.6B', 5_600_000_000],
    ['800M', 800e6],
    ['1.5K', 1500],
    ['1T', 1e12],
    ['2t', 2e12],
    ['3e10', 3e10],
    ['1.5e3K', 1_500_000],
    [' 7B ', 7e9],
    ['.5B', 500_000_000],
    ['12', 12],
    [42, 42],
  ])('%j → %d', (text, expected) => {
    expect(parseCount(text)).toBe(expected);
  });

  it('is exact where a float multiply is not: 4.1B is 4100000000, not 4.1 × 1e9 = 4099999999.9999995', () => {
    expect(4.1 * 1e9).not.toBe(4_100_000_000); // the trap this parser avoids
    expect(parseCount('4.1B')).toBe(4_100_000_000);
    expect(parseCount('4.1M')).toBe(4_100_000);
  });

  it.each(['', 'B', '30X', '30 GB', '-5B', '1,000', 'ten', '30BB', 'NaN', 'Infinity'])('rejects %j', (text) => {
    expect(parseCount(text)).toBeUndefined();
  });

  it('rejects non-finite numbers and non-strings', () => {
    expect(parseCount(Number.NaN)).toBeUndefined();
    expect(parseCount(Infinity)).toBeUndefined();
    expect(parseCount(null)).toBeUndefined();
    expect(parseCount({})).toBeUndefined();
  });
});

describe('parseBytes', () => {
  it.each([
    ['640GB', 640e9],
    ['80 GB', 80e9],
    ['80GiB', 80 * 2 ** 30],
    ['1TiB', 2 ** 40],
    ['512MB', 512e6],
    ['1.5KiB', 1536],
    ['100B', 100],
    ['4096', 4096],
    ['8e10', 8e10],
    ['1tb', 1e12],
  ])('%j → %d', (text, expected) => {
    expect(parseBytes(text)).toBe(expected);
  });

  it.each(['640G', '80 GBs', 'GB', '-1GB', '1 PB', '10 gigabytes'])('rejects %j', (text) => {
    expect(parseBytes(text)).toBeUndefined();
  });
});

describe('formatting for people', () => {
  it('uses K/M/B/T with three significant digits', () => {
    expect(formatCount(46_702_792_704)).toBe('46.7B');
    expect(formatCount(671e9)).toBe('671B');
    expect(formatCount(1_598_837_347_742)).toBe('1.6T');
    expect(formatCount(950)).toBe('950');
  });
  it('uses decimal byte units', () => {
    expect(formatBytes(533.6e9)).toBe('534 GB');
    expect(formatBytes(92.8e9)).toBe('92.8 GB');
    expect(formatBytes(1.2e12)).toBe('1.2 TB');
  });
});
