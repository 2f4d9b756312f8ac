// The parts of a spec that describe the model beyond four numbers: weight formats, the architecture
// designs start from and the architecture fields the grid sweeps, the serving workload and the
// hardware. Every value is checked here, where the spec's line and column are known, so that no
// point of the grid can fail later.
import { dirname } from 'node:path';
import { countParameters } from '../arch/count.js';
import { ConfigFileError, readModelArchitecture } from '../catalog/config-file.js';
import type { Architecture } from '../arch/types.js';
import { DTYPE_BYTES, type Dtype } from '../formats/dtypes.js';
import { expandAxis } from './axis.js';
import type { Catalog } from '../catalog/index.js';
import { findPreset } from '../catalog/presets.js';
import { estimatePlan, hardwarePlan, type HardwarePlan } from '../metrics/serving.js';
import { gpuLink } from '../serving/constants.js';
import { GpuError, resolveGpu, type Gpu } from '../serving/gpu.js';
import { kvLayoutFromArchitecture } from '../arch/kv-cache.js';
import { CONTEXT_EXPECTED, parseBandwidth, parseBytes, parseContextTokens } from '../formats/units.js';
import type { PathSegment } from '../findings/errors.js';
import type { Locator } from './locator.js';
import { ARCH_FIELDS, ARCH_FIELD_NAMES, type ArchField, type RawSpec } from './schema.js';
import type { ArchitectureSpec, ServingSpec, WeightFormats } from './types.js';

interface Ctx {
  file: string;
  at: Locator;
  maxPoints: number;
  catalog: Catalog;
  env?: Record<string, string | undefined>;
}

type RawFormat = string | { bits: number };

function formatBytes(raw: RawFormat, path: PathSegment[], ctx: Ctx): [number, string] {
  if (typeof raw === 'string') return [DTYPE_BYTES[raw as Dtype], raw];
  if (!Number.isFinite(raw.bits) || raw.bits <= 0 || raw.bits > 64)
    throw ctx.at.expected([...path, 'bits'], 'expected bits per weight from above 0 to 64, such as 6', raw.bits);
  return [raw.bits / 8, `${raw.bits} bits`];
}

export function normalizeFormats(raw: RawSpec['dtype'], ctx: Ctx): WeightFormats {
  if (raw === undefined) return { experts: 2, rest: 2, text: 'bf16' };
  if (typeof raw === 'object' && 'experts' in raw) {
    const [experts, e] = formatBytes(raw.experts, ['dtype', 'experts'], ctx);
    const [rest, r] = formatBytes(raw.rest, ['dtype', 'rest'], ctx);
    return { experts, rest, text: `experts ${e}, rest ${r}` };
  }
  const [b, text] = formatBytes(raw, ['dtype'], ctx);
  return { experts: b, rest: b, text };
}

/** Per-layer lists in a config fix the layer count: changing num_layers would leave them wrong. */
function perLayerLists(arch: Architecture): string[] {
  const a = arch as unknown as Record<string, unknown>;
  return ['layer_attention', 'moe_layers', 'compress_ratios'].filter((k) => Array.isArray(a[k]));
}

/** Why `field` cannot be set on `base` at all, or undefined when it can. */
function fieldReason(field: ArchField, base: Architecture): string | undefined {
  const b = base as unknown as Record<string, unknown>;
  if (field === 'sliding_window' && b[field] == null && !base.layer_attention?.includes('sliding')) {
    return 'sliding_window has nothing to apply to: this architecture has no sliding-window layers';
  }
  if (b[field] === undefined)
    return `${field} (${ARCH_FIELDS[field]}) is not a field of this ${base.attention_type.toUpperCase()} architecture`;
  if (
    b[field] === null &&
    !['q_lora_rank', 'shared_expert_intermediate_size', 'dense_intermediate_size', 'sliding_window'].includes(field)
  ) {
    return `${field} (${ARCH_FIELDS[field]}) is not used by this architecture (its config sets none)`;
  }
  if (field === 'num_layers' && perLayerLists(base).length > 0) {
    return `num_layers cannot change: the base config lists ${perLayerLists(base).join(', ')} layer by layer`;
  }
  return undefined;
}

