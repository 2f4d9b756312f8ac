// The findings of an evaluated design: one per violated constraint, with the value and the bound
// that the renderers print (src/findings/finding.ts holds the forms).
import { explainLayouts } from '../serving/layout.js';
import { TP_OPTIONS } from '../metrics/serving.js';
import { type Finding, type ValueStyle, formatFindings } from '../findings/finding.js';
import type { PathSegment } from '../findings/errors.js';
import type { AnyMetricId, SweepSpec } from '../spec/types.js';
import { metricValue } from './design.js';
import type { Evaluated } from './types.js';

const RATIO_WORDS = ['ratio', 'sparsity', 'saving', 'imbalance', 'factor'];

function styleOf(metric: string): ValueStyle {
  if (metric.endsWith('_bytes') || metric.includes('_bytes_') || metric.includes('_memory_')) return 'bytes';
  return RATIO_WORDS.some((w) => metric.includes(w)) ? 'ratio' : 'count';
}

/** `path` is where the design stands in the spec, e.g. ['designs', 2]. */
export function designFindings(
  spec: Pick<SweepSpec, 'constraints' | 'hardware' | 'trainingCost'>,
  d: Evaluated,
  path: PathSegment[],
): Finding[] {
  return d.violations.map((name): Finding => {
    const c = spec.constraints.find((k) => k.name === name)!;
    if (name === 'quality_domain' && d.quality) {
      return {
        code: 'outside_fitted_range',
        path,
        args: { constraint: name, factor: d.quality.quality_domain_factor },
      };
    }
    if (name === 'loss_delta_vs_dense' && d.quality) {
      const value = d.quality.loss_delta_vs_dense;
      return value < c.min
        ? { code: 'loss_below_min', path, args: { constraint: name, value, bound: c.min } }
        : { code: 'loss_above_max', path, args: { constraint: name, value, bound: c.max } };
    }
    if (name === 'gpu_memory' && d.serving) {
      const hw = spec.hardware!;
      // no valid layout: say why each one fails instead of naming one
      const layout =
        d.serving.layout_problems !== undefined
          ? explainLayouts(d.serving.layout_problems, hw.count, hw.tp === null ? TP_OPTIONS : [hw.tp])
          : d.serving.gpu_layout!;
      const args = {
        constraint: name,
        perGpuBytes: d.serving.per_gpu_bytes!,
        gpuBytes: c.max,
        count: hw.count,
        gpu: hw.gpu,
        layout,
      };
      return { code: 'gpu_memory', path, args };
    }
    if (name === 'train_gpu_memory' && d.training && spec.trainingCost) {
      const t = spec.trainingCost;
      const args = {
        constraint: name,
        perGpuBytes: d.training.train_memory_per_gpu,
        gpuBytes: c.max,
        count: t.count,
        gpu: t.gpu,
        layout: d.training.train_layout,
      };
      return { code: 'train_gpu_memory', path, args };
    }
    const metric = (name === 'vram' ? 'vram_bytes' : name) as AnyMetricId;
    const value = metricValue(d, metric);
    const style = styleOf(metric);
    if (value < c.min) return { code: 'below_min', path, args: { constraint: name, value, bound: c.min, style } };
    if (name === 'vram') return { code: 'over_budget', path, args: { constraint: name, value, bound: c.max } };
    return { code: 'above_max', path, args: { constraint: name, value, bound: c.max, style } };
  });
}

/** Why the i-th named design of the spec fails, one line: what the terminal, JUnit and annotations print. */
export function designReasons(
  spec: Pick<SweepSpec, 'constraints' | 'hardware' | 'trainingCost'>,
  d: Evaluated,
  i: number,
): string {
  return formatFindings(designFindings(spec, d, ['designs', i]));
}
