// Replays every input in test/fixtures/fuzz/ (interesting cases the fuzzer found: crashes, hangs,
// multi-line errors, and inputs that once looked risky) through the CLI, asserting the same
// properties as spec-fuzz.test.ts (see cli-harness.ts).
//
// Inputs that show a known, not yet fixed bug are replayed with `it.fails`, one per bug below, so the
// suite stays green and the bug stays visible; when the bug is fixed the replay passes, `it.fails`
// fails, and the entry moves to the plain replays (remove it from known-bugs.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliHarness, PropertyViolation } from './cli-harness.js';
import { KNOWN_BUGS, knownBugs } from './known-bugs.js';

const CORPUS = 'test/fixtures/fuzz';
const files = readdirSync(CORPUS).filter((f) => !f.startsWith('.')).sort();
const harness = new CliHarness('moe-sweep-corpus-');
afterAll(() => harness.dispose());

const replay = (file: string) => harness.check(readFileSync(join(CORPUS, file)), file);
const replayed = new Set<string>();
const buggy = (id: string) => {
  replayed.add(id);
  return KNOWN_BUGS.find((b) => b.id === id)!.corpus;
};

/**
 * For `it.fails`: rethrows the property violation when it is the known bug `id`. Any other outcome
 * returns normally, so `it.fails` fails: the bug was fixed (remove the `.fails`), or the input now
 * fails in another way (look at the logged error).
 */
async function replayKnown(file: string, id: string): Promise<void> {
  try {
    await replay(file);
  } catch (err) {
    if (err instanceof PropertyViolation && knownBugs(err)?.includes(id)) throw err;
    console.error(`${file} no longer shows the known bug ${id} but fails otherwise:`, err);
    return;
  }
  console.error(`${file} no longer shows the known bug ${id}: if it is fixed, remove it from known-bugs.ts and the it.fails here`);
}

describe('fuzz corpus: known bugs (it.fails until fixed)', () => {
  // Bug: an unknown key is echoed raw in the field path and in `unknown key "…"`: one holding a line
  // break (\n or \r), or a long list key stringified over lines, makes the error take several lines.
  for (const file of buggy('unknown-key-line-break')) it.fails(`${file}: unknown key with a line break gives a multi-line error`, () => replayKnown(file, 'unknown-key-line-break'));

  // Bug: a range `from` or a constraint `min` written with a line break around the number ("\n8B"
  // passes the count pattern) is echoed raw in "expected … not below from/min (…)".
  for (const file of buggy('bound-echo-line-break')) it.fails(`${file}: from/min with a line break gives a multi-line error`, () => replayKnown(file, 'bound-echo-line-break'));

  // Bug: a YAML syntax error is cut at its first \n only, and the yaml library's message can end in
  // the raw offending character: "Not a YAML token: \r" for a block scalar header before a lone \r.
  for (const file of buggy('yaml-error-carriage-return')) it.fails(`${file}: YAML error message holds a raw carriage return`, () => replayKnown(file, 'yaml-error-carriage-return'));

  // Bug: a list or mapping used as a mapping key makes the yaml library emit a process warning, which
  // Node prints on stderr after the one-line error.
  for (const file of buggy('collection-key-warning')) it.fails(`${file}: collection key adds a Node warning to stderr`, () => replayKnown(file, 'collection-key-warning'));

  // Bug: a geometric factor barely above 1 makes the spec check loop synchronously for minutes (or
  // practically forever) before --max-points is consulted. Replayed in a child process with a time limit.
  for (const file of buggy('geometric-factor-near-one-hang')) it.fails(`${file}: geometric factor near 1 hangs the spec check`, { timeout: 30_000 }, () => replayKnown(file, 'geometric-factor-near-one-hang'));

  // Bug: parameter counts and the vram overhead are accepted up to 1e308, so the metrics overflow to
  // Infinity and the run "passes" (or fails) with Infinity and NaN in results.csv.
  for (const file of buggy('metric-overflow-infinity')) it.fails(`${file}: overflowing metrics written as Infinity/NaN in results.csv`, () => replayKnown(file, 'metric-overflow-infinity'));
});

describe('fuzz corpus: replays', () => {
  const known = new Set(KNOWN_BUGS.flatMap((b) => b.corpus));
  it('every known bug names corpus files that exist and is replayed above', () => {
    for (const f of known) expect(files, f).toContain(f);
    expect([...replayed].sort()).toEqual(KNOWN_BUGS.map((b) => b.id).sort());
    for (const b of KNOWN_BUGS) expect(b.corpus.length, b.id).toBeGreaterThan(0);
  });
  for (const file of files.filter((f) => !known.has(f))) {
    it(file, async () => {
      await replay(file);
    });
  }
});
