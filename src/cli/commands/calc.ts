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
import { MAX_GPUS, TP_OPTIONS, estimatePlan, hardwarePlan, type HardwarePlan } from '../../metrics/serving.js';
import { explainLayouts } from '../../serving/layout.js';
import { gpuLink, type EngineName } from '../../serving/constants.js';

import { CONTEXT_EXPECTED, parseBandwidth, parseBytes, parseContextTokens } from '../../formats/units.js';
import { GpuError, gpuById } from '../../serving/gpu-id.js';
import type { ServingSpec } from '../../spec/types.js';
import { evaluateDesign } from '../../sweep/design.js';
import { servingJson } from '../../output/summary.js';
import { parseBatch, parseContext } from './shape-options.js';
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
  input?: string;
  mtp?: string;
  acceptance?: string;
  engine?: string;
  memoryFraction?: string;
  dpAttention?: boolean;
  cpuMemory?: string;
  cpuBandwidth?: string;
  expertsOnCpu?: string;
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
  const hardware = calcHardware(o, serving, Math.max(experts, rest), catalog);
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
    if (s.layout_problems !== undefined)
      rows.push([
        'per_gpu_bytes',
        '–',
        `no valid layout of ${hardware.count} × ${hardware.gpu}: ${explainLayouts(s.layout_problems, hardware.count, hardware.tp === null ? TP_OPTIONS : [hardware.tp])}`,
      ]);
    else
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
    const est = hardware.estimate;
    rows.push([
      'decode_tokens_per_s',
      formatCount(s.decode_tokens_per_s!),
      `estimate at batch ${serving!.batch}${serving!.mtp ? ` with ${serving!.mtp.tokens} draft token(s)` : ''}; ${s.decode_bound} binds (engine ${est.engine})`,
    ]);
    rows.push(['tpot_ms', formatMs(s.tpot_ms!), 'time per output token of one sequence']);
    rows.push([
      'decode_bound_tokens_per_s',
      formatCount(s.decode_bound_tokens_per_s!),
      'upper bound: peak bandwidth and FLOP/s, no fixed costs',
    ]);
    rows.push([
      'ttft_ms',
      formatMs(s.ttft_ms!),
      `time to first token, ${(serving!.input ?? serving!.context).toLocaleString('en-US')}-token prompt`,
    ]);
    rows.push(['prefill_tokens_per_s', formatCount(s.prefill_tokens_per_s!), 'prefill throughput under load']);
    rows.push([
      'max_batch',
      Number.isFinite(s.max_batch) ? formatCount(s.max_batch!) : 'unbounded',
      `sequences of ${serving!.context.toLocaleString('en-US')} tokens every GPU holds`,
    ]);
    rows.push([
      'max_context',
      Number.isFinite(s.max_context) ? formatCount(s.max_context!) : 'unbounded',
      `tokens per sequence at batch ${serving!.batch}`,
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

function formatMs(ms: number): string {
  return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US')} ms`;
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
  const out: ServingSpec = {
    context: parseContext(o.context),
    batch: o.batch === undefined ? 1 : parseBatch(o.batch),
    kvDtype,
    kvBytesPerValue: kvFormatOption(kvDtype),
  };
  if (o.input !== undefined) {
    const input = parseContextTokens(o.input);
    if (input === undefined || input < 1 || input > 2 ** 32)
      throw new InputError(`calc: --input: ${CONTEXT_EXPECTED}, got "${o.input}"`);
    out.input = input;
  }
  if (o.mtp !== undefined) {
    const tokens = /^\s*[1-4]\s*$/.test(o.mtp) ? Number(o.mtp) : NaN;
    if (!Number.isInteger(tokens))
      throw new InputError(`calc: --mtp: expected draft tokens from 1 to 4, got "${o.mtp}"`);
    if (o.acceptance === undefined)
      throw new InputError('calc: --mtp needs --acceptance: the chance each draft token is accepted (e.g. 0.8)');
    const list = o.acceptance.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
    if (list.some((a) => !(a >= 0 && a <= 1)))
      throw new InputError(
        `calc: --acceptance: expected probabilities from 0 to 1 such as 0.8 or 0.8,0.6, got "${o.acceptance}"`,
      );
    if (list.length !== 1 && list.length !== tokens)
      throw new InputError(
        `calc: --acceptance: expected one number or ${tokens} (one per draft token), got ${list.length}`,
      );
    out.mtp = { tokens, acceptance: list.length === 1 ? new Array<number>(tokens).fill(list[0]!) : list };
  } else if (o.acceptance !== undefined)
    throw new InputError('calc: --acceptance needs --mtp N (draft tokens per step)');
  if (o.engine !== undefined) out.engine = o.engine as EngineName;
  if (o.memoryFraction !== undefined) {
    const f = Number(o.memoryFraction);
    if (!(f > 0 && f <= 1))
      throw new InputError(
        `calc: --memory-fraction: expected a fraction above 0 and at most 1 such as 0.9, got "${o.memoryFraction}"`,
      );
    if ((o.engine ?? 'none') === 'none')
      throw new InputError('calc: --memory-fraction needs --engine vllm, sglang or trtllm');
    out.memoryFraction = f;
  }
  return out;
}

function calcHardware(
  o: CalcOptions,
  serving: ServingSpec | undefined,
  maxBytesPerWeight: number,
  catalog: Catalog,
): HardwarePlan | undefined {
  if (o.gpu === undefined) {
    if (o.count !== undefined || o.tp !== undefined)
      throw new InputError('calc: --count and --tp need --gpu (e.g. --gpu H100-SXM-80GB --count 8)');
    for (const [flag, v] of [
      ['--input', o.input],
      ['--mtp', o.mtp],
      ['--engine', o.engine],
      ['--memory-fraction', o.memoryFraction],
      ['--dp-attention', o.dpAttention],
      ['--cpu-memory', o.cpuMemory],
      ['--cpu-bandwidth', o.cpuBandwidth],
      ['--experts-on-cpu', o.expertsOnCpu],
    ] as const) {
      if (v !== undefined && v !== false)
        throw new InputError(`calc: ${flag} needs --gpu (and --context): it shapes the serving estimate`);
    }
    return undefined;
  }
  if (!serving) {
    if (o.trainTokens !== undefined) return undefined; // the training GPUs
    throw new InputError('calc: --gpu needs --context (or --train-tokens)');
  }
  const whole = (flag: string, v: string) => {
    const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InputError(`calc: ${flag}: expected a whole number of at least 1, got "${v}"`);
    return n;
  };
  let cpuMemory: number | undefined;
  let cpuBandwidth: number | undefined;
  if (o.cpuMemory !== undefined) {
    cpuMemory = parseBytes(o.cpuMemory);
    if (cpuMemory === undefined || !(cpuMemory > 0))
      throw new InputError(`calc: --cpu-memory: expected a memory size such as 512GB, got "${o.cpuMemory}"`);
  }
  if (o.cpuBandwidth !== undefined) {
    cpuBandwidth = parseBandwidth(o.cpuBandwidth);
    if (cpuBandwidth === undefined)
      throw new InputError(`calc: --cpu-bandwidth: expected a bandwidth such as 300GB/s, got "${o.cpuBandwidth}"`);
  }
  let expertsOnCpu: number | undefined;
  if (o.expertsOnCpu !== undefined) {
    if (cpuBandwidth === undefined)
      throw new InputError(
        'calc: --experts-on-cpu needs --cpu-bandwidth (and --cpu-memory): the experts are read at it',
      );
    expertsOnCpu =
      o.expertsOnCpu.trim() === 'all' ? Infinity : /^\s*\d+\s*$/.test(o.expertsOnCpu) ? Number(o.expertsOnCpu) : NaN;
    if (Number.isNaN(expertsOnCpu))
      throw new InputError(
        `calc: --experts-on-cpu: expected all or a whole number of MoE layers, got "${o.expertsOnCpu}"`,
      );
  }
  try {
    const gpu = gpuById(o.gpu, catalog.gpus);
    const count = o.count === undefined ? 1 : whole('--count', o.count);
    const estimate = estimatePlan(catalog.servingModel, {
      ...(serving.engine !== undefined ? { engine: serving.engine } : {}),
      ...(serving.memoryFraction !== undefined ? { memory_fraction: serving.memoryFraction } : {}),
      ...(o.dpAttention ? { dp_attention: true } : {}),
      gpus: count,
      overhead: 0,
      speculative: serving.mtp !== undefined,
      ...(cpuMemory !== undefined ? { cpu_memory_bytes: cpuMemory } : {}),
      ...(cpuBandwidth !== undefined ? { cpu_bandwidth_bytes_per_s: cpuBandwidth } : {}),
      ...(expertsOnCpu !== undefined ? { experts_on_cpu: expertsOnCpu } : {}),
    });
    return hardwarePlan(gpu, count, {
      ...(o.tp !== undefined ? { tp: whole('--tp', o.tp) } : {}),
      maxBytesPerWeight,
      link: gpuLink(catalog.servingModel, gpu),
      estimate,
    });
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`calc: ${e instanceof GpuError ? '--gpu: ' : '--'}${(e as Error).message}`);
  }
}
