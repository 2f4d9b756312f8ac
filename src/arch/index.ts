/** Parameter counting from Hugging Face config.json files (pure; no I/O). */
export type * from './types.js';
export { countParameters, moeLayerIndices, visionParams, layerAttentionKinds, gatedDeltaNetState } from './count.js';
export {
  SUPPORTED_MODEL_TYPES,
  UnsupportedModelError,
  MissingFieldError,
  InvalidFieldError,
  architectureFromHfConfig,
  detectModelType,
} from './hf-config/index.js';
export { hybridMixer, recurrentState } from './mixers.js';
export { checkpointNotes, storageUnmodelled } from './storage.js';
export type { SupportedModelType } from './hf-config/index.js';
export { inspectConfig, formatInspect, withThousands, withUnit } from './inspect.js';
export type { InspectResult, InspectBreakdown } from './inspect.js';
