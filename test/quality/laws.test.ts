/** The data file loads, validates, is frozen, and bad documents are rejected by field. */
import { describe, expect, it } from 'vitest';
import { parseScalingLaws } from '../../src/quality/index.js';
import { loadScalingLaws, scalingLawsPath } from '../../src/catalog/scaling-laws.js';

describe('data/scaling-laws.yaml', () => {
  it('loads with the joint law of Table 3', () => {
    const laws = loadScalingLaws();
    expect(scalingLawsPath()).toMatch(/data[\\/]scaling-laws\.yaml$/);
    expect(laws.joint_moe.arxiv).toBe('2502.05172');
    expect(laws.joint_moe.coefficients).toEqual({
      a: 35.91,
      alpha: -0.1889,
      delta: -0.2285,
      gamma: 0.0098,
      b: 35.98,
      beta: -0.1775,
      omega: 0.5529,
      zeta: -0.0259,
      e_start: 2.0732,
      e_max: 290.4521,
      c: 1.3637,
    });
    expect(laws.joint_moe.held_out_error.max_abs).toBe(0.018);
    expect(laws.uncertainty.correlation).toBe('independent');
  });

  it('is cached and deeply frozen', () => {
    const laws = loadScalingLaws();
    expect(loadScalingLaws()).toBe(laws);
    expect(Object.isFrozen(laws.joint_moe.coefficients)).toBe(true);
    expect(() => {
      (laws.joint_moe.coefficients as { a: number }).a = 1;
    }).toThrow(TypeError);
  });

  it('says where independence is assumed', () => {
    const laws = loadScalingLaws();
    expect(laws.uncertainty.correlation_note).toMatch(/No covariance matrix or correlations/);
    expect(laws.epoch_chinchilla.verified).toBe(false);
  });

  it.each([
    ['a missing coefficient', (d: any) => delete d.joint_moe.coefficients.c, 'joint_moe.coefficients.c'],
    ['a bad arXiv id', (d: any) => (d.joint_moe.arxiv = 'soon'), 'joint_moe.arxiv'],
    [
      'an inverted range',
      (d: any) => (d.joint_moe.fitted_ranges.tokens = [80e9, 0.5e9]),
      'joint_moe.fitted_ranges.tokens',
    ],
    ['an unknown correlation mode', (d: any) => (d.uncertainty.correlation = 'full'), 'uncertainty.correlation'],
    ['an unknown key', (d: any) => (d.joint_moe.extra = 1), 'joint_moe'],
    ['E_max below E_start', (d: any) => (d.joint_moe.coefficients.e_max = 2), 'joint_moe.coefficients'],
  ])('rejects %s, naming the field', (_name, mutate, field) => {
    const doc = structuredClone(loadScalingLaws()) as any;
    mutate(doc);
    expect(() => parseScalingLaws(doc)).toThrow(new RegExp(field.replace(/\./g, '\\.')));
  });
});
