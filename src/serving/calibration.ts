/**
 * The calibration table of the decode estimate (data/serving-calibration.yaml): published serving
 * measurements, each with the setup that reproduces it in `calc`'s terms, its source and what is
 * and is not comparable. Read by src/catalog/serving-model.ts; evaluated by
 * src/output/report/calibration.ts for the report and by test/serving/calibration.test.ts.
 */
import { z } from 'zod';

const text = z.string().min(1);
const setup = z.strictObject({
  preset: text,
  dtype: text,
  expert_dtype: text.optional(),
  kv_dtype: text.optional(),
  gpu: z.union([text, z.record(z.string(), z.unknown())]),
  count: z.number().int().positive(),
  tp: z.number().int().positive().optional(),
  dp_attention: z.boolean().optional(),
  engine: z.enum(['none', 'vllm', 'sglang', 'trtllm']).optional(),
  context: z.union([z.number(), text]),
  input: z.union([z.number(), text]).optional(),
  batch: z.number().int().positive().optional(),
  cpu_memory: text.optional(),
  cpu_bandwidth: text.optional(),
  experts_on_cpu: z.union([z.literal('all'), z.number().int().nonnegative()]).optional(),
});

const row = z.strictObject({
  id: text,
  model: text,
  setup,
  /** decode: decode tokens/s of the deployment; output_per_gpu: a throughput benchmark's output tokens/s per GPU */
  metric: z.enum(['decode', 'output_per_gpu']),
  isl_per_osl: z.number().positive().optional(),
  /** false: a reference row, checked against the bound only */
  calibration: z.boolean().optional(),
  published: z.number().positive(),
  source: z.url(),
  comparable: z.string().min(40),
});

export const calibrationSchema = z.strictObject({ rows: z.array(row).min(1) });
export type CalibrationRow = z.infer<typeof row>;
export type CalibrationSetup = z.infer<typeof setup>;

export function parseCalibration(raw: unknown, file: string): CalibrationRow[] {
  const r = calibrationSchema.safeParse(raw);
  if (!r.success)
    throw new Error(
      `${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  for (const x of r.data.rows)
    if (x.metric === 'output_per_gpu' && x.isl_per_osl === undefined)
      throw new Error(`${file}: rows.${x.id}: an output_per_gpu row needs isl_per_osl`);
  return r.data.rows;
}

/** trtllm-bench caps its batch at 4,096 (tensorrt_llm/bench/tuning/heuristics.py, finetune_setting). */
export const THROUGHPUT_BATCH_CAP = 4096;

/**
 * What a row's published figure is compared with. decode: the estimate's decode tokens/s.
 * output_per_gpu: a benchmark whose time includes prefill, so per GPU
 * 1 / (1/decode + (ISL/OSL)/prefill) / GPUs.
 */
export function comparableEstimate(
  r: CalibrationRow,
  s: { decode_tokens_per_s: number; prefill_tokens_per_s: number; gpus: number },
): number {
  if (r.metric === 'decode') return s.decode_tokens_per_s;
  return 1 / (1 / s.decode_tokens_per_s + r.isl_per_osl! / s.prefill_tokens_per_s) / s.gpus;
}
