// `moe-sweep calc`: the metrics of one design, given by its four numbers, as a preset or as a
// config.json; with --context (and --gpu) also its serving figures, through the sweep's own code.
import { SLOT } from '../../metrics/registry.js';
import { countParameters } from '../../arch/count.js';
import { ConfigFileError, readModelArchitecture } from '../../catalog/config-file.js';
import type { Architecture } from '../../arch/types.js';
import { DTYPE_BYTES, DTYPES, isDtype, KV_DTYPE_BYTES, type KvDtype } from '../../formats/dtypes.js';
import type { Design } from '../../metrics/design.js';
import type { Catalog } from '../../catalog/index.js';
import { findPreset, presetSuggestion } from '../../catalog/presets.js';
import { MAX_GPUS, hardwarePlan, type HardwarePlan } from '../../metrics/serving.js';
import { GpuError, resolveGpu } from '../../serving/gpu.js';
import type { ServingSpec } from '../../spec/types.js';
import { evaluateDesign } from '../../sweep/design.js';
import { servingJson } from '../../output/summary.js';
import { parseBatch, parseContext } from './inspect.js';
import { InputError } from '../../findings/errors.js';
import { formatBytes, formatCount, formatPercent, formatRatio, parseCount } from '../../formats/units.js';
import { table, type Io } from '../io.js';
import { calcTraining, layoutDetail, trainingRows, type CalcTrainingOptions } from './calc-training.js';

export interface CalcOptions extends CalcTrainingOptions {
  config?: string;
  expertDtype?: string;
  context?: string;
  batch?: string;
  kvDtype?: string;
  gpu?: string;
  count?: string;
  tp?: string;
  experts?: string;
  topK?: string;
  expertParams?: string;
  shared?: string;
  dtype?: string;
  overhead?: string;
  preset?: string;
  json?: boolean;
}

function wholeOption(flag: string, value: string | undefined, min: number, what: string): number {
  if (value === undefined) throw new InputError(`calc: ${flag} is missing; expected ${what} (or --preset ID)`);
  const v = parseCount(value);
  if (v === undefined || !Number.isInteger(v) || v < min)
    throw new InputError(`calc: ${flag}: expected ${what}, got "${value}"`);
  return v;
}

/** The design calc evaluates: the four numbers, a preset, or a config.json, with the architecture it is served by. */
function calcDesign(o: CalcOptions, io: Io, catalog: Catalog): { design: Design; label: string; arch?: Architecture } {
  if (o.preset !== undefined && o.config !== undefined)
    throw new InputError('calc: give --preset or --config, not both');
  if (o.preset !== undefined || o.config !== undefined) {
    const manual = [
      o.experts && '--experts',
      o.topK && '--top-k',
      o.expertParams && '--expert-params',
      o.shared && '--shared',
    ].filter(Boolean);
    if (manual.length)
      throw new InputError(
        `calc: ${o.preset !== undefined ? '--preset' : '--config'} gives the whole design; drop ${manual.join(', ')}`,
      );
  }
  if (o.config !== undefined) {
    let arch: Architecture;
    try {
      arch = readModelArchitecture(o.config, io.cwd, io.env);
    } catch (e) {
      if (e instanceof ConfigFileError) throw new InputError(`calc: --config: ${e.message}`);
      throw e;
    }
    const b = countParameters(arch);
    return {
      design: {
        experts: arch.num_experts,
        top_k: arch.num_experts_per_tok,
        expert_params: b.expert_params,
        shared_params: b.shared_params,
      },
      label: o.config,
      arch,
    };
  }
  if (o.preset !== undefined) {
    const p = findPreset(catalog.presets, o.preset);
    if (!p) {
      throw new InputError(
        `calc: --preset: unknown preset "${o.preset}"${presetSuggestion(o.preset, catalog.presets)} (see \`moe-sweep presets\`)`,
      );
    }
    return { design: p, label: `${p.name} (${p.id})`, arch: catalog.presetArchitecture(p) };
  }
  const design = {
    experts: wholeOption('--experts', o.experts, 1, 'a whole number of routed experts, at least 1'),
    top_k: wholeOption('--top-k', o.topK, 1, 'a whole number of experts per token, at least 1'),
    expert_params: wholeOption('--expert-params', o.expertParams, 1, 'a parameter count such as 5.6B'),
    shared_params: wholeOption('--shared', o.shared, 0, 'a parameter count such as 1.6B'),
  };
  if (design.top_k > design.experts)
    throw new InputError(`calc: --top-k: expected at most --experts (${design.experts}), got ${design.top_k}`);
  return { design, label: 'design' };
}

