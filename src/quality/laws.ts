/**
 * The shape of `data/scaling-laws.yaml`: the one place where the published scaling-law constants
 * (and where each comes from) live. Nothing in src/quality/ hard-codes a coefficient; the file is
 * read by src/catalog/scaling-laws.ts and the validated document is passed to every function here.
 */
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const positive = finite.refine((x) => x > 0, 'must be > 0');
const nonNegative = finite.refine((x) => x >= 0, 'must be >= 0');
const range = z
  .tuple([positive, positive])
  .refine(([lo, hi]) => lo <= hi, 'range must be [low, high] with low <= high');
const text = z.string().min(1);

const provenance = {
  citation: text,
  arxiv: z.string().regex(/^\d{4}\.\d{4,5}$/, 'must be an arXiv id like 2502.05172'),
  verified: z.boolean(),
  note: text.optional(),
};

const chinchillaCoefficients = z.strictObject({
  E: positive,
  A: positive,
  B: positive,
  alpha: positive,
  beta: positive,
});

const jointSchema = z.strictObject({
  ...provenance,
  law: text,
  expert_transform: text,
  coefficients_source: text,
  coefficients: z
    .strictObject({
      a: positive,
      alpha: finite,
      delta: finite,
      gamma: finite,
      b: positive,
      beta: finite,
      omega: finite,
      zeta: finite,
      e_start: positive,
      e_max: positive,
      c: nonNegative,
    })
    .refine((c) => c.e_start > 1 && c.e_max > c.e_start, 'need 1 < e_start < e_max'),
  loss: z.strictObject({ quantity: text, units: text, dataset: text, tokenizer: text, source: text }),
  conventions: z.strictObject({
    active_params: text,
    tokens: text,
    flops: text,
    experts: text,
    design_mapping: text,
  }),
  fitted_ranges: z.strictObject({
    active_params: range,
    total_params: range,
    tokens: range,
    experts: range,
    tokens_per_active_param: range,
  }),
  held_out_error: z.strictObject({
    max_abs: nonNegative,
    max_abs_source: text,
    rmse_validation: nonNegative,
    rmse_train: nonNegative,
    rmse_source: text,
    verified: z.boolean(),
  }),
});

const epochSchema = z.strictObject({
  ...provenance,
  law: text,
  data: text,
  coefficients: chinchillaCoefficients,
  standard_errors: z.strictObject({
    E: nonNegative,
    A: nonNegative,
    B: nonNegative,
    alpha: nonNegative,
    beta: nonNegative,
  }),
  fitted_ranges: z.strictObject({ params: range, tokens: range }),
});

const hoffmannSchema = z.strictObject({
  ...provenance,
  law: text,
  coefficients: chinchillaCoefficients,
  coefficients_unrounded: chinchillaCoefficients,
});

const granularitySchema = z.strictObject({
  ...provenance,
  coefficients_source: text,
  coefficients: z.strictObject({ g: nonNegative, gamma: finite, a: nonNegative }),
  fitted_at: text,
});

export const CORRELATION_MODES = ['independent', 'pivot'] as const;
export type CorrelationMode = (typeof CORRELATION_MODES)[number];

const uncertaintySchema = z.strictObject({
  method: text,
  correlation: z.enum(CORRELATION_MODES),
  correlation_note: text,
  samples: z.number().int().min(100).max(1_000_000),
  seed: z.number().int().min(0).max(0xffffffff),
  level: finite.refine((x) => x > 0 && x < 1, 'must be in (0, 1)'),
});

export const scalingLawsSchema = z.strictObject({
  schema_version: z.literal(1),
  joint_moe: jointSchema,
  epoch_chinchilla: epochSchema,
  hoffmann_chinchilla: hoffmannSchema,
  krajewski_granularity: granularitySchema,
  uncertainty: uncertaintySchema,
});

export type ScalingLaws = z.infer<typeof scalingLawsSchema>;
export type JointLaw = ScalingLaws['joint_moe'];
export type JointCoefficients = JointLaw['coefficients'];
export type ChinchillaCoefficients = z.infer<typeof chinchillaCoefficients>;
export type UncertaintyConfig = ScalingLaws['uncertainty'];

/** Validates an already-parsed document; throws an Error naming every bad field. */
export function parseScalingLaws(raw: unknown, source = 'scaling laws'): ScalingLaws {
  const parsed = scalingLawsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const field = i.path.length > 0 ? i.path.map(String).join('.') : '(root)';
      return `  ${field}: ${i.message}`;
    });
    throw new Error(`Invalid ${source}:\n${lines.join('\n')}`);
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
