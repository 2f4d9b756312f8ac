/**
 * KV cache size: bytes per token and for a {context, batch, kv dtype}.
 *
 * A model's cache is described by a `KvLayout`: how many values each attention layer caches per
 * token and which layers are full attention, sliding-window attention (capped at the window),
 * compressed attention (one entry per `ratio` tokens plus an uncompressed window) or linear
 * attention (a fixed-size state per sequence that does not grow).
 *
 * - GQA/MHA/MQA: each layer caches K and V for every KV head:
 *   2 × num_key_value_heads × head_dim values per token per layer; num_key_value_heads ×
 *   (head_dim + v_head_dim) where the value heads are narrower (MiMo-V2), and sliding layers with
 *   their own KV heads (MiMo-V2: twice the full layers') count theirs.
 * - MLA (DeepSeek-V2/V3, Kimi K2, GLM-5): each layer caches the compressed latent c_KV
 *   (kv_lora_rank) and the decoupled RoPE key k_R (qk_rope_head_dim), shared by all heads:
 *   (kv_lora_rank + qk_rope_head_dim) values per token per layer
 *   (DeepSeek-V2, arXiv:2405.04434, §2.1 and Table 1: "(d_c + d_h^R) l" elements per token).
 * - DSA lightning indexer (DeepSeek-V3.2, GLM-5): every layer that runs its own indexer also caches
 *   one key of index_head_dim per token. DeepSeek-V3.2's reference code (inference/model.py,
 *   `Indexer.k_cache` float8_e4m3fn and `k_scale_cache` float32 [.., index_head_dim / 128]) keeps it
 *   in FP8 with one F32 scale per 128 values, whatever the dtype of the main cache:
 *   index_head_dim + 4·⌈index_head_dim / 128⌉ bytes per token per layer (132 for 128).
 * - MiniMax-M3 block-sparse attention (transformers `MiniMaxM3VLSparseCacheLayer`): each sparse layer
 *   also caches its lightning indexer's key, index_head_dim values per token in the activations'
 *   dtype (bf16): 2·index_head_dim bytes per token per layer.
 * - DeepSeek-V4 compressed attention (official inference/model.py, `Attention.kv_cache` of
 *   window_size + max_seq_len // compress_ratio rows of head_dim, one K=V head): a layer with
 *   ratio m keeps the last `sliding_window` tokens uncompressed (head_dim values each) and one
 *   compressed entry of head_dim values per m tokens; ratio 0 is the window alone. CSA layers
 *   (m = 4) also cache the lightning indexer's compressed keys (`Indexer.kv_cache`,
 *   max_seq_len // m rows of index_head_dim). Both caches are in the model dtype (bf16; the code
 *   notes they "could also use fp8"), so they follow the KV dtype here. Each compressor also
 *   holds a fixed per-sequence state, `kv_state` and `score_state` of [coff·m, coff·d] float32
 *   (coff = 2 with overlapping windows at m = 4, else 1): 2·coff·m·coff·d·4 bytes.
 * - Linear attention (Gated DeltaNet): a fixed state per sequence and layer, from
 *   `Architecture.linear_attention_state`: the recurrent state in its configured dtype
 *   (Qwen3.5 `mamba_ssm_dtype`, bf16 when the config names none) and the convolution window in
 *   bf16 (the model dtype).
 * - The other recurrent mixers of hybrid models (Mamba-1, Mamba-2, lightning attention, Kimi Delta
 *   Attention, LFM2 short convolution) are `linear` layers here: each holds a fixed state per
 *   sequence (conv window + SSM or linear-attention state; see mixers.ts `recurrentState`), sized
 *   by `linear_attention_state` the same way. Layers without a token mixer (Nemotron-H's MLP and
 *   MoE blocks) cache nothing.
 */
import { layerAttentionKinds } from './count.js';
import { RECURRENT_KINDS, type Architecture, type LinearAttentionState } from './types.js';
import { bytesPerValue, type FormatInput } from '../formats/dtypes.js';

