/**
 * Text for reports: what a predicted pretraining loss does not say.
 */
export const WHAT_LOSS_IS_NOT =
  'Predicted loss is the final training cross-entropy, in nats per token, that the joint law of ' +
  'Ludziejewski et al. (2025, arXiv:2502.05172) fits on FineWeb-Edu with the GPT-2 tokenizer; it ' +
  'is not comparable with losses on other data or tokenizers (Epoch\u2019s dense refit, arXiv:2404.10102, ' +
  'has an irreducible term of 1.82 nats on Hoffmann et al.\u2019s data against the joint law\u2019s 1.36). ' +
  'It is not a measure of downstream capability: how loss maps to task performance can differ ' +
  'between MoE and dense models (Abnar et al. 2025, arXiv:2501.12370, as summarised in ' +
  'Ludziejewski et al. 2025, Section 2), and fine-tuning, instruction following and safety are ' +
  'outside it altogether. It says nothing about wall-clock time: the law\u2019s compute optimality ' +
  'counts FLOPs (F = 6\u00b7N_act\u00b7D), which, as the authors note, may not reflect the training ' +
  'time of different architectures, implementations or distributed training schemes ' +
  '(Ludziejewski et al. 2025, Section 6). Nor does it price inference: memory for all experts ' +
  'and the KV cache, and per-token FLOPs of about 2\u00b7N_act, are separate axes (Ludziejewski et ' +
  'al. 2025, Sections 4.2\u20134.4; Sardana et al. 2024, arXiv:2401.00448).';
