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

export interface GgufTensorSpec {
  name: string;
  /** ggml type id (0 F32, 1 F16, 2 Q4_0, 8 Q8_0, …) */
  type: number;
  /** dimensions innermost first, as GGUF stores them */
  dims: number[];
  /** data bytes */
  bytes: number;
}

/**
 * A GGUF v3 file (ggml-org/ggml docs/gguf.md): magic, version 3, tensor and metadata counts, the
 * metadata (general.architecture, general.alignment 32, a 100-entry string array standing in for a
 * tokenizer vocabulary), the tensor infos with offsets aligned to 32, then the data as a hole.
 */
export function writeGguf(path: string, tensors: GgufTensorSpec[]): void {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    parts.push(b);
  };
  const u64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    parts.push(b);
  };
  const str = (s: string) => {
    u64(Buffer.byteLength(s));
    parts.push(Buffer.from(s));
  };
  parts.push(Buffer.from('GGUF'));
  u32(3);
  u64(tensors.length);
  u64(3);
  str('general.architecture');
  u32(8);
  str('qwen3moe');
  str('general.alignment');
  u32(4);
  u32(32);
  str('tokenizer.ggml.tokens');
  u32(9);
  u32(8);
  u64(100);
  for (let i = 0; i < 100; i++) str(`tok${i}`);
  const align = (n: number) => Math.ceil(n / 32) * 32;
  let at = 0;
  for (const t of tensors) {
    str(t.name);
    u32(t.dims.length);
    for (const d of t.dims) u64(d);
    u32(t.type);
    u64(at);
    at = align(at + t.bytes);
  }
  const head = Buffer.concat(parts);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, align(head.length) + at);
  } finally {
    closeSync(fd);
  }
}
