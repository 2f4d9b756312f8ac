// Part of `npm run build` (after tsc): reads and validates the catalogue's YAML files once and writes
// them as dist/catalog/catalogue.json, which the built CLI reads instead (src/catalog/built.ts).
import { writeFileSync } from 'node:fs';
import { builtCataloguePath, catalogueJson } from '../dist/catalog/built.js';
import { loadGpuCatalogue } from '../dist/catalog/gpus.js';
import { loadPresets } from '../dist/catalog/preset-files.js';
import { loadScalingLaws } from '../dist/catalog/scaling-laws.js';
import { loadServingCalibration, loadServingModel } from '../dist/catalog/serving-model.js';
import { loadTrainingMfu } from '../dist/catalog/training-mfu.js';

writeFileSync(
  builtCataloguePath(),
  catalogueJson({
    presets: loadPresets(),
    gpus: loadGpuCatalogue(),
    laws: loadScalingLaws(),
    trainingMfu: loadTrainingMfu(),
    servingModel: loadServingModel(),
    servingCalibration: loadServingCalibration(),
  }),
);
