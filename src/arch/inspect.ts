/**
 * `inspect`: exact parameter counts of a Hugging Face config.json, with every convention
 * shown side by side, as a JSON-ready object and as a readable text table.
 */
import { countParameters, layerAttentionKinds } from './count.js';
import { architectureFromHfConfig } from './hf-config/index.js';
import { checkpointNotes, storageUnmodelled } from './storage.js';
import { memoryReport, type FormatShare, type KvOptions, type MemoryReport, type WeightPart } from './memory.js';
import type { Architecture, ExtraCounts, LayerAttentionKind, ModuleCounts } from './types.js';

/** The modules of the main model, then what the checkpoint stores besides it. */
export type InspectBreakdown = ModuleCounts & ExtraCounts;

export interface InspectResult {
  model_type: string;
  /** the language model's parameters (no MTP, no vision) */
  total_main: number;
  /** every parameter the checkpoint holds (main + MTP + stored copies + vision), logical count */
  total_logical: number;
  /** the checkpoint's count as the Hub reports it (stored extras included, packed formats as the Hub counts them) */
  total_checkpoint: number;
  /**
   * tensor elements the checkpoint stores, packed elements once; null where the config's quantisation is not modelled
   */
  stored_elements: number | null;
  active: number;
  active_excl_input_embedding: number;
  active_non_embedding: number;
  expert_params: number;
  shared_params: number;
  breakdown: InspectBreakdown;
  layers: { total: number; moe: number; dense: number; without_ffn?: number };
  /** main-model layers by token mixer (see LayerAttentionKind), for KV-cache sizing */
  attention_layers: Partial<Record<LayerAttentionKind, number>>;
  experts: { num_experts: number; num_experts_per_tok: number; num_shared_experts: number };
  /**
   * with zero-computation experts (LongCat-Flash): the active count when every top-k pick is a
   * zero expert (as far as there are zero experts) and when none is; `active` is the latter
   */
  active_range?: { min: number; max: number; min_excl_input_embedding: number; max_excl_input_embedding: number };
  /** remarks on storage (quantisation) that affect how the checkpoint's own count compares */
  notes: string[];
  /** weights in bytes as the checkpoint stores them, and the KV cache (see memory.ts) */
  memory: MemoryReport;
  architecture: Architecture;
}

/**
 * Read a parsed config.json and count it. `file` only labels error messages; `kv` sets the
 * context, batch and KV dtype of the memory section (default: no context, batch 1, bf16).
 * @throws UnsupportedModelError, MissingFieldError, InvalidFieldError (see hf-config/);
 *   RangeError for an architecture the counter or the KV model cannot size
 */
export function inspectConfig(config: unknown, file?: string, kv: KvOptions = {}): InspectResult {
  const arch = architectureFromHfConfig(config, file);
  const b = countParameters(arch);
  const attention_layers: Partial<Record<LayerAttentionKind, number>> = {};
  for (const k of layerAttentionKinds(arch)) attention_layers[k] = (attention_layers[k] ?? 0) + 1;
  const notes = checkpointNotes(config, arch);
  const zero = arch.zero_experts ?? 0;
  let active_range: InspectResult['active_range'];
  if (zero > 0) {
    // top-k picks that may land on zero experts compute nothing: up to min(k, zero) real experts fewer
    const idle = Math.min(arch.num_experts_per_tok, zero) * b.expert_params;
    active_range = {
      min: b.active - idle,
      max: b.active,
      min_excl_input_embedding: b.active_excl_input_embedding - idle,
      max_excl_input_embedding: b.active_excl_input_embedding,
    };
    notes.push(
      `${zero} zero-computation experts share the router with the ${arch.num_experts} real ones: a token's active ` +
        `parameters range from ${withThousands(active_range.min)} to ${withThousands(active_range.max)} ` +
        `(${withThousands(active_range.min_excl_input_embedding)} to ${withThousands(active_range.max_excl_input_embedding)} ` +
        'without the input embedding); `active` is the top of the range',
    );
  }
  return {
    model_type: arch.model_type ?? 'unknown',
    total_main: b.total_main,
    total_logical: b.total_logical,
    total_checkpoint: b.total_checkpoint,
    stored_elements: storageUnmodelled(config, arch) ? null : b.stored_elements,
    active: b.active,
    active_excl_input_embedding: b.active_excl_input_embedding,
    active_non_embedding: b.active_non_embedding,
    expert_params: b.expert_params,
    shared_params: b.shared_params,
    breakdown: { ...b.modules, ...b.extra },
    layers: b.layers,
    attention_layers,
    experts: {
      num_experts: arch.num_experts,
      num_experts_per_tok: arch.num_experts_per_tok,
      num_shared_experts: arch.num_shared_experts,
    },
    ...(active_range ? { active_range } : {}),
    notes,
    memory: memoryReport(config, arch, kv),
    architecture: arch,
  };
}