// The KV formats are a table of their own (formats/dtypes.ts); today it names the same formats as
// the weights, and --kv-dtype must follow that table if they ever part.
function kvFormatOption(value: string): number {
  if (!Object.hasOwn(KV_DTYPE_BYTES, value))
    throw new InputError(`calc: --kv-dtype: expected one of ${Object.keys(KV_DTYPE_BYTES).join(', ')}, got "${value}"`);
  return KV_DTYPE_BYTES[value as KvDtype];
}

function formatOption(flag: string, value: string): number {
  if (!isDtype(value)) throw new InputError(`calc: ${flag}: expected one of ${DTYPES.join(', ')}, got "${value}"`);
  return DTYPE_BYTES[value];
}

export function calcCommand(o: CalcOptions, io: Io, catalog: Catalog): number {
  const dtype = o.dtype ?? 'bf16';
  const rest = formatOption('--dtype', dtype);
  const experts = o.expertDtype === undefined ? rest : formatOption('--expert-dtype', o.expertDtype);
  const { design, label, arch } = calcDesign(o, io, catalog);
  const overhead = o.overhead === undefined ? 0 : Number(o.overhead);
  if (!Number.isFinite(overhead) || overhead < 0)
    throw new InputError(`calc: --overhead: expected a fraction of 0 or more such as 0.15, got "${o.overhead}"`);
  const serving = calcServing(o, arch !== undefined);
  const hardware = calcHardware(o, serving !== undefined, Math.max(experts, rest), catalog);
  const trainingCost = calcTraining(o, arch !== undefined, catalog);
  const formats = { experts, rest, text: o.expertDtype ? `experts ${o.expertDtype}, rest ${dtype}` : dtype };
  const e = evaluateDesign(
    {
      bytesPerWeight: rest,
      overhead,
      constraints: [
        ...(hardware
          ? [{ name: 'gpu_memory', metric: SLOT.per_gpu_bytes, min: -Infinity, max: hardware.memory_bytes }]
          : []),
        ...(trainingCost
          ? [
              {
                name: 'train_gpu_memory',
                metric: SLOT.train_memory_per_gpu,
                min: -Infinity,
                max: trainingCost.gpuMemory,
              },
            ]
          : []),
      ],
      qualityPlan: undefined,
      formats,
      serving,
      hardware,
      architecture: undefined,
      ...(trainingCost ? { trainingCost } : {}),
    },
    { ...design, ...(arch ? { architecture: arch } : {}) },
  );
  const m = e.metrics;
  const s = e.serving;
  if (o.json) {
    const context = serving ? { context: serving.context, batch: serving.batch, kv_dtype: serving.kvDtype } : {};
    const gpu = hardware ? { gpu: hardware.gpu, gpu_count: hardware.count, fits_per_gpu: e.feasible } : {};
    const train = trainingCost
      ? {
          train_gpu: trainingCost.gpu,
          train_gpu_count: trainingCost.count,
          train_seq_len: trainingCost.seqLen,
          ...e.training,
        }
      : {};
    io.stdout(
      `${JSON.stringify({ experts: design.experts, top_k: design.top_k, expert_params: design.expert_params, shared_params: design.shared_params, dtype: formats.text, ...m, ...context, ...servingJson(s), ...gpu, ...train }, null, 2)}\n`,
    );
    return 0;
  }
  const rows: [string, string, string][] = [
    ['experts × top_k', `${design.experts} × ${design.top_k}`, ''],
    ['expert_params', formatCount(design.expert_params), 'one routed expert, all MoE layers'],
    ['shared_params', formatCount(design.shared_params), 'used by every token'],
    ['total_params', formatCount(m.total_params), 'shared + experts × expert_params'],
    ['active_params', formatCount(m.active_params), 'shared + top_k × expert_params'],
    ['active_ratio', formatPercent(m.active_ratio), 'active / total'],
    ['expert_sparsity', formatPercent(m.expert_sparsity), '1 − top_k / experts'],
    ['compute_saving', formatPercent(m.compute_saving), 'FLOPs saved vs a dense model of the same total'],
    ['flops_per_token', formatCount(m.flops_per_token), '2 × active'],
    [
      'weight_bytes',
      formatBytes(m.weight_bytes),
      experts === rest
        ? `total × ${rest} bytes (${dtype})`
        : `experts × ${experts} B (${o.expertDtype}) + rest × ${rest} B (${dtype})`,
    ],
  ];
  if (s && serving) {
    rows.push([
      'kv_cache_bytes',
      formatBytes(s.kv_cache_bytes!),
      `${serving.batch} × ${serving.context.toLocaleString('en-US')} tokens, ${serving.kvDtype}`,
    ]);
    rows.push(['vram_bytes', formatBytes(m.vram_bytes), `(weights + KV) × (1 + ${overhead}) overhead`]);
    rows.push(['saturation_batch', String(s.saturation_batch), 'batch at which decode reads 99% of experts']);
    rows.push([
      'load_imbalance',
      formatRatio(s.load_imbalance!),
      `busiest expert / mean at batch ${serving.batch} (lower bound)`,
    ]);
    rows.push(['capacity_factor', formatRatio(s.capacity_factor!), 'capacity that drops < 1% of tokens']);
  } else rows.push(['vram_bytes', formatBytes(m.vram_bytes), `weights × (1 + ${overhead}) overhead`]);
  if (s && hardware) {
    rows.push([
      'per_gpu_bytes',
      formatBytes(s.per_gpu_bytes!),
      `fullest GPU of ${hardware.count} × ${hardware.gpu} as ${s.gpu_layout}: ${e.feasible ? 'fits' : `does NOT fit ${formatBytes(hardware.memory_bytes)}`}`,
    ]);
    rows.push([
      'gpus_needed',
      Number.isFinite(s.gpus_needed) ? String(s.gpus_needed) : `> ${MAX_GPUS}`,
      `fewest ${hardware.gpu} whose every GPU fits`,
    ]);
    rows.push([
      'decode_tokens_per_s',
      formatCount(s.decode_tokens_per_s!),
      `upper bound at batch ${serving!.batch}; ${s.decode_bound} binds`,
    ]);
    rows.push([
      'all_to_all_bytes',
      formatBytes(s.all_to_all_bytes_per_token_layer!),
      'per token per MoE layer, dispatch + combine',
    ]);
  }
  if (trainingCost && e.training)
    rows.push(...trainingRows(e.training, trainingCost, arch ? layoutDetail(trainingCost, arch, design) : undefined));
  io.stdout(`${label}\n${table(['metric', 'value', 'how'], rows, 1)}\n`);
  return 0;
}

