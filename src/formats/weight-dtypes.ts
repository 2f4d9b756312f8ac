// Storage formats the sweep knows by name, in bytes per weight with block scales included: int4
// carries one 16-bit scale per 128 weights (4.125 bits), mxfp4 one 8-bit scale per 32 (4.25 bits),
// nvfp4 one 8-bit scale per 16 (4.5 bits). src/serving/dtypes.ts holds the formats and their sources.
import { bytesPerValue, type FormatName } from './dtypes.js';

const NAMES = [
  'fp32',
  'bf16',
  'fp16',
  'fp8',
  'int8',
  'int4',
  'mxfp4',
  'nvfp4',
] as const satisfies readonly FormatName[];

export type Dtype = (typeof NAMES)[number];
export const DTYPES: readonly Dtype[] = NAMES;
export const DTYPE_BYTES = Object.fromEntries(NAMES.map((n) => [n, bytesPerValue(n)])) as Record<Dtype, number>;

export function isDtype(x: unknown): x is Dtype {
  return typeof x === 'string' && Object.hasOwn(DTYPE_BYTES, x);
}
