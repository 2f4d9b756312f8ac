// Findings as data: what moe-sweep tells a user about a design is a code with arguments and the place
// in the spec it concerns. The terminal, JUnit and GitHub annotations print it through formatFinding
// instead of each writing its own sentence, so they cannot drift apart. The CSV cell and the report
// list the violated constraints by name (Evaluated.violations), which is what a spreadsheet filters on.
import { formatBytes, formatCount, formatRatio } from '../formats/units.js';
import type { PathSegment } from './errors.js';

/** How a bound's metric prints: bytes, a ratio (0.123) or a count (1.23B). */
export type ValueStyle = 'bytes' | 'ratio' | 'count';

export type Finding =
  | {
      /** A metric outside a `constraints:` bound. */
      code: 'below_min' | 'above_max';
      path: PathSegment[];
      args: { constraint: string; value: number; bound: number; style: ValueStyle };
    }
  | {
      /** The vram budget: weights (and KV cache) with the overhead allowance exceed it. */
      code: 'over_budget';
      path: PathSegment[];
      args: { constraint: string; value: number; bound: number };
    }
  | {
      /** A quality bound on a design the scaling law was not fitted for. */
      code: 'outside_fitted_range';
      path: PathSegment[];
      args: { constraint: string; factor: number };
    }
  | {
      /** The loss-delta bound, printed to four decimals (the differences are small). */
      code: 'loss_below_min' | 'loss_above_max';
      path: PathSegment[];
      args: { constraint: string; value: number; bound: number };
    }
  | {
      /** The fullest GPU of the best layout does not fit the GPU. */
      code: 'gpu_memory';
      path: PathSegment[];
      args: { constraint: string; perGpuBytes: number; gpuBytes: number; count: number; gpu: string; layout: string };
    }
  | {
      /** The fullest training GPU does not hold its share, or no training layout is legal. */
      code: 'train_gpu_memory';
      path: PathSegment[];
      args: { constraint: string; perGpuBytes: number; gpuBytes: number; count: number; gpu: string; layout: string };
    };

function styled(x: number, style: ValueStyle): string {
  return style === 'bytes' ? formatBytes(x) : style === 'ratio' ? formatRatio(x) : formatCount(x);
}

/** One finding explained with its value and bound, e.g. `vram 310 GB > budget 80 GB`. */
export function formatFinding(f: Finding): string {
  switch (f.code) {
    case 'below_min':
      return `${f.args.constraint} ${styled(f.args.value, f.args.style)} < min ${styled(f.args.bound, f.args.style)}`;
    case 'above_max':
      return `${f.args.constraint} ${styled(f.args.value, f.args.style)} > max ${styled(f.args.bound, f.args.style)}`;
    case 'over_budget':
      return `${f.args.constraint} ${formatBytes(f.args.value)} > budget ${formatBytes(f.args.bound)}`;
    case 'outside_fitted_range':
      return `${f.args.constraint}: x${Math.round(f.args.factor)} outside the scaling law's fitted range, so a quality bound cannot judge it`;
    case 'loss_below_min':
      return `${f.args.constraint} ${f.args.value.toFixed(4)} < min ${f.args.bound}`;
    case 'loss_above_max':
      return `${f.args.constraint} ${f.args.value.toFixed(4)} > max ${f.args.bound}`;
    case 'gpu_memory':
      if (!Number.isFinite(f.args.perGpuBytes))
        return `no valid EP × TP layout of ${f.args.count} × ${f.args.gpu} (${f.args.layout})`;
      return `fullest GPU ${formatBytes(f.args.perGpuBytes)} > ${formatBytes(f.args.gpuBytes)} on ${f.args.count} × ${f.args.gpu} (${f.args.layout})`;
    case 'train_gpu_memory':
      return Number.isFinite(f.args.perGpuBytes)
        ? `fullest training GPU ${formatBytes(f.args.perGpuBytes)} > ${formatBytes(f.args.gpuBytes)} on ${f.args.count} × ${f.args.gpu} (${f.args.layout})`
        : `no legal training layout on ${f.args.count} × ${f.args.gpu} (${f.args.layout})`;
  }
}

/** Several findings on one line. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings.map(formatFinding).join('; ');
}
