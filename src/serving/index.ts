/** Serving costs of MoE designs: storage formats, KV cache, GPUs, parallel memory, decode bounds, routing. */
export {
  FORMAT_NAMES,
  INT4_DEFAULT_GROUP,
  FormatError,
  parseFormat,
  bitsPerWeight,
  bytesPerValue,
  formatName,
  weightBytes,
} from '../formats/dtypes.js';
export type { Format, FormatInput, FormatName, ParamSplit, WeightFormats, WeightBytes } from '../formats/dtypes.js';

export {
  gqaKvLayout,
  mlaKvLayout,
  kvLayoutFromArchitecture,
  attentionPatternFromHfConfig,
  kvValueBytes,
  kvBytesPerToken,
  kvCacheBytes,
  kvCacheFromArchitecture,
} from '../arch/kv-cache.js';
export type { KvLayout, KvQuery, KvCacheSize, AttentionPattern } from '../arch/kv-cache.js';

export { GpuError, resolveGpu, nearestGpuId, editDistance } from './gpu.js';
export type { Gpu } from './gpu.js';

export { perGpuMemory, gpusNeeded, servingModelFromArchitecture } from './parallel.js';
export type {
  ServingModel,
  KvWorkload,
  ParallelLayout,
  MemoryOptions,
  GroupMemory,
  PerGpuMemory,
  GpusNeededOptions,
} from './parallel.js';

export {
  expectedDistinctExperts,
  saturationBatch,
  simulateDistinctExperts,
  aggregateHardware,
  decodeStepBytes,
  decodeBounds,
} from './throughput.js';
export type { DecodeModel, Hardware, DecodeStepBytes, DecodeBounds } from './throughput.js';

export {
  allToAllBytesPerToken,
  allToAllBytesPerStep,
  moeLayerCount,
  simulateLoadImbalance,
  loadImbalanceLowerBound,
  binomialPmf,
  expectedDropShare,
  capacityFactorForDropRate,
} from './routing.js';
export type { AllToAllInput, CapacityResult } from './routing.js';

export { mulberry32, UniformRouter, estimate } from './random.js';
export type { Estimate } from './random.js';