/** Why `arch` cannot be counted, or undefined when it can. */
function countReason(arch: Architecture): string | undefined {
  try {
    countParameters(arch);
    kvLayoutFromArchitecture(arch);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

function baseArchitecture(raw: RawArchitecture, at: PathSegment[], ctx: Ctx): { arch: Architecture; source: string } {
  if ((raw.from === undefined) === (raw.config === undefined)) {
    throw ctx.at.error(
      at,
      'expected exactly one of from: PRESET (see `moe-sweep presets`) or config: PATH/config.json (a folder or ORG/NAME too) to start from',
    );
  }
  if (raw.from !== undefined) {
    const p = findPreset(ctx.catalog.presets, raw.from);
    if (!p) throw ctx.at.expected([...at, 'from'], 'expected a preset id (see `moe-sweep presets`)', raw.from);
    return { arch: ctx.catalog.presetArchitecture(p), source: `preset ${p.id}` };
  }
  try {
    return { arch: readModelArchitecture(raw.config!, dirname(ctx.file), ctx.env), source: raw.config! };
  } catch (e) {
    if (e instanceof ConfigFileError) throw ctx.at.error([...at, 'config'], e.message);
    throw e;
  }
}

function withField(arch: Architecture, field: string, value: unknown): Architecture {
  return { ...arch, [field]: value } as Architecture;
}

type RawArchitecture = NonNullable<RawSpec['architecture']>;

/** An architecture written in a spec (at `at`): its starting point with the given fields changed, each checked. */
export function resolveArchitecture(
  raw: RawArchitecture,
  at: PathSegment[],
  ctx: Ctx,
): { arch: Architecture; source: string } {
  const start = baseArchitecture(raw, at, ctx);
  let base = start.arch;
  const changed: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'from' || key === 'config' || value === undefined) continue;
    const path: PathSegment[] = [...at, key];
    if (key === 'tie_word_embeddings' || key === 'expert_gated') {
      base = withField(base, key, value);
    } else {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
        throw ctx.at.expected(path, 'expected a whole number of 0 or more', value);
      const next = withField(base, key, value);
      const why = fieldReason(key as ArchField, base) ?? countReason(next);
      if (why) throw ctx.at.error(path, why);
      base = next;
    }
    changed.push(`${key} ${String(value)}`);
  }
  return { arch: base, source: changed.length ? `${start.source} with ${changed.join(', ')}` : start.source };
}

export function normalizeArchitecture(
  raw: RawSpec['architecture'],
  grid: RawSpec['grid'],
  ctx: Ctx,
): ArchitectureSpec | undefined {
  if (raw === undefined) return undefined;
  const { arch: base, source } = resolveArchitecture(raw, ['architecture'], ctx);
  const axes = grid ? archAxes(grid, base, ctx) : undefined;
  return { base, source, ...(axes ? { axes } : {}), written: { ...raw } };
}

const ALIASES: Record<string, ArchField> = { experts: 'num_experts', top_k: 'num_experts_per_tok' };

/** The architecture axes of a grid, or undefined when the grid sweeps the four abstract numbers. */
function archAxes(grid: NonNullable<RawSpec['grid']>, base: Architecture, ctx: Ctx): ArchitectureSpec['axes'] {
  // Experts outermost, then top_k, then the fields in schema order, as in an abstract grid: the
  // CSV's row order does not depend on how the spec happens to order its keys.
  const rank = (k: string) => {
    const f = ALIASES[k] ?? k;
    return f === 'num_experts' ? -2 : f === 'num_experts_per_tok' ? -1 : ARCH_FIELD_NAMES.indexOf(f as ArchField);
  };
  const keys = Object.keys(grid)
    .filter((k) => (grid as Record<string, unknown>)[k] !== undefined)
    .sort((a, b) => rank(a) - rank(b));
  if (keys.includes('expert_params') || keys.includes('shared_params')) return undefined;
  const axes: NonNullable<ArchitectureSpec['axes']> = [];
  const seen = new Set<ArchField>();
  let size = 1;
  for (const key of keys) {
    const field = ALIASES[key] ?? (key as ArchField);
    const path: PathSegment[] = ['grid', key];
    if (seen.has(field))
      throw ctx.at.error(path, `sweeps ${field} a second time (experts is num_experts, top_k is num_experts_per_tok)`, {
        atKey: true,
      });
    seen.add(field);
    const notField = fieldReason(field, base);
    if (notField) throw ctx.at.error(path, notField, { atKey: true });
    const { values, text } = expandWhole((grid as Record<string, unknown>)[key], path, ctx);
    values.forEach((v, i) => {
      const why = countReason(withField(base, field, v));
      if (why)
        throw ctx.at.error(
          Array.isArray((grid as Record<string, unknown>)[key]) ? [...path, i] : path,
          `${field} ${v}: ${why}`,
        );
    });
    size *= values.length;
    axes.push({ field, values, text });
  }
  if (size > ctx.maxPoints)
    throw ctx.at.error(
      ['grid'],
      `has ${size.toLocaleString('en-US')} points, more than --max-points (${ctx.maxPoints.toLocaleString('en-US')})`,
    );
  return axes;
}