/** DeepSeek-V4 compressed-attention layers of one compress ratio. */
export interface CompressedKvGroup {
  /** `csa` (overlapping windows and a lightning indexer) or `hca` */
  kind: 'csa' | 'hca';
  /** tokens per compressed entry */
  ratio: number;
  layers: number;
  /** tokens each layer keeps uncompressed (the sliding window) */
  window: number;
  /** values per token of the uncompressed window (head_dim: one K=V head) */
  window_values_per_token: number;
  /** values of one compressed KV entry (head_dim) */
  entry_values: number;
  /** values of one compressed indexer key (index_head_dim for CSA, 0 for HCA) */
  indexer_entry_values: number;
  /** fixed compressor state of one layer for one sequence, bytes (float32, whatever the KV dtype) */
  state_bytes: number;
}

export interface KvLayout {
  /**
   * values cached per token per full or sliding layer (2·K·head_dim for GQA; r_kv + d_rope for MLA; head_dim for
   * DeepSeek-V4)
   */
  values_per_token_per_layer: number;
  /**
   * values cached per token per sliding layer when the sliding layers have their own KV-head count
   * or widths (MiMo-V2: K_swa·(head_dim + v_head_dim)); absent = values_per_token_per_layer
   */
  sliding_values_per_token_per_layer?: number;
  /**
   * heads the cache can be split over by tensor parallelism: num_key_value_heads for GQA;
   * 1 for MLA and DeepSeek-V4 (one latent or K=V head shared by all heads, held whole by every TP rank)
   */
  kv_heads: number;
  /** layers with full (causal) attention: their cache grows with the whole context */
  full_layers: number;
  /** layers with sliding-window attention: their cache holds at most `sliding_window` tokens */
  sliding_layers: number;
  sliding_window: number | null;
  /** linear-attention layers: a fixed state per sequence, independent of context */
  linear_layers: number;
  /** bytes of one linear-attention layer's state for one sequence (an input: it depends on the design) */
  linear_state_bytes: number;
  /** full layers that also cache DSA lightning-indexer keys, one per token */
  indexer_layers: number;
  /** bytes of one token's indexer key in one layer, in the format the reference code caches it (not the KV dtype) */
  indexer_key_bytes_per_token: number;
  /** DeepSeek-V4 compressed layers, one group per compress ratio (empty for other models) */
  compressed: CompressedKvGroup[];
}

export interface KvQuery {
  /** tokens in each sequence (prompt + generated so far) */
  context: number;
  /** concurrent sequences */
  batch: number;
  /** bytes per cached value (a number) or a storage format ("bf16", "fp8", …) */
  kvBytes: number | FormatInput;
}

export interface KvCacheSize {
  /** cache of the full-attention layers, all sequences */
  full_bytes: number;
  /** uncompressed windows: the sliding layers' and the compressed layers' own, all sequences */
  sliding_bytes: number;
  /** compressed KV entries of DeepSeek-V4's CSA/HCA layers, all sequences */
  compressed_bytes: number;
  /** lightning-indexer keys: DSA keys per token and CSA compressed keys, all sequences */
  indexer_bytes: number;
  /** states of the linear-attention layers, all sequences */
  linear_bytes: number;
  /** DeepSeek-V4 compressor states (float32), all sequences */
  compressor_state_bytes: number;
  total_bytes: number;
  /** total_bytes / batch */
  per_sequence_bytes: number;
}

function nonNegInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`${name} must be an integer >= 0, got ${String(v)}`);
  }
  return v;
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${String(v)}`);
  }
  return v;
}

/** Bytes per cached value from a number of bytes or a format name/object. */
export function kvValueBytes(kvBytes: number | FormatInput): number {
  if (typeof kvBytes === 'number') {
    if (!Number.isFinite(kvBytes) || kvBytes <= 0) throw new RangeError(`kvBytes must be > 0, got ${kvBytes}`);
    return kvBytes;
  }
  return bytesPerValue(kvBytes);
}

/** Optional attention-pattern facts that `Architecture` does not carry. */
export interface AttentionPattern {
  /** per layer: full, sliding or linear attention (any fixed-state mixer), or none (length = num_layers) */
  layer_types?: readonly ('full' | 'sliding' | 'linear' | 'none')[] | null;
  /** window of the sliding layers, in tokens */
  sliding_window?: number | null;
  /** bytes of one linear-attention layer's state for one sequence */
  linear_state_bytes?: number | null;
}

/** The K and V heads one kind of GQA layer caches: K·(head_dim + v_head_dim) values per token. */
export interface GqaKvHeads {
  num_key_value_heads: number;
  head_dim: number;
  /** value head width when it differs from head_dim (MiMo-V2); default head_dim */
  v_head_dim?: number | null;
}

function gqaValues(h: GqaKvHeads, prefix = ''): number {
  const K = positiveInt(`${prefix}num_key_value_heads`, h.num_key_value_heads);
  const hd = positiveInt(`${prefix}head_dim`, h.head_dim);
  const vd = h.v_head_dim == null ? hd : positiveInt(`${prefix}v_head_dim`, h.v_head_dim);
  return K * (hd + vd); // K and V: 2·K·hd when the widths agree
}

/**
 * Plain-parameter GQA layout. `layers` counts every attention layer (full + sliding); `sliding`
 * gives the sliding layers' own heads when they differ (their count of values per token).
 */
export function gqaKvLayout(
  p: GqaKvHeads & {
    layers: number;
    pattern?: AttentionPattern;
    sliding?: GqaKvHeads | null;
  },
): KvLayout {
  const layout = withPattern(gqaValues(p), p.num_key_value_heads, positiveInt('layers', p.layers), p.pattern);
  if (p.sliding != null && layout.sliding_layers > 0) {
    const sliding = gqaValues(p.sliding, 'sliding_attention.');
    if (sliding !== layout.values_per_token_per_layer) layout.sliding_values_per_token_per_layer = sliding;
  }
  return layout;
}

/** Values one sliding layer caches per token. */
export function slidingValuesPerToken(layout: KvLayout): number {
  return layout.sliding_values_per_token_per_layer ?? layout.values_per_token_per_layer;
}

/**
 * Plain-parameter MLA layout (DeepSeek-V2/V3). `indexer` adds DSA lightning-indexer keys
 * (GLM-5, DeepSeek-V3.2): the number of layers that run their own indexer and its head_dim.
 */
export function mlaKvLayout(p: {
  layers: number;
  kv_lora_rank: number;
  qk_rope_head_dim: number;
  pattern?: AttentionPattern;
  indexer?: { layers: number; head_dim: number } | null;
}): KvLayout {
  const r = positiveInt('kv_lora_rank', p.kv_lora_rank);
  const rope = nonNegInt('qk_rope_head_dim', p.qk_rope_head_dim);
  const layers = positiveInt('layers', p.layers);
  const layout = withPattern(r + rope, 1, layers, p.pattern); // c_KV + k_R (arXiv:2405.04434)
  if (p.indexer) {
    const n = nonNegInt('indexer.layers', p.indexer.layers);
    if (n > layout.full_layers) {
      throw new RangeError(`${n} indexer layers but only ${layout.full_layers} full-attention layers`);
    }
    layout.indexer_layers = n;
    layout.indexer_key_bytes_per_token = n > 0 ? dsaIndexerKeyBytes(p.indexer.head_dim) : 0;
  }
  return layout;
}

/**
 * Bytes of one DSA indexer key per token per layer as DeepSeek-V3.2's reference code caches it:
 * index_head_dim FP8 values plus one F32 scale per 128 (`k_cache` float8_e4m3fn and `k_scale_cache`
 * float32 [.., head_dim // 128]): 128 + 4 = 132 bytes for index_head_dim 128.
 */
export function dsaIndexerKeyBytes(indexHeadDim: number): number {
  const h = positiveInt('index_head_dim', indexHeadDim);
  return h + 4 * Math.ceil(h / 128);
}

/**
 * Fixed state of one DeepSeek-V4 Compressor for one sequence: `kv_state` and `score_state`, each
 * [coff·ratio, coff·width] float32, with coff = 2 when the windows overlap (ratio 4) and 1 otherwise.
 */
export function compressorStateBytes(ratio: number, width: number, overlap: boolean): number {
  const coff = overlap ? 2 : 1;
  return 2 * coff * positiveInt('ratio', ratio) * coff * positiveInt('width', width) * 4;
}

/**
 * DeepSeek-V4 layout from plain parameters: `ratios` holds the compress ratio of every main layer
 * (0 = the sliding window alone; `csa_ratio` = CSA with an indexer; any other = HCA).
 */
export function compressedKvLayout(p: {
  ratios: readonly number[];
  head_dim: number;
  sliding_window: number;
  csa_ratio: number;
  index_head_dim: number;
}): KvLayout {
  const c = positiveInt('head_dim', p.head_dim);
  const window = positiveInt('sliding_window', p.sliding_window);
  const csa = positiveInt('csa_ratio', p.csa_ratio);
  const ih = positiveInt('index_head_dim', p.index_head_dim);
  if (p.ratios.length === 0) throw new RangeError('ratios must list at least one layer');
  const byRatio = new Map<number, number>();
  let sliding = 0;
  p.ratios.forEach((m, i) => {
    nonNegInt(`ratios[${i}]`, m);
    if (m === 0) sliding++;
    else byRatio.set(m, (byRatio.get(m) ?? 0) + 1);
  });
  const compressed: CompressedKvGroup[] = [...byRatio.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([ratio, layers]) => {
      const isCsa = ratio === csa;
      return {
        kind: isCsa ? 'csa' : 'hca',
        ratio,
        layers,
        window,
        window_values_per_token: c,
        entry_values: c,
        indexer_entry_values: isCsa ? ih : 0,
        // the layer's compressor over head_dim, and for CSA the indexer's own (overlapping) one over index_head_dim
        state_bytes: compressorStateBytes(ratio, c, isCsa) + (isCsa ? compressorStateBytes(ratio, ih, true) : 0),
      };
    });
  return {
    values_per_token_per_layer: c,
    kv_heads: 1,
    full_layers: 0,
    sliding_layers: sliding,
    sliding_window: window,
    linear_layers: 0,
    linear_state_bytes: 0,
    indexer_layers: 0,
    indexer_key_bytes_per_token: 0,
    compressed,
  };
}

function withPattern(values: number, heads: number, layers: number, pattern: AttentionPattern | undefined): KvLayout {
  const types = pattern?.layer_types;
  const window = pattern?.sliding_window ?? null;
  let full = layers;
  let sliding = 0;
  let linear = 0;
  if (types != null) {
    if (types.length !== layers) {
      throw new RangeError(`layer_types has ${types.length} entries but the model has ${layers} layers`);
    }
    full = types.filter((t) => t === 'full').length;
    sliding = types.filter((t) => t === 'sliding').length;
    linear = types.filter((t) => t === 'linear').length;
  } else if (window != null) {
    // Mistral/Mixtral convention: a non-null `sliding_window` without layer types applies to every layer.
    sliding = layers;
    full = 0;
  }
  if (sliding > 0) positiveInt('sliding_window', window);
  const stateBytes = pattern?.linear_state_bytes ?? 0;
  if (linear > 0 && !(typeof stateBytes === 'number' && stateBytes > 0)) {
    throw new RangeError('linear-attention layers need linear_state_bytes (> 0): the state size is an input');
  }
  return {
    values_per_token_per_layer: values,
    kv_heads: heads,
    full_layers: full,
    sliding_layers: sliding,
    sliding_window: sliding > 0 ? window : null,
    linear_layers: linear,
    linear_state_bytes: linear > 0 ? stateBytes : 0,
    indexer_layers: 0,
    indexer_key_bytes_per_token: 0,
    compressed: [],
  };
}

/** Bytes per value of a dtype name as configs spell it (`float32`, `bfloat16`, …). */
function configDtypeBytes(name: string): number {
  const t = name.trim().toLowerCase();
  if (t === 'float32' || t === 'fp32' || t === 'f32') return 4;
  if (t === 'bfloat16' || t === 'bf16' || t === 'float16' || t === 'fp16' || t === 'f16') return 2;
  throw new RangeError(`unknown state dtype "${name}"; expected float32, bfloat16 or float16`);
}

/**
 * Bytes of one linear-attention layer's state for one sequence: the recurrent state in its
 * configured dtype (bf16 when none is named) plus the convolution window in bf16 (the model dtype).
 */
export function linearStateBytes(state: LinearAttentionState): number {
  const recurrent = nonNegInt('recurrent_elements', state.recurrent_elements);
  const conv = nonNegInt('conv_elements', state.conv_elements);
  return recurrent * configDtypeBytes(state.recurrent_dtype ?? 'bfloat16') + conv * 2;
}

/** The attention pattern an `Architecture` carries itself (layer kinds, window, linear state). */
function patternOf(arch: Architecture): AttentionPattern | undefined {
  const kinds = arch.layer_attention;
  if (kinds == null) return undefined;
  const recurrent = new Set(kinds.filter((k) => RECURRENT_KINDS.includes(k)));
  if (recurrent.size > 1) {
    throw new RangeError(
      `layers of ${[...recurrent].join(' and ')} mixers: one recurrent state size per model is supported`,
    );
  }
  const types = kinds.map((k, i) => {
    if (k === 'full' || k === 'sliding' || k === 'none') return k;
    if (RECURRENT_KINDS.includes(k)) return 'linear';
    throw new RangeError(`layer ${i} is ${k} attention, which only DeepSeek-V4 (csa_hca) layouts have`);
  });
  return {
    layer_types: types,
    sliding_window: arch.sliding_window ?? null,
    linear_state_bytes:
      types.includes('linear') && arch.linear_attention_state ? linearStateBytes(arch.linear_attention_state) : null,
  };
}

/**
 * The KV layout of an `Architecture`, from what it carries: `layer_attention` (full, sliding and
 * linear layers), `sliding_window`, `linear_attention_state`, an MLA layer's DSA indexer, and
 * DeepSeek-V4's `compress_ratios`, `sliding_window` and `index_head_dim`. Only the main model's
 * layers are counted (MTP layers cache only when they draft tokens). `pattern` overrides the
 * layer kinds, window and linear state for GQA and MLA models (not for DeepSeek-V4).
 */
export function kvLayoutFromArchitecture(arch: Architecture, pattern?: AttentionPattern): KvLayout {
  if (arch.attention_type === 'csa_hca') {
    const kinds = layerAttentionKinds(arch);
    if (arch.sliding_window == null)
      throw new RangeError('DeepSeek-V4 attention needs sliding_window (the uncompressed window)');
    if (pattern) throw new RangeError('an attention pattern cannot override DeepSeek-V4 compress ratios');
    return compressedKvLayout({
      ratios: arch.compress_ratios.slice(0, kinds.length),
      head_dim: arch.head_dim,
      sliding_window: arch.sliding_window,
      csa_ratio: arch.csa_compress_ratio,
      index_head_dim: arch.index_head_dim,
    });
  }
  const pat = pattern ?? patternOf(arch);
  if (arch.attention_type === 'mla') {
    const dsa = arch.dsa_indexer;
    let indexer: { layers: number; head_dim: number } | null = null;
    if (dsa) {
      const own =
        dsa.layers == null ? arch.num_layers : new Set(dsa.layers.filter((i) => i >= 0 && i < arch.num_layers)).size;
      indexer = { layers: own, head_dim: dsa.head_dim };
    }
    return mlaKvLayout({
      layers: arch.num_layers,
      kv_lora_rank: arch.kv_lora_rank,
      qk_rope_head_dim: arch.qk_rope_head_dim,
      ...(pat ? { pattern: pat } : {}),
      indexer,
    });
  }
  const layout = gqaKvLayout({
    layers: arch.num_layers,
    num_key_value_heads: arch.num_key_value_heads,
    head_dim: arch.head_dim,
    v_head_dim: arch.v_head_dim ?? null,
    ...(pat ? { pattern: pat } : {}),
    sliding: arch.sliding_attention ?? null,
  });
  const bi = arch.block_indexer;
  if (bi) {
    // MiniMax-M3: each sparse layer caches its indexer key (`idx_keys`) in the activations' dtype
    layout.indexer_layers = new Set(bi.layers.filter((i) => i >= 0 && i < arch.num_layers)).size;
    layout.indexer_key_bytes_per_token =
      layout.indexer_layers > 0 ? 2 * positiveInt('block_indexer.head_dim', bi.head_dim) : 0;
  }
  return layout;
}

/**
 * Read the attention pattern from a Hugging Face config.json object (pure; no I/O):
 * - `layer_types`: "full_attention" | "sliding_attention" | "linear_attention" per layer (gpt-oss,
 *   Qwen3-Next); "chunked_attention" (attention within fixed chunks of `attention_chunk_size`
 *   tokens) caches at most one chunk, so it is treated as a window of that size;
 * - `sliding_window` with no `layer_types`: every layer slides (Mistral/Mixtral), unless
 *   `use_sliding_window` is false (Qwen2/Qwen3 configs carry a window they do not use).
 * Family rules the config does not spell out (e.g. Llama 4's chunked layers when `layer_types`
 * is absent) are not guessed: pass `layer_types` yourself. The linear-attention state size is
 * not derivable here and must be passed in.
 */
export function attentionPatternFromHfConfig(config: unknown, linearStateBytes?: number): AttentionPattern {
  const c = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>;
  const text = (c.text_config && typeof c.text_config === 'object' ? c.text_config : c) as Record<string, unknown>;
  const raw = text.layer_types;
  const windowRaw = text.sliding_window;
  const useSliding = text.use_sliding_window;
  const slidingWindow = typeof windowRaw === 'number' && useSliding !== false ? windowRaw : null;
  const chunk = typeof text.attention_chunk_size === 'number' ? text.attention_chunk_size : null;
  let window = slidingWindow;
  let layer_types: ('full' | 'sliding' | 'linear')[] | null = null;
  if (Array.isArray(raw)) {
    const hasSliding = raw.includes('sliding_attention') && slidingWindow != null;
    const hasChunked = raw.includes('chunked_attention');
    if (hasChunked) {
      if (chunk == null) throw new RangeError('layer_types has chunked_attention but attention_chunk_size is missing');
      if (hasSliding && slidingWindow !== chunk) {
        throw new RangeError(
          `sliding_window ${slidingWindow} and attention_chunk_size ${chunk} differ; one window per model is supported`,
        );
      }
      window = chunk;
    }
    layer_types = raw.map((t, i) => {
      if (t === 'full_attention') return 'full';
      if (t === 'sliding_attention') return slidingWindow == null ? 'full' : 'sliding';
      if (t === 'chunked_attention') return 'sliding';
      if (t === 'linear_attention') return 'linear';
      throw new RangeError(
        `layer_types[${i}] is ${JSON.stringify(t)}; expected full_attention, sliding_attention, chunked_attention or linear_attention`,
      );
    });
  }
  return { layer_types, sliding_window: window, linear_state_bytes: linearStateBytes ?? null };
}

/** Compressed entries and their indexer keys, bytes per token once amortised over `ratio` tokens. */
function compressedPerToken(layout: KvLayout, b: number): number {
  let s = 0;
  for (const g of layout.compressed) s += (g.layers * (g.entry_values + g.indexer_entry_values) * b) / g.ratio;
  return s;
}

/**
 * Bytes one token adds to the cache of one sequence while the context is within every window:
 * every full and sliding layer stores its values, every compressed layer stores it in its
 * window, DSA indexer keys; compressed entries count 1/ratio of an entry per token.
 */
export function kvBytesPerToken(layout: KvLayout, kvBytes: number | FormatInput): number {
  const b = kvValueBytes(kvBytes);
  let s =
    (layout.full_layers * layout.values_per_token_per_layer + layout.sliding_layers * slidingValuesPerToken(layout)) *
    b;
  s += layout.indexer_layers * layout.indexer_key_bytes_per_token;
  for (const g of layout.compressed) s += g.layers * g.window_values_per_token * b;
  return s + compressedPerToken(layout, b);
}

/**
 * Bytes one more token of context adds to the cache of one sequence once every window is full:
 * full layers, DSA indexer keys, and the compressed entries (with their indexer keys) amortised
 * over their ratio. Windows and states no longer grow. (Exact whenever each ratio divides its
 * entry bytes, as in every released configuration.)
 */
export function kvBytesPerTokenLongContext(layout: KvLayout, kvBytes: number | FormatInput): number {
  const b = kvValueBytes(kvBytes);
  return (
    layout.full_layers * layout.values_per_token_per_layer * b +
    layout.indexer_layers * layout.indexer_key_bytes_per_token +
    compressedPerToken(layout, b)
  );
}

/**
 * Bytes of one sequence that stop growing once the context fills every window: the sliding
 * windows (of sliding and compressed layers), linear-attention states and compressor states.
 * For a context N past every window and divisible by every ratio the cache of one sequence is
 * kvFixedBytesPerSequence + N × kvBytesPerTokenLongContext.
 */
export function kvFixedBytesPerSequence(layout: KvLayout, kvBytes: number | FormatInput): number {
  const b = kvValueBytes(kvBytes);
  let s = layout.sliding_layers * (layout.sliding_window ?? 0) * slidingValuesPerToken(layout) * b;
  s += layout.linear_layers * layout.linear_state_bytes;
  for (const g of layout.compressed) s += g.layers * (g.window * g.window_values_per_token * b + g.state_bytes);
  return s;
}

/** Cache bytes for `batch` sequences of `context` tokens each. */
export function kvCacheBytes(layout: KvLayout, q: KvQuery): KvCacheSize {
  const context = nonNegInt('context', q.context);
  const batch = nonNegInt('batch', q.batch);
  const b = kvValueBytes(q.kvBytes);
  const perLayerToken = layout.values_per_token_per_layer * b;
  const window = layout.sliding_window ?? 0;
  // full layers: every token of the context; sliding layers: the last min(context, window) tokens
  const full_bytes = batch * layout.full_layers * context * perLayerToken;
  let sliding_bytes = batch * layout.sliding_layers * Math.min(context, window) * slidingValuesPerToken(layout) * b;
  // DSA indexer keys: one per token in every layer with its own indexer
  let indexer_bytes = batch * layout.indexer_layers * context * layout.indexer_key_bytes_per_token;
  // compressed layers: their window, one entry per `ratio` whole tokens (+ CSA indexer keys), compressor state
  let compressed_bytes = 0;
  let compressor_state_bytes = 0;
  for (const g of layout.compressed) {
    const entries = Math.floor(context / g.ratio);
    sliding_bytes += batch * g.layers * Math.min(context, g.window) * g.window_values_per_token * b;
    compressed_bytes += batch * g.layers * entries * g.entry_values * b;
    indexer_bytes += batch * g.layers * entries * g.indexer_entry_values * b;
    compressor_state_bytes += batch * g.layers * g.state_bytes;
  }
  // linear layers: one fixed state per layer per sequence, whatever the context
  const linear_bytes = batch * layout.linear_layers * layout.linear_state_bytes;
  const total_bytes =
    full_bytes + sliding_bytes + compressed_bytes + indexer_bytes + linear_bytes + compressor_state_bytes;
  return {
    full_bytes,
    sliding_bytes,
    compressed_bytes,
    indexer_bytes,
    linear_bytes,
    compressor_state_bytes,
    total_bytes,
    per_sequence_bytes: batch > 0 ? total_bytes / batch : 0,
  };
}

/** `kvCacheBytes(kvLayoutFromArchitecture(arch, pattern), q)`. */
export function kvCacheFromArchitecture(arch: Architecture, q: KvQuery, pattern?: AttentionPattern): KvCacheSize {
  return kvCacheBytes(kvLayoutFromArchitecture(arch, pattern), q);
}
