// Runs the CLI in-process on one spec (given as raw bytes) and checks the properties every input must
// satisfy, whatever it holds:
//   - the exit code is 0, 1 or 2 (never 3, an internal error, and never a hang);
//   - exit 2: stderr is exactly one line, starting with the spec's path, with no stack trace, and
//     neither the --out folder nor anything else beside it was created;
//   - exit 0/1: the --out folder holds exactly results.csv (its header row, optionally followed by
//     more columns, and finite numbers: the README promises plain numbers), summary.json and
//     report.html, nothing else was left beside it, and nothing was printed on stderr.
// A spec with a geometric factor barely above 1 runs in a child process with a time limit instead:
// the spec check once spun synchronously on it (fixed; the guard stays), and a synchronous loop in-process would
// block the test runner itself, beyond the reach of any timeout.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/program.js';
import { CSV_HEADER } from '../../src/csv/columns.js';
import { captureIo, spawnBin } from '../helpers.js';

/** The header row results.csv must start with (the tool's own definition of its columns; optional
 * columns, such as predicted quality when the spec asks for it, may follow). */
const HEADER_ROW = CSV_HEADER.trimEnd();

/** A case that takes longer than this is reported as a hang. */
const CASE_TIMEOUT_MS = 30_000;
/** The same for a case run in a child process (which also pays for starting Node and tsx). */
// Generous: the child starts tsx first (a second or two on a busy machine); a real hang takes far longer.
const CHILD_TIMEOUT_MS = 20_000;

export interface CaseResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export class CliHarness {
  readonly root: string;
  private n = 0;
  readonly stats = new Map<string, number>();

  constructor(prefix: string) {
    this.root = mkdtempSync(join(tmpdir(), prefix));
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Writes the bytes to a fresh folder, runs the CLI on them and checks every property; throws on a violation. */
  async check(bytes: Uint8Array, fileName = 'spec.yaml'): Promise<CaseResult> {
    const dir = join(this.root, `case-${++this.n}`);
    mkdirSync(dir);
    const specPath = join(dir, fileName);
    const outDir = join(dir, 'out');
    writeFileSync(specPath, bytes);
    try {
      const argv = [specPath, '--out', outDir, '--workers', '1', '--max-points', '200000'];
      const result = hasNearOneFactor(bytes) ? runCliChild(argv) : await runCli(argv);
      this.stats.set(`exit ${result.code}`, (this.stats.get(`exit ${result.code}`) ?? 0) + 1);
      let csv: string | undefined;
      const fail = (what: string): never => {
        throw new PropertyViolation(what, result, specPath, bytes, csv);
      };
      if (result.code === HANG) fail('hang: the CLI did not finish in time');
      if (![0, 1, 2].includes(result.code)) fail(`exit code ${result.code} is not 0, 1 or 2`);
      if (result.code === 2) {
        if (!result.stderr.endsWith('\n')) fail('the error does not end with a newline');
        const body = result.stderr.slice(0, -1);
        if (/[\r\n]/.test(body)) fail('the error is more than one line');
        if (!result.stderr.startsWith(specPath)) fail('the error does not start with the spec path');
        if (result.stderr.includes('\n    at ')) fail('the error holds a stack trace');
        if (existsSync(outDir)) fail('bad input created the --out folder');
        const left = readdirSync(dir).filter((f) => f !== fileName);
        if (left.length) fail(`bad input left files beside the --out folder: ${left.join(', ')}`);
      } else {
        if (result.stderr !== '') fail('a run that succeeded printed on stderr');
        if (!existsSync(outDir)) fail('no --out folder');
        const files = readdirSync(outDir).sort();
        if (files.join(',') !== 'report.html,results.csv,summary.json') fail(`--out holds ${files.join(', ')}`);
        const left = readdirSync(dir).filter((f) => f !== fileName && f !== 'out');
        if (left.length) fail(`the run left files beside the --out folder: ${left.join(', ')}`);
        csv = readFileSync(join(outDir, 'results.csv'), 'utf8');
        const header = csv.split('\n')[0]!;
        if (header !== HEADER_ROW && !header.startsWith(`${HEADER_ROW},`))
          fail(`results.csv starts with ${JSON.stringify(csv.slice(0, 200))}`);
        if (/(^|,)(-?Infinity|NaN)(,|$)/m.test(csv)) fail('results.csv holds a number that is not finite');
        try {
          JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
        } catch {
          fail('summary.json is not JSON');
        }
      }
      return result;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The exit code recorded for a case that did not finish in time. */
export const HANG = -1;

/** Does the document hold a geometric factor `times` in (1, 1.0001]? (Such a spec may spin; see above.) */
export function hasNearOneFactor(bytes: Uint8Array): boolean {
  let found = false;
  const seen = new Set<object>(); // aliases make shared and even cyclic values: visit each object once
  const visit = (v: unknown, depth: number) => {
    if (found || depth > 50 || v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    for (const [k, x] of Object.entries(v)) {
      if (k === 'times' && typeof x === 'number' && x > 1 && x <= 1.0001) found = true;
      visit(x, depth + 1);
    }
  };
  try {
    // logLevel 'error': otherwise the yaml library's own warnings (collection keys) land on this
    // process's stderr and are mistaken for the CLI's.
    for (const doc of parseAllDocuments(Buffer.from(bytes).toString('utf8'), { logLevel: 'error' })) {
      if ('toJS' in doc) visit(doc.toJS({ maxAliasCount: 100 }), 0);
    }
  } catch {
    // not YAML this library reads: the CLI will refuse it quickly
  }
  return found;
}

/** The CLI from source in a child process, killed after CHILD_TIMEOUT_MS (exit code HANG). */
export function runCliChild(argv: string[]): CaseResult {
  const t0 = performance.now();
  const r = spawnBin(argv, { timeout: CHILD_TIMEOUT_MS });
  return { code: r.status ?? HANG, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: performance.now() - t0 };
}

/** A property that did not hold, with what is needed to recognise and report it. */
export class PropertyViolation extends Error {
  override name = 'PropertyViolation';
  /** results.csv, when the run wrote one (not enumerable, so a test report does not print it). */
  declare readonly csv?: string;

  constructor(
    readonly violation: string,
    readonly result: CaseResult,
    readonly specPath: string,
    readonly bytes: Uint8Array,
    csv?: string,
  ) {
    super(
      `${violation}\n  exit code: ${result.code}\n  stderr: ${JSON.stringify(result.stderr.slice(0, 2000))}\n` +
        `  spec (${bytes.length} bytes, JSON-escaped): ${JSON.stringify(Buffer.from(bytes).toString('utf8').slice(0, 4000))}`,
    );
    Object.defineProperty(this, 'csv', { value: csv, enumerable: false });
  }
}

/**
 * `main` with a captured Io; rejects when it takes longer than CASE_TIMEOUT_MS. Process warnings
 * emitted meanwhile are added to stderr as Node prints them, since the real CLI would show them there.
 */
export async function runCli(argv: string[]): Promise<CaseResult> {
  const out = captureIo();
  const onWarning = (w: Error) => void (out.stderr += `(node:${process.pid}) ${w.name}: ${w.message}\n`);
  process.on('warning', onWarning);
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the CLI did not finish within ${CASE_TIMEOUT_MS / 1000} s (hang) on ${argv.join(' ')}`)),
      CASE_TIMEOUT_MS,
    );
  });
  try {
    const code = await Promise.race([main(argv, out.io), timeout]);
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    return { code, stdout: out.stdout, stderr: out.stderr, ms: performance.now() - t0 };
  } finally {
    clearTimeout(timer);
    process.off('warning', onWarning);
  }
}
