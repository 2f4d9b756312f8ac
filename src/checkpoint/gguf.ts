/**
 * The GGUF header, read without the weights (ggml-org/ggml docs/gguf.md): magic "GGUF", version
 * (uint32; 2 and 3 carry uint64 counts), tensor_count and metadata_kv_count (uint64), the
 * metadata key/value pairs, then one tensor info per tensor: name, n_dimensions (uint32), the
 * dimensions (uint64 each, innermost first), the ggml type (uint32) and the data offset (uint64).
 * All little-endian. Bytes of a tensor follow from its type's block: elements / block × block bytes.
 */
import { HeaderError, shapeElements, type TensorInfo } from './tensor.js';

/** ggml types: name, elements per block, bytes per block (ggml.c `type_traits`). */
export const GGML_TYPES: Readonly<Record<number, readonly [string, number, number]>> = {
  0: ['F32', 1, 4],
  1: ['F16', 1, 2],
  2: ['Q4_0', 32, 18],
  3: ['Q4_1', 32, 20],
  6: ['Q5_0', 32, 22],
  7: ['Q5_1', 32, 24],
  8: ['Q8_0', 32, 34],
  9: ['Q8_1', 32, 36],
  10: ['Q2_K', 256, 84],
  11: ['Q3_K', 256, 110],
  12: ['Q4_K', 256, 144],
  13: ['Q5_K', 256, 176],
  14: ['Q6_K', 256, 210],
  15: ['Q8_K', 256, 292],
  16: ['IQ2_XXS', 256, 66],
  17: ['IQ2_XS', 256, 74],
  18: ['IQ3_XXS', 256, 98],
  19: ['IQ1_S', 256, 50],
  20: ['IQ4_NL', 32, 18],
  21: ['IQ3_S', 256, 110],
  22: ['IQ2_S', 256, 82],
  23: ['IQ4_XS', 256, 136],
  24: ['I8', 1, 1],
  25: ['I16', 1, 2],
  26: ['I32', 1, 4],
  27: ['I64', 1, 8],
  28: ['F64', 1, 8],
  29: ['IQ1_M', 256, 56],
  30: ['BF16', 1, 2],
  34: ['TQ1_0', 256, 54],
  35: ['TQ2_0', 256, 66],
  39: ['MXFP4', 32, 17],
};

/** Bytes of each scalar metadata value type (gguf.md `gguf_metadata_value_type`); 8 = string, 9 = array. */
const SCALAR_BYTES: Readonly<Record<number, number>> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

export type GgufValue = number | bigint | boolean | string | GgufValue[];

export interface GgufHeader {
  version: number;
  metadata: Record<string, GgufValue>;
  tensors: TensorInfo[];
}

/** Thrown when the bytes given end before the header does: read at least `need` bytes and try again. */
export class NeedMoreBytes extends Error {
  override readonly name = 'NeedMoreBytes';
  constructor(readonly need: number) {
    super(`the GGUF header needs at least ${need} bytes`);
  }
}

class Cursor {
  pos = 0;
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.length) throw new NeedMoreBytes(Math.max(at + n, this.bytes.length * 2));
    this.pos += n;
    return at;
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  u64(what: string): number {
    const v = this.view.getBigUint64(this.take(8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new HeaderError(`${this.file}: ${what} ${v} is too large`);
    return Number(v);
  }
  string(): string {
    const n = this.u64('a string length');
    const at = this.take(n);
    return new TextDecoder().decode(this.bytes.subarray(at, at + n));
  }
  scalar(type: number): GgufValue {
    const at = this.take(SCALAR_BYTES[type]!);
    const v = this.view;
    switch (type) {
      case 0:
        return v.getUint8(at);
      case 1:
        return v.getInt8(at);
      case 2:
        return v.getUint16(at, true);
      case 3:
        return v.getInt16(at, true);
      case 4:
        return v.getUint32(at, true);
      case 5:
        return v.getInt32(at, true);
      case 6:
        return v.getFloat32(at, true);
      case 7:
        return v.getUint8(at) !== 0;
      case 10:
        return v.getBigUint64(at, true);
      case 11:
        return v.getBigInt64(at, true);
      default:
        return v.getFloat64(at, true);
    }
  }
  value(type: number, key: string): GgufValue {
    if (type === 8) return this.string();
    if (type === 9) {
      const inner = this.u32();
      const n = this.u64(`the length of array ${key}`);
      // long arrays (a tokenizer's vocabulary) are skipped over, not kept: only their size matters here
      if (inner !== 8 && inner !== 9 && SCALAR_BYTES[inner] !== undefined && n > 64) {
        this.take(n * SCALAR_BYTES[inner]!);
        return [];
      }
      const out: GgufValue[] = [];
      for (let i = 0; i < n; i++) {
        const item = this.value(inner, key);
        if (i < 64) out.push(item);
      }
      return out;
    }
    if (SCALAR_BYTES[type] === undefined)
      throw new HeaderError(`${this.file}: metadata ${key} has unknown value type ${type}`);
    return this.scalar(type);
  }
}

/**
 * Parse a GGUF header from the first bytes of its file. Throws NeedMoreBytes when `bytes` ends
 * inside the header, HeaderError when the file is not GGUF (or a version this reader does not know).
 */
export function parseGgufHeader(bytes: Uint8Array, file: string): GgufHeader {
  const c = new Cursor(bytes, file);
  if (bytes.length >= 4 && new TextDecoder().decode(bytes.subarray(0, 4)) !== 'GGUF')
    throw new HeaderError(`${file}: not a GGUF file (no "GGUF" magic)`);
  c.pos = 4;
  const version = c.u32();
  if (version !== 2 && version !== 3)
    throw new HeaderError(`${file}: GGUF version ${version}; versions 2 and 3 are read`);
  const nTensors = c.u64('tensor_count');
  const nKv = c.u64('metadata_kv_count');
  const metadata: Record<string, GgufValue> = {};
  for (let i = 0; i < nKv; i++) {
    const key = c.string();
    metadata[key] = c.value(c.u32(), key);
  }
  const tensors: TensorInfo[] = [];
  for (let i = 0; i < nTensors; i++) {
    const name = c.string();
    const nDims = c.u32();
    if (nDims > 8) throw new HeaderError(`${file}: tensor "${name}" has ${nDims} dimensions`);
    const shape: number[] = [];
    for (let d = 0; d < nDims; d++) shape.push(c.u64(`a dimension of ${name}`));
    const type = c.u32();
    c.u64(`the offset of ${name}`);
    const what = `${file}: tensor "${name}"`;
    const elements = shapeElements(shape, what);
    const t = GGML_TYPES[type];
    if (!t) throw new HeaderError(`${what}: unknown ggml type ${type}`);
    const [dtype, block, blockBytes] = t;
    if (elements % block !== 0)
      throw new HeaderError(`${what}: ${elements} elements are not whole ${dtype} blocks of ${block}`);
    // GGUF lists dimensions innermost first; shown outermost first like safetensors
    tensors.push({ name, dtype, shape: shape.reverse(), elements, bytes: (elements / block) * blockBytes, file });
  }
  return { version, metadata, tensors };
}
