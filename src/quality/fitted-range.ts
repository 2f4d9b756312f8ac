// The variables of the joint law's fitted range and how far outside it a prediction stays a number.
// Kept apart from laws.ts (which reads the YAML data file) so that the evaluation workers, which
// need only these, do not load a YAML parser and a schema library at start-up.

export const DOMAIN_VARIABLES = [
  'active_params',
  'total_params',
  'tokens',
  'experts',
  'tokens_per_active_param',
] as const;
export type DomainVariable = (typeof DOMAIN_VARIABLES)[number];

/** Beyond this factor a prediction is only qualitative. */
export const QUALITATIVE_FACTOR = 10;

/** Rounds x > 0 up to `digits` significant figures: 1.004 → 1.1, 4.52 → 4.6, 13.2 → 14. */
export function ceilSignificant(x: number, digits = 2): number {
  if (!Number.isFinite(x) || x <= 0) return x;
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(x)));
  // Guard against x·scale landing a hair above an integer through floating-point error.
  return Math.ceil(x * scale - 1e-9) / scale;
}
