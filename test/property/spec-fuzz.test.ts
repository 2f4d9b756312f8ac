// Property-based tests of the CLI on hostile specs: mutations of the example and fixture specs (every
// sweeps/*.yaml and test/fixtures/specs/*.yaml, read when the test runs), arbitrary YAML documents and
// randomly assembled spec-shaped documents. Each case is written to a
// temporary file and run in-process with `--out <fresh folder> --workers 1 --max-points 200000`;
// cli-harness.ts lists the properties every case must satisfy (exit 0/1/2 only; a bad spec gets one
// line on stderr naming the file, no stack trace and no output; a good one gets all three files).
//
// Environment:
//   FUZZ_RUNS  total number of generated cases across the three properties (default 320: 100
//              mutations, 200 arbitrary documents, 20 spec-shaped ones, 10-15 s); the split stays in
//              these proportions. Raise it for a longer hunt, e.g. FUZZ_RUNS=10000 (about 6 min on two
//              cores: every case that reaches evaluation starts a worker thread, about half a second).
//   FUZZ_SEED  the fast-check seed (default 20250611). A failure prints the seed and the shrink path,
//              and saves the smallest failing spec to a file in the OS temp folder: replay it with the
//              printed FUZZ_SEED, or add it to test/fixtures/fuzz/ (see fuzz-corpus.test.ts).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { CliHarness } from './cli-harness.js';
import { arbitraryYamlArb, buildMutation, loadSeeds, mutationCaseArb, specShapedArb } from './spec-arbitraries.js';

const RUNS = Math.max(3, Number(process.env.FUZZ_RUNS ?? 320) || 320);
const SEED = Number(process.env.FUZZ_SEED ?? 20250611) | 0;

// The share of each property in FUZZ_RUNS. A valid case costs a worker thread start (about half a
// second) while a refused one takes a millisecond: about 1 in 8 mutations and 1 in 2 spec-shaped
// documents are valid, arbitrary documents almost never are.
const SHARES = { mutations: 0.3125, arbitrary: 0.625, specShaped: 0.0625 };
const runsOf = (share: number) => Math.max(1, Math.round(RUNS * share));
const timeoutFor = (runs: number) => 120_000 + runs * 5_000;

const harness = new CliHarness('moe-sweep-fuzz-');
const seeds = loadSeeds(process.cwd());
afterAll(() => harness.dispose());

async function property<T>(
  label: string,
  arb: fc.Arbitrary<T>,
  toBytes: (value: T) => Buffer,
  runs: number,
): Promise<void> {
  let lastFailing: Buffer | undefined;
  const before = new Map(harness.stats);
  const t0 = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(arb, async (value) => {
        const bytes = toBytes(value);
        try {
          await harness.check(bytes);
        } catch (err) {
          lastFailing = bytes;
          throw err;
        }
      }),
      { numRuns: runs, seed: SEED },
    );
  } catch (err) {
    let saved = '';
    if (lastFailing) {
      const file = join(tmpdir(), `moe-sweep-fuzz-${label}-seed${SEED}.yaml`);
      writeFileSync(file, lastFailing);
      saved = `\nThe smallest failing spec was saved to ${file}.`;
    }
    (err as Error).message += `\nReproduce with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}.${saved}`;
    throw err;
  } finally {
    const counts = [...harness.stats].map(([k, n]) => `${k}: ${n - (before.get(k) ?? 0)}`).join(', ');
    console.log(
      `${label}: ${runs} cases (seed ${SEED}) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${counts}`,
    );
  }
}

describe('the CLI on fuzzed specs exits 0, 1 or 2, with one-line errors and all-or-nothing outputs', () => {
  it(`mutated example and fixture specs (${runsOf(SHARES.mutations)} cases)`, {
    timeout: timeoutFor(runsOf(SHARES.mutations)),
  }, async () => {
    await property(
      'mutations',
      mutationCaseArb(seeds.length),
      (c) => buildMutation(seeds, c),
      runsOf(SHARES.mutations),
    );
  });

  it(`arbitrary YAML documents and bytes (${runsOf(SHARES.arbitrary)} cases)`, {
    timeout: timeoutFor(runsOf(SHARES.arbitrary)),
  }, async () => {
    await property('arbitrary', arbitraryYamlArb, (b) => b, runsOf(SHARES.arbitrary));
  });

  it(`spec-shaped documents (${runsOf(SHARES.specShaped)} cases)`, {
    timeout: timeoutFor(runsOf(SHARES.specShaped)),
  }, async () => {
    await property('spec-shaped', specShapedArb, (b) => b, runsOf(SHARES.specShaped));
  });
});
