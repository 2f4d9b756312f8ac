// An architecture read from a Hugging Face config.json on disk: the one piece of I/O around the pure
// reader in src/arch, shared by presets, specs (`architecture: {config: …}`) and `calc --config`.
import { readFileSync } from 'node:fs';
import { architectureFromHfConfig } from '../arch/hf-config/index.js';
import type { Architecture } from '../arch/types.js';

/** Why a config.json could not be read, in one line that names the file as `shown`. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

export function readArchitecture(path: string, shown = path): Architecture {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigFileError(`cannot read ${shown} as JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return architectureFromHfConfig(json, shown);
  } catch (e) {
    throw new ConfigFileError((e as Error).message.split('\n')[0]!);
  }
}
