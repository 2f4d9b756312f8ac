/**
 * Reads and validates the preset files (presets/*.yaml); what a preset is and the functions over
 * one live in ./presets.ts. A built package runs this at build time only (./built.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  ACTIVE_CONVENTIONS,
  findPreset,
  TOTAL_CONVENTIONS,
  type ExactCount,
  type Preset,
  type PublishedFigures,
} from './presets.js';
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const positiveCount = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const signedCount = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const sigFigs = z.number().int().min(1).max(15);
const text = z.string().trim().min(1);

const publishedSchema = z.strictObject({
  total: positiveCount,
  active: positiveCount.nullable(),
  total_convention: z.enum(TOTAL_CONVENTIONS),
  active_convention: z.enum(ACTIVE_CONVENTIONS).optional(),
  significant_figures: z
    .union([sigFigs, z.strictObject({ total: sigFigs.optional(), active: sigFigs.optional() })])
    .optional(),
  source: text,
});

const presetSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be lower-case letters, digits, dots and dashes'),
    name: text,
    family: text,
    experts: positiveCount,
    top_k: positiveCount,
    expert_params: positiveCount,
    shared_params: positiveCount,
    input_embedding_params: count,
    head_params: count,
    extra_params: z.record(z.string().regex(/^[a-z0-9_]+$/, 'keys must be snake_case'), count).optional(),
    published: publishedSchema,
    exact: z
      .strictObject({
        total: positiveCount,
        quantity: z.enum(TOTAL_CONVENTIONS),
        storage_adjustment: signedCount.optional(),
        source: text,
      })
      .optional(),
    config: z.string().regex(/^configs\/[a-z0-9.-]+\.json$/, 'must be configs/<file>.json'),
    architecture_source: text,
    notes: text,
  })
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (p.top_k > p.experts) issue(['top_k'], `top_k (${p.top_k}) exceeds experts (${p.experts})`);
    if (p.input_embedding_params + p.head_params > p.shared_params) {
      issue(['shared_params'], 'is smaller than input_embedding_params + head_params');
    }
    if (p.published.active !== null && p.published.active_convention === undefined) {
      issue(['published', 'active_convention'], 'is required when published.active is given');
    }
    const needsVision =
      p.published.total_convention === 'total_main_plus_vision' || p.exact?.quantity === 'total_main_plus_vision';
    if (needsVision && p.extra_params?.vision === undefined) {
      issue(['extra_params', 'vision'], 'is required by the total_main_plus_vision convention');
    }
  });

/** The package's `presets/` folder (two levels above both `src/catalog/` and `dist/catalog/`). */
export function presetsDir(): string {
  return resolve(fileURLToPath(new URL('../../presets/', import.meta.url)));
}

function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => {
    const field = i.path.length > 0 ? i.path.map(String).join('.') : '(root)';
    return `  ${field}: ${i.message}`;
  });
  return `Invalid preset file ${file}:\n${lines.join('\n')}`;
}

function loadPresetFile(file: string): Preset {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'), { intAsBigInt: false });
  } catch (err) {
    throw new Error(`Invalid preset file ${file}: YAML: ${(err as Error).message}`, { cause: err });
  }
  const parsed = presetSchema.safeParse(raw);
  if (!parsed.success) throw new Error(formatIssues(file, parsed.error));
  const p = parsed.data;
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (p.id !== expectedId) {
    throw new Error(`Invalid preset file ${file}:\n  id: "${p.id}" does not match the file name ("${expectedId}")`);
  }
  const config = join(dirname(file), p.config);
  if (!existsSync(config)) throw new Error(`Invalid preset file ${file}:\n  config: ${p.config} does not exist`);
  const sf = p.published.significant_figures;
  const published: PublishedFigures = {
    total: p.published.total,
    active: p.published.active,
    total_convention: p.published.total_convention,
    source: p.published.source,
  };
  if (p.published.active_convention !== undefined) published.active_convention = p.published.active_convention;
  if (sf !== undefined) published.significant_figures = typeof sf === 'number' ? { total: sf, active: sf } : { ...sf };
  const preset: Preset = {
    id: p.id,
    name: p.name,
    family: p.family,
    experts: p.experts,
    top_k: p.top_k,
    expert_params: p.expert_params,
    shared_params: p.shared_params,
    input_embedding_params: p.input_embedding_params,
    head_params: p.head_params,
    extra_params: { ...(p.extra_params ?? {}) },
    published,
    architecture_source: p.architecture_source,
    notes: p.notes,
    file,
    config,
  };
  if (p.exact !== undefined) {
    const exact: ExactCount = { total: p.exact.total, quantity: p.exact.quantity, source: p.exact.source };
    if (p.exact.storage_adjustment !== undefined) exact.storage_adjustment = p.exact.storage_adjustment;
    preset.exact = exact;
  }
  return preset;
}

let defaultCache: Preset[] | undefined;

/**
 * Loads and validates every `*.yaml` / `*.yml` file in `dir`, sorted by id. The result for the
 * default folder is cached. Throws an Error naming the file and the field when a file is malformed.
 */
export function loadPresets(dir: string = presetsDir()): Preset[] {
  const isDefault = resolve(dir) === presetsDir();
  if (isDefault && defaultCache) return [...defaultCache];
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const presets = files.map((f) => loadPresetFile(join(dir, f)));
  const seen = new Map<string, string>();
  for (const p of presets) {
    const other = seen.get(p.id);
    if (other !== undefined)
      throw new Error(`Invalid preset file ${p.file}:\n  id: "${p.id}" is also used by ${other}`);
    seen.set(p.id, p.file);
  }
  presets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (isDefault) defaultCache = presets;
  return [...presets];
}

/** The preset with this id from the package's presets folder, if any. */
export function getPreset(id: string): Preset | undefined {
  return findPreset(loadPresets(), id);
}
