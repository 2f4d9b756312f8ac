/**
 * KV cache size: bytes per token and for a {context, batch, kv dtype}.
 *
 * A model's cache is described by a `KvLayout`: how many values each attention layer caches
 * per token, and how many layers are full attention, sliding-window attention (capped at the
 * window) or linear attention (a fixed-size state per sequence that does not grow).
 *
 * - GQA/MHA/MQA: each layer caches K and V for every KV head:
 *   2 × num_key_value_heads × head_dim values per token per layer.
 * - MLA (DeepSeek-V2/V3, Kimi K2): each layer caches the compressed latent c_KV (kv_lora_rank)
 *   and the decoupled RoPE key k_R (qk_rope_head_dim), shared by all heads:
 *   (kv_lora_rank + qk_rope_head_dim) values per token per layer
 *   (DeepSeek-V2, arXiv:2405.04434, §2.1 and Table 1: "(d_c + d_h^R) l" elements per token).
 */
import type { Architecture } from '../arch/types.js';
import { bytesPerValue, type FormatInput } from './dtypes.js';

export interface KvLayout {
  /** values cached per token per attention layer (2·K·head_dim for GQA; r_kv + d_rope for MLA) */
  values_per_token_per_layer: number;
  /**
   * heads the cache can be split over by tensor parallelism: num_key_value_heads for GQA;
   * 1 for MLA (the latent is shared by all heads, so TP ranks each hold all of it)
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
  /** cache of the sliding-window layers, all sequences */
  sliding_bytes: number;
  /** states of the linear-attention layers, all sequences */
  linear_bytes: number;
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
  /** per layer: full, sliding or linear attention (length = num_layers) */
  layer_types?: readonly ('full' | 'sliding' | 'linear')[] | null;
  /** window of the sliding layers, in tokens */
  sliding_window?: number | null;
  /** bytes of one linear-attention layer's state for one sequence */
  linear_state_bytes?: number | null;
}

/** Plain-parameter GQA layout. `layers` counts every attention layer (full + sliding). */
export function gqaKvLayout(p: {
  layers: number;
  num_key_value_heads: number;
  head_dim: number;
  pattern?: AttentionPattern;
}): KvLayout {
  const K = positiveInt('num_key_value_heads', p.num_key_value_heads);
  const hd = positiveInt('head_dim', p.head_dim);
  return withPattern(2 * K * hd, K, positiveInt('layers', p.layers), p.pattern); // K and V: 2·K·hd
}

/** Plain-parameter MLA layout (DeepSeek-V2/V3). */
export function mlaKvLayout(p: {
  layers: number;
  kv_lora_rank: number;
  qk_rope_head_dim: number;
  pattern?: AttentionPattern;
}): KvLayout {
  const r = positiveInt('kv_lora_rank', p.kv_lora_rank);
  const rope = nonNegInt('qk_rope_head_dim', p.qk_rope_head_dim);
  return withPattern(r + rope, 1, positiveInt('layers', p.layers), p.pattern); // c_KV + k_R (arXiv:2405.04434)
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
  };
}

/**
 * The KV layout of a colleague-style `Architecture`. Every layer is attention; `pattern` adds
 * what the type does not carry (sliding windows, linear-attention layers and their state size).
 */
export function kvLayoutFromArchitecture(arch: Architecture, pattern?: AttentionPattern): KvLayout {
  if (arch.attention_type === 'mla') {
    return mlaKvLayout({
      layers: arch.num_layers,
      kv_lora_rank: arch.kv_lora_rank,
      qk_rope_head_dim: arch.qk_rope_head_dim,
      ...(pattern ? { pattern } : {}),
    });
  }
  return gqaKvLayout({
    layers: arch.num_layers,
    num_key_value_heads: arch.num_key_value_heads,
    head_dim: arch.head_dim,
    ...(pattern ? { pattern } : {}),
  });
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
        throw new RangeError(`sliding_window ${slidingWindow} and attention_chunk_size ${chunk} differ; one window per model is supported`);
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

/** Bytes one token adds to the cache of one sequence while the context is within every window. */
export function kvBytesPerToken(layout: KvLayout, kvBytes: number | FormatInput): number {
  // every full and sliding layer stores one token's values; linear layers store nothing per token
  return (layout.full_layers + layout.sliding_layers) * layout.values_per_token_per_layer * kvValueBytes(kvBytes);
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
  const sliding_bytes = batch * layout.sliding_layers * Math.min(context, window) * perLayerToken;
  // linear layers: one fixed state per layer per sequence, whatever the context
  const linear_bytes = batch * layout.linear_layers * layout.linear_state_bytes;
  const total_bytes = full_bytes + sliding_bytes + linear_bytes;
  return { full_bytes, sliding_bytes, linear_bytes, total_bytes, per_sequence_bytes: batch > 0 ? total_bytes / batch : 0 };
}

/** `kvCacheBytes(kvLayoutFromArchitecture(arch, pattern), q)`. */
export function kvCacheFromArchitecture(arch: Architecture, q: KvQuery, pattern?: AttentionPattern): KvCacheSize {
  return kvCacheBytes(kvLayoutFromArchitecture(arch, pattern), q);
}