/** 1234567 -> "1,234,567" (locale-independent). */
export function withThousands(n: number): string {
  const neg = n < 0;
  const s = Math.abs(Math.trunc(n))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
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

/** Which mixers the linear-attention row holds. */
function linearNote(kinds: Partial<Record<LayerAttentionKind, number>>): string {
  const names: string[] = [];
  if (kinds.linear) names.push('Gated DeltaNet');
  if (kinds.lightning) names.push('lightning attention');
  if (kinds.kda) names.push('Kimi Delta Attention');
  return `${names.join(', ') || 'linear-attention'} layers`;
}

/** A readable text table of an InspectResult, saying what each convention includes. */
export function formatInspect(r: InspectResult): string {
  const a = r.architecture;
  const E = r.experts.num_experts;
  const k = r.experts.num_experts_per_tok;
  let attn: string;
  if (a.attention_type === 'mla') {
    attn =
      `MLA attention (${a.num_attention_heads} heads${a.q_lora_rank == null ? ', full-rank q' : ''}` +
      `${a.dsa_indexer ? `, DSA indexer ${a.dsa_indexer.n_heads} x ${a.dsa_indexer.head_dim}` : ''})`;
  } else if (a.attention_type === 'csa_hca') {
    attn =
      `compressed attention (${a.num_attention_heads} heads x ${a.head_dim}, one shared K=V head, ` +
      `CSA indexer ${a.index_n_heads} x ${a.index_head_dim})`;
  } else {
    const v = (vd: number | null | undefined, hd: number): string => (vd != null && vd !== hd ? `, v ${vd}` : '');
    const sw = a.sliding_attention;
    attn =
      `${a.attention_output_gate ? 'gated ' : ''}GQA attention (${a.num_attention_heads} q / ${a.num_key_value_heads} kv heads x ${a.head_dim}` +
      `${v(a.v_head_dim, a.head_dim)}${a.shared_kv ? ', keys as values' : ''}` +
      `${sw ? `; sliding layers ${sw.num_attention_heads} q / ${sw.num_key_value_heads} kv heads x ${sw.head_dim}${v(sw.v_head_dim, sw.head_dim)}${sw.shared_kv ? ', keys as values' : ''}${sw.attention_sinks ? ' with sinks' : ''}` : ''})`;
  }
  const shared =
    r.experts.num_shared_experts > 0
      ? ` + ${r.experts.num_shared_experts} shared expert${r.experts.num_shared_experts > 1 ? 's' : ''}`
      : '';
  const kinds = Object.entries(r.attention_layers);
  const mixers =
    kinds.length > 1 || (kinds.length === 1 && kinds[0]?.[0] !== 'full')
      ? [
          `token mixers: ${kinds.map(([kind, n]) => `${n} ${kind}`).join(', ')}` +
            `${a.sliding_window ? ` (window ${a.sliding_window})` : ''}` +
            `${a.hyper_connections ? `; hyper-connections x${a.hyper_connections.mult}` : ''}`,
        ]
      : [];
  const header = [
    `model_type: ${r.model_type}`,
    `${r.layers.total} layers (${r.layers.moe} MoE, ${r.layers.dense} dense${r.layers.without_ffn ? `, ${r.layers.without_ffn} without FFN` : ''}), hidden ${a.hidden_size}, vocab ${a.vocab_size}` +
      `${a.tie_word_embeddings ? ' (tied embeddings)' : ''}`,
    `${E} routed experts, top-${k}${shared}; ${attn}`,
    ...mixers,
  ];
  const bd = r.breakdown;
  /** rows for modules only some families have: shown when present */
  const ifAny = (row: Row): Row[] => (row.value ? [row] : []);

  const rows: (Row | null)[] = [
    { label: 'Main model (total_main)' },
    { label: '  embedding (input)', value: bd.embedding },
    { label: '  lm_head', value: bd.lm_head, note: a.tie_word_embeddings ? 'tied to the embedding' : undefined },
    { label: '  attention', value: bd.attention },
    ...ifAny({ label: '  linear attention', value: bd.linear_attention, note: linearNote(r.attention_layers) }),
    ...ifAny({
      label: '  Mamba mixers',
      value: bd.mamba,
      note: `${a.mamba2 ? 'Mamba-2' : 'Mamba'} layers: in_proj, conv1d, ${a.mamba2 ? 'dt_bias, A_log, D, gated norm' : 'x_proj, dt_proj, A_log, D'}, out_proj`,
    }),
    ...ifAny({
      label: '  short convolutions',
      value: bd.short_conv,
      note: 'gated short-conv layers: in_proj, conv, out_proj',
    }),
    ...ifAny({ label: '  KV compressors', value: bd.compressors, note: 'CSA/HCA layers' }),
    ...ifAny({ label: '  indexers', value: bd.indexers, note: 'lightning indexers of sparse attention' }),
    ...ifAny({ label: '  hyper-connections', value: bd.hyper_connections, note: 'every block + the head; all active' }),
    { label: '  norms', value: bd.norms, note: 'per-layer norms + final norm' },
    { label: '  routers', value: bd.router },
    { label: '  routed experts', value: bd.routed_experts, note: `${E} per MoE layer` },
    { label: '  shared experts', value: bd.shared_experts },
    { label: '  dense FFN layers', value: bd.dense_ffn },
    null,
    {
      label: 'total_main',
      value: r.total_main,
      note: 'the language model: embeddings + layers + final norm + head; no MTP, no vision',
    },
    null,
    { label: 'Parameters besides the main model' },
    { label: '  MTP modules', value: bd.mtp, note: 'multi-token prediction; not in total_main or active' },
    { label: '  MTP embedding/head copies', value: bd.mtp_stored_copies },
    { label: '  vision tower', value: bd.vision, note: 'tower + adapter + projector' },
    null,
    {
      label: 'total_logical',
      value: r.total_logical,
      note: 'every parameter in the checkpoint, logical count: main + MTP + copies + vision',
    },
    null,
    { label: 'Stored besides the parameters' },
    { label: '  FP8 scale tensors', value: bd.fp8_scales, note: 'one scale per FP8 block, stored elements' },
    ...ifAny({
      label: '  hash-routing tables',
      value: bd.routing_tables,
      note: 'token -> expert ids; integers, not parameters',
    }),
    ...ifAny({
      label: '  FP4/INT4 group scales',
      value: bd.quant_scales,
      note: 'one scale per group of routed-expert weights',
    }),
    ...ifAny({
      label: '  INT4 shape tensors',
      value: bd.quant_shape_elements,
      note: 'int32 weight_shape, 2 per linear',
    }),
    ...ifAny({
      label: '  storage adjustment',
      value: bd.storage_adjustment,
      note:
        bd.storage_adjustment < 0
          ? 'packed weights: fewer stored elements than parameters'
          : 'the Hub counts every int32 element as 8 parameters',
    }),
    null,
    {
      label: 'total_checkpoint',
      value: r.total_checkpoint,
      note:
        r.stored_elements === null
          ? 'total_logical + the rows above; the quantised storage itself is not modelled (see the note)'
          : 'what the checkpoint stores, as the Hub counts it: total_logical + the rows above',
    },
    ...(r.stored_elements !== null && r.stored_elements !== r.total_checkpoint
      ? [
          {
            label: 'stored_elements',
            value: r.stored_elements,
            note: 'tensor elements in the files, each packed element once',
          },
        ]
      : []),
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
  lines.push('', ...formatMemory(r.memory));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** 864704792696 -> "864.70 GB" (decimal units). */
export function bytesUnit(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e12) return `${(n / 1e12).toFixed(3)} TB`;
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)} MB`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(2)} KB`;
  return `${n} B`;
}

