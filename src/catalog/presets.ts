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
 *
 * The files are read and validated in ./preset-files.ts (YAML and zod), which a built package only
 * runs at build time (./built.ts); what uses a preset imports this module and loads neither.
 */
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
