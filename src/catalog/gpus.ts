/**
 * Reads the GPU catalogue, data/gpus.yaml. What a GPU is and how one is looked up by id live in
 * src/serving/gpu.ts; this file only turns the YAML into validated entries.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GpuError, gpuIdKey, gpuIssues, gpuShape, stripUndefined, type Gpu } from '../serving/gpu.js';

/** A catalogue entry must cite its source. */
const catalogueGpu = z.strictObject({ ...gpuShape, source: z.url({ error: 'source must be a URL' }) });
const catalogueFile = z.strictObject({ gpus: z.array(catalogueGpu).min(1) });

/** Where the bundled catalogue lives (works from src/catalog and dist/catalog alike). */
export function defaultCataloguePath(): string {
  return fileURLToPath(new URL('../../data/gpus.yaml', import.meta.url));
}

/** Parse and validate catalogue YAML text. Ids must be unique ignoring case and punctuation. */
export function parseGpuCatalogue(text: string, file = 'gpus.yaml'): Gpu[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new GpuError(`${file}: invalid YAML: ${(e as Error).message}`);
  }
  const r = catalogueFile.safeParse(raw);
  if (!r.success) throw new GpuError(`${file}: ${gpuIssues(r.error)}`);
  const seen = new Set<string>();
  const out: Gpu[] = [];
  for (const g of r.data.gpus) {
    const key = gpuIdKey(g.id); // ids are looked up normalised, so they must differ normalised
    if (seen.has(key)) throw new GpuError(`${file}: duplicate GPU id "${g.id}"`);
    seen.add(key);
    out.push(stripUndefined(g));
  }
  return out;
}

let cached: { path: string; gpus: Gpu[] } | undefined;

/** Load (and cache) the catalogue file. */
export function loadGpuCatalogue(path = defaultCataloguePath()): Gpu[] {
  if (cached?.path === path) return cached.gpus;
  const gpus = parseGpuCatalogue(readFileSync(path, 'utf8'), path);
  cached = { path, gpus };
  return gpus;
}
