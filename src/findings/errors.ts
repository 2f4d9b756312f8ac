/** A problem with the user's input: printed as one line, exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
}

export type PathSegment = string | number;

/** `FILE:LINE:COL field.path: expected …, got …` */
export class SpecError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly path: readonly PathSegment[],
    readonly detail: string,
  ) {
    const where = line > 0 ? `${file}:${line}:${col}` : file;
    const field = path.length > 0 ? ` ${formatPath(path)}:` : '';
    super(`${where}${field} ${detail}`);
  }
}

/** Control characters (line breaks above all) escaped as in JSON, so any echo of input stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${oneLine(seg)}` : oneLine(seg);
  return out;
}

/** A short, single-line rendering of a user value for "got …". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') return oneLine(JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value));
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** Levenshtein distance, one UTF-16 unit at a time. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The candidates closest to `word`, closest first, within a distance that still reads as a typo. */
export function nearest(word: string, candidates: readonly string[], n = 1): string[] {
  const limit = Math.max(2, Math.floor(word.length / 2));
  return candidates
    .map((c) => ({ c, d: editDistance(word.toLowerCase(), c.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, n)
    .map(({ c }) => c);
}