function calcServing(o: CalcOptions, hasArchitecture: boolean): ServingSpec | undefined {
  if (o.context === undefined) {
    for (const [flag, v] of [
      ['--batch', o.batch],
      ['--kv-dtype', o.kvDtype],
      ...(o.trainTokens === undefined ? ([['--gpu', o.gpu]] as const) : []),
    ] as const) {
      if (v !== undefined)
        throw new InputError(
          `calc: ${flag} needs --context: the KV cache and decode depend on the context length (e.g. --context 128K)`,
        );
    }
    return undefined;
  }
  if (!hasArchitecture)
    throw new InputError(
      'calc: --context needs an architecture for the KV cache: --preset ID or --config PATH/config.json',
    );
  const kvDtype = o.kvDtype ?? 'bf16';
  return {
    context: parseContext(o.context),
    batch: o.batch === undefined ? 1 : parseBatch(o.batch),
    kvDtype,
    kvBytesPerValue: kvFormatOption(kvDtype),
  };
}

function calcHardware(
  o: CalcOptions,
  hasServing: boolean,
  maxBytesPerWeight: number,
  catalog: Catalog,
): HardwarePlan | undefined {
  if (o.gpu === undefined) {
    if (o.count !== undefined || o.tp !== undefined)
      throw new InputError('calc: --count and --tp need --gpu (e.g. --gpu H100-SXM-80GB --count 8)');
    return undefined;
  }
  if (!hasServing) {
    if (o.trainTokens !== undefined) return undefined; // the training GPUs
    throw new InputError('calc: --gpu needs --context (or --train-tokens)');
  }
  const whole = (flag: string, v: string) => {
    const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InputError(`calc: ${flag}: expected a whole number of at least 1, got "${v}"`);
    return n;
  };
  try {
    const gpu = resolveGpu(o.gpu, catalog.gpus);
    return hardwarePlan(gpu, o.count === undefined ? 1 : whole('--count', o.count), {
      ...(o.tp !== undefined ? { tp: whole('--tp', o.tp) } : {}),
      maxBytesPerWeight,
    });
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`calc: ${e instanceof GpuError ? '--gpu: ' : '--'}${(e as Error).message}`);
  }
}
