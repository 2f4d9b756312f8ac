// The catalogue `npm run build` writes as one JSON document (src/catalog/built.ts) is the YAML
// catalogue: the same presets, GPUs, scaling laws, MFU and serving constants, field for field.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  builtCataloguePath,
  catalogueJson,
  packageRoot,
  parseCatalogueJson,
  readBuiltCatalogue,
  type CatalogueData,
} from '../src/catalog/built.js';
import { loadGpuCatalogue } from '../src/catalog/gpus.js';
import { loadPresets } from '../src/catalog/preset-files.js';
import { loadScalingLaws } from '../src/catalog/scaling-laws.js';
import { loadServingCalibration, loadServingModel } from '../src/catalog/serving-model.js';
import { loadTrainingMfu } from '../src/catalog/training-mfu.js';
import { loadCatalog } from '../src/catalog/index.js';

const fromYaml = (): CatalogueData => ({
  presets: loadPresets(),
  gpus: loadGpuCatalogue(),
  laws: loadScalingLaws(),
  trainingMfu: loadTrainingMfu(),
  servingModel: loadServingModel(),
  servingCalibration: loadServingCalibration(),
});

const dir = mkdtempSync(join(tmpdir(), 'moe-sweep-catalogue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built catalogue', () => {
  it('reads back equal to the YAML files it was written from', () => {
    const yaml = fromYaml();
    const file = join(dir, 'catalogue.json');
    writeFileSync(file, catalogueJson(yaml));
    const built = readBuiltCatalogue(file);
    expect(built).toStrictEqual(yaml);
    expect(built!.presets.length).toBe(yaml.presets.length);
    expect(built!.presets.length).toBeGreaterThan(10);
    // the scaling laws are shared by every caller, frozen, as the YAML reader returns them
    expect(Object.isFrozen(built!.laws)).toBe(true);
    expect(Object.isFrozen(built!.laws.joint_moe)).toBe(true);
  });

  it('stores preset paths relative to the package, so the package can move', () => {
    const text = catalogueJson(fromYaml());
    expect(text).not.toContain(packageRoot());
    const moved = parseCatalogueJson(text, '/elsewhere/pkg');
    const v3 = moved.presets.find((p) => p.id === 'deepseek-v3')!;
    expect(v3.file).toBe('/elsewhere/pkg/presets/deepseek-v3.yaml');
    expect(v3.config).toBe('/elsewhere/pkg/presets/configs/deepseek-v3.json');
  });

  it('refuses a document of another format (an old dist) instead of misreading it', () => {
    const doc = JSON.parse(catalogueJson(fromYaml())) as Record<string, unknown>;
    expect(() => parseCatalogueJson(JSON.stringify({ ...doc, format: 0 }))).toThrow(/format 0.*npm run build/);
  });

  it('is absent from src/, where the catalogue is read from the YAML files', () => {
    expect(readBuiltCatalogue()).toBeUndefined();
    expect(loadCatalog().presets).toStrictEqual(loadPresets());
  });

  // The document the build wrote, when the package is built (npm run build runs before npm test).
  it.skipIf(!existsSync(join(packageRoot(), 'dist/catalog/catalogue.json')))(
    'dist/catalog/catalogue.json is the YAML catalogue (not stale)',
    () => {
      expect(builtCataloguePath()).toContain(join('src', 'catalog'));
      expect(readBuiltCatalogue(join(packageRoot(), 'dist/catalog/catalogue.json'))).toStrictEqual(fromYaml());
    },
  );
});
