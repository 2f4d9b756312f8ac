// Bugs in the CLI that the fuzzer found and that are not fixed yet. Each has minimal inputs in
// test/fixtures/fuzz/ whose replays are marked `it.fails` in fuzz-corpus.test.ts, and a signature
// that recognises it, so the fuzz properties report it as known (counted, not failed) and keep
// looking for new bugs with any FUZZ_SEED. When a bug is fixed its replays start passing, `it.fails`
// then fails, and its entry here and the `.fails` go.
import { parse } from 'csv-parse/sync';
import { hasNearOneFactor, HANG, type PropertyViolation } from './cli-harness.js';

export interface KnownBug {
  id: string;
  summary: string;
  /** Corpus files (in test/fixtures/fuzz/) that show it. */
  corpus: string[];
}

// Found by the fuzzer and fixed since (their corpus files are now plain replays):
//   unknown-key-line-break, bound-echo-line-break, yaml-error-carriage-return: every echo of input in
//     an error escapes control characters, so the error stays on one line;
//   collection-key-warning: list or mapping keys are refused with a positioned error, and the yaml
//     library's warnings no longer reach stderr;
//   geometric-factor-near-one-hang: geometric ranges jump from one distinct value to the next;
//   metric-overflow-infinity: counts, expert counts and the overhead are bounded, so metrics stay finite.
export const KNOWN_BUGS: KnownBug[] = [];

const ONE_LINE = /^[^\r\n]*$/;
const COLLECTION_KEY_WARNING =
  /\n\(node:\d+\) Warning: Keys with collection values will be stringified due to JS Object restrictions: "[^\r\n]*"\. Set mapAsMap: true to use object keys\./g;
const UNKNOWN_KEY =
  /^(\S+:\d+:\d+) ([\s\S]*): unknown key "([\s\S]*)": (did you mean "[^"\r\n]*"\?|expected one of: [^\r\n]*)$/;
const YAML_ERROR = /^[^\r\n]+:\d+:\d+ invalid YAML: [^\n]*$/;
const BOUND_ECHO = /^[^\r\n]+: expected (?:a value not below from|max not below min) \(([\s\S]*)\), got [^\r\n]*$/;

/** The known bugs that together explain a multi-line error, or undefined when something else is wrong too. */
function explainMultiLine(v: PropertyViolation): string[] | undefined {
  if (v.result.code !== 2 || v.violation !== 'the error is more than one line') return undefined;
  const { stderr } = v.result;
  if (!stderr.startsWith(v.specPath) || !stderr.endsWith('\n') || stderr.includes('\n    at ')) return undefined;
  const ids: string[] = [];
  let error = stderr.slice(0, -1);
  const withoutWarnings = error.replace(COLLECTION_KEY_WARNING, '');
  if (withoutWarnings !== error) {
    ids.push('collection-key-warning');
    error = withoutWarnings;
  }
  if (ONE_LINE.test(error)) return ids.length ? ids : undefined;
  const unknown = UNKNOWN_KEY.exec(error);
  if (unknown && ONE_LINE.test(unknown[1]!)) return [...ids, 'unknown-key-line-break'];
  if (BOUND_ECHO.test(error)) return [...ids, 'bound-echo-line-break'];
  if (YAML_ERROR.test(error)) return [...ids, 'yaml-error-carriage-return'];
  return undefined;
}

/** Every non-finite cell of results.csv is the floating-point overflow of its formula. */
function explainNonFinite(v: PropertyViolation): string[] | undefined {
  if (v.violation !== 'results.csv holds a number that is not finite' || v.csv === undefined) return undefined;
  const rows = parse(v.csv, { columns: true }) as Record<string, string>[];
  const nonFinite = (c: string | undefined) => /^(-?Infinity|NaN)$/.test(c ?? '');
  const explained = rows.every((r) => {
    const bad = Object.keys(r).filter((k) => nonFinite(r[k]));
    if (bad.length === 0) return true;
    const [experts, topK, expert, shared] = ['experts', 'top_k', 'expert_params', 'shared_params'].map((k) =>
      Number(r[k]),
    );
    const total = shared! + experts! * expert!;
    const active = shared! + topK! * expert!;
    if (![total, active, 2 * active, 4 * total].every(Number.isFinite)) return true; // fp32: 4 bytes a weight
    // Finite weights and an infinite vram_bytes: weight_bytes × (1 + overhead) overflowed.
    return bad.length === 1 && bad[0] === 'vram_bytes' && Number.isFinite(Number(r.weight_bytes));
  });
  return explained ? ['metric-overflow-infinity'] : undefined;
}

/** The ids of the known bugs that explain a violation, or undefined when it is new. */
export function knownBugs(v: PropertyViolation): string[] | undefined {
  const ids =
    v.result.code === HANG
      ? hasNearOneFactor(v.bytes)
        ? ['geometric-factor-near-one-hang']
        : undefined
      : (explainMultiLine(v) ?? explainNonFinite(v));
  // Only bugs still listed count as known: a fixed bug that comes back is a new failure.
  const open = ids?.filter((id) => KNOWN_BUGS.some((b) => b.id === id));
  return open && open.length > 0 ? open : undefined;
}
