/**
 * Per-GPU memory under expert parallelism (EP) and tensor parallelism (TP).
 *
 * Layout: EP × TP GPUs, as EP groups of TP GPUs.
 * - Routed experts are dealt out over the EP groups: group g holds ⌊E/EP⌋ or ⌈E/EP⌉ experts of
 *   every MoE layer (the first E mod EP groups get one more), and within the group each expert's
 *   matrices are split TP ways (expert tensor parallelism; set `experts_split_by_tp: false` to
 *   keep whole experts on every GPU of the group instead).
 * - Everything else (attention, embeddings, head, norms, routers, shared experts, dense layers)
 *   is replicated in every EP group and split TP ways inside it: rest / TP per GPU (norms and
 *   routers are in fact replicated too; they are negligible).
 * - Each EP group is a data-parallel attention replica serving its share of the batch
 *   (⌊B/EP⌋ or ⌈B/EP⌉ sequences). Its KV cache is split over the TP GPUs by KV head, but never
 *   below one head per GPU: the fullest GPU holds ⌈H/TP⌉ of the H heads, i.e. a fraction
 *   ⌈H/TP⌉/H of the group's cache (H = 1 for MLA, whose latent every TP rank keeps whole).
 *
 * Verdicts are per GPU: a layout fits only if the fullest GPU fits. Summing memory over GPUs and
 * comparing with GPUs × capacity (`fits_aggregate`) can say "fits" while one GPU overflows.
 */
import { countParameters } from '../arch/count.js';
import type { Architecture } from '../arch/types.js';
import { weightBytes, type WeightFormats } from '../formats/dtypes.js';
import { kvLayoutFromArchitecture, type AttentionPattern, type KvLayout } from '../arch/kv-cache.js';

/** What a serving deployment must hold, in bytes. */
export interface ServingModel {
  num_experts: number;
  /** bytes of ONE routed expert summed over all MoE layers */
  expert_bytes: number;
  /** bytes of everything that is not a routed expert */
  rest_bytes: number;
}

/** The KV side of the workload. */
export interface KvWorkload {
  /** concurrent sequences served by the whole deployment */
  batch: number;
  /** KV cache bytes of one sequence at the context of interest (kvCacheBytes(...).per_sequence_bytes) */
  kv_bytes_per_sequence: number;
  /** heads the cache splits over under TP (KvLayout.kv_heads: K for GQA, 1 for MLA) */
  kv_heads: number;
}

export interface ParallelLayout {
  ep: number;
  tp: number;
  /** default true: split each expert's matrices across the TP GPUs of its group */
  experts_split_by_tp?: boolean;
}

export interface MemoryOptions {
  /** device memory per GPU, bytes */
  memory_bytes: number;
  /** headroom for activations, workspace and fragmentation: need = bytes × (1 + overhead); default 0 */
  overhead?: number;
}

export interface GroupMemory {
  ep_rank: number;
  /** routed experts per MoE layer held by this group */
  experts: number;
  /** sequences whose KV this group holds */
  sequences: number;
  /** per GPU of this group (the fullest one when KV heads split unevenly) */
  expert_bytes: number;
  rest_bytes: number;
  kv_bytes: number;
  total_bytes: number;
  /** total_bytes × (1 + overhead), rounded to a whole byte */
  needed_bytes: number;
  fits: boolean;
}

export interface PerGpuMemory {
  gpus: number;
  ep: number;
  tp: number;
  /** one entry per EP group; all TP GPUs of a group hold the same (up to uneven KV heads) */
  groups: GroupMemory[];
  /** the fullest GPU */
  max_needed_bytes: number;
  /** every GPU fits */
  fits: boolean;
  /** memory summed over every GPU (bytes before overhead) */
  total_bytes: number;
  /** the misleading check: summed need ≤ GPUs × memory (true does NOT mean every GPU fits) */
  fits_aggregate: boolean;
}

function posInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${name} must be an integer >= 1, got ${v}`);
}

function nonNeg(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new RangeError(`${name} must be a number >= 0, got ${v}`);
}

/** n items dealt over `parts`: the first n mod parts get ⌈n/parts⌉, the others ⌊n/parts⌋. */
function share(n: number, parts: number, i: number): number {
  return Math.floor(n / parts) + (i < n % parts ? 1 : 0);
}

/** Memory of every GPU of an EP × TP layout, with a per-GPU fit verdict. */
export function perGpuMemory(
  model: ServingModel,
  kv: KvWorkload,
  layout: ParallelLayout,
  opts: MemoryOptions,
): PerGpuMemory {
  const { ep, tp } = layout;
  posInt('ep', ep);
  posInt('tp', tp);
  posInt('num_experts', model.num_experts);
  nonNeg('expert_bytes', model.expert_bytes);
  nonNeg('rest_bytes', model.rest_bytes);
  if (!Number.isSafeInteger(kv.batch) || kv.batch < 0)
    throw new RangeError(`batch must be an integer >= 0, got ${kv.batch}`);
  nonNeg('kv_bytes_per_sequence', kv.kv_bytes_per_sequence);
  posInt('kv_heads', kv.kv_heads);
  nonNeg('memory_bytes', opts.memory_bytes);
  const overhead = opts.overhead ?? 0;
  nonNeg('overhead', overhead);
  const splitExperts = layout.experts_split_by_tp ?? true;

  // the fullest TP rank holds ⌈H/TP⌉ of the H KV heads (never less than one head)
  const kvFraction = Math.ceil(kv.kv_heads / tp) / kv.kv_heads;
  const rest = model.rest_bytes / tp; // replicated per EP group, split TP ways

  const groups: GroupMemory[] = [];
  let total = 0;
  let totalNeeded = 0;
  for (let g = 0; g < ep; g++) {
    const experts = share(model.num_experts, ep, g); // ⌈E/EP⌉ for the first E mod EP groups
    const sequences = share(kv.batch, ep, g); // data-parallel share of the batch
    const expert_bytes = (experts * model.expert_bytes) / (splitExperts ? tp : 1);
    const kv_bytes = sequences * kv.kv_bytes_per_sequence * kvFraction;
    const total_bytes = expert_bytes + rest + kv_bytes;
    // whole bytes: (1 + overhead) is rarely exact in binary, and the product would carry a float tail
    const needed_bytes = Math.round(total_bytes * (1 + overhead));
    groups.push({
      ep_rank: g,
      experts,
      sequences,
      expert_bytes,
      rest_bytes: rest,
      kv_bytes,
      total_bytes,
      needed_bytes,
      fits: needed_bytes <= opts.memory_bytes,
    });
    total += tp * total_bytes;
    totalNeeded += tp * needed_bytes;
  }
  const max_needed_bytes = Math.max(...groups.map((g) => g.needed_bytes));
  return {
    gpus: ep * tp,
    ep,
    tp,
    groups,
    max_needed_bytes,
    fits: groups.every((g) => g.fits),
    total_bytes: total,
    fits_aggregate: totalNeeded <= ep * tp * opts.memory_bytes,
  };
}

export interface GpusNeededOptions extends MemoryOptions {
  /** TP degrees to consider (default 1, 2, 4, 8: one NVLink/Infinity Fabric domain) */
  tp_options?: readonly number[];
  /** give up past this many GPUs (default 4096) */
  max_gpus?: number;
  experts_split_by_tp?: boolean;
}

/**
 * The smallest EP × TP (fewest GPUs; among equals the smallest TP) whose every GPU fits.
 * Returns null when nothing up to `max_gpus` fits.
 */
export function gpusNeeded(model: ServingModel, kv: KvWorkload, opts: GpusNeededOptions): PerGpuMemory | null {
  const tps = [...new Set(opts.tp_options ?? [1, 2, 4, 8])].sort((a, b) => a - b);
  for (const t of tps) posInt('tp option', t);
  const maxGpus = opts.max_gpus ?? 4096;
  for (let n = 1; n <= maxGpus; n++) {
    for (const tp of tps) {
      if (n % tp !== 0) continue;
      const layout: ParallelLayout = { ep: n / tp, tp };
      if (opts.experts_split_by_tp != null) layout.experts_split_by_tp = opts.experts_split_by_tp;
      const m = perGpuMemory(model, kv, layout, opts);
      if (m.fits) return m;
    }
  }
  return null;
}

/** A `ServingModel` and KV layout from an `Architecture` and the weight formats. */
export function servingModelFromArchitecture(
  arch: Architecture,
  formats: WeightFormats,
  pattern?: AttentionPattern,
): ServingModel & { kv_layout: KvLayout; active_params: number; routed_expert_bytes: number } {
  const b = countParameters(arch);
  // one routed expert summed over all MoE layers, and everything else of the language model
  const w = weightBytes(
    { expert_params_total: b.expert_params, other_params: b.total_main - b.modules.routed_experts },
    formats,
  );
  const all = weightBytes({ expert_params_total: b.modules.routed_experts, other_params: 0 }, formats);
  return {
    num_experts: arch.num_experts,
    expert_bytes: w.experts,
    rest_bytes: w.rest,
    routed_expert_bytes: all.experts,
    active_params: b.active,
    kv_layout: kvLayoutFromArchitecture(arch, pattern),
  };
}
