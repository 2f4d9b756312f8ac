/**
 * What a released checkpoint stores beyond its logical parameters, and how to say so.
 */
import { isObj, type Obj } from './hf-config/fields.js';
import { quantizationConfigs } from './hf-config/quantization.js';
import type { Architecture } from './types.js';

/**
 * Whether the config declares a storage format that `arch` does not model (then total_checkpoint
 * and stored_elements are logical counts, not what the checkpoint stores).
 */
export function storageUnmodelled(config: unknown, arch: Architecture): boolean {
  if (!isObj(config)) return false;
  return quantizationConfigs(config).some((q) => !quantModelled(q, arch));
}

/**
 * Whether the counter models the storage `q` declares for `arch`. One rule for
 * `storageUnmodelled` and `checkpointNotes`, so the null stored_elements and the notes agree.
 */
function quantModelled(q: Obj, arch: Architecture): boolean {
  if (q['quant_method'] === 'fp8') return arch.checkpoint_fp8_block != null;
  if (q['quant_method'] === 'compressed-tensors') return arch.checkpoint_expert_quant?.format === 'int4_pack_quantized';
  return false;
}

/**
 * Notes on what the checkpoint of `config` stores and which number says what, given the
 * `Architecture` read from it: storage formats the counter models (block-FP8 scales, FP4 or INT4
 * routed experts, hash-routing tables), those it does not, and modules the config declares but
 * the release does not ship.
 */
export function checkpointNotes(config: unknown, arch: Architecture): string[] {
  if (!isObj(config)) return [];
  const notes: string[] = [];
  for (const q of quantizationConfigs(config)) {
    const method = typeof q['quant_method'] === 'string' ? q['quant_method'] : 'unknown';
    const bs = q['weight_block_size'];
    if (!quantModelled(q, arch)) {
      notes.push(
        `checkpoint is quantised (${method}); its storage is not modelled for this family: counts are logical parameters, not stored elements`,
      );
    } else if (method === 'fp8') {
      const tile = Array.isArray(bs) ? bs.join('x') : `${arch.checkpoint_fp8_block}x${arch.checkpoint_fp8_block}`;
      notes.push(
        `checkpoint is block-FP8 (${tile}); total_checkpoint adds its weight_scale_inv tensors, one scale per tile`,
      );
    } else {
      // modelled compressed-tensors: INT4 pack-quantized experts, so checkpoint_expert_quant is set
      notes.push(
        `routed experts are INT4 (compressed-tensors pack-quantized, group ${arch.checkpoint_expert_quant?.group_size}), ` +
          'eight per stored int32 element: total_checkpoint counts them per weight as the Hub does, plus their BF16 group ' +
          'scales and int32 weight_shape tensors (the Hub counts every int32 element 8 times, those too); ' +
          'stored_elements counts each int32 element once; total_logical is the parameter count',
      );
    }
  }
  const eq = arch.checkpoint_expert_quant;
  if (eq?.format === 'fp4_e2m1_x2') {
    notes.push(
      `routed experts are FP4 (E2M1), two per stored int8 element, with one UE8M0 scale per ${eq.group_size} weights: ` +
        "total_checkpoint and stored_elements count stored elements (the Hub's figure), not parameters; " +
        'total_logical is the parameter count',
    );
  }
  if ((arch.num_hash_layers ?? 0) > 0) {
    notes.push(
      `the first ${arch.num_hash_layers} MoE layers route by a token-to-expert table (vocab x top-k integers): ` +
        'stored in the checkpoint, not parameters, and not active',
    );
  }
  if (arch.model_type === 'minimax_m2' && config['use_mtp'] === true) {
    const n = typeof config['num_mtp_modules'] === 'number' ? `${config['num_mtp_modules']} ` : '';
    notes.push(
      `the config declares ${n}MTP modules (use_mtp) that the released checkpoint does not contain; not counted`,
    );
  }
  return notes;
}