/** An exact byte count: "1,234,567" for integers, up to three decimals otherwise. */
function exactBytes(n: number): string {
  if (Number.isInteger(n)) return withThousands(n);
  const [i, f] = n.toFixed(3).replace(/0+$/, '').split('.');
  return `${withThousands(Number(i))}.${f}`;
}

/** How inspect names each weight part in its tables. */
export const PART_LABELS: Record<WeightPart, string> = {
  embedding: 'embedding (input)',
  lm_head: 'lm_head',
  attention: 'attention',
  linear_attention: 'linear attention',
  mamba: 'Mamba mixers',
  short_conv: 'short convolutions',
  compressors: 'KV compressors',
  indexers: 'indexers',
  hyper_connections: 'hyper-connections',
  norms: 'norms',
  router: 'routers',
  routed_experts: 'routed experts',
  shared_experts: 'shared experts',
  dense_ffn: 'dense FFN layers',
  mtp: 'MTP modules',
  mtp_stored_copies: 'MTP embedding/head copies',
  vision: 'vision tower',
  routing_tables: 'hash-routing tables',
};

function shareText(s: FormatShare, only: boolean): string {
  const what = s.role === 'weights' ? s.format : `${s.format} ${s.role}`;
  return only ? what : `${what} ${bytesUnit(s.bytes)}`;
}

