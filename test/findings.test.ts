// Findings as data: one code with arguments per violated constraint, and the forms renderers print.
import { describe, expect, it } from 'vitest';
import { type Finding, formatFinding, formatFindings } from '../src/findings/finding.js';
import { designFindings } from '../src/sweep/findings.js';
import { parseSpec } from '../src/spec/load.js';
import { runSweepSync } from '../src/sweep/run.js';

describe('formatFinding', () => {
  const path = ['designs', 0];
  it('explains a bound with the value and the bound', () => {
    const f: Finding = {
      code: 'above_max',
      path,
      args: { constraint: 'active_params', value: 33_200_000_000, bound: 32e9, style: 'count' },
    };
    expect(formatFinding(f)).toBe('active_params 33.2B > max 32B');
  });
  it('prints each bound in its metric unit', () => {
    const below: Finding = {
      code: 'below_min',
      path,
      args: { constraint: 'active_ratio', value: 0.025, bound: 0.03, style: 'ratio' },
    };
    expect(formatFinding(below)).toBe('active_ratio 0.025 < min 0.03');
    // 64 experts × 2B + 1B = 129B parameters × 2 bytes × 1.2 overhead = 309.6 GB against 80 GB
    const budget: Finding = { code: 'over_budget', path, args: { constraint: 'vram', value: 309.6e9, bound: 80e9 } };
    expect(formatFinding(budget)).toBe('vram 310 GB > budget 80 GB');
  });
  it('explains the quality and GPU findings', () => {
    expect(
      formatFinding({ code: 'outside_fitted_range', path, args: { constraint: 'quality_domain', factor: 12.4 } }),
    ).toBe("quality_domain: x12 outside the scaling law's fitted range, so a quality bound cannot judge it");
    expect(
      formatFinding({
        code: 'loss_above_max',
        path,
        args: { constraint: 'loss_delta_vs_dense', value: 0.012345, bound: 0 },
      }),
    ).toBe('loss_delta_vs_dense 0.0123 > max 0');
    const gpu: Finding = {
      code: 'gpu_memory',
      path,
      args: {
        constraint: 'gpu_memory',
        perGpuBytes: 199e9,
        gpuBytes: 80e9,
        count: 8,
        gpu: 'H100-SXM-80GB',
        layout: 'EP4xTP2',
      },
    };
    expect(formatFinding(gpu)).toBe('fullest GPU 199 GB > 80 GB on 8 × H100-SXM-80GB (EP4xTP2)');
  });
  it('joins several findings on one line', () => {
    const a: Finding = { code: 'over_budget', path, args: { constraint: 'vram', value: 2e12, bound: 1e12 } };
    const b: Finding = {
      code: 'above_max',
      path,
      args: { constraint: 'total_params', value: 1e12, bound: 5e11, style: 'count' },
    };
    expect(formatFindings([a, b])).toBe('vram 2 TB > budget 1 TB; total_params 1T > max 500B');
  });
});

describe('designFindings', () => {
  it('gives one finding per violated constraint of a named design, with its value and bound', () => {
    const spec = parseSpec(
      [
        'constraints:',
        '  active_params: {min: 28B, max: 32B}',
        '  vram: {budget: 80GB, overhead: 0.2}',
        'designs:',
        // total 64 × 2B + 1B = 129B; active 2 × 2B + 1B = 5B; vram 129B × 2 B × 1.2 = 309.6 GB
        '  - {name: too-big, experts: 64, top_k: 2, expert_params: 2B, shared_params: 1B}',
        '',
      ].join('\n'),
      'inline.yaml',
    );
    const result = runSweepSync(spec);
    const findings = designFindings(result.spec, result.designs[0]!, ['designs', 0]);
    expect(findings).toEqual([
      {
        code: 'below_min',
        path: ['designs', 0],
        args: { constraint: 'active_params', value: 5e9, bound: 28e9, style: 'count' },
      },
      { code: 'over_budget', path: ['designs', 0], args: { constraint: 'vram', value: 309.6e9, bound: 80e9 } },
    ]);
  });
});
