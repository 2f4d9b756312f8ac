// The calibration table of the report's serving section: each published measurement of
// data/serving-calibration.yaml evaluated by the sweep's own code (evaluateDesign), as `calc`
// evaluates the same setup (test/serving/calibration.test.ts checks that they agree).
import type { Catalog } from '../../catalog/index.js';
import { findPreset } from '../../catalog/presets.js';
import { DTYPE_BYTES, KV_DTYPE_BYTES, type Dtype, type KvDtype } from '../../formats/dtypes.js';
import { parseBandwidth, parseBytes, parseContextTokens } from '../../formats/units.js';
import { estimatePlan, hardwarePlan } from '../../metrics/serving.js';
import { THROUGHPUT_BATCH_CAP, comparableEstimate, type CalibrationRow } from '../../serving/calibration.js';
import { gpuLink } from '../../serving/constants.js';
import { resolveGpu, type Gpu } from '../../serving/gpu.js';
import { evaluateDesign } from '../../sweep/design.js';

export interface CalibrationResult {
  row: CalibrationRow;
  /** the batch evaluated (max_batch capped for throughput benchmarks) */
  batch: number;
  estimate: number;
  bound: number;
  ratio: number;
}

function tokens(v: number | string): number {
  const t = parseContextTokens(v);
  if (t === undefined) throw new Error(`calibration: not a token count: ${v}`);
  return t;
}

/** One row at one batch: the serving values of its preset on its hardware. */
function evaluateAt(row: CalibrationRow, catalog: Catalog, batch: number) {
  const s = row.setup;
  const preset = findPreset(catalog.presets, s.preset);
  if (!preset) throw new Error(`calibration: ${row.id}: unknown preset ${s.preset}`);
  const rest = DTYPE_BYTES[s.dtype as Dtype];
  const experts = DTYPE_BYTES[(s.expert_dtype ?? s.dtype) as Dtype];
  const kvDtype = s.kv_dtype ?? 'bf16';
  const serving = {
    context: tokens(s.context),
    batch,
    kvDtype,
    kvBytesPerValue: KV_DTYPE_BYTES[kvDtype as KvDtype],
    ...(s.input !== undefined ? { input: tokens(s.input) } : {}),
    ...(s.engine !== undefined ? { engine: s.engine } : {}),
  };
  const gpu = resolveGpu(s.gpu as string | Partial<Gpu>, catalog.gpus);
  const cpuBandwidth = s.cpu_bandwidth !== undefined ? parseBandwidth(s.cpu_bandwidth) : undefined;
  const cpuMemory = s.cpu_memory !== undefined ? parseBytes(s.cpu_memory) : undefined;
  const estimate = estimatePlan(catalog.servingModel, {
    ...(s.engine !== undefined ? { engine: s.engine } : {}),
    ...(s.dp_attention ? { dp_attention: true } : {}),
    gpus: s.count,
    overhead: 0,
    speculative: false,
    ...(cpuMemory !== undefined ? { cpu_memory_bytes: cpuMemory } : {}),
    ...(cpuBandwidth !== undefined ? { cpu_bandwidth_bytes_per_s: cpuBandwidth } : {}),
    ...(s.experts_on_cpu !== undefined
      ? { experts_on_cpu: s.experts_on_cpu === 'all' ? Number.POSITIVE_INFINITY : s.experts_on_cpu }
      : {}),
  });
  const hardware = hardwarePlan(gpu, s.count, {
    ...(s.tp !== undefined ? { tp: s.tp } : {}),
    maxBytesPerWeight: Math.max(experts, rest),
    link: gpuLink(catalog.servingModel, gpu),
    estimate,
  });
  const e = evaluateDesign(
    {
      bytesPerWeight: rest,
      overhead: 0,
      constraints: [],
      qualityPlan: undefined,
      formats: { experts, rest, text: s.dtype },
      serving,
      hardware,
      architecture: undefined,
    },
    { ...preset, architecture: catalog.presetArchitecture(preset) },
  );
  return e.serving!;
}

/** A row evaluated as its metric asks: at its batch, or at max_batch (capped) for a throughput benchmark. */
export function evaluateCalibrationRow(row: CalibrationRow, catalog: Catalog): CalibrationResult {
  let batch = row.setup.batch ?? 1;
  if (row.metric === 'output_per_gpu') batch = Math.min(evaluateAt(row, catalog, 1).max_batch!, THROUGHPUT_BATCH_CAP);
  const s = evaluateAt(row, catalog, batch);
  const gpus = row.setup.count;
  const estimate = comparableEstimate(row, {
    decode_tokens_per_s: s.decode_tokens_per_s!,
    prefill_tokens_per_s: s.prefill_tokens_per_s!,
    gpus,
  });
  const bound = row.metric === 'decode' ? s.decode_bound_tokens_per_s! : s.decode_bound_tokens_per_s! / gpus;
  return { row, batch, estimate, bound, ratio: estimate / row.published };
}
