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

export const KNOWN_BUGS: KnownBug[] = [
  {
    id: 'unknown-key-line-break',
    summary:
      'an unknown key is echoed raw, in the field path and in `unknown key "…"`: one holding a line break (\\n or \\r), or a list/mapping key that the yaml library stringifies over several lines, makes the one-line error take several lines',
    corpus: ['unknown-key-with-line-break.yaml', 'unknown-key-with-carriage-return.yaml', 'unknown-nested-key-with-line-break.yaml', 'collection-key-stringified-over-lines.yaml'],
  },
  {
    id: 'bound-echo-line-break',
    summary:
      'a range `from` or a constraint `min` written as a string with a line break around the number ("\\n8B" is a valid count) is echoed raw in "expected a value not below from (…)" / "expected max not below min (…)", so the error takes two lines',
    corpus: ['range-from-with-line-break-above-to.yaml', 'constraint-min-with-line-break-above-max.yaml'],
  },
  {
    id: 'yaml-error-carriage-return',
    summary:
      'a YAML syntax error is cut at its first \\n only, and the yaml library\'s message can end in the raw offending character: a block scalar header followed by a lone \\r (lines ending in \\r\\r\\n, as after a double CRLF conversion) gives "invalid YAML: Not a YAML token: \\r", whose carriage return a terminal treats as a line break',
    corpus: ['block-scalar-header-with-stray-carriage-return.yaml'],
  },
  {
    id: 'collection-key-warning',
    summary:
      'a mapping key that is itself a list or a mapping (`? [a]` or `{[a]: 1}`) makes the yaml library emit a process warning ("Keys with collection values will be stringified…"), which Node prints on stderr after the one-line error',
    corpus: ['collection-key-warning.yaml', 'collection-key-in-grid-warning.yaml'],
  },
  {
    id: 'geometric-factor-near-one-hang',
    summary:
      'a geometric range whose factor `times` is barely above 1 (1.000000001) makes the spec check (rangeLength) loop about ln(to/from)/ln(times) times, synchronously, before --max-points can refuse it: minutes, or for times = 1 + 2^-52 practically forever',
    corpus: ['geometric-factor-barely-above-one-hangs.yaml'],
  },
  {
    id: 'metric-overflow-infinity',
    summary:
      'parameter counts and the vram overhead are accepted up to the largest double (1e308), so total_params, flops_per_token, weight_bytes or vram_bytes overflow to Infinity: the run "passes" or fails with Infinity and NaN in results.csv and the terminal (NaN never violates a constraint)',
    corpus: ['parameter-count-overflows-to-infinity.yaml', 'vram-overhead-overflows-to-infinity.yaml'],
  },
];

const ONE_LINE = /^[^\r\n]*$/;
const COLLECTION_KEY_WARNING = /\n\(node:\d+\) Warning: Keys with collection values will be stringified due to JS Object restrictions: "[^\r\n]*"\. Set mapAsMap: true to use object keys\./g;
const UNKNOWN_KEY = /^(\S+:\d+:\d+) ([\s\S]*): unknown key "([\s\S]*)": (did you mean "[^"\r\n]*"\?|expected one of: [^\r\n]*)$/;
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
    const [experts, topK, expert, shared] = ['experts', 'top_k', 'expert_params', 'shared_params'].map((k) => Number(r[k]));
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
  if (v.result.code === HANG) return hasNearOneFactor(v.bytes) ? ['geometric-factor-near-one-hang'] : undefined;
  return explainMultiLine(v) ?? explainNonFinite(v);
}
