// Parameter counts and memory sizes as people write them in specs: 30B, 0.1B, 640GB, 80GiB.
// Parsing goes through the decimal digits (not a float multiply) so 0.1B is exactly 100000000.

const COUNT_SUFFIX: Record<string, number> = { '': 0, K: 3, M: 6, B: 9, T: 12 };
const DECIMAL_BYTES: Record<string, number> = { '': 0, B: 0, KB: 3, MB: 6, GB: 9, TB: 12 };
const BINARY_BYTES: Record<string, number> = { KIB: 10, MIB: 20, GIB: 30, TIB: 40 };

const NUMBER = String.raw`([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?`;
/** A parameter count written with an optional K/M/B/T suffix. Shared with the JSON Schema. */
export const COUNT_PATTERN = String.raw`^\s*${NUMBER}\s*([KMBTkmbt])?\s*$`;
/** A memory size with an optional decimal (KB…TB) or binary (KiB…TiB) unit. Shared with the JSON Schema. */
export const BYTES_PATTERN = String.raw`^\s*${NUMBER}\s*([KMGTkmgt]?[Bb]|[KMGTkmgt][Ii][Bb])?\s*$`;
const COUNT_RE = new RegExp(COUNT_PATTERN);
const BYTES_RE = new RegExp(BYTES_PATTERN);

/** Exact decimal scaling: "0.1" × 10^9 → 1e8 without the binary rounding of 0.1 * 1e9. */
function scaleDecimal(mantissa: string, exponent: string | undefined, power: number): number {
  const [int = '', frac = ''] = mantissa.split('.');
  const exp = Number(exponent ?? 0) + power - frac.length;
  return Number(`${int}${frac}e${exp}`);
}

/** Parses a parameter count; returns undefined when the text is not one. */
export function parseCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = COUNT_RE.exec(value);
  if (!m) return undefined;
  const suffix = (m[3] ?? '').toUpperCase();
  return scaleDecimal(m[1]!, m[2], COUNT_SUFFIX[suffix]!);
}

/** Parses a memory size in bytes; returns undefined when the text is not one. */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = BYTES_RE.exec(value);
  if (!m) return undefined;
  const unit = (m[3] ?? '').toUpperCase();
  if (unit in BINARY_BYTES) return scaleDecimal(m[1]!, m[2], 0) * 2 ** BINARY_BYTES[unit]!;
  return scaleDecimal(m[1]!, m[2], DECIMAL_BYTES[unit]!);
}

function trimmed(x: number, digits: number): string {
  return Number(x.toPrecision(digits)).toString();
}

/** 46702792704 → "46.7B": for people, never for the CSV. */
export function formatCount(n: number, digits = 3): string {
  const abs = Math.abs(n);
  for (const [suffix, power] of [
    ['T', 12],
    ['B', 9],
    ['M', 6],
    ['K', 3],
  ] as const) {
    if (abs >= 10 ** power) return `${trimmed(n / 10 ** power, digits)}${suffix}`;
  }
  return trimmed(n, digits);
}

/** 736e9 → "736 GB" (decimal units, as GPU datasheets use). */
export function formatBytes(n: number, digits = 3): string {
  const abs = Math.abs(n);
  for (const [unit, power] of [
    ['TB', 12],
    ['GB', 9],
    ['MB', 6],
    ['KB', 3],
  ] as const) {
    if (abs >= 10 ** power) return `${trimmed(n / 10 ** power, digits)} ${unit}`;
  }
  return `${trimmed(n, digits)} B`;
}

export function formatRatio(x: number, digits = 3): string {
  return trimmed(x, digits);
}

export function formatPercent(x: number, digits = 3): string {
  return `${trimmed(x * 100, digits)}%`;
}

/** Context-window units: K = 1,024 and M = 1,048,576 tokens, as context lengths are quoted ("128K" = 131,072). */
const CONTEXT_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 * 1024 };
export const CONTEXT_PATTERN = '^\\s*\\d+(?:\\.\\d+)?\\s*[kKmM]?\\s*$';
export const CONTEXT_EXPECTED =
  'expected a whole number of tokens of at least 1, such as 4096, 128K or 1M (K = 1,024, M = 1,048,576)';

/** Tokens of a context length (a number, or text such as "128K"); undefined unless a whole number ≥ 1. */
export function parseContextTokens(raw: unknown): number | undefined {
  let n = Number.NaN;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(raw);
    if (m) n = Number(m[1]) * CONTEXT_UNITS[m[2]!.toLowerCase()]!;
  }
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** A bandwidth: bytes per second as a number, or a size with an optional "/s" ("300GB/s"). */
export function parseBandwidth(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw > 0 ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const b = parseBytes(raw.trim().replace(/\s*\/\s*s$/i, ''));
  return b !== undefined && b > 0 ? b : undefined;
}
