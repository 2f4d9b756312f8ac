/**
 * What a released checkpoint stores beyond its logical parameters, and how to say so: block-FP8
 * scale tensors, sub-byte routed experts packed into wider elements with their group scales and
 * shape tensors, hash-routing tables, MTP copies of the embedding and head. `countParameters`
 * tallies these element counts through `StorageTally`; `checkpointWeightBytes` (memory.ts) gives
 * them bytes through `CheckpointStorage`. One set of rules, so element counts and bytes agree.
 */
import { isObj, type Obj, spellings } from './hf-config/fields.js';
import { quantizationConfigs } from './hf-config/quantization.js';
import type { Architecture, LinearQuantSpec } from './types.js';

/** A weight matrix [out, in], as block scales and packing see it. */
export type Matrix = [out: number, inn: number];

/** The linears of one FFN of `width` (gate, up, down; up and down when not gated). */
export function ffnMatrices(d: number, width: number, gated: boolean): Matrix[] {
  return gated
    ? [
        [width, d],
        [width, d],
        [d, width],
      ]
    : [
        [width, d],
        [d, width],
      ];
}

/** FP8 scale entries of one weight at block size b: one per b×b tile, partial tiles included. */
export function fp8ScaleTiles([out, inn]: Matrix, b: number): number {
  return Math.ceil(out / b) * Math.ceil(inn / b);
}

/** FP8 scale entries of a set of weight matrices at block size b. */
export function scaleCount(matrices: Matrix[], b: number): number {
  let s = 0;
  for (const m of matrices) s += fp8ScaleTiles(m, b);
  return s;
}

/**
 * One sub-byte routed-expert weight as the checkpoint holds it. FP4: [out, in/2] int8 elements,
 * each two E2M1 weights. INT4 (compressed-tensors pack-quantized): weight_packed [out, in/8]
 * int32, eight weights each, plus a weight_shape [2] int32.
 */
export interface PackedLinear {
  /** stored weight elements (an int8 or int32 holding several weights counts once) */
  stored: number;
  /** group scales: one per `group_size` weights along the input dimension */
  scales: number;
  /** int32 shape-tensor elements */
  shapes: number;
}

export function packedExpertLinear(format: 'fp4_e2m1' | 'int4', groupSize: number, [out, inn]: Matrix): PackedLinear {
  const scales = out * Math.ceil(inn / groupSize);
  if (format === 'fp4_e2m1') return { stored: out * Math.ceil(inn / 2), scales, shapes: 0 };
  return { stored: out * Math.ceil(inn / 8), scales, shapes: 2 };
}

/** The tensors of one linear stored in a packed 4-bit format (`LinearQuantSpec`). */
export interface QuantLinear {
  /** the packed weight: its format and stored elements (a byte of two FP4, an int32 of eight INT4) */
  weight: { format: StoredFormat; elements: number };
  /** group scales, zero points and per-tensor scales */
  scales: { format: StoredFormat; elements: number }[];
  /** int32 shape and index tensors (compressed-tensors weight_shape, GPTQ g_idx) */
  shapes: number;
  /** what the Hub counts for the linear: int32 elements of a 4-bit format 32/4 = 8 times each, the rest once */
  hub: number;
}

/**
 * One [out, in] linear in a packed 4-bit format with its scales, as the format's checkpoints lay it
 * out (see `LinearQuantSpec`); partial groups and packs round up.
 */
export function quantLinear(q: LinearQuantSpec, [out, inn]: Matrix): QuantLinear {
  const g = q.group_size;
  if (q.format === 'nvfp4') {
    const weight = out * Math.ceil(inn / 2);
    const scales = out * Math.ceil(inn / 16);
    return {
      weight: { format: 'fp4_e2m1', elements: weight },
      scales: [
        { format: 'fp8_e4m3', elements: scales },
        { format: 'f32', elements: 2 }, // weight_scale_2, input_scale
      ],
      shapes: 0,
      hub: weight + scales + 2,
    };
  }
  if (q.format === 'int4_ct') {
    const weight = out * Math.ceil(inn / 8);
    const scales = out * Math.ceil(inn / g);
    return {
      weight: { format: 'int4', elements: weight },
      scales: [{ format: 'bf16', elements: scales }],
      shapes: 2,
      hub: 8 * weight + scales + 8 * 2,
    };
  }
  const groups = Math.ceil(inn / g);
  const zeros = groups * Math.ceil(out / 8);
  const scales = groups * out;
  const weight = q.format === 'int4_awq' ? inn * Math.ceil(out / 8) : Math.ceil(inn / 8) * out;
  const gIdx = q.format === 'int4_gptq' ? inn : 0;
  return {
    weight: { format: 'int4', elements: weight },
    scales: [
      { format: 'f16', elements: scales },
      { format: 'i32', elements: zeros },
    ],
    shapes: gIdx,
    hub: 8 * weight + scales + 8 * zeros + 8 * gIdx,
  };
}