/** Values one architecture axis may take: each is counted module by module while the spec is read. */
const MAX_ARCH_VALUES = 10_000;

function expandWhole(raw: unknown, path: PathSegment[], ctx: Ctx): { values: number[]; text: string } {
  return expandAxis(raw, path, ctx.at, {
    value: (v, p) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > 1e9)
        throw ctx.at.expected(p, 'expected a whole number from 0 to 1,000,000,000', v);
      return v;
    },
    step: (v) => (typeof v === 'number' ? v : undefined),
    countLimit: MAX_ARCH_VALUES,
    tooMany: (n) =>
      n <= MAX_ARCH_VALUES
        ? undefined
        : `has more than ${MAX_ARCH_VALUES.toLocaleString('en-US')} values, the most an architecture field takes (each is counted while the spec is read); use a coarser step`,
  });
}

export function normalizeServing(raw: RawSpec['serving'], hasArchitecture: boolean, ctx: Ctx): ServingSpec | undefined {
  if (raw === undefined) return undefined;
  if (!hasArchitecture) {
    throw ctx.at.error(
      ['serving'],
      'needs an architecture for the KV cache (layers, KV heads, head width): add architecture: {from: PRESET} or {config: PATH}, or give only designs that carry one',
      { atKey: true },
    );
  }
  const context = parseContextTokens(raw.context);
  if (context === undefined || context > 2 ** 32)
    throw ctx.at.expected(['serving', 'context'], `${CONTEXT_EXPECTED}, at most 4096M`, raw.context);
  const batch = raw.batch ?? 1;
  // Routing figures cost O(batch) per experts × top_k pair; no replica serves more sequences at once.
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > 65536)
    throw ctx.at.expected(['serving', 'batch'], 'expected a whole number of sequences from 1 to 65,536', raw.batch);
  const [kvBytesPerValue, kvDtype] =
    raw.kv_dtype === undefined ? [2, 'bf16'] : formatBytes(raw.kv_dtype, ['serving', 'kv_dtype'], ctx);
  const out: ServingSpec = { context, batch, kvDtype, kvBytesPerValue };
  if (raw.input !== undefined) {
    const input = parseContextTokens(raw.input);
    if (input === undefined || input < 1 || input > 2 ** 32)
      throw ctx.at.expected(['serving', 'input'], `${CONTEXT_EXPECTED}, at least 1 and at most 4096M`, raw.input);
    out.input = input;
  }
  if (raw.mtp !== undefined) {
    const tokens = raw.mtp.tokens;
    if (!Number.isInteger(tokens) || tokens < 1 || tokens > 4)
      throw ctx.at.expected(
        ['serving', 'mtp', 'tokens'],
        'expected a whole number of draft tokens from 1 to 4',
        tokens,
      );
    const list = Array.isArray(raw.mtp.acceptance)
      ? raw.mtp.acceptance
      : new Array<number>(tokens).fill(raw.mtp.acceptance);
    if (list.length !== tokens)
      throw ctx.at.expected(
        ['serving', 'mtp', 'acceptance'],
        `expected one acceptance per draft token (${tokens}), or one number for all`,
        raw.mtp.acceptance,
      );
    list.forEach((a, i) => {
      if (!(typeof a === 'number' && a >= 0 && a <= 1))
        throw ctx.at.expected(
          Array.isArray(raw.mtp!.acceptance) ? ['serving', 'mtp', 'acceptance', i] : ['serving', 'mtp', 'acceptance'],
          'expected a probability from 0 to 1, such as 0.8',
          a,
        );
    });
    out.mtp = { tokens, acceptance: list };
  }
  if (raw.engine !== undefined) out.engine = raw.engine;
  if (raw.memory_fraction !== undefined) {
    const f = raw.memory_fraction;
    if (!(f > 0 && f <= 1))
      throw ctx.at.expected(
        ['serving', 'memory_fraction'],
        'expected a fraction above 0 and at most 1, such as 0.9',
        f,
      );
    if ((raw.engine ?? 'none') === 'none')
      throw ctx.at.error(
        ['serving', 'memory_fraction'],
        'needs engine: vllm, sglang or trtllm (without an engine the vram constraint’s overhead applies)',
      );
    out.memoryFraction = f;
  }
  return out;
}

