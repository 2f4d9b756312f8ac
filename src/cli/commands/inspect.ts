// `moe-sweep inspect CONFIG.json | FOLDER | ORG/NAME[@REVISION]`: exact parameter counts of a Hugging
// Face config, module by module, then its memory: weights as the checkpoint stores them and the KV
// cache; for a checkpoint folder or a Hub repo, the tensors of its weight files reconciled with the count.
import {
  InvalidFieldError,
  MissingFieldError,
  UnsupportedModelError,
  formatInspect,
  inspectConfig,
} from '../../arch/index.js';
import type { KvOptions } from '../../arch/memory.js';
import { KV_DTYPE_BYTES, type KvDtype } from '../../formats/dtypes.js';
import { InputError } from '../../findings/errors.js';
import { readSpecText } from '../../spec/read.js';
import type { Io } from '../io.js';
import { parseBatch, parseContext } from './shape-options.js';
import { readCheckpointFolder } from '../../catalog/checkpoint-folder.js';
import { modelSource } from '../../catalog/config-file.js';
import { formatCheckpoint } from '../../checkpoint/format.js';
import { reconcileCheckpoint } from '../../checkpoint/reconcile.js';
import type { CheckpointFiles } from '../../checkpoint/source.js';
import { fetchHubCheckpoint, hubOptionsFromEnv } from '../../hub/client.js';
import { showRef } from '../../hub/ref.js';

export interface InspectOptions {
  json?: boolean;
  /** tokens per sequence, e.g. "4096", "128K", "1M" */
  context?: string;
  /** sequences, e.g. "8" */
  batch?: string;
  /** dtype of the cached values */
  kvDtype?: string;
}

export function parseKvDtype(text: string): KvDtype {
  const t = text.trim().toLowerCase();
  if (Object.hasOwn(KV_DTYPE_BYTES, t)) return t as KvDtype;
  throw new InputError(
    `--kv-dtype: expected one of ${Object.keys(KV_DTYPE_BYTES).join(', ')}, got ${JSON.stringify(text)}`,
  );
}

/** The KV options of the command line, checked before the config is read. */
export function kvOptions(o: InspectOptions): KvOptions {
  const kv: KvOptions = {};
  if (o.context !== undefined) kv.context = parseContext(o.context);
  if (o.batch !== undefined) {
    kv.batch = parseBatch(o.batch);
    if (kv.context === undefined) {
      throw new InputError(
        '--batch needs --context: the KV cache of a batch is given for a context length (e.g. --context 128K --batch 8)',
      );
    }
  }
  if (o.kvDtype !== undefined) kv.kv_dtype = parseKvDtype(o.kvDtype);
  return kv;
}

/** The config of a file argument, read as before: a JSON file and nothing else. */
function configFile(file: string, path: string): CheckpointFiles {
  return { config: readSpecText(path, file), configName: file, format: null, files: 0, tensors: [] };
}

/** A progress line on a terminal while shard headers download, cleared when they are all read. */
function headerProgress(io: Io): { update?: (done: number, total: number) => void; clear: () => void } {
  let shown = false;
  if (!io.isTTY) return { clear: () => {} };
  return {
    update: (done, total) => {
      io.stderr(`\r\x1b[2Kreading safetensors headers: ${done}/${total} shards`);
      shown = true;
    },
    clear: () => {
      if (shown) io.stderr('\r\x1b[2K');
      shown = false;
    },
  };
}

/**
 * `inspect ARG`: ARG is a config.json, a checkpoint folder, or a Hub id ORG/NAME[@REVISION]. An
 * existing file or folder wins; otherwise an argument shaped like a Hub id is read from the Hub.
 */
export async function inspectCommand(file: string, o: InspectOptions, io: Io, path = file): Promise<number> {
  const kv = kvOptions(o);
  const src = modelSource(file, io.cwd);
  let files: CheckpointFiles;
  let shown = file;
  if (src.kind === 'folder') files = readCheckpointFolder(path, file);
  else if (src.kind === 'hub') {
    shown = showRef(src.ref);
    const progress = headerProgress(io);
    try {
      files = await fetchHubCheckpoint(src.ref, {
        ...hubOptionsFromEnv(io.env ?? process.env),
        onProgress: progress.update,
      });
    } finally {
      progress.clear();
    }
  } else files = configFile(file, path);
  const label = files.configName;
  let config: unknown;
  try {
    config = JSON.parse(files.config);
  } catch (err) {
    throw new InputError(`${label}: is not valid JSON (${(err as Error).message})`);
  }
  let result: ReturnType<typeof inspectConfig>;
  try {
    result = inspectConfig(config, label, kv);
  } catch (err) {
    if (err instanceof UnsupportedModelError || err instanceof MissingFieldError || err instanceof InvalidFieldError)
      throw new InputError(err.message);
    // an architecture the counter or the KV model cannot size (inconsistent fields)
    if (err instanceof RangeError) throw new InputError(`${label}: ${err.message}`);
    throw err;
  }
  const checkpoint =
    files.format === null ? null : reconcileCheckpoint(files.tensors, files.files, result, files.format);
  if (o.json) {
    io.stdout(`${JSON.stringify(checkpoint ? { ...result, checkpoint } : result, null, 2)}\n`);
    return 0;
  }
  let text = `${formatInspect(result)}\n`;
  if (checkpoint) text += formatCheckpoint(checkpoint, shown);
  else if (src.kind !== 'file') text += `no safetensors or GGUF weights in ${shown}: counts from config.json only\n`;
  io.stdout(text);
  return 0;
}
