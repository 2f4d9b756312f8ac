// Reads data/scaling-laws.yaml; its schema and the functions that use it live in src/quality/.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseScalingLaws, type ScalingLaws } from '../quality/laws.js';

/** Absolute path of the package's `data/scaling-laws.yaml`. */
export function scalingLawsPath(): string {
  return resolve(fileURLToPath(new URL('../../data/scaling-laws.yaml', import.meta.url)));
}

let cache: ScalingLaws | undefined;

/**
 * Reads and validates a scaling-laws YAML file. The package's own file (the default) is read
 * once and cached, so every caller shares one frozen document.
 */
export function loadScalingLaws(file?: string): ScalingLaws {
  const path = file === undefined ? scalingLawsPath() : resolve(file);
  const isDefault = path === scalingLawsPath();
  if (isDefault && cache) return cache;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`Invalid scaling laws file ${path}: ${(err as Error).message}`, { cause: err });
  }
  const laws = parseScalingLaws(raw, `scaling laws file ${path}`);
  if (isDefault) cache = laws;
  return laws;
}
