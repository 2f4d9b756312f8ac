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
const files = readdirSync(CORPUS)
  .filter((f) => !f.startsWith('.'))
  .sort();
const harness = new CliHarness('moe-sweep-corpus-');
afterAll(() => harness.dispose());

const replay = (file: string) => harness.check(readFileSync(join(CORPUS, file)), file);
const replayed = new Set<string>();
const _buggy = (id: string) => {
  replayed.add(id);
  return KNOWN_BUGS.find((b) => b.id === id)!.corpus;
};

/**
 * For `it.fails`: rethrows the property violation when it is the known bug `id`. Any other outcome
 * returns normally, so `it.fails` fails: the bug was fixed (remove the `.fails`), or the input now
 * fails in another way (look at the logged error).
 */
async function _replayKnown(file: string, id: string): Promise<void> {
  try {
    await replay(file);
  } catch (err) {
    if (err instanceof PropertyViolation && knownBugs(err)?.includes(id)) throw err;
    console.error(`${file} no longer shows the known bug ${id} but fails otherwise:`, err);
    return;
  }
  console.error(
    `${file} no longer shows the known bug ${id}: if it is fixed, remove it from known-bugs.ts and the it.fails here`,
  );
}

describe('fuzz corpus: known bugs (it.fails until fixed)', () => {
  // None open. A new one gets a block here, e.g.:
  //   for (const file of buggy('some-bug')) it.fails(`${file}: …`, () => replayKnown(file, 'some-bug'));
  it('has no open known bugs', () => {
    expect(KNOWN_BUGS).toEqual([]);
  });
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