/** Embedding-sized matrices (vocab × hidden) the checkpoint's MTP modules store as their own copies. */
export function mtpStoredCopies(arch: Architecture): number {
  const mtp = arch.mtp;
  if (!mtp || mtp.num_modules <= 0) return 0;
  return mtp.num_modules * ((mtp.stores_embedding ? 1 : 0) + (mtp.stores_head ? 1 : 0));
}

/** Integers of one hash-routed layer's token-to-expert table, tid2eid [vocab, top-k]. */
export function hashTableElements(arch: Architecture): number {
  return arch.vocab_size * arch.num_experts_per_tok;
}

/** How a tensor is stored. `fp4_e2m1` packs two values per stored byte, `int4` eight per stored int32. */
export type StoredFormat = 'bf16' | 'f16' | 'f32' | 'fp8_e4m3' | 'fp4_e2m1' | 'int4' | 'ue8m0' | 'i32' | 'i64';

/** Bytes of one stored element of each format. */
export const STORED_ELEMENT_BYTES: Readonly<Record<StoredFormat, number>> = {
  bf16: 2,
  f16: 2,
  f32: 4,
  fp8_e4m3: 1,
  fp4_e2m1: 1, // one byte holds two E2M1 values
  int4: 4, // one int32 holds eight INT4 values
  ue8m0: 1,
  i32: 4,
  i64: 8,
};

/** What a share of a part's bytes is: weights, block/group scales, int32 shape tensors, routing tables. */
export type StoredRole = 'weights' | 'scales' | 'shapes' | 'tables';

/** The storage formats of a checkpoint, as its config says. */
export interface CheckpointStorage {
  /** unquantised tensors */
  base: 'bf16' | 'f16' | 'f32';
  /** block size of block-FP8 linears (null: none) */
  fp8_block: number | null;
  /** format of the FP8 block scales */
  fp8_scale: 'f32' | 'ue8m0';
  /** routed experts in a sub-byte format (null: as the other linears) */
  experts:
    | { format: 'fp4_e2m1'; group_size: number; scale: 'ue8m0' }
    | { format: 'int4'; group_size: number; scale: 'bf16' }
    | null;
  /** every FP8-storable linear (routed experts too unless `experts`) in a packed 4-bit format (null: none) */
  linear_quant: LinearQuantSpec | null;
  /** false when the config declares a quantisation this module does not model (weights then in `base`) */
  modelled: boolean;
  /** how the formats were read, for people */
  notes: string[];
}

/** How people name each 4-bit linear format. */
export const LINEAR_QUANT_NAMES: Readonly<Record<LinearQuantSpec['format'], string>> = {
  nvfp4: 'NVFP4 (two E2M1 per byte, an FP8 scale per 16, two F32 per-tensor scales)',
  int4_awq: 'INT4 AWQ (eight per int32, F16 scales and int32 zero points per group)',
  int4_gptq: 'INT4 GPTQ (eight per int32, F16 scales and int32 zero points per group, int32 g_idx)',
  int4_ct: 'INT4 compressed-tensors (eight per int32, a BF16 scale per group, an int32 weight_shape)',
};

