// A checkpoint folder on disk: its config.json and the headers of its weight files, never the
// weights (safetensors: the 8-byte length and the JSON header; GGUF: the header up to the tensor
// infos). The parsing is in src/checkpoint; this is the file reading around it.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { NeedMoreBytes, parseGgufHeader } from '../checkpoint/gguf.js';
import {
  parseSafetensorsHeader,
  SAFETENSORS_INDEX,
  safetensorsHeaderLength,
  safetensorsIndexShards,
} from '../checkpoint/safetensors.js';
import type { CheckpointFiles } from '../checkpoint/source.js';
import { HeaderError, type TensorInfo } from '../checkpoint/tensor.js';
import { InputError } from '../findings/errors.js';

/** GGUF metadata (a tokenizer's vocabulary above all) can run to tens of megabytes; no header is larger. */
const MAX_GGUF_HEADER = 512 * 1024 * 1024;

function readAt(fd: number, at: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, at + done);
    if (n === 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

function withFile<T>(path: string, shown: string, read: (fd: number, size: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `${shown}: no such file` : `${shown}: cannot be read (${code ?? 'error'})`,
    );
  }
  try {
    return read(fd, fstatSync(fd).size);
  } catch (e) {
    if (e instanceof HeaderError) throw new InputError(e.message);
    throw e;
  } finally {
    closeSync(fd);
  }
}

/** The tensors of one safetensors file, from its header alone. */
export function readSafetensorsFile(path: string, shown: string): TensorInfo[] {
  return withFile(path, shown, (fd, size) => {
    const n = safetensorsHeaderLength(readAt(fd, 0, 8), shown);
    if (8 + n > size) throw new HeaderError(`${shown}: its header claims ${n} bytes but the file has ${size}`);
    return parseSafetensorsHeader(readAt(fd, 8, n), shown, size - 8 - n);
  });
}

/** The tensors of one GGUF file, reading more of its start until the header is whole. */
export function readGgufFile(path: string, shown: string): TensorInfo[] {
  return withFile(path, shown, (fd, size) => {
    let want = Math.min(size, 1 << 20);
    for (;;) {
      try {
        return parseGgufHeader(readAt(fd, 0, want), shown).tensors;
      } catch (e) {
        if (!(e instanceof NeedMoreBytes)) throw e;
        if (want >= size || want >= MAX_GGUF_HEADER)
          throw new HeaderError(`${shown}: the GGUF header ends past the file's ${size} bytes`);
        want = Math.min(size, MAX_GGUF_HEADER, Math.max(e.need, want * 2));
      }
    }
  });
}

/** `name-00001-of-00003.gguf` → `name`: the files of one split GGUF model share it. */
const splitBase = (f: string) => f.replace(/-\d{5}-of-\d{5}\.gguf$/, '').replace(/\.gguf$/, '');

/**
 * A checkpoint folder: config.json, then the safetensors shards its index names, else
 * model.safetensors, else every *.safetensors file, else the GGUF files of one model.
 */
export function readCheckpointFolder(dir: string, shown: string): CheckpointFiles {
  const at = (f: string) => join(dir, f);
  const label = (f: string) => `${shown.replace(/\/+$/, '')}/${f}`;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new InputError(`${shown}: cannot list the folder (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!names.includes('config.json')) {
    throw new InputError(
      `${shown}: no config.json in this folder (inspect counts a model from its config.json and reconciles the weights against it)`,
    );
  }
  const configName = label('config.json');
  const config = readFileSync(at('config.json'), 'utf8');
  const base = { config, configName };
  if (names.includes(SAFETENSORS_INDEX)) {
    let index: unknown;
    try {
      index = JSON.parse(readFileSync(at(SAFETENSORS_INDEX), 'utf8'));
    } catch (e) {
      throw new InputError(`${label(SAFETENSORS_INDEX)}: is not valid JSON (${(e as Error).message.split('\n')[0]})`);
    }
    let shards: string[];
    try {
      shards = safetensorsIndexShards(index, label(SAFETENSORS_INDEX)).shards;
    } catch (e) {
      if (e instanceof HeaderError) throw new InputError(e.message);
      throw e;
    }
    const tensors = shards.flatMap((s) => readSafetensorsFile(at(s), label(s)));
    return { ...base, format: 'safetensors', files: shards.length, tensors };
  }
  // one model.safetensors is the model; other *.safetensors files beside it (a vendor's own
  // consolidated.safetensors, say) would count it twice
  const safetensors = names.includes('model.safetensors')
    ? ['model.safetensors']
    : names.filter((f) => f.endsWith('.safetensors'));
  if (safetensors.length > 0) {
    const tensors = safetensors.flatMap((s) => readSafetensorsFile(at(s), label(s)));
    return { ...base, format: 'safetensors', files: safetensors.length, tensors };
  }
  const gguf = names.filter((f) => f.endsWith('.gguf'));
  if (gguf.length > 0) {
    const models = [...new Set(gguf.map(splitBase))];
    if (models.length > 1) {
      throw new InputError(
        `${shown}: holds the GGUF files of ${models.length} models (${models.join(', ')}); inspect reads one: keep one beside config.json`,
      );
    }
    const tensors = gguf.flatMap((g) => readGgufFile(at(g), label(g)));
    return { ...base, format: 'gguf', files: gguf.length, tensors };
  }
  return { ...base, format: null, files: 0, tensors: [] };
}
