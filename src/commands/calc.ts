// `moe-sweep calc`: the metrics of one design, given by its four numbers or as a preset.
import { DTYPE_BYTES, DTYPES, isDtype } from '../dtypes.js';
import { computeMetrics, type Design } from '../metrics.js';
import { getPreset, loadPresets } from '../presets.js';
import { InputError, nearest } from '../spec/errors.js';
import { formatBytes, formatCount, formatPercent, parseCount } from '../units.js';
import { table, type Io } from './io.js';

export interface CalcOptions {
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
  if (v === undefined || !Number.isInteger(v) || v < min) throw new InputError(`calc: ${flag}: expected ${what}, got "${value}"`);
  return v;
}

export function calcDesign(o: CalcOptions): { design: Design; label: string } {
  if (o.preset !== undefined) {
    const manual = [o.experts && '--experts', o.topK && '--top-k', o.expertParams && '--expert-params', o.shared && '--shared'].filter(Boolean);
    if (manual.length) throw new InputError(`calc: --preset gives the whole design; drop ${manual.join(', ')}`);
    const p = getPreset(o.preset);
    if (!p) {
      const guesses = nearest(o.preset, loadPresets().map((p) => p.id), 2);
      throw new InputError(`calc: --preset: unknown preset "${o.preset}"${guesses.length ? `; did you mean ${guesses.map((g) => `"${g}"`).join(' or ')}?` : ''} (see \`moe-sweep presets\`)`);
    }
    return { design: p, label: `${p.name} (${p.id})` };
  }
  const design = {
    experts: wholeOption('--experts', o.experts, 1, 'a whole number of routed experts, at least 1'),
    top_k: wholeOption('--top-k', o.topK, 1, 'a whole number of experts per token, at least 1'),
    expert_params: wholeOption('--expert-params', o.expertParams, 1, 'a parameter count such as 5.6B'),
    shared_params: wholeOption('--shared', o.shared, 0, 'a parameter count such as 1.6B'),
  };
  if (design.top_k > design.experts) throw new InputError(`calc: --top-k: expected at most --experts (${design.experts}), got ${design.top_k}`);
  return { design, label: 'design' };
}

export function calcCommand(o: CalcOptions, io: Io): number {
  const dtype = o.dtype ?? 'bf16';
  if (!isDtype(dtype)) throw new InputError(`calc: --dtype: expected one of ${DTYPES.join(', ')}, got "${dtype}"`);
  const { design, label } = calcDesign(o);
  const overhead = o.overhead === undefined ? 0 : Number(o.overhead);
  if (!Number.isFinite(overhead) || overhead < 0) throw new InputError(`calc: --overhead: expected a fraction of 0 or more such as 0.15, got "${o.overhead}"`);
  const m = computeMetrics(design, DTYPE_BYTES[dtype], overhead);
  if (o.json) {
    io.stdout(`${JSON.stringify({ experts: design.experts, top_k: design.top_k, expert_params: design.expert_params, shared_params: design.shared_params, dtype, ...m }, null, 2)}\n`);
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
    ['weight_bytes', formatBytes(m.weight_bytes), `total × ${DTYPE_BYTES[dtype]} bytes (${dtype})`],
    ['vram_bytes', formatBytes(m.vram_bytes), `weights × (1 + ${overhead}) overhead`],
  ];
  io.stdout(`${label}\n${table(['metric', 'value', 'how'], rows, 1)}\n`);
  return 0;
}
