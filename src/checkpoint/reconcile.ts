/**
 * The checkpoint's tensors against the config's count, module by module. Every tensor is put in a
 * module by its name (modules.ts) and its elements summed there; the config's side is what
 * `inspect` already derives: the stored elements of each part of the weights (memory.ts, the same
 * figures as countParameters' modules and the storage rules of storage.ts), with every scale and
 * shape tensor in one `quantization_scales` row and hash-routing tables in their own. A tensor whose
 * name no pattern explains, or that lands in a module the config says the model does not have, is
 * listed as unexplained; a module the config counts with no tensor at all is listed as missing.
 */
import { layerAttentionKinds } from '../arch/count.js';
import type { InspectResult } from '../arch/inspect.js';
import { CHECKPOINT_MODULES, type CheckpointModule, classifyTensor } from './modules.js';
import type { TensorInfo } from './tensor.js';

export type CheckpointFormat = 'safetensors' | 'gguf';

export interface ModuleReconciliation {
  /** elements the config's count says the checkpoint stores in this module */
  config: number;
  /** elements the checkpoint's tensors hold in this module */
  checkpoint: number;
  /** tensors in this module */
  tensors: number;
}

export interface CheckpointReport {
  format: CheckpointFormat;
  /** weight files read (their headers only) */
  files: number;
  tensors: number;
  /** tensor elements, every stored element once (a packed FP4 byte is one element) */
  elements: number;
  /** bytes of tensor data, headers excluded */
  bytes: number;
  /** elements by the files' own dtype names, largest first */
  dtypes: Record<string, number>;
  /** tensors that no module of the config's count explains, in file order */
  unexplained: string[];
  /** modules the config counts (more than 0 elements) that have no tensor */
  missing: CheckpointModule[];
  /** rows where the config or the checkpoint has anything, in CHECKPOINT_MODULES order */
  modules: Partial<Record<CheckpointModule, ModuleReconciliation>>;
  /** bytes the config's storage model gives the weights (memory.weights.total_bytes) */
  config_bytes: number;
  /** every module agrees, nothing unexplained and nothing missing */
  reconciled: boolean;
  /** how to read the comparison */
  notes: string[];
}

/** The config's stored elements per reconciliation row, from inspect's weight parts. */
export function configElements(r: InspectResult, format: CheckpointFormat): Record<CheckpointModule, number> {
  const out = Object.fromEntries(CHECKPOINT_MODULES.map((m) => [m, 0])) as Record<CheckpointModule, number>;
  for (const p of r.memory.weights.parts) {
    for (const s of p.formats) {
      // GGUF shapes are logical (a quantised block type is a dtype of its own), with no scale tensors
      if (format === 'gguf') {
        if (s.role === 'weights') out[p.part] += s.values;
        continue;
      }
      if (s.role === 'weights') out[p.part] += s.elements;
      else if (s.role === 'tables') out.routing_tables += s.elements;
      else out.quantization_scales += s.elements;
    }
  }
  return out;
}

export function reconcileCheckpoint(
  tensors: readonly TensorInfo[],
  files: number,
  r: InspectResult,
  format: CheckpointFormat,
): CheckpointReport {
  const expected = configElements(r, format);
  const found = Object.fromEntries(CHECKPOINT_MODULES.map((m) => [m, { elements: 0, tensors: 0 }])) as Record<
    CheckpointModule,
    { elements: number; tensors: number }
  >;
  const dtypes = new Map<string, number>();
  const unexplained: string[] = [];
  let elements = 0;
  let bytes = 0;
  const ctx = {
    num_layers: r.architecture.num_layers,
    layer_kinds: layerAttentionKinds(r.architecture),
    has_experts: r.architecture.num_experts > 0,
    // Gemma 4's MoE layers run their dense MLP beside the experts; the count makes it a shared expert
    mlp_beside_experts: /^gemma4/.test(r.architecture.model_type ?? '') && r.architecture.num_experts > 0,
  };
  for (const t of tensors) {
    elements += t.elements;
    bytes += t.bytes;
    dtypes.set(t.dtype, (dtypes.get(t.dtype) ?? 0) + t.elements);
    const m = classifyTensor(t.name, ctx);
    if (m === null || expected[m] === 0) {
      unexplained.push(t.name);
      if (m === null) continue;
    }
    found[m].elements += t.elements;
    found[m].tensors++;
  }
  const modules: Partial<Record<CheckpointModule, ModuleReconciliation>> = {};
  const missing: CheckpointModule[] = [];
  let agree = true;
  for (const m of CHECKPOINT_MODULES) {
    const f = found[m];
    if (expected[m] === 0 && f.tensors === 0) continue;
    modules[m] = { config: expected[m], checkpoint: f.elements, tensors: f.tensors };
    if (expected[m] !== f.elements) agree = false;
    if (expected[m] > 0 && f.tensors === 0) missing.push(m);
  }
  const notes: string[] = [];
  if (format === 'gguf') {
    notes.push(
      'GGUF shapes are logical: a quantised type packs its blocks and scales inside the tensor, so elements compare with parameters',
    );
  }
  if (r.stored_elements === null) {
    notes.push("the config's quantisation is not modelled: the config side is logical parameters, not stored elements");
  }
  const sortedDtypes = [...dtypes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return {
    format,
    files,
    tensors: tensors.length,
    elements,
    bytes,
    dtypes: Object.fromEntries(sortedDtypes),
    unexplained,
    missing,
    modules,
    config_bytes: r.memory.weights.total_bytes,
    reconciled: agree && unexplained.length === 0 && missing.length === 0,
    notes,
  };
}
