// Reads data/training-mfu.yaml: the default MFU of the training-cost columns and the published
// measurements it comes from (each with its FLOP convention and source).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const fraction = z.number().gt(0).max(1);
const measurement = z.strictObject({
  id: z.string().min(1),
  model: z.string().min(1),
  gpus: z.string().min(1),
  precision: z.string().min(1),
  seq_len: z.number().int().positive().optional(),
  layout: z.string().optional(),
  tflops_per_gpu: z.number().positive(),
  peak_tflops_per_gpu: z.number().positive(),
  mfu: fraction,
  flop_convention: z.string().min(1),
  source: z.url(),
  note: z.string().optional(),
});
const file = z.strictObject({
  defaults: z.strictObject({ bf16: fraction, fp8: fraction }),
  measurements: z.array(measurement).min(1),
});

export type TrainingMfu = z.infer<typeof file>;

export function trainingMfuPath(): string {
  return fileURLToPath(new URL('../../data/training-mfu.yaml', import.meta.url));
}

/** Parses and validates the MFU file's text; `where` names it in errors. */
export function parseTrainingMfu(text: string, where = 'training-mfu.yaml'): TrainingMfu {
  const r = file.safeParse(parseYaml(text));
  if (!r.success)
    throw new Error(
      `${where}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

let cached: TrainingMfu | undefined;

export function loadTrainingMfu(): TrainingMfu {
  cached ??= parseTrainingMfu(readFileSync(trainingMfuPath(), 'utf8'), trainingMfuPath());
  return cached;
}
