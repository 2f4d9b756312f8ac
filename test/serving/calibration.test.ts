// The decode estimate against published measurements (data/serving-calibration.yaml): every row
// through `calc` as a user would type it; the bound must be at least the published figure, the
// estimate within a factor of 1.5 of it on the calibration rows. The test names print
// estimate / published for every row. The report's table (src/output/report/calibration.ts)
// evaluates the same rows without the CLI and must agree.
import { describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/catalog/index.js';
import { calcCommand, type CalcOptions } from '../../src/cli/commands/calc.js';
import { evaluateCalibrationRow } from '../../src/output/report/calibration.js';
import { THROUGHPUT_BATCH_CAP, comparableEstimate, type CalibrationRow } from '../../src/serving/calibration.js';
import type { Gpu } from '../../src/serving/gpu.js';
import { captureIo } from '../helpers.js';

const catalog = loadCatalog();

/** A row's setup as calc's options (a custom GPU joins the catalogue under its id). */
function calcOf(row: CalibrationRow): { options: CalcOptions; catalog: Catalog } {
  const s = row.setup;
  const custom = typeof s.gpu === 'string' ? undefined : (s.gpu as unknown as Gpu);
  const options: CalcOptions = {
    preset: s.preset,
    dtype: s.dtype,
    ...(s.expert_dtype ? { expertDtype: s.expert_dtype } : {}),
    ...(s.kv_dtype ? { kvDtype: s.kv_dtype } : {}),
    gpu: custom ? custom.id : (s.gpu as string),
    count: String(s.count),
    ...(s.tp !== undefined ? { tp: String(s.tp) } : {}),
    ...(s.dp_attention ? { dpAttention: true } : {}),
    ...(s.engine ? { engine: s.engine } : {}),
    context: String(s.context),
    ...(s.input !== undefined ? { input: String(s.input) } : {}),
    ...(s.batch !== undefined ? { batch: String(s.batch) } : {}),
    ...(s.cpu_memory ? { cpuMemory: s.cpu_memory } : {}),
    ...(s.cpu_bandwidth ? { cpuBandwidth: s.cpu_bandwidth } : {}),
    ...(s.experts_on_cpu !== undefined ? { expertsOnCpu: String(s.experts_on_cpu) } : {}),
  };
  if (!custom) return { options, catalog };
  return {
    options,
    catalog: {
      presets: catalog.presets,
      gpus: [...catalog.gpus, custom],
      laws: catalog.laws,
      trainingMfu: catalog.trainingMfu,
      servingModel: catalog.servingModel,
      servingCalibration: catalog.servingCalibration,
      presetArchitecture: catalog.presetArchitecture,
    },
  };
}

function calc(options: CalcOptions, cat: Catalog): Record<string, number> {
  const c = captureIo();
  expect(calcCommand({ ...options, json: true }, c.io, cat)).toBe(0);
  return JSON.parse(c.stdout) as Record<string, number>;
}

/** The row through calc: decode at its batch, or at max_batch (capped) for a throughput benchmark. */
function throughCalc(row: CalibrationRow) {
  const { options, catalog: cat } = calcOf(row);
  let batch = row.setup.batch ?? 1;
  if (row.metric === 'output_per_gpu')
    batch = Math.min(calc({ ...options, batch: '1' }, cat).max_batch!, THROUGHPUT_BATCH_CAP);
  const j = calc({ ...options, batch: String(batch) }, cat);
  const gpus = row.setup.count;
  const estimate = comparableEstimate(row, {
    decode_tokens_per_s: j.decode_tokens_per_s!,
    prefill_tokens_per_s: j.prefill_tokens_per_s!,
    gpus,
  });
  const bound = row.metric === 'decode' ? j.decode_bound_tokens_per_s! : j.decode_bound_tokens_per_s! / gpus;
  return { estimate, bound, batch };
}

describe('calibration against published measurements', () => {
  for (const row of catalog.servingCalibration) {
    const { estimate, bound, batch } = throughCalc(row);
    const ratio = estimate / row.published;
    const kind = row.calibration === false ? ' (reference row)' : '';
    it(`${row.id}${kind}: estimate ${estimate.toFixed(1)} / published ${row.published} = ${ratio.toFixed(2)} (batch ${batch}; bound ${bound.toFixed(0)})`, () => {
      expect(bound).toBeGreaterThanOrEqual(row.published);
      if (row.calibration !== false) {
        expect(ratio).toBeGreaterThanOrEqual(1 / 1.5);
        expect(ratio).toBeLessThanOrEqual(1.5);
      }
      // the report's table evaluates the same row to the same numbers
      const r = evaluateCalibrationRow(row, calcOf(row).catalog);
      expect(r.batch).toBe(batch);
      expect(r.estimate).toBeCloseTo(estimate, 9);
      expect(r.bound).toBeCloseTo(bound, 9);
    });
  }
});