/** The memory section of the text table: weights by part and format, then the KV cache. */
export function formatMemory(m: MemoryReport): string[] {
  const w = m.weights;
  const kv = m.kv;
  type MRow = { label: string; value?: number; note?: string };
  const rows: (MRow | null)[] = [];
  rows.push({ label: `Weights as the checkpoint stores them (bytes; 1 GB = 10^9 bytes)` });
  for (const p of w.parts) {
    const shares = p.formats.filter((s) => s.bytes > 0).sort((a, b) => b.bytes - a.bytes);
    rows.push({
      label: `  ${PART_LABELS[p.part]}`,
      value: p.bytes,
      note: shares.map((s) => shareText(s, shares.length === 1)).join(' + '),
    });
  }
  rows.push(null);
  rows.push({
    label: 'weights as stored',
    value: w.total_bytes,
    note: w.by_format.map((f) => `${f.format} ${bytesUnit(f.bytes)}`).join(', '),
  });
  rows.push({
    label: 'bf16-equivalent',
    value: w.bf16_equivalent_bytes,
    note: 'every parameter (total_logical) at 2 bytes, no scales',
  });
  rows.push(null);
  const kinds = Object.entries(kv.layers)
    .filter(([k, n]) => n > 0 && k !== 'dsa_indexer')
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  rows.push({
    label:
      `KV cache (${kv.kv_dtype} values; main-model layers: ${kinds}${kv.sliding_window ? `, window ${kv.sliding_window}` : ''}` +
      `${kv.layers.dsa_indexer ? `, ${kv.layers.dsa_indexer} with DSA indexer keys` : ''})`,
  });
  const windows = kv.sliding_window != null;
  rows.push({
    label: '  per token',
    value: kv.bytes_per_token,
    note: windows ? 'each token of context adds this once every window is full' : 'each token of context adds this',
  });
  const fixedParts = (
    [
      ['windows', kv.fixed.windows],
      [`${kv.state_kind ?? 'linear-attention'} states`, kv.fixed.linear_states],
      ['compressor states', kv.fixed.compressor_states],
    ] as const
  ).filter(([, v]) => v > 0);
  if (fixedParts.length > 0) {
    rows.push({
      label: '  fixed per sequence',
      value: kv.fixed_bytes_per_sequence,
      note:
        `${fixedParts.map(([k, v]) => (fixedParts.length > 1 ? `${k} ${bytesUnit(v)}` : k)).join(' + ')}: ` +
        `does not grow with context${windows ? ' (windows once full)' : ''}`,
    });
  }
  const c = kv.at_context;
  if (c && kv.context != null) {
    const parts = (
      [
        ['full layers', c.full_bytes],
        ['compressed entries', c.compressed_bytes],
        ['indexer keys', c.indexer_bytes],
        ['windows', c.sliding_bytes],
        [kv.state_kind ? `${kv.state_kind} states` : 'linear states', c.linear_bytes],
        ['compressor states', c.compressor_state_bytes],
      ] as const
    ).filter(([, v]) => v > 0);
    rows.push({
      label: `  ${withThousands(kv.context)} tokens x ${kv.batch} sequence${kv.batch === 1 ? '' : 's'}`,
      value: c.total_bytes,
      note: parts.length > 1 ? parts.map(([k, v]) => `${k} ${bytesUnit(v)}`).join(' + ') : parts[0]?.[0],
    });
    if (kv.batch > 1) rows.push({ label: '  per sequence', value: c.per_sequence_bytes });
  }

  const numbers = rows.filter((x): x is MRow & { value: number } => x?.value !== undefined);
  const labelW = Math.max(...numbers.map((x) => x.label.length));
  const numW = Math.max(...numbers.map((x) => exactBytes(x.value).length));
  const unitW = Math.max(...numbers.map((x) => bytesUnit(x.value).length));
  const out: string[] = [];
  for (const [i, row] of rows.entries()) {
    if (i === 1) for (const n of w.storage.notes) out.push(`  (${n})`);
    if (row === null) out.push('');
    else if (row.value === undefined) out.push(row.label);
    else {
      out.push(
        (
          `${row.label.padEnd(labelW)}  ${exactBytes(row.value).padStart(numW)}  ${bytesUnit(row.value).padStart(unitW)}` +
          (row.note ? `  ${row.note}` : '')
        ).trimEnd(),
      );
    }
  }
  for (const n of kv.notes) out.push(`kv: ${n}`);
  return out;
}
