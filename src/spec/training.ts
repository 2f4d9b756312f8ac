// The training-cost part of `training:` (hardware, MFU or GPU-hours, price, parallel layout), checked
// where the spec's line and column are known and turned into the plain-number plan the workers use.
import { trainingCostPlan, type TrainingCostPlan } from '../metrics/training.js';
import { GpuError, resolveGpu, type Gpu } from '../serving/gpu.js';
import type { Catalog } from '../catalog/index.js';
import { parseBytes, parseCount } from '../formats/units.js';
import type { PathSegment } from '../findings/errors.js';
import type { Locator } from './locator.js';
import type { RawSpec } from './schema.js';

interface Ctx {
  at: Locator;
  catalog: Catalog;
}

/** Keys of training: that only the cost columns read: without hardware: they would be ignored. */
const COST_KEYS = [
  'seq_len',
  'mfu',
  'gpu_hours',
  'price_per_gpu_hour',
  'parallel',
  'layout_search',
  'capacity_factor',
  'optimizer_states',
  'weights',
  'mtp',
] as const;

export function normalizeTrainingCost(
  raw: RawSpec['training'],
  hasArchitecture: boolean,
  ctx: Ctx,
): TrainingCostPlan | undefined {
  if (raw === undefined) return undefined;
  if (raw.hardware === undefined) {
    const stray = COST_KEYS.find((k) => raw[k] !== undefined);
    if (stray)
      throw ctx.at.error(['training', stray], 'needs training.hardware: {gpu, count}: it sets the training cost', {
        atKey: true,
      });
    return undefined;
  }
  if (!hasArchitecture)
    throw ctx.at.error(
      ['training', 'hardware'],
      'needs an architecture (layers, heads, widths for attention FLOPs and activations): add architecture: {from: PRESET} or {config: PATH}, or give only designs that carry one',
      { atKey: true },
    );
  const hw = raw.hardware;
  let gpu: Gpu;
  try {
    if (typeof hw.gpu === 'string') gpu = resolveGpu(hw.gpu, ctx.catalog.gpus);
    else {
      const memory = parseBytes(hw.gpu.memory_bytes);
      if (memory === undefined || !(memory > 0))
        throw ctx.at.expected(
          ['training', 'hardware', 'gpu', 'memory_bytes'],
          'expected a memory size such as 80GB',
          hw.gpu.memory_bytes,
        );
      gpu = resolveGpu({ ...hw.gpu, memory_bytes: memory }, ctx.catalog.gpus);
    }
  } catch (e) {
    if (e instanceof GpuError) throw ctx.at.error(['training', 'hardware', 'gpu'], e.message);
    throw e;
  }
  const count = (key: 'tokens' | 'flops' | 'gpu_hours'): number | undefined => {
    if (raw[key] === undefined) return undefined;
    const v = parseCount(raw[key]);
    if (v === undefined || !Number.isFinite(v) || v <= 0)
      throw ctx.at.expected(['training', key], 'expected a positive count such as 2.664M', raw[key]);
    return v;
  };
  try {
    return trainingCostPlan(
      {
        ...(raw.tokens !== undefined ? { tokens: count('tokens')! } : {}),
        ...(raw.flops !== undefined ? { flops: count('flops')! } : {}),
        ...(raw.seq_len !== undefined ? { seqLen: raw.seq_len } : {}),
        count: hw.count,
        ...(hw.compute !== undefined ? { compute: hw.compute } : {}),
        ...(raw.mfu !== undefined ? { mfu: raw.mfu } : {}),
        ...(raw.gpu_hours !== undefined ? { gpuHours: count('gpu_hours')! } : {}),
        ...(raw.price_per_gpu_hour !== undefined ? { price: raw.price_per_gpu_hour } : {}),
        ...(raw.parallel !== undefined ? { parallel: raw.parallel } : {}),
        ...(raw.layout_search !== undefined ? { search: raw.layout_search } : {}),
        ...(raw.capacity_factor !== undefined ? { capacityFactor: raw.capacity_factor } : {}),
        ...(raw.optimizer_states !== undefined ? { optimizerStates: raw.optimizer_states } : {}),
        ...(raw.weights !== undefined ? { weights: raw.weights } : {}),
        ...(raw.mtp !== undefined ? { mtp: raw.mtp } : {}),
      },
      gpu,
      ctx.catalog.trainingMfu.defaults,
    );
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const [field, ...rest] = e.message.split(': ');
    const path: PathSegment[] = ['training', ...field!.split('.')];
    throw ctx.at.error(path, rest.join(': '));
  }
}
