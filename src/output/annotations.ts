// GitHub Actions workflow commands: `::error file=…,line=…::message` puts a failure on the spec's line
// in the pull request. Used when GITHUB_ACTIONS=true.
import { hasGrid } from '../sweep/plan.js';
import type { SweepResult } from '../sweep/types.js';
import { designReasons } from '../sweep/findings.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(file: string, line: number, message: string, col?: number): string {
  const where = [`file=${escapeProperty(file)}`, `line=${line}`, ...(col ? [`col=${col}`] : [])].join(',');
  return `::error ${where}::${escapeData(message)}\n`;
}

export function failureAnnotations(result: SweepResult): string {
  let out = '';
  result.designs.forEach((d, i) => {
    if (d.feasible) return;
    const reasons = designReasons(result.spec, d, i);
    out += annotation(result.spec.file, d.line, `moe-sweep: design ${d.name} fails ${reasons}`);
  });
  if (hasGrid(result.spec) && result.counts.feasible === 0) {
    out += annotation(
      result.spec.file,
      result.spec.gridLine ?? 1,
      `moe-sweep: no grid design is feasible (${result.counts.evaluated.toLocaleString('en-US')} evaluated)`,
    );
  }
  return out;
}
