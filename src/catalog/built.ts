/**
 * The catalogue as `npm run build` writes it: every part read from its YAML file and validated once,
 * at build time, then stored as one JSON document beside the compiled catalogue code
 * (dist/catalog/catalogue.json). Reading that document is a JSON.parse; parsing fourteen preset
 * files and five data files with the YAML parser and validating them was most of a `calc`'s time
 * (docs/performance.md). From src/ (tests, tsx) there is no such file and the YAML files are read.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScalingLaws } from '../quality/laws.js';
import type { CalibrationRow } from '../serving/calibration.js';
import type { ServingModelConstants } from '../serving/constants.js';
import type { Gpu } from '../serving/gpu.js';
import type { Preset } from './presets.js';
import type { TrainingMfu } from './training-mfu.js';

/** The catalogue's data, without its functions. */
export interface CatalogueData {
  presets: Preset[];
  gpus: Gpu[];
  laws: ScalingLaws;
  trainingMfu: TrainingMfu;
  servingModel: ServingModelConstants;
  servingCalibration: CalibrationRow[];
}

/** Bumped when the document's shape changes, so an old dist is not read by new code. */
const FORMAT = 1;

/** The package root: src/catalog/ and dist/catalog/ both sit two levels below it. */
export function packageRoot(): string {
  return resolve(fileURLToPath(new URL('../../', import.meta.url)));
}

/** Where the build writes the document (only ever present under dist/). */
export function builtCataloguePath(): string {
  return fileURLToPath(new URL('./catalogue.json', import.meta.url));
}

/** The document's text; preset paths are stored relative to the package root. */
export function catalogueJson(data: CatalogueData, root = packageRoot()): string {
  const presets = data.presets.map((p) => ({ ...p, file: relative(root, p.file), config: relative(root, p.config) }));
  return `${JSON.stringify({ format: FORMAT, ...data, presets })}\n`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The data back from the document's text, as the YAML readers return it (the laws frozen, as there). */
export function parseCatalogueJson(text: string, root = packageRoot()): CatalogueData {
  const doc = JSON.parse(text) as CatalogueData & { format: number };
  if (doc.format !== FORMAT)
    throw new Error(`catalogue.json: format ${doc.format}, expected ${FORMAT}: run npm run build`);
  return {
    presets: doc.presets.map((p) => ({ ...p, file: resolve(root, p.file), config: resolve(root, p.config) })),
    gpus: doc.gpus,
    laws: deepFreeze(doc.laws),
    trainingMfu: doc.trainingMfu,
    servingModel: doc.servingModel,
    servingCalibration: doc.servingCalibration,
  };
}

/** The built document's data, or undefined when there is none (running from src/). */
export function readBuiltCatalogue(path = builtCataloguePath()): CatalogueData | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseCatalogueJson(text);
}
