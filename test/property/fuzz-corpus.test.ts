// Replays every input in test/fixtures/fuzz/ (interesting cases the fuzzer found: crashes, hangs,
// multi-line errors, and inputs that once looked risky) through the CLI, asserting the same
// properties as spec-fuzz.test.ts (see cli-harness.ts) and the exit code each input is known to get,
// so a fixed bug that comes back, or a refusal that turns into a run, fails here.
//
// A new corpus file needs an entry in EXPECTED_EXIT below.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliHarness } from './cli-harness.js';

const CORPUS = 'test/fixtures/fuzz';
const files = readdirSync(CORPUS)
  .filter((f) => !f.startsWith('.'))
  .sort();
const harness = new CliHarness('moe-sweep-corpus-');
afterAll(() => harness.dispose());

/** The exit code of each corpus input: 0 or 1 for a spec that runs, 2 for one the CLI refuses. */
const EXPECTED_EXIT: Record<string, number> = {
  'alias-bomb-billion-laughs.yaml': 2,
  'alias-cycle-in-grid.yaml': 2,
  'aliases-and-anchors-valid.yaml': 0,
  'block-scalar-header-with-stray-carriage-return.yaml': 2,
  'bom-and-crlf-valid.yaml': 0,
  'collection-key-in-grid-warning.yaml': 2,
  'collection-key-stringified-over-lines.yaml': 2,
  'collection-key-warning.yaml': 2,
  'comment-only.yaml': 2,
  'constraint-min-with-line-break-above-max.yaml': 2,
  'deep-flow-nesting.yaml': 2,
  'empty-file.yaml': 2,
  'geometric-factor-barely-above-one-hangs.yaml': 0,
  'hostile-design-names-valid.yaml': 0,
  'latin1-byte-not-utf8.yaml': 2,
  'multiple-documents.yaml': 2,
  'nul-byte.yaml': 2,
  'parameter-count-overflows-to-infinity.yaml': 2,
  'proto-keys.yaml': 2,
  'range-from-with-line-break-above-to.yaml': 2,
  'self-referential-alias-list.yaml': 2,
  'special-floats.yaml': 2,
  'unknown-key-with-carriage-return.yaml': 2,
  'unknown-key-with-line-break.yaml': 2,
  'unknown-nested-key-with-line-break.yaml': 2,
  'vram-overhead-overflows-to-infinity.yaml': 2,
  'yaml-tags-and-directives.yaml': 2,
};

describe('fuzz corpus: replays', () => {
  it('the corpus is not empty and every input has an expected exit code', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(Object.keys(EXPECTED_EXIT).sort()).toEqual(files);
  });

  for (const file of files) {
    it(file, async () => {
      const result = await harness.check(readFileSync(join(CORPUS, file)), file);
      expect(result.code).toBe(EXPECTED_EXIT[file]);
    });
  }
});
