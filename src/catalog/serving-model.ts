// Reads data/serving-model.yaml, the constants of the decode and prefill estimate; their schema
// and what uses them live in src/serving/constants.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseServingModel, type ServingModelConstants } from '../serving/constants-schema.js';
import { parseCalibration, type CalibrationRow } from '../serving/calibration.js';

export function servingModelPath(): string {
  return fileURLToPath(new URL('../../data/serving-model.yaml', import.meta.url));
}

let cache: ServingModelConstants | undefined;

/** The package's serving constants, read and validated once. */
export function loadServingModel(): ServingModelConstants {
  if (cache) return cache;
  const path = servingModelPath();
  cache = parseServingModel(parseYaml(readFileSync(path, 'utf8')), path);
  return cache;
}

let calibration: CalibrationRow[] | undefined;

/** The calibration table of the estimate (data/serving-calibration.yaml), read and validated once. */
export function loadServingCalibration(): CalibrationRow[] {
  if (calibration) return calibration;
  const path = fileURLToPath(new URL('../../data/serving-calibration.yaml', import.meta.url));
  calibration = parseCalibration(parseYaml(readFileSync(path, 'utf8')), path);
  return calibration;
}