/** The storage an `Architecture` says itself (block-FP8 and sub-byte experts), the rest in bf16. */
export function storageFromArchitecture(arch: Architecture): CheckpointStorage {
  const q = arch.checkpoint_expert_quant ?? null;
  const notes: string[] = [];
  const block = arch.checkpoint_fp8_block != null && arch.checkpoint_fp8_block > 0 ? arch.checkpoint_fp8_block : null;
  // DeepSeek-V4 inference/model.py: Linear stores every scale as float8_e8m0fnu
  const fp8_scale = arch.model_type === 'deepseek_v4' ? 'ue8m0' : 'f32';
  if (block != null) notes.push(`block-FP8 linears (${block}x${block} tiles, ${fp8_scale} scales)`);
  let experts: CheckpointStorage['experts'] = null;
  if (q?.format === 'fp4_e2m1_x2') {
    experts = { format: 'fp4_e2m1', group_size: q.group_size, scale: 'ue8m0' };
    notes.push(`routed experts FP4 (E2M1, two per byte) with a UE8M0 scale per ${q.group_size}`);
  } else if (q?.format === 'int4_pack_quantized') {
    experts = { format: 'int4', group_size: q.group_size, scale: 'bf16' };
    notes.push(
      `routed experts INT4 (eight per int32) with a BF16 scale per ${q.group_size} and an int32 shape per linear`,
    );
  }
  const linear_quant = arch.checkpoint_linear_quant ?? null;
  if (linear_quant) notes.push(`linears ${LINEAR_QUANT_NAMES[linear_quant.format]} (group ${linear_quant.group_size})`);
  return { base: 'bf16', fp8_block: block, fp8_scale, experts, linear_quant, modelled: true, notes };
}

/** quant_method values whose 4-bit linears `LinearQuantSpec` describes. */
const LINEAR_QUANT_METHODS: readonly string[] = ['modelopt', 'awq', 'gptq', 'compressed-tensors'];

/**
 * The storage formats of a checkpoint from its config.json (already parsed) and the
 * `Architecture` read from it: the base dtype, block-FP8, FP4 or INT4 routed experts.
 */
export function checkpointStorageFromHfConfig(config: unknown, arch: Architecture): CheckpointStorage {
  const s = storageFromArchitecture(arch);
  if (!isObj(config)) return s;
  const levels = [config, config['text_config']].filter(isObj);
  let dtype: string | undefined;
  for (const c of levels) {
    for (const key of spellings('torch_dtype')) {
      if (dtype === undefined && typeof c[key] === 'string') dtype = c[key] as string;
    }
  }
  if (dtype === 'float16') s.base = 'f16';
  else if (dtype === 'float32') s.base = 'f32';
  else if (dtype !== undefined && dtype !== 'bfloat16') {
    s.notes.push(`the config's dtype "${dtype}" is not bfloat16, float16 or float32: bf16 assumed`);
  } else if (dtype === undefined) s.notes.push('the config names no dtype: bf16 assumed for unquantised tensors');
  for (const q of quantizationConfigs(config)) {
    const method = q['quant_method'];
    if (method === 'fp8' && s.fp8_block != null) continue;
    if (method === 'compressed-tensors' && s.experts?.format === 'int4') continue;
    if (s.linear_quant != null && LINEAR_QUANT_METHODS.includes(method as string)) continue;
    if (method === 'mxfp4' && arch.num_experts > 0 && s.experts == null) {
      // gpt-oss: the HF Mxfp4 integration quantises the routed experts' gate_up_proj and down_proj
      s.experts = { format: 'fp4_e2m1', group_size: 32, scale: 'ue8m0' };
      s.notes.push('quant_method mxfp4: routed experts FP4 (E2M1, two per byte) with a UE8M0 scale per 32');
      continue;
    }
    s.modelled = false;
    s.notes.push(
      `the checkpoint is quantised (${typeof method === 'string' ? method : 'unknown method'}) in a way not modelled here: ` +
        `weights shown in ${s.base}`,
    );
  }
  return s;
}

/** Adds one 4-bit linear's storage besides its logical weights to a tally. */
function addQuant(
  t: { qscales: number; qshape: number; storedDelta: number; hubDelta: number },
  q: LinearQuantSpec,
  m: Matrix,
): void {
  const logical = m[0] * m[1];
  const ql = quantLinear(q, m);
  const scales = ql.scales.reduce((a, x) => a + x.elements, 0);
  t.qscales += scales;
  t.qshape += ql.shapes;
  t.storedDelta += ql.weight.elements - logical;
  // total_checkpoint = logical + scales + shapes + hubDelta = the Hub's count of the linear
  t.hubDelta += ql.hub - logical - scales - ql.shapes;
}

