/**
 * `inspect`: exact parameter counts of a Hugging Face config.json, with every convention
 * shown side by side, as a JSON-ready object and as a readable text table.
 */
import { countParameters } from './count.js';
import { architectureFromHfConfig, quantizationNotes } from './hf-config.js';
import type { Architecture } from './types.js';

export interface InspectBreakdown {
  /** input embedding V·d */
  embedding: number;
  /** output head (0 when tied) */
  lm_head: number;
  attention: number;
  /** per-layer norms plus the final norm */
  norms: number;
  router: number;
  routed_experts: number;
  shared_experts: number;
  dense_ffn: number;
  /** MTP modules' own parameters (not in total_main) */
  mtp: number;
  /** embedding/head copies the checkpoint stores with the MTP modules */
  mtp_stored_copies: number;
  /** vision tower + adapter + projector (not in total_main) */
  vision: number;
  /** F32 scale tensors of block-FP8 weights (not parameters of the model, but stored) */
  fp8_scales: number;
}

export interface InspectResult {
  model_type: string;
  total_main: number;
  total_checkpoint: number;
  active: number;
  active_excl_input_embedding: number;
  active_non_embedding: number;
  expert_params: number;
  shared_params: number;
  breakdown: InspectBreakdown;
  layers: { total: number; moe: number; dense: number };
  experts: { num_experts: number; num_experts_per_tok: number; num_shared_experts: number };
  /** remarks on storage (quantisation) that affect how the checkpoint's own count compares */
  notes: string[];
  architecture: Architecture;
}

/**
 * Read a parsed config.json and count it. `file` only labels error messages.
 * @throws UnsupportedModelError, MissingFieldError, InvalidFieldError (see hf-config.ts)
 */
export function inspectConfig(config: unknown, file?: string): InspectResult {
  const arch = architectureFromHfConfig(config, file);
  const b = countParameters(arch);
  return {
    model_type: arch.model_type ?? 'unknown',
    total_main: b.total_main,
    total_checkpoint: b.total_checkpoint,
    active: b.active,
    active_excl_input_embedding: b.active_excl_input_embedding,
    active_non_embedding: b.active_non_embedding,
    expert_params: b.expert_params,
    shared_params: b.shared_params,
    breakdown: { ...b.modules, ...b.extra },
    layers: b.layers,
    experts: {
      num_experts: arch.num_experts,
      num_experts_per_tok: arch.num_experts_per_tok,
      num_shared_experts: arch.num_shared_experts,
    },
    notes: quantizationNotes(config),
    architecture: arch,
  };
}

/** 1234567 -> "1,234,567" (locale-independent). */
export function withThousands(n: number): string {
  const neg = n < 0;
  const s = Math.abs(Math.trunc(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return neg ? `-${s}` : s;
}

/** 671026419200 -> "671.03 B"; 1.6e12 -> "1.600 T"; small counts in M/K or as they are. */
export function withUnit(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e12) return `${(n / 1e12).toFixed(3)} T`;
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(2)} K`;
  return `${n}`;
}

interface Row {
  label: string;
  value?: number;
  note?: string;
}

/** A readable text table of an InspectResult, saying what each convention includes. */
export function formatInspect(r: InspectResult): string {
  const a = r.architecture;
  const E = r.experts.num_experts;
  const k = r.experts.num_experts_per_tok;
  const attn =
    a.attention_type === 'mla'
      ? `MLA attention (${a.num_attention_heads} heads${a.q_lora_rank == null ? ', full-rank q' : ''})`
      : `GQA attention (${a.num_attention_heads} q / ${a.num_key_value_heads} kv heads x ${a.head_dim})`;
  const shared =
    r.experts.num_shared_experts > 0
      ? ` + ${r.experts.num_shared_experts} shared expert${r.experts.num_shared_experts > 1 ? 's' : ''}`
      : '';
  const header = [
    `model_type: ${r.model_type}`,
    `${r.layers.total} layers (${r.layers.moe} MoE, ${r.layers.dense} dense), hidden ${a.hidden_size}, vocab ${a.vocab_size}` +
      `${a.tie_word_embeddings ? ' (tied embeddings)' : ''}`,
    `${E} routed experts, top-${k}${shared}; ${attn}`,
  ];

  const rows: (Row | null)[] = [
    { label: 'Main model (total_main)' },
    { label: '  embedding (input)', value: r.breakdown.embedding },
    { label: '  lm_head', value: r.breakdown.lm_head, note: a.tie_word_embeddings ? 'tied to the embedding' : undefined },
    { label: '  attention', value: r.breakdown.attention },
    { label: '  norms', value: r.breakdown.norms, note: 'per-layer norms + final norm' },
    { label: '  routers', value: r.breakdown.router },
    { label: '  routed experts', value: r.breakdown.routed_experts, note: `${E} per MoE layer` },
    { label: '  shared experts', value: r.breakdown.shared_experts },
    { label: '  dense FFN layers', value: r.breakdown.dense_ffn },
    null,
    {
      label: 'total_main',
      value: r.total_main,
      note: 'the language model: embeddings + layers + final norm + head; no MTP, no vision',
    },
    null,
    { label: 'Stored besides the main model' },
    { label: '  MTP modules', value: r.breakdown.mtp, note: 'multi-token prediction; not in total_main or active' },
    { label: '  MTP embedding/head copies', value: r.breakdown.mtp_stored_copies },
    { label: '  vision tower', value: r.breakdown.vision, note: 'tower + adapter + projector' },
    { label: '  FP8 scale tensors', value: r.breakdown.fp8_scales, note: 'F32 block scales, stored elements' },
    null,
    {
      label: 'total_checkpoint',
      value: r.total_checkpoint,
      note: 'everything the checkpoint stores: main + MTP + copies + vision + FP8 scales',
    },
    null,
    { label: 'Active per token' },
    {
      label: 'active',
      value: r.active,
      note: `canonical: embedding + head + final norm + all attention/norms/routers + top-${k} of ${E} routed experts + all shared experts + dense layers (Mixtral, Qwen, Llama 4)`,
    },
    {
      label: 'active_excl_input_embedding',
      value: r.active_excl_input_embedding,
      note: 'active minus the input embedding, a lookup not a matmul (gpt-oss, DeepSeek, Kimi)',
    },
    {
      label: 'active_non_embedding',
      value: r.active_non_embedding,
      note: 'active minus input embedding and head (GLM, MiniMax)',
    },
    null,
    { label: 'Abstract split' },
    {
      label: 'expert_params',
      value: r.expert_params,
      note: `one routed expert summed over the ${r.layers.moe} MoE layers`,
    },
    {
      label: 'shared_params',
      value: r.shared_params,
      note: `total_main - ${E} x expert_params (all that is not a routed expert)`,
    },
  ];

  const numbers = rows.filter((x): x is Row => x?.value !== undefined);
  const labelW = Math.max(...rows.map((x) => x?.label.length ?? 0));
  const numW = Math.max(...numbers.map((x) => withThousands(x.value as number).length));
  const unitW = Math.max(...numbers.map((x) => withUnit(x.value as number).length));

  const lines = [...header];
  if (r.notes.length > 0) for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push('');
  for (const row of rows) {
    if (row === null) {
      lines.push('');
      continue;
    }
    if (row.value === undefined) {
      lines.push(row.label);
      continue;
    }
    const line =
      `${row.label.padEnd(labelW)}  ${withThousands(row.value).padStart(numW)}  ${withUnit(row.value).padStart(unitW)}` +
      (row.note ? `  ${row.note}` : '');
    lines.push(line.trimEnd());
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
