/**
 * The fitted box of arXiv:2502.05172 (Appendix E): N_act 79M–2.7B, N_total 79M–5.0B,
 * D 0.5B–80B, E 1–32, D/N_act 0.36–72.8. Cases worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { ceilSignificant, qualityDomain } from '../../src/quality/index.js';
import { loadScalingLaws } from '../../src/catalog/scaling-laws.js';

const laws = loadScalingLaws();

describe('fitted ranges in the data file', () => {
  it('are the Appendix E box', () => {
    expect(loadScalingLaws().joint_moe.fitted_ranges).toEqual({
      active_params: [79e6, 2.7e9],
      total_params: [79e6, 5e9],
      tokens: [0.5e9, 80e9],
      experts: [1, 32],
      tokens_per_active_param: [0.36, 72.8],
    });
  });
});

describe('qualityDomain', () => {
  it('in range: 1B active, 4B total, 20B tokens, E 4 (D/N = 20)', () => {
    const d = qualityDomain({ activeParams: 1e9, totalParams: 4e9, tokens: 20e9, experts: 4 }, laws);
    expect(d).toMatchObject({ status: 'in range', label: 'in range', factor: 1, roundedFactor: 1, driver: null });
    expect(d.factors.tokens_per_active_param.value).toBe(20);
  });

  it('the corners of the box are in range', () => {
    expect(qualityDomain({ activeParams: 2.7e9, totalParams: 5e9, tokens: 80e9, experts: 32 }, laws).status).toBe(
      'in range',
    );
    expect(qualityDomain({ activeParams: 79e6, totalParams: 79e6, tokens: 0.5e9, experts: 1 }, laws).status).toBe(
      'in range',
    );
  });

  it('x2 above in active params: 5.4B dense on 100B tokens', () => {
    // N_act 5.4/2.7 = 2; N_total 5.4/5.0 = 1.08; D 100/80 = 1.25; D/N 18.5 inside → x2, N_act
    const d = qualityDomain({ activeParams: 5.4e9, totalParams: 5.4e9, tokens: 100e9, experts: 1 }, laws);
    expect(d.status).toBe('extrapolated');
    expect(d.label).toBe('extrapolated x2');
    expect(d.driver).toBe('active_params');
    expect(d.factor).toBeCloseTo(2, 12);
    expect(d.factors.total_params.factor).toBeCloseTo(1.08, 12);
    expect(d.factors.tokens.factor).toBeCloseTo(1.25, 12);
    expect(d.factors.active_params.side).toBe('above');
  });

  it('below the box counts too: 40M active → 79/40 = 1.975 → x2.0 (shown as x2)', () => {
    const d = qualityDomain({ activeParams: 40e6, totalParams: 100e6, tokens: 1e9, experts: 2 }, laws);
    expect(d.driver).toBe('active_params');
    expect(d.factors.active_params.side).toBe('below');
    expect(d.factor).toBeCloseTo(1.975, 12);
    expect(d.label).toBe('extrapolated x2');
  });

  it('undertrained: 2B active on 0.5B tokens → D/N = 0.25, 0.36/0.25 = 1.44 → x1.5', () => {
    const d = qualityDomain({ activeParams: 2e9, totalParams: 2e9, tokens: 0.5e9, experts: 1 }, laws);
    expect(d.driver).toBe('tokens_per_active_param');
    expect(d.factor).toBeCloseTo(1.44, 12);
    expect(d.label).toBe('extrapolated x1.5');
  });

  it('overtrained: 300M active on 60B tokens → D/N = 200, 200/72.8 = 2.747 → x2.8', () => {
    const d = qualityDomain({ activeParams: 300e6, totalParams: 1e9, tokens: 60e9, experts: 4 }, laws);
    expect(d.driver).toBe('tokens_per_active_param');
    expect(d.factor).toBeCloseTo(200 / 72.8, 12);
    expect(d.label).toBe('extrapolated x2.8');
  });

  it('E_eff 64 → x2 on experts', () => {
    const d = qualityDomain({ activeParams: 500e6, totalParams: 4e9, tokens: 10e9, experts: 64 }, laws);
    expect(d.driver).toBe('experts');
    expect(d.label).toBe('extrapolated x2');
  });

  it('exactly 10x is still extrapolated; beyond is qualitative', () => {
    expect(qualityDomain({ activeParams: 27e9, totalParams: 27e9, tokens: 500e9, experts: 1 }, laws).label).toBe(
      'extrapolated x10',
    );
    const q = qualityDomain({ activeParams: 28e9, totalParams: 28e9, tokens: 500e9, experts: 1 }, laws);
    expect(q.status).toBe('qualitative');
    expect(q.label).toBe('qualitative');
    expect(q.driver).toBe('active_params');
  });

  it('a frontier MoE (37B active, 671B total, 14.8T tokens, E_eff 256/8 = 32) is qualitative, driven by tokens', () => {
    // N_act 37/2.7 = 13.7; N_total 671/5 = 134.2; D 14.8e12/80e9 = 185; E 32 inside; D/N 400/72.8 = 5.49
    const d = qualityDomain({ activeParams: 37e9, totalParams: 671e9, tokens: 14.8e12, experts: 32 }, laws);
    expect(d.status).toBe('qualitative');
    expect(d.driver).toBe('tokens');
    expect(d.factor).toBeCloseTo(185, 9);
    expect(d.roundedFactor).toBe(190);
    expect(d.factors.total_params.factor).toBeCloseTo(134.2, 9);
    expect(d.factors.experts.factor).toBe(1);
  });

  it('rejects non-positive inputs', () => {
    expect(() => qualityDomain({ activeParams: 0, totalParams: 1, tokens: 1, experts: 1 }, laws)).toThrow(RangeError);
  });
});

describe('ceilSignificant', () => {
  it.each([
    [1.004, 1.1],
    [1.1, 1.1],
    [1.44, 1.5],
    [2, 2],
    [4.52, 4.6],
    [9.96, 10],
    [13.2, 14],
    [185, 190],
  ])('%d → %d', (x, expected) => {
    expect(ceilSignificant(x)).toBe(expected);
  });
});
