/** What `inspect` reads from a checkpoint, wherever it comes from (a folder on disk or a Hub repo). */
import type { TensorInfo } from './tensor.js';

export interface CheckpointFiles {
  /** the config.json text */
  config: string;
  /** how messages name the config (the path, or REPO@REVISION/config.json) */
  configName: string;
  /** weights found: safetensors or GGUF; null when the checkpoint holds neither */
  format: 'safetensors' | 'gguf' | null;
  /** weight files whose headers were read */
  files: number;
  tensors: TensorInfo[];
}
