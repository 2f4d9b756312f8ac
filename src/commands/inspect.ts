// `moe-sweep inspect CONFIG.json`: exact parameter counts of a Hugging Face config, module by module.
import { InvalidFieldError, MissingFieldError, UnsupportedModelError, formatInspect, inspectConfig } from '../arch/index.js';
import { InputError } from '../spec/errors.js';
import { readSpecText } from '../spec/load.js';
import type { Io } from './io.js';

export function inspectCommand(file: string, o: { json?: boolean }, io: Io, path = file): number {
  const text = readSpecText(path, file);
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: is not valid JSON (${(err as Error).message})`);
  }
  let result;
  try {
    result = inspectConfig(config, file);
  } catch (err) {
    if (err instanceof UnsupportedModelError || err instanceof MissingFieldError || err instanceof InvalidFieldError) throw new InputError(err.message);
    throw err;
  }
  io.stdout(o.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatInspect(result)}\n`);
  return 0;
}
