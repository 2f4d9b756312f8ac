/**
 * Build an `Architecture` from a Hugging Face `config.json` as the hub ships it.
 *
 * Only the config's own fields are read (never a table of known models), so any size of a
 * supported family is counted. Where the modeling code fixes a property that the config
 * does not carry (a bias, a norm kind, a gate), its family file (families/) encodes it with the
 * reason, citing the transformers modeling file (or the model's own reference code).
 */
import type { Architecture } from '../types.js';
import { FAMILIES } from './families/index.js';
import { fp8Block, linearQuant } from './quantization.js';
import { Fields, InvalidFieldError, isObj, MissingFieldError, type Obj, where } from './fields.js';

export { InvalidFieldError, MissingFieldError } from './fields.js';

export type SupportedModelType = keyof typeof FAMILIES;

/** model_type values this module understands (aliases included), in the registry's order. */
export const SUPPORTED_MODEL_TYPES = Object.keys(FAMILIES) as readonly SupportedModelType[];

export class UnsupportedModelError extends Error {
  override readonly name = 'UnsupportedModelError';
  readonly modelType: string;
  readonly supported: readonly string[] = SUPPORTED_MODEL_TYPES;
  constructor(modelType: string, file?: string) {
    super(
      `${where(file)}unsupported model_type "${modelType}"; supported model types: ${SUPPORTED_MODEL_TYPES.join(', ')}`,
    );
    this.modelType = modelType;
  }
}

/** The model_type of a config; Grok-1's published config.json carries none, only its architecture name. */
export function detectModelType(config: unknown, file?: string): string {
  if (!isObj(config)) throw new InvalidFieldError('(root)', 'a JSON object', config, undefined, file);
  const mt = config['model_type'];
  if (typeof mt === 'string' && mt.length > 0) return mt;
  const archs = config['architectures'];
  if (Array.isArray(archs) && archs.some((a) => a === 'Grok1ModelForCausalLM' || a === 'Grok1ForCausalLM')) {
    return 'grok-1';
  }
  throw new MissingFieldError('model_type', undefined, file);
}

/**
 * Build an `Architecture` from a Hugging Face config.json object (already parsed).
 * `file` only labels error messages.
 *
 * @throws UnsupportedModelError for a model_type outside SUPPORTED_MODEL_TYPES (the registry in families/index.ts)
 * @throws MissingFieldError / InvalidFieldError naming the offending field
 */
export function architectureFromHfConfig(config: unknown, file?: string): Architecture {
  const modelType = detectModelType(config, file);
  // Fields a top-level config lacks are read from its text_config (transformers 5 nests some).
  const f = new Fields(config as Obj, '', modelType, file).withTextConfig();
  if (!Object.hasOwn(FAMILIES, modelType)) throw new UnsupportedModelError(modelType, file);
  const arch = FAMILIES[modelType as SupportedModelType](f, modelType);
  // Block-FP8 storage is the same for every family (transformers' fp8 integration converts every
  // nn.Linear but the unconverted ones): a family that does not decide it itself gets it here.
  if (arch.checkpoint_fp8_block === undefined) {
    const block = fp8Block(f);
    if (block != null) return { ...arch, checkpoint_fp8_block: block };
  }
  // So are the 4-bit linear formats (NVFP4, AWQ, GPTQ, compressed-tensors INT4), where the family
  // has not read its own routed-expert format.
  if (arch.checkpoint_expert_quant == null && arch.checkpoint_linear_quant === undefined) {
    const lq = linearQuant(f);
    if (lq != null) return { ...arch, checkpoint_linear_quant: lq };
  }
  return arch;
}
