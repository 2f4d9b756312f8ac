// The serving engines whose memory use and prefill chunk the estimate models (data/serving-model.yaml).
export const ENGINES = ['none', 'vllm', 'sglang', 'trtllm'] as const;
export type EngineName = (typeof ENGINES)[number];
