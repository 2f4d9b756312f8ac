// A spec file's bytes as UTF-8 text, or a one-line error. Apart from load.ts so that `inspect`, which
// reads a config.json the same way, does not load the YAML parser and the zod schema.
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../findings/errors.js';

export function readSpecText(path: string, name = path): string {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new InputError(`${name}: no such file`);
  }
  if (stat.isDirectory()) throw new InputError(`${name}: is a directory, expected a YAML spec file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new InputError(`${name}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${name}: is not UTF-8 text, expected a YAML spec file`);
  }
}