/** Bytes/s from a string such as 300GB/s (the /s is optional). */

export function normalizeHardware(
  raw: RawSpec['hardware'],
  serving: ServingSpec | undefined,
  formats: WeightFormats,
  ctx: Ctx,
): HardwarePlan | undefined {
  if (raw === undefined) return undefined;
  if (!serving)
    throw ctx.at.error(
      ['hardware'],
      'needs serving: {context, batch}: per-GPU memory holds the KV cache and decode speed depends on the batch',
      { atKey: true },
    );
  let gpu: Gpu;
  try {
    if (typeof raw.gpu === 'string') gpu = resolveGpu(raw.gpu, ctx.catalog.gpus);
    else {
      const memory = parseBytes(raw.gpu.memory_bytes);
      if (memory === undefined || !(memory > 0))
        throw ctx.at.expected(
          ['hardware', 'gpu', 'memory_bytes'],
          'expected a memory size such as 80GB',
          raw.gpu.memory_bytes,
        );
      gpu = resolveGpu({ ...raw.gpu, memory_bytes: memory }, ctx.catalog.gpus);
    }
  } catch (e) {
    if (e instanceof GpuError) throw ctx.at.error(['hardware', 'gpu'], e.message);
    throw e;
  }
  let cpuMemory: number | undefined;
  let cpuBandwidth: number | undefined;
  if (raw.cpu !== undefined) {
    cpuMemory = parseBytes(raw.cpu.memory);
    if (cpuMemory === undefined || !(cpuMemory > 0))
      throw ctx.at.expected(['hardware', 'cpu', 'memory'], 'expected a memory size such as 512GB', raw.cpu.memory);
    cpuBandwidth = parseBandwidth(raw.cpu.bandwidth);
    if (cpuBandwidth === undefined)
      throw ctx.at.expected(
        ['hardware', 'cpu', 'bandwidth'],
        'expected a bandwidth such as 300GB/s',
        raw.cpu.bandwidth,
      );
  }
  let expertsOnCpu: number | undefined;
  if (raw.experts_on_cpu !== undefined) {
    if (raw.cpu === undefined)
      throw ctx.at.error(
        ['hardware', 'experts_on_cpu'],
        'needs cpu: {memory, bandwidth}: the experts are read at the CPU’s memory bandwidth',
      );
    if (raw.experts_on_cpu === 'all') expertsOnCpu = Infinity;
    else if (!Number.isSafeInteger(raw.experts_on_cpu) || raw.experts_on_cpu < 0)
      throw ctx.at.expected(
        ['hardware', 'experts_on_cpu'],
        'expected all or a whole number of MoE layers',
        raw.experts_on_cpu,
      );
    else expertsOnCpu = raw.experts_on_cpu;
  }
  try {
    const estimate = estimatePlan(ctx.catalog.servingModel, {
      ...(serving.engine !== undefined ? { engine: serving.engine } : {}),
      ...(serving.memoryFraction !== undefined ? { memory_fraction: serving.memoryFraction } : {}),
      ...(raw.dp_attention !== undefined ? { dp_attention: raw.dp_attention } : {}),
      gpus: raw.count,
      overhead: 0,
      speculative: serving.mtp !== undefined,
      ...(cpuMemory !== undefined ? { cpu_memory_bytes: cpuMemory } : {}),
      ...(cpuBandwidth !== undefined ? { cpu_bandwidth_bytes_per_s: cpuBandwidth } : {}),
      ...(expertsOnCpu !== undefined ? { experts_on_cpu: expertsOnCpu } : {}),
    });
    return hardwarePlan(gpu, raw.count, {
      ...(raw.tp !== undefined ? { tp: raw.tp } : {}),
      ...(raw.compute !== undefined ? { compute: raw.compute } : {}),
      ...(raw.activation_bytes !== undefined ? { activation_bytes: raw.activation_bytes } : {}),
      maxBytesPerWeight: Math.max(formats.experts, formats.rest),
      link: gpuLink(ctx.catalog.servingModel, gpu),
      estimate,
    });
  } catch (e) {
    const [field, ...rest] = (e as Error).message.split(': ');
    throw ctx.at.error(['hardware', field!], rest.join(': '));
  }
}
