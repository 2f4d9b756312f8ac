/**
 * The constants of the decode and prefill estimate, as data/serving-model.yaml holds them
 * (read by src/catalog/serving-model.ts), and what an engine does with a GPU's memory.
 */
import type { StepConstants } from './step.js';
import type { ServingModelConstants } from './constants-schema.js';
import type { EngineName } from './engines.js';

export { ENGINES, type EngineName } from './engines.js';
export type { EngineSpec, ServingModelConstants } from './constants-schema.js';

/** The step constants of an engine (its prefill chunk) from the file's constants. */
export function stepConstants(m: ServingModelConstants, engineName: EngineName): StepConstants {
  const e = m.engines[engineName];
  return {
    bandwidth_fraction: m.achievable.bandwidth.value,
    compute_fraction: m.achievable.compute.value,
    link_fraction: m.achievable.link.value,
    layer_overhead_s: m.layer_overhead_s.value,
    chunk_tokens: e.chunk_tokens ?? Number.POSITIVE_INFINITY,
    node_gpus: m.inter_node.gpus_per_node,
    inter_node_bytes_per_s: m.inter_node.bytes_per_s,
    inter_node_latency_s: m.inter_node.latency_s,
    cpu_bandwidth_fraction: m.achievable.cpu_bandwidth.value,
  };
}

/**
 * How a GPU's memory holds weights (W) and KV cache (K), per engine, as the memory one GPU
 * needs: need ≤ memory is the fit.
 * - overhead (none): (W + K) × (1 + overhead)
 * - fraction (vLLM): W + K + reserve ≤ fraction × memory  ⇒  need = (W + K + reserve) / fraction
 * - reserve (SGLang): W + K ≤ memory − reserve  ⇒  need = W + K + reserve
 * - free (TensorRT-LLM): K ≤ fraction × (memory − W − reserve)  ⇒  need = W + reserve + K / fraction
 * Written as need = a·W + b·K + c with the coefficients below, so the inverse solves (largest
 * batch, longest context) are one division.
 */
export interface EngineMemory {
  /** need = weights × weight_factor + kv × kv_factor + fixed_bytes */
  weight_factor: number;
  kv_factor: number;
  fixed_bytes: number;
}

const GIB = 1024 ** 3;

export function engineMemory(
  m: ServingModelConstants,
  engineName: EngineName,
  opts: { overhead: number; memory_fraction?: number; tp: number; dp_attention: boolean; speculative: boolean },
): EngineMemory {
  const e = m.engines[engineName];
  switch (e.memory) {
    case 'overhead':
      return { weight_factor: 1 + opts.overhead, kv_factor: 1 + opts.overhead, fixed_bytes: 0 };
    case 'fraction': {
      const f = opts.memory_fraction ?? e.memory_fraction;
      return { weight_factor: 1 / f, kv_factor: 1 / f, fixed_bytes: e.reserve_bytes / f };
    }
    case 'reserve': {
      const gib =
        e.reserve_gib_base +
        e.reserve_gib_per_gpu * opts.tp +
        (opts.dp_attention ? e.reserve_gib_dp_attention : 0) +
        (opts.speculative ? e.reserve_gib_speculative : 0);
      // an explicit --mem-fraction-static replaces the reserve: W + K ≤ f × memory
      if (opts.memory_fraction !== undefined)
        return { weight_factor: 1 / opts.memory_fraction, kv_factor: 1 / opts.memory_fraction, fixed_bytes: 0 };
      return { weight_factor: 1, kv_factor: 1, fixed_bytes: gib * GIB };
    }
    case 'free': {
      const f = opts.memory_fraction ?? e.memory_fraction;
      return { weight_factor: 1, kv_factor: 1 / f, fixed_bytes: e.reserve_bytes };
    }
  }
}

/** Link bandwidth and latency of a GPU: its own figures, else its interconnect's class. */
export function gpuLink(
  m: ServingModelConstants,
  gpu: { interconnect?: string; link_bytes_per_s?: number; link_latency_s?: number },
): { link_bytes_per_s: number; link_latency_s: number } {
  const cls = /nvlink|infinity fabric|nvswitch/i.test(gpu.interconnect ?? '')
    ? m.interconnect.scale_up
    : m.interconnect.pcie;
  return {
    link_bytes_per_s: gpu.link_bytes_per_s ?? cls.bytes_per_s,
    link_latency_s: gpu.link_latency_s ?? cls.latency_s,
  };
}

/** What a spec or `calc` says of the engine, layout style and CPU memory. */
export interface EstimateOptions {
  engine?: EngineName;
  memory_fraction?: number;
  dp_attention?: boolean;
  /** GPUs of the deployment (SGLang's reserve grows with them) */
  gpus: number;
  /** the vram constraint's overhead, for engine none */
  overhead: number;
  speculative: boolean;
  cpu_memory_bytes?: number;
  cpu_bandwidth_bytes_per_s?: number;
  /** MoE layers whose experts sit in CPU memory: a count, or Infinity for all */
  experts_on_cpu?: number;
}

/** Checks an estimate's options; the message starts with the field at fault and a colon. */
export function checkEstimateOptions(o: EstimateOptions): void {
  if (o.memory_fraction !== undefined && !(o.memory_fraction > 0 && o.memory_fraction <= 1))
    throw new RangeError(`memory_fraction: expected a fraction above 0 and at most 1, got ${o.memory_fraction}`);
  if (o.memory_fraction !== undefined && (o.engine ?? 'none') === 'none')
    throw new RangeError(
      'memory_fraction: needs an engine (vllm, sglang or trtllm); without one the vram overhead applies',
    );
  if (o.experts_on_cpu !== undefined && o.experts_on_cpu > 0 && !(o.cpu_bandwidth_bytes_per_s! > 0))
    throw new RangeError('experts_on_cpu: needs the CPU memory bandwidth (cpu: {memory, bandwidth})');
}
