/**
 * The safetensors header, read without the weights (format: github.com/huggingface/safetensors,
 * README "Format"): 8 bytes N, an unsigned little-endian 64-bit integer, then N bytes of UTF-8
 * JSON mapping each tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets relative to
 * the byte after the header) plus an optional "__metadata__" of strings; then the data. The
 * reference implementation refuses headers above 100,000,000 bytes (MAX_HEADER_SIZE in
 * safetensors/src/tensor.rs), and so does this reader.
 */
import { HeaderError, shapeElements, type TensorInfo } from './tensor.js';

export const MAX_HEADER_BYTES = 100_000_000;

/** Bits of one element of each safetensors dtype (safetensors `Dtype::bitsize`). */
export const SAFETENSORS_DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F8_E4M3FNUZ: 8,
  F8_E5M2FNUZ: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

/** The header length N from the file's first 8 bytes. */
export function safetensorsHeaderLength(first8: Uint8Array, file: string): number {
  if (first8.length < 8) throw new HeaderError(`${file}: shorter than the 8-byte safetensors header length`);
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const n = view.getBigUint64(0, true);
  if (n < 2n || n > BigInt(MAX_HEADER_BYTES)) {
    throw new HeaderError(
      `${file}: not a safetensors file (its header length reads ${n} bytes; expected 2 to ${MAX_HEADER_BYTES})`,
    );
  }
  return Number(n);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * The tensors a safetensors header lists, checked against the format: each entry's dtype, shape
 * and offsets, bytes = elements × dtype bits / 8, and (given `dataBytes`, the file size minus 8 + N)
 * every tensor inside the file. `headerBytes` is the N bytes after the length.
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, file: string, dataBytes?: number): TensorInfo[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    throw new HeaderError(`${file}: the safetensors header is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isObj(json)) throw new HeaderError(`${file}: the safetensors header is not a JSON object`);
  const out: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(json)) {
    if (name === '__metadata__') continue;
    const what = `${file}: tensor "${name}"`;
    if (!isObj(entry)) throw new HeaderError(`${what}: expected {dtype, shape, data_offsets}`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (typeof dtype !== 'string') throw new HeaderError(`${what}: dtype is not a string`);
    if (!Array.isArray(shape) || !shape.every(isCount)) throw new HeaderError(`${what}: shape is not a list of sizes`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[1]! < offsets[0]!) {
      throw new HeaderError(`${what}: data_offsets is not [begin, end] with begin <= end`);
    }
    const elements = shapeElements(shape, what);
    const bytes = offsets[1]! - offsets[0]!;
    const bits = SAFETENSORS_DTYPE_BITS[dtype];
    if (bits !== undefined && elements * bits !== bytes * 8) {
      throw new HeaderError(
        `${what}: ${elements} ${dtype} elements take ${(elements * bits) / 8} bytes, but its data_offsets span ${bytes}`,
      );
    }
    if (dataBytes !== undefined && offsets[1]! > dataBytes) {
      throw new HeaderError(`${what}: its data ends at byte ${offsets[1]} of a data region of ${dataBytes} bytes`);
    }
    out.push({ name, dtype, shape: [...shape], elements, bytes, file });
  }
  return out;
}

/** The index a sharded safetensors checkpoint names its shards in. */
export const SAFETENSORS_INDEX = 'model.safetensors.index.json';

/**
 * The shard files of a `model.safetensors.index.json` (its `weight_map` values, in first-seen
 * order) and the tensor each names, so a reader can say which tensors the index promises.
 */
export function safetensorsIndexShards(index: unknown, file: string): { shards: string[]; tensors: number } {
  if (!isObj(index) || !isObj(index['weight_map']))
    throw new HeaderError(`${file}: expected an object with a weight_map`);
  const shards: string[] = [];
  const seen = new Set<string>();
  let tensors = 0;
  for (const [name, shard] of Object.entries(index['weight_map'])) {
    if (typeof shard !== 'string' || shard.length === 0)
      throw new HeaderError(`${file}: weight_map["${name}"] is not a file name`);
    // shard names are file names beside the index, never paths that leave the folder
    if (shard.includes('..') || shard.startsWith('/') || shard.includes('\\'))
      throw new HeaderError(`${file}: weight_map["${name}"] names "${shard}", not a file beside the index`);
    tensors++;
    if (!seen.has(shard)) {
      seen.add(shard);
      shards.push(shard);
    }
  }
  return { shards, tensors };
}
