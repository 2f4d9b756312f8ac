/**
 * The package's own data, in one object that is passed down to whatever needs it: presets (and
 * their config.json files), the GPU catalogue and the scaling laws. Nothing outside src/catalog/
 * reads these files; functions elsewhere take a Catalog (or the part they use) as an argument.
 */
import type { Architecture } from '../arch/types.js';
import type { ScalingLaws } from '../quality/laws.js';
import type { Gpu } from '../serving/gpu.js';
import type { ServingModelConstants } from '../serving/constants.js';
import { loadGpuCatalogue } from './gpus.js';
import { loadPresets, presetArchitecture, type Preset } from './presets.js';
import { loadScalingLaws } from './scaling-laws.js';
import { loadTrainingMfu, type TrainingMfu } from './training-mfu.js';
import { loadServingCalibration, loadServingModel } from './serving-model.js';
import type { CalibrationRow } from '../serving/calibration.js';

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

/**
 * The package's catalogue. Each part is read the first time it is used, and once: `presets` must
 * not pay for parsing the scaling laws, nor `calc` for the presets it does not name.
 */
export function loadCatalog(): Catalog {
  if (bundled) return bundled;
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
