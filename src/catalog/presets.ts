/**
 * Presets of published Mixture-of-Experts models, one YAML file per model in the package's
 * `presets/` folder, reduced to the tool's abstract design model:
 *
 *   total  = shared_params + experts × expert_params
 *   active = shared_params + top_k  × expert_params
 *
 * where `expert_params` is ONE routed expert summed over all MoE layers and `shared_params` is the
 * rest of the language model (embeddings, head, attention, norms, routers, shared experts, dense
 * layers). Parts of a release that are not the language model (vision encoder, MTP module,
 * quantisation scales) are listed separately in `extra_params`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { readArchitecture } from './config-file.js';
import type { Architecture } from '../arch/types.js';
import { editDistance, nearest } from '../findings/errors.js';

/** What a vendor's "total" counts. */
export const TOTAL_CONVENTIONS = ['total_main', 'total_checkpoint', 'total_main_plus_vision'] as const;
/** What a vendor's "active" counts. */
export const ACTIVE_CONVENTIONS = ['active', 'active_excl_input_embedding', 'active_non_embedding'] as const;

/**
 * - `total_main`: the language model (embeddings + layers + final norm + head), no MTP, no vision.
 * - `total_checkpoint`: `total_main` plus everything in `extra_params` (vision tower, MTP module,
 *   duplicate embedding copies, quantisation scales, ...), counted as logical elements.
 * - `total_main_plus_vision`: `total_main` plus `extra_params.vision`.
 */
export type TotalConvention = (typeof TOTAL_CONVENTIONS)[number];
/**
 * - `active`: canonical, shared_params + top_k × expert_params (both embedding matrices included).
 * - `active_excl_input_embedding`: without the input embedding (a lookup, not a matmul).
 * - `active_non_embedding`: without the input embedding and the output head.
 */
export type ActiveConvention = (typeof ACTIVE_CONVENTIONS)[number];
export type PresetQuantityName = TotalConvention | ActiveConvention;

export interface PublishedFigures {
  /** The vendor's headline total, as an exact integer (e.g. 671000000000). */
  total: number;
  /** The vendor's headline active count; null when the vendor publishes none. */
  active: number | null;
  total_convention: TotalConvention;
  /** Present whenever `active` is not null. */
  active_convention?: ActiveConvention;
  /**
   * Only for rounded or nominal headline figures ("1T", "1.6T"): how many significant figures the
   * figure carries. Such a figure is checked by rounding, not by a percentage.
   */
  significant_figures?: { total?: number; active?: number };
  source: string;
}

export interface ExactCount {
  /** A publicly reported exact count (e.g. the Hub's safetensors metadata). */
  total: number;
  /** Which derived quantity it corresponds to. */
  quantity: TotalConvention;
  /**
   * Where the reported figure counts stored elements rather than parameters (packed FP4/INT4),
   * the difference `total - quantity`, explained in the preset file. 0 when absent.
   */
  storage_adjustment?: number;
  source: string;
}

export interface Preset {
  id: string;
  name: string;
  family: string;
  experts: number;
  top_k: number;
  /** One routed expert summed over all MoE layers. */
  expert_params: number;
  /** total_main − experts × expert_params. */
  shared_params: number;
  /** Vocabulary × hidden size of the input embedding (part of shared_params). */
  input_embedding_params: number;
  /** The output head (part of shared_params); 0 when tied to the input embedding. */
  head_params: number;
  /** Components of the release outside the language model; empty when there are none. */
  extra_params: Record<string, number>;
  published: PublishedFigures;
  exact?: ExactCount;
  architecture_source: string;
  notes: string;
  /** Absolute path of the YAML file the preset was read from. */
  file: string;
  /** Absolute path of the model's official config.json, shipped beside the presets. */
  config: string;
}

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

/** The preset with this id among `presets`, if any. */
export function findPreset(presets: readonly Preset[], id: string): Preset | undefined {
  return presets.find((p) => p.id === id);
}

/** total_main: the language model, shared_params + experts × expert_params. */
export function presetTotalMain(p: Preset): number {
  return p.shared_params + p.experts * p.expert_params;
}

/** Canonical active count: shared_params + top_k × expert_params (both embeddings included). */
export function presetActive(p: Preset): number {
  return p.shared_params + p.top_k * p.expert_params;
}

/** A quantity of a preset under one of the counting conventions. */
export function presetQuantity(p: Preset, convention: PresetQuantityName): number {
  switch (convention) {
    case 'active':
      return presetActive(p);
    case 'active_excl_input_embedding':
      return presetActive(p) - p.input_embedding_params;
    case 'active_non_embedding':
      return presetActive(p) - p.input_embedding_params - p.head_params;
    case 'total_main':
      return presetTotalMain(p);
    case 'total_checkpoint':
      return presetTotalMain(p) + Object.values(p.extra_params).reduce((a, b) => a + b, 0);
    case 'total_main_plus_vision': {
      const vision = p.extra_params.vision;
      if (vision === undefined) throw new Error(`Preset ${p.id} has no extra_params.vision`);
      return presetTotalMain(p) + vision;
    }
    default: {
      const never: never = convention;
      throw new Error(`Unknown quantity: ${String(never)}`);
    }
  }
}

/** "; did you mean "a" or "b"?" for an unknown preset id, or '' when no id is close. */
export function presetSuggestion(id: string, presets: readonly Preset[]): string {
  const guesses = nearest(
    id,
    presets.map((p) => p.id),
    2,
  );
  return guesses.length ? `; did you mean ${guesses.map((g) => `"${g}"`).join(' or ')}?` : '';
}

/**
 * The `n` preset ids closest to `id` by edit distance (ties by id), for "did you mean" messages.
 * An id that starts with something close to the query (e.g. "llama4" for "llama-4-maverick") also
 * counts as close: its score is the distance to its prefix of the query's length, plus one half.
 */
export function nearestPresetIds(id: string, presets: readonly Preset[], n = 3): string[] {
  const query = id.trim().toLowerCase();
  const score = (candidate: string) =>
    Math.min(editDistance(query, candidate), editDistance(query, candidate.slice(0, query.length)) + 0.5);
  return presets
    .map((p) => ({ id: p.id, d: score(p.id) }))
    .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, Math.max(0, n))
    .map((x) => x.id);
}

const architectures = new Map<string, Architecture>();

/**
 * The preset's architecture, read from its official config.json. The preset's own counts are
 * derived from the same file (a test checks they agree), so serving figures (KV cache, hidden
 * size for all-to-all traffic, MoE layers) and parameter counts come from one source.
 */
export function presetArchitecture(p: Preset): Architecture {
  let arch = architectures.get(p.config);
  if (!arch) {
    arch = readArchitecture(p.config);
    architectures.set(p.config, arch);
  }
  return arch;
}
