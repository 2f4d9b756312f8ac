// Checkpoint files written by the tests: real safetensors and GGUF headers, the data region left as
// a sparse hole (the header is written, then the file is truncated to its full size), so a test
// folder of any size costs a few kilobytes of disk.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

export interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
}

const BYTES: Record<string, number> = { BF16: 2, F16: 2, F32: 4, F8_E4M3: 1, F8_E8M0: 1, I8: 1, U8: 1, I32: 4, I64: 8 };

/** The safetensors file bytes before the data: the 8-byte length and the JSON header, padded to 8 bytes with spaces. */
export function safetensorsHeader(tensors: TensorSpec[]): { head: Buffer; dataBytes: number } {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let at = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype]!;
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + n] };
    at += n;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = Buffer.alloc(8 + json.length);
  head.writeBigUInt64LE(BigInt(json.length), 0);
  head.write(json, 8, 'utf8');
  return { head, dataBytes: at };
}

/** A safetensors file at `path`: the header written, the data a hole of the right size. */
export function writeSafetensors(path: string, tensors: TensorSpec[]): number {
  const { head, dataBytes } = safetensorsHeader(tensors);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, head.length + dataBytes);
  } finally {
    closeSync(fd);
  }
  return head.length + dataBytes;
}
