/**
 * The package's own data, in one object that is passed down to whatever needs it: presets (and
 * their config.json files), the GPU catalogue and the scaling laws. Nothing outside src/catalog/
 * reads these files; functions elsewhere take a Catalog (or the part they use) as an argument.
 */
import type { Architecture } from '../arch/types.js';
import type { ScalingLaws } from '../quality/laws.js';
import type { Gpu } from '../serving/gpu.js';
import type { ServingModelConstants } from '../serving/constants.js';
import { presetArchitecture, type Preset } from './presets.js';
import type { TrainingMfu } from './training-mfu.js';
import type { CalibrationRow } from '../serving/calibration.js';
import { readBuiltCatalogue } from './built.js';

export interface Catalog {
  /** Sorted by id. */
  readonly presets: readonly Preset[];
  readonly gpus: readonly Gpu[];
  readonly laws: ScalingLaws;
  /** Default MFU of the training-cost columns and the measurements behind it. */
  readonly trainingMfu: TrainingMfu;
  /** The constants of the decode and prefill estimate (data/serving-model.yaml). */
  readonly servingModel: ServingModelConstants;
  /** Published measurements the estimate is checked against (data/serving-calibration.yaml). */
  readonly servingCalibration: readonly CalibrationRow[];
  /** The preset's architecture, from its official config.json. */
  presetArchitecture(preset: Preset): Architecture;
}

let bundled: Catalog | undefined;

const built = readBuiltCatalogue();
/**
 * The YAML readers, imported only without a built document: they load the YAML parser and zod,
 * which took longer to load than a `calc` takes to run.
 */
const files = built
  ? undefined
  : await Promise.all([
      import('./gpus.js'),
      import('./preset-files.js'),
      import('./scaling-laws.js'),
      import('./serving-model.js'),
      import('./training-mfu.js'),
    ]).then(([gpus, presets, laws, serving, mfu]) => ({ ...gpus, ...presets, ...laws, ...serving, ...mfu }));

/**
 * The package's catalogue. A built package reads the whole of it from the one JSON document the
 * build wrote (src/catalog/built.ts). From src/, each part is read from its YAML file the first
 * time it is used, and once: `presets` must not pay for parsing the scaling laws, nor `calc` for
 * the presets it does not name.
 */
export function loadCatalog(): Catalog {
  if (bundled) return bundled;
  if (!files) {
    bundled = { ...built!, presetArchitecture };
    return bundled;
  }
  const { loadPresets, loadGpuCatalogue, loadScalingLaws, loadTrainingMfu, loadServingModel, loadServingCalibration } =
    files;
  let presets: readonly Preset[] | undefined;
  let gpus: readonly Gpu[] | undefined;
  let laws: ScalingLaws | undefined;
  let trainingMfu: TrainingMfu | undefined;
  bundled = {
    get presets() {
      presets ??= loadPresets();
      return presets;
    },
    get gpus() {
      gpus ??= loadGpuCatalogue();
      return gpus;
    },
    get laws() {
      laws ??= loadScalingLaws();
      return laws;
    },
    get trainingMfu() {
      trainingMfu ??= loadTrainingMfu();
      return trainingMfu;
    },
    get servingModel() {
      return loadServingModel();
    },
    get servingCalibration() {
      return loadServingCalibration();
    },
    presetArchitecture,
  };
  return bundled;
}

export type { Preset };
