import type { Architecture, LayerAttentionKind } from '../../types.js';
import type { Fields } from '../fields.js';
import { recurrentState } from '../../mixers.js';

/** A block of the layer pattern: its token mixer and its FFN. */
interface Block {
  kind: LayerAttentionKind;
  ffn: 'moe' | 'dense' | 'none';
}

/**
 * hybrid_override_pattern characters and the layers_block_type / layer_types names transformers 5
 * writes (configuration_nemotron_h.py `_pattern_to_list`, legacy "mamba" / "attention" too).
 */
const BLOCKS: Record<string, Block> = {
  M: { kind: 'mamba2', ffn: 'none' },
  '*': { kind: 'full', ffn: 'none' },
  '-': { kind: 'none', ffn: 'dense' },
  E: { kind: 'none', ffn: 'moe' },
  linear_attention: { kind: 'mamba2', ffn: 'none' },
  mamba: { kind: 'mamba2', ffn: 'none' },
  full_attention: { kind: 'full', ffn: 'none' },
  attention: { kind: 'full', ffn: 'none' },
  mlp: { kind: 'none', ffn: 'dense' },
  moe: { kind: 'none', ffn: 'moe' },
};

/**
 * Nemotron-H (transformers modeling_nemotron_h.py; NVIDIA Nemotron-H, Nemotron 3): every block is
 * one RMSNorm and one mixer: Mamba-2 (M), GQA attention without biases (*), a plain relu² MLP
 * up_proj/down_proj (-), or an MoE (E: DeepSeek-V3 router weight + e_score_correction_bias,
 * non-gated experts up_proj/down_proj of moe_intermediate_size, one shared NemotronHMLP of
 * moe_shared_expert_intermediate_size). So Mamba and attention blocks have no FFN, and MLP and
 * MoE blocks no token mixer.
 */
export function nemotronH(f: Fields): Architecture {
  const d = f.int('hidden_size');
  let names: string[];
  if (f.has('hybrid_override_pattern')) {
    const p = f.str('hybrid_override_pattern') ?? '';
    names = [...p];
  } else {
    names = f.strList('layers_block_type') ?? f.strList('layer_types') ?? f.missing('hybrid_override_pattern');
  }
  const blocks = names.map((n) => {
    const b = Object.hasOwn(BLOCKS, n) ? BLOCKS[n] : undefined;
    if (!b) {
      return f.has('hybrid_override_pattern')
        ? f.invalid('hybrid_override_pattern', 'a string of M, *, - and E')
        : f.invalid(
            f.has('layers_block_type') ? 'layers_block_type' : 'layer_types',
            '"linear_attention", "full_attention", "mlp" or "moe" entries',
          );
    }
    return b;
  });
  const L = blocks.length;
  if (L === 0) f.invalid('hybrid_override_pattern', 'at least one layer');
  if (f.has('moe_latent_size')) f.invalid('moe_latent_size', 'null (latent-projected experts are not modelled)');
  if (f.bool('mlp_bias', false)) f.invalid('mlp_bias', 'false (MLP biases are not modelled)');
  const moeLayers = blocks.flatMap((b, i) => (b.ffn === 'moe' ? [i] : []));
  const noFfn = blocks.flatMap((b, i) => (b.ffn === 'none' ? [i] : []));
  const anyMoe = moeLayers.length > 0;
  const H = f.int('num_attention_heads');
  const E = anyMoe ? f.int('n_routed_experts') : 0;
  const kinds = blocks.map((b) => b.kind);
  const arch: Architecture = {
    model_type: 'nemotron_h',
    hidden_size: d,
    num_layers: L,
    vocab_size: f.int('vocab_size'),
    tie_word_embeddings: f.bool('tie_word_embeddings', false),
    lm_head_bias: false,
    // NemotronHAttention = JambaAttention: q/k/v/o without bias, head_dim from the config
    attention_type: 'gqa',
    num_attention_heads: H,
    num_key_value_heads: f.intOr('num_key_value_heads', H, 1),
    head_dim: f.headDim(d, H),
    attention_qkv_bias: false,
    attention_out_bias: false,
    qk_norm: 'none',
    attention_sinks: false,
    // NemotronHBlock: one pre-norm per block; norm_f at the end
    norm_type: 'rmsnorm',
    norm_bias: false,
    norms_per_layer: 1,
    final_norm: true,
    num_experts: E,
    num_experts_per_tok: anyMoe ? f.int('num_experts_per_tok') : 0,
    moe_intermediate_size: anyMoe ? f.int('moe_intermediate_size') : 0,
    expert_gated: false,
    expert_bias: false,
    num_shared_experts: anyMoe && f.intOr('n_shared_experts', 1, 0) > 0 ? 1 : 0,
    shared_expert_intermediate_size:
      anyMoe && f.intOr('n_shared_experts', 1, 0) > 0 ? f.int('moe_shared_expert_intermediate_size') : null,
    shared_expert_gate: false,
    router_bias: false,
    router_score_correction_bias: anyMoe,
    first_k_dense_replace: 0,
    moe_layer_period: 1,
    moe_layer_offset: 0,
    moe_layers: moeLayers,
    dense_intermediate_size: blocks.some((b) => b.ffn === 'dense') ? f.int('intermediate_size') : null,
    dense_gated: false,
    no_ffn_layers: noFfn,
    layer_attention: kinds,
  };
  if (!kinds.includes('mamba2')) return arch;
  const withMamba: Architecture = {
    ...arch,
    mamba2: {
      num_heads: f.int('mamba_num_heads'),
      head_dim: f.int('mamba_head_dim'),
      n_groups: f.has('mamba_n_groups') ? f.int('mamba_n_groups') : f.intOr('n_groups', 8, 1),
      d_state: f.intOr('ssm_state_size', 128, 1),
      d_conv: f.has('mamba_d_conv') ? f.int('mamba_d_conv') : f.intOr('conv_kernel', 4, 1),
      conv_bias: f.has('mamba_conv_bias') ? f.bool('mamba_conv_bias', true) : f.bool('use_conv_bias', true),
      // NemotronHMamba2Mixer: in_proj and out_proj take bias=config.use_bias
      proj_bias: f.bool('use_bias', false),
    },
  };
  return {
    ...withMamba,
    linear_attention_state: {
      ...recurrentState(withMamba, 'mamba2'),
      recurrent_dtype: f.str('mamba_ssm_cache_dtype') ?? null,
    },
  };
}
