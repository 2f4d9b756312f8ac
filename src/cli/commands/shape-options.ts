// The parsers of --context and --batch, shared by `inspect` and `calc`: in a module of their own so
// that `calc` does not load the inspect command's checkpoint and Hub readers with them.
import { CONTEXT_EXPECTED, parseContextTokens } from '../../formats/units.js';
import { InputError } from '../../findings/errors.js';

/** Large enough for any context window, small enough that every byte count stays exact. */
const MAX_CONTEXT = 2 ** 32;
const MAX_BATCH = 2 ** 20;

/** Context lengths are quoted in binary thousands: 128K = 131,072 tokens, 1M = 1,048,576. */
export function parseContext(text: string): number {
  const n = parseContextTokens(text);
  if (n === undefined) throw new InputError(`--context: ${CONTEXT_EXPECTED}, got ${JSON.stringify(text)}`);
  if (n > MAX_CONTEXT)
    throw new InputError(
      `--context: at most ${MAX_CONTEXT.toLocaleString('en-US')} tokens (4096M), got ${JSON.stringify(text)}`,
    );
  return n;
}

export function parseBatch(text: string): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InputError(`--batch: expected a whole number of sequences of at least 1, got ${JSON.stringify(text)}`);
  }
  if (n > MAX_BATCH)
    throw new InputError(
      `--batch: at most ${MAX_BATCH.toLocaleString('en-US')} sequences, got ${JSON.stringify(text)}`,
    );
  return n;
}
