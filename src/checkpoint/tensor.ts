/**
 * One tensor as a checkpoint's file header describes it: no weights, only what the file says about
 * them. Shared by the safetensors and GGUF readers and by the reconciliation.
 */
export interface TensorInfo {
  name: string;
  /** the file's own dtype name: safetensors `BF16`, `F8_E4M3`, …; GGUF `Q4_K`, `F16`, … */
  dtype: string;
  shape: number[];
  /** product of the shape (1 for a scalar) */
  elements: number;
  /** bytes of its data in the file */
  bytes: number;
  /** the file (shard) that holds it, as the checkpoint names it */
  file: string;
}

/** Why a header could not be read, in one line that names the file. */
export class HeaderError extends Error {
  override readonly name = 'HeaderError';
}

/** Product of a shape, checked to stay an exact integer. */
export function shapeElements(shape: readonly number[], what: string): number {
  let n = 1;
  for (const d of shape) n *= d;
  if (!Number.isSafeInteger(n))
    throw new HeaderError(`${what}: shape [${shape.join(', ')}] is too large to count exactly`);
  return n;
}
