/**
 * The recurrent token mixers of hybrid models, tensor by tensor: Mamba-1 (Jamba), Mamba-2
 * (Granite 4.0-H, Nemotron-H), MiniMax lightning attention, Kimi Delta Attention and LFM2's gated
 * short convolution. One description per kind, which `countParameters` (count.ts) sums and
 * `checkpointWeightBytes` (memory.ts) stores format by format, so counts and bytes cannot drift.
 *
 * Each also has its state per sequence (`recurrentState`), fixed whatever the context: the
 * convolution window (the last kernel − 1 inputs of every conv channel, as vLLM keeps it) plus
 * the SSM or linear-attention state.
 */
import type { Matrix } from './storage.js';
import type { Architecture, LayerAttentionKind, LinearAttentionState } from './types.js';

/** The tensors of one layer's mixer: linears (block-FP8-storable), other weights, and those kept in F32. */
export interface MixerTensors {
  /** weight matrices [out, in] without their biases */
  linears: Matrix[];
  /** biases, convolution kernels, norms, SSM vectors: stored in the base dtype */
  base: number;
  /** stored in float32 whatever the base dtype */
  f32: number;
  /** the ModuleCounts field the mixer is counted in */
  module: 'linear_attention' | 'mamba' | 'short_conv';
}

export const HYBRID_KINDS = ['mamba', 'mamba2', 'lightning', 'kda', 'short_conv'] as const;
export type HybridKind = (typeof HYBRID_KINDS)[number];

export function isHybridKind(k: LayerAttentionKind): k is HybridKind {
  return (HYBRID_KINDS as readonly string[]).includes(k);
}

function need<T>(spec: T | null | undefined, kind: string, field: string, i: number): T {
  if (spec == null) throw new RangeError(`layer ${i} is a ${kind} layer but the architecture has no ${field}`);
  return spec;
}

/** The tensors of layer i's `kind` mixer. */
export function hybridMixer(arch: Architecture, kind: HybridKind, i: number): MixerTensors {
  const d = arch.hidden_size;
  if (kind === 'mamba') {
    // JambaMambaMixer (transformers modeling_jamba.py)
    const m = need(arch.mamba, 'mamba', 'mamba', i);
    const di = m.d_inner;
    const pb = m.proj_bias ? 2 * di + d : 0; // in_proj and out_proj biases
    return {
      linears: [
        [2 * di, d], // in_proj: x and the gate z
        [m.dt_rank + 2 * m.d_state, di], // x_proj: dt, B, C
        [di, m.dt_rank], // dt_proj
        [d, di], // out_proj
      ],
      // conv1d (depthwise) + its bias, dt_proj bias, A_log, D, dt/B/C RMSNorms
      base:
        di * m.d_conv +
        (m.conv_bias ? di : 0) +
        di +
        di * m.d_state +
        di +
        (m.inner_norms ? m.dt_rank + 2 * m.d_state : 0) +
        pb,
      f32: 0,
      module: 'mamba',
    };
  }
  if (kind === 'mamba2') {
    // Mamba2Mixer (transformers modeling_mamba2.py; GraniteMoeHybridMambaLayer, NemotronHMamba2Mixer)
    const m = need(arch.mamba2, 'mamba2', 'mamba2', i);
    const di = m.num_heads * m.head_dim;
    const conv = di + 2 * m.n_groups * m.d_state;
    const proj = di + conv + m.num_heads; // z, x·B·C, dt
    return {
      linears: [
        [proj, d],
        [d, di],
      ],
      // conv1d + bias, dt_bias, A_log, D, gated RMSNorm over d_inner, in/out_proj biases
      base: conv * m.d_conv + (m.conv_bias ? conv : 0) + 3 * m.num_heads + di + (m.proj_bias ? proj + d : 0),
      f32: 0,
      module: 'mamba',
    };
  }
  if (kind === 'lightning') {
    // MiniMaxLightningAttention (transformers modeling_minimax.py): no biases
    const la = need(arch.lightning_attention, 'lightning', 'lightning_attention', i);
    const inner = la.num_heads * la.head_dim;
    return {
      linears: [
        [3 * inner, d], // qkv_proj
        [inner, d], // output_gate
        [d, inner], // out_proj
      ],
      base: inner, // norm RMSNorm(H·hd)
      f32: 0,
      module: 'linear_attention',
    };
  }
  if (kind === 'kda') {
    // KimiDeltaAttention (Kimi-Linear modeling_kimi.py, fla.layers.KimiDeltaAttention)
    const k = need(arch.kda, 'kda', 'kda', i);
    const hd = k.head_dim;
    const inner = k.num_heads * hd;
    return {
      linears: [
        [inner, d], // q_proj
        [inner, d], // k_proj
        [inner, d], // v_proj
        [hd, d], // f_a_proj
        [inner, hd], // f_b_proj
        [k.num_heads, d], // b_proj
        [hd, d], // g_a_proj
        [inner, hd], // g_b_proj
        [d, inner], // o_proj
      ],
      // q/k/v short convs (depthwise, no bias), A_log per head, dt_bias per channel, o_norm
      base: 3 * inner * k.conv_kernel + k.num_heads + inner + hd,
      f32: 0,
      module: 'linear_attention',
    };
  }
  // Lfm2ShortConv (transformers modeling_lfm2.py): in_proj d → 3d (B, C, x), depthwise conv, out_proj
  const s = need(arch.short_conv, 'short_conv', 'short_conv', i);
  return {
    linears: [
      [3 * d, d],
      [d, d],
    ],
    base: d * s.conv_kernel + (s.bias ? 3 * d + d + d : 0),
    f32: 0,
    module: 'short_conv',
  };
}