/**
 * Storage of the checkpoint besides logical parameters, in stored elements, accumulated layer by
 * layer as `countParameters` walks the model.
 */
export class StorageTally {
  fp8 = 0;
  tables = 0;
  qscales = 0;
  qshape = 0;
  /** stored elements − logical count of the packed weights */
  storedDelta = 0;
  /** the Hub's count − logical count of the packed weights and their shape tensors */
  hubDelta = 0;

  private readonly block: number | null;
  private readonly linearQuant: LinearQuantSpec | null;
  /** one routed expert's storage besides its logical weights */
  private readonly perExpert = { fp8: 0, qscales: 0, qshape: 0, storedDelta: 0, hubDelta: 0 };
  private readonly sharedScales: number;
  private readonly denseScales: number;
  private readonly sharedMats: Matrix[];
  private readonly denseMats: Matrix[];

  constructor(private readonly arch: Architecture) {
    const storage = storageFromArchitecture(arch);
    const b = storage.fp8_block;
    this.block = b;
    this.linearQuant = storage.linear_quant;
    const d = arch.hidden_size;
    const q = storage.experts;
    if (!q && this.linearQuant) {
      for (const m of ffnMatrices(d, arch.moe_intermediate_size, arch.expert_gated)) {
        addQuant(this.perExpert, this.linearQuant, m);
      }
    } else if (q) {
      for (const m of ffnMatrices(d, arch.moe_intermediate_size, arch.expert_gated)) {
        const logical = m[0] * m[1];
        const p = packedExpertLinear(q.format, q.group_size, m);
        this.perExpert.qscales += p.scales;
        this.perExpert.qshape += p.shapes;
        this.perExpert.storedDelta += p.stored - logical;
        // The Hub counts an int32 holding eight INT4 weights as 32/4 = 8 parameters, the shape
        // tensor's int32 elements too (hence 7 more per shape element than stored); an FP4 int8 once.
        this.perExpert.hubDelta += q.format === 'int4' ? 8 * p.stored - logical + 7 * p.shapes : p.stored - logical;
      }
    } else if (b != null) {
      this.perExpert.fp8 = scaleCount(ffnMatrices(d, arch.moe_intermediate_size, arch.expert_gated), b);
    }
    const sharedMats: Matrix[] =
      arch.num_shared_experts > 0 && arch.shared_expert_intermediate_size
        ? Array.from({ length: arch.num_shared_experts }, () =>
            ffnMatrices(d, arch.shared_expert_intermediate_size as number, arch.expert_gated),
          ).flat()
        : [];
    const denseMats =
      arch.dense_intermediate_size != null
        ? ffnMatrices(d, arch.dense_intermediate_size, arch.dense_gated !== false)
        : [];
    this.sharedScales = b != null ? scaleCount(sharedMats, b) : 0;
    this.denseScales = b != null ? scaleCount(denseMats, b) : 0;
    this.sharedMats = sharedMats;
    this.denseMats = denseMats;
  }

  /** One decoder layer: `mixerLinears` are its token mixer's FP8-storable weights; `ffn` false: no FFN at all. */
  layer(mixerLinears: Matrix[], isMoe: boolean, hash: boolean, ffn = true): void {
    const E = this.arch.num_experts;
    if (hash) this.tables += hashTableElements(this.arch);
    const lq = this.linearQuant;
    if (lq) {
      for (const m of [...mixerLinears, ...(isMoe ? this.sharedMats : ffn ? this.denseMats : [])])
        addQuant(this, lq, m);
    } else if (this.block != null)
      this.fp8 += scaleCount(mixerLinears, this.block) + (isMoe ? this.sharedScales : ffn ? this.denseScales : 0);
    if (isMoe) {
      this.fp8 += E * this.perExpert.fp8;
      this.qscales += E * this.perExpert.qscales;
      this.qshape += E * this.perExpert.qshape;
      this.storedDelta += E * this.perExpert.storedDelta;
      this.hubDelta += E * this.perExpert.hubDelta;
    }
  }

  /** An MTP module's e_proj and h_proj, FP8 in releases that say so (`fp8_proj`). */
  mtpProjections(): void {
    const d = this.arch.hidden_size;
    if (this.block != null && this.arch.mtp?.fp8_proj)
      this.fp8 += scaleCount(
        [
          [d, d],
          [d, d],
        ],
        this.block,
      );
  }
}

