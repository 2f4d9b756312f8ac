// data/training-mfu.yaml: each MFU is its TFLOPS over the GPU's dense peak in data/gpus.yaml, and the
// defaults are the measurements they name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { parseTrainingMfu, trainingMfuPath } from '../../src/catalog/training-mfu.js';
import { resolveGpu } from '../../src/serving/gpu.js';

describe('data/training-mfu.yaml', () => {
  const catalog = loadCatalog();
  const data = catalog.trainingMfu;

  it('derives each MFU from the TFLOPS and the dense peak of the catalogued GPU', () => {
    const peakOf: Record<string, number> = {
      // Qwen3 on H100 SXM in BF16; DeepSeek-V3 on GB200 in MXFP8 (the FP8 peak)
      'qwen3-235b-a22b-h100-bf16': resolveGpu('H100-SXM-80GB', catalog.gpus).bf16_flops_per_s,
      'qwen3-235b-a22b-h100-bf16-1f1b-overlap': resolveGpu('H100-SXM-80GB', catalog.gpus).bf16_flops_per_s,
      'deepseek-v3-gb200-mxfp8-baseline': resolveGpu('GB200', catalog.gpus).fp8_flops_per_s!,
      'deepseek-v3-gb200-mxfp8-optimised': resolveGpu('GB200', catalog.gpus).fp8_flops_per_s!,
    };
    expect(data.measurements.map((m) => m.id)).toEqual(Object.keys(peakOf));
    for (const m of data.measurements) {
      expect(m.peak_tflops_per_gpu * 1e12, m.id).toBe(peakOf[m.id]);
      // 245 / 989.5 = 0.2476; 276 / 989.5 = 0.2789; 494 / 5000 = 0.0988; 970 / 5000 = 0.194
      expect(m.mfu, m.id).toBeCloseTo(m.tflops_per_gpu / m.peak_tflops_per_gpu, 3);
      expect(m.flop_convention, m.id).toMatch(/causal attention halved/);
    }
  });

  it('defaults to the best published figure of each format, rounded to two places', () => {
    const mfu = (id: string) => data.measurements.find((m) => m.id === id)!.mfu;
    expect(data.defaults.bf16).toBe(Math.round(mfu('qwen3-235b-a22b-h100-bf16-1f1b-overlap') * 100) / 100); // 0.28
    expect(data.defaults.fp8).toBe(Math.round(mfu('deepseek-v3-gb200-mxfp8-optimised') * 100) / 100); // 0.19
  });

  it('rejects a file without its sources', () => {
    const text = readFileSync(trainingMfuPath(), 'utf8').replace(/source: https:[^\n]*/, 'source: nowhere');
    expect(() => parseTrainingMfu(text, 'training-mfu.yaml')).toThrow(/training-mfu.yaml: measurements.0.source/);
  });
});