export function mixerParams(t: MixerTensors): number {
  return t.linears.reduce((a, [o, n]) => a + o * n, 0) + t.base + t.f32;
}

/**
 * The state of one `kind` layer per sequence: Mamba-1 conv d_inner·(d_conv − 1) + SSM
 * d_inner·d_state; Mamba-2 conv (d_inner + 2·G·N)·(d_conv − 1) + SSM heads·head_dim·N; lightning
 * H·hd·hd (its kv state; no conv); KDA conv 3·H·hd·(kernel − 1) + H·hd·hd; short conv
 * d·(kernel − 1), no recurrent state.
 */
export function recurrentState(arch: Architecture, kind: HybridKind): LinearAttentionState {
  const win = (k: number) => Math.max(k - 1, 0);
  if (kind === 'mamba') {
    const m = need(arch.mamba, 'mamba', 'mamba', 0);
    return { recurrent_elements: m.d_inner * m.d_state, conv_elements: m.d_inner * win(m.d_conv) };
  }
  if (kind === 'mamba2') {
    const m = need(arch.mamba2, 'mamba2', 'mamba2', 0);
    const di = m.num_heads * m.head_dim;
    return {
      recurrent_elements: di * m.d_state,
      conv_elements: (di + 2 * m.n_groups * m.d_state) * win(m.d_conv),
    };
  }
  if (kind === 'lightning') {
    const la = need(arch.lightning_attention, 'lightning', 'lightning_attention', 0);
    return { recurrent_elements: la.num_heads * la.head_dim * la.head_dim, conv_elements: 0 };
  }
  if (kind === 'kda') {
    const k = need(arch.kda, 'kda', 'kda', 0);
    return {
      recurrent_elements: k.num_heads * k.head_dim * k.head_dim,
      conv_elements: 3 * k.num_heads * k.head_dim * win(k.conv_kernel),
    };
  }
  const s = need(arch.short_conv, 'short_conv', 'short_conv', 0);
  return { recurrent_elements: 0, conv_elements: arch.hidden_size * win(s.conv_kernel) };
}