/**
 * Whether the config declares a storage format that `arch` does not model (then total_checkpoint
 * and stored_elements are logical counts, not what the checkpoint stores).
 */
export function storageUnmodelled(config: unknown, arch: Architecture): boolean {
  if (!isObj(config)) return false;
  return quantizationConfigs(config).some((q) => !quantModelled(q, arch));
}

/**
 * Whether the counter models the storage `q` declares for `arch`. One rule for
 * `storageUnmodelled` and `checkpointNotes`, so the null stored_elements and the notes agree.
 */
function quantModelled(q: Obj, arch: Architecture): boolean {
  if (arch.checkpoint_linear_quant != null && LINEAR_QUANT_METHODS.includes(q['quant_method'] as string)) return true;
  if (q['quant_method'] === 'fp8') return arch.checkpoint_fp8_block != null;
  if (q['quant_method'] === 'compressed-tensors') return arch.checkpoint_expert_quant?.format === 'int4_pack_quantized';
  return false;
}

/**
 * Notes on what the checkpoint of `config` stores and which number says what, given the
 * `Architecture` read from it: storage formats the counter models (block-FP8 scales, FP4 or INT4
 * routed experts, hash-routing tables), those it does not, and modules the config declares but
 * the release does not ship.
 */
export function checkpointNotes(config: unknown, arch: Architecture): string[] {
  if (!isObj(config)) return [];
  const notes: string[] = [];
  for (const q of quantizationConfigs(config)) {
    const method = typeof q['quant_method'] === 'string' ? q['quant_method'] : 'unknown';
    const bs = q['weight_block_size'];
    if (!quantModelled(q, arch)) {
      notes.push(
        `checkpoint is quantised (${method}); its storage is not modelled for this family: counts are logical parameters, not stored elements`,
      );
    } else if (arch.checkpoint_linear_quant != null && LINEAR_QUANT_METHODS.includes(method)) {
      const lq = arch.checkpoint_linear_quant;
      notes.push(
        `checkpoint linears are ${LINEAR_QUANT_NAMES[lq.format]}, group ${lq.group_size}: total_checkpoint counts ` +
          'what the Hub counts (packed bytes once, int32 elements 8 times each) with the scales, ' +
          'stored_elements each stored element once; total_logical is the parameter count',
      );
    } else if (method === 'fp8') {
      const tile = Array.isArray(bs) ? bs.join('x') : `${arch.checkpoint_fp8_block}x${arch.checkpoint_fp8_block}`;
      notes.push(
        `checkpoint is block-FP8 (${tile}); total_checkpoint adds its weight_scale_inv tensors, one scale per tile`,
      );
    } else {
      // modelled compressed-tensors: INT4 pack-quantized experts, so checkpoint_expert_quant is set
      notes.push(
        `routed experts are INT4 (compressed-tensors pack-quantized, group ${arch.checkpoint_expert_quant?.group_size}), ` +
          'eight per stored int32 element: total_checkpoint counts them per weight as the Hub does, plus their BF16 group ' +
          'scales and int32 weight_shape tensors (the Hub counts every int32 element 8 times, those too); ' +
          'stored_elements counts each int32 element once; total_logical is the parameter count',
      );
    }
  }
  const eq = arch.checkpoint_expert_quant;
  if (eq?.format === 'fp4_e2m1_x2') {
    notes.push(
      `routed experts are FP4 (E2M1), two per stored int8 element, with one UE8M0 scale per ${eq.group_size} weights: ` +
        "total_checkpoint and stored_elements count stored elements (the Hub's figure), not parameters; " +
        'total_logical is the parameter count',
    );
  }
  if ((arch.num_hash_layers ?? 0) > 0) {
    notes.push(
      `the first ${arch.num_hash_layers} MoE layers route by a token-to-expert table (vocab x top-k integers): ` +
        'stored in the checkpoint, not parameters, and not active',
    );
  }
  if (arch.model_type === 'minimax_m2' && config['use_mtp'] === true) {
    const n = typeof config['num_mtp_modules'] === 'number' ? `${config['num_mtp_modules']} ` : '';
    notes.push(
      `the config declares ${n}MTP modules (use_mtp) that the released checkpoint does not contain; not counted`,
    );
  }
  return notes;
}
