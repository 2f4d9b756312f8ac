import { DESIGN_SLOT_COUNT } from './registry.js';

/** A bound on one metric. `vram` is the bound max(vram_bytes) = budget under its own name. */
export interface Constraint {
  name: string;
  metric: number;
  min: number;
  max: number;
}

/** Bit i of the mask is set when constraints[i] fails. At most 31 constraints (one per metric, plus vram). */
export function violationMask(constraints: readonly Constraint[], v: Float64Array, offset: number): number {
  let mask = 0;
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i]!;
    const x = v[offset + c.metric]!;
    if (x < c.min || x > c.max) mask |= 1 << i;
  }
  return mask;
}

export function violationNames(constraints: readonly Constraint[], mask: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < constraints.length; i++) if (mask & (1 << i)) names.push(constraints[i]!.name);
  return names;
}

export function assertConstraintCount(constraints: readonly Constraint[]): void {
  if (constraints.length > Math.min(31, DESIGN_SLOT_COUNT + 1)) throw new Error('too many constraints');
}
