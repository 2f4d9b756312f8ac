// `moe-sweep SPEC`: load, evaluate, write the outputs, print a summary, return the exit code.
import { relative, resolve } from 'node:path';
import type { CsvMode } from '../csv.js';
import { EvaluatorPool, defaultWorkers } from '../evaluate/pool.js';
import { failureAnnotations } from '../output/annotations.js';
import { checkOutDir, writeOutputs } from '../output/outputs.js';
import { loadSpec } from '../spec/load.js';
import type { SweepSpec } from '../spec/types.js';
import { runSweep, type DesignResult, type SweepResult } from '../sweep.js';
import { formatBytes, formatCount, formatPercent, formatRatio } from '../units.js';
import { table, type Io } from './io.js';
import { Progress } from './progress.js';

export interface RunOptions {
  out?: string;
  workers?: number;
  csv?: CsvMode;
  json?: boolean;
  quiet?: boolean;
  maxPoints?: number;
  reporter?: 'junit';
  signal?: AbortSignal;
}

const TERMINAL_FRONT_ROWS = 8;

function reasonText(result: SweepResult, d: DesignResult): string {
  return d.violations
    .map((name) => {
      const c = result.spec.constraints.find((k) => k.name === name)!;
      const metric = name === 'vram' ? 'vram_bytes' : name;
      const value = d.metrics[metric as keyof typeof d.metrics];
      const fmt = (x: number) => (metric.endsWith('_bytes') ? formatBytes(x) : metric.includes('ratio') || metric.includes('sparsity') || metric.includes('saving') ? formatRatio(x) : formatCount(x));
      return value < c.min ? `${name} ${fmt(value)} < min ${fmt(c.min)}` : `${name} ${fmt(value)} > ${name === 'vram' ? 'budget' : 'max'} ${fmt(c.max)}`;
    })
    .join('; ');
}

function terminalSummary(result: SweepResult, outDir: string, io: Io, rows: number, exitCode: number, note?: string): string {
  const { spec, counts } = result;
  const lines: string[] = [];
  const n = (x: number) => x.toLocaleString('en-US');
  if (spec.grid) {
    lines.push(
      `${spec.name}: ${n(counts.points)} grid points · ${n(counts.evaluated)} evaluated · ${n(counts.skipped)} skipped (top_k > experts) · ${n(counts.feasible)} feasible · ${n(counts.front)} on the Pareto front`,
    );
  } else lines.push(`${spec.name}: ${n(result.designs.length)} named designs · ${n(counts.front)} on the Pareto front`);
  if (result.designs.length > 0) {
    lines.push('', 'named designs');
    lines.push(
      table(
        ['design', 'verdict', 'total', 'active', 'ratio', 'vram', 'fails'],
        result.designs.map((d) => [d.name, d.feasible ? 'pass' : 'FAIL', formatCount(d.metrics.total_params), formatCount(d.metrics.active_params), formatPercent(d.metrics.active_ratio), formatBytes(d.metrics.vram_bytes), reasonText(result, d)]),
        2,
      ),
    );
  }
  if (result.front.length > 0) {
    const objectives = spec.objectives.map((o) => `${o.sense} ${o.metric}`).join(', ');
    const shown = result.front.slice(0, TERMINAL_FRONT_ROWS);
    lines.push('', `Pareto front (${objectives})${result.front.length > shown.length ? `, first ${shown.length} of ${n(result.front.length)}` : ''}`);
    lines.push(
      table(
        ['design', 'experts', 'top_k', 'expert', 'shared', 'total', 'active', 'ratio', 'vram'],
        shown.map((f) => [f.design || '(grid)', String(f.experts), String(f.top_k), formatCount(f.expert_params), formatCount(f.shared_params), formatCount(f.metrics.total_params), formatCount(f.metrics.active_params), formatPercent(f.metrics.active_ratio), formatBytes(f.metrics.vram_bytes)]),
      ),
    );
  }
  const where = relative(io.cwd, outDir) || '.';
  lines.push('', `wrote ${where}/results.csv (${n(rows)} rows), ${where}/summary.json, ${where}/report.html`);
  if (note) lines.push(`note: ${note}`);
  const failed = result.designs.filter((d) => !d.feasible).map((d) => d.name);
  const why: string[] = [];
  if (failed.length) why.push(`named design${failed.length > 1 ? 's' : ''} ${failed.join(', ')} fail${failed.length > 1 ? '' : 's'} a constraint`);
  if (spec.grid && counts.feasible === 0) why.push('no grid design is feasible');
  lines.push(exitCode === 0 ? 'exit 0: every named design passes and the grid has feasible designs' : `exit 1: ${why.join('; ')}`);
  return `${lines.join('\n')}\n`;
}

export function defaultOutDir(spec: SweepSpec, cwd: string): string {
  return resolve(cwd, 'reports', spec.name);
}

export async function runCommand(specFile: string, options: RunOptions, io: Io): Promise<number> {
  const t0 = performance.now();
  const spec = loadSpec(resolve(io.cwd, specFile), { maxPoints: options.maxPoints, displayName: specFile });
  const outDir = options.out ? resolve(io.cwd, options.out) : defaultOutDir(spec, io.cwd);
  checkOutDir(outDir);
  const parseMs = performance.now() - t0;
  const workers = options.workers ?? defaultWorkers();
  const showProgress = io.isTTY && !options.quiet && !options.json;
  const pool = spec.grid ? new EvaluatorPool(workers) : undefined;
  try {
    const evalProgress = new Progress(io, 'evaluating', showProgress);
    const result = await runSweep(spec, { workers, pool, signal: options.signal, onProgress: (d, t, f) => evalProgress.update(d, t, f) });
    evalProgress.done();
    const csvProgress = new Progress(io, 'writing CSV', showProgress);
    const written = await writeOutputs(result, {
      outDir,
      csvMode: options.csv,
      pool,
      workers,
      signal: options.signal,
      onCsvProgress: (d, t) => csvProgress.update(d, t),
      timings: { parse_ms: Math.round(parseMs) },
      junit: options.reporter === 'junit',
    });
    csvProgress.done();
    if (options.json) io.stdout(`${JSON.stringify(written.summary, null, 2)}\n`);
    else {
      if (!options.quiet) io.stdout(terminalSummary(result, written.outDir, io, written.summary.csv.rows, written.exitCode, written.csvNote));
      if (io.env?.GITHUB_ACTIONS === 'true') io.stdout(failureAnnotations(result));
    }
    return written.exitCode;
  } finally {
    await pool?.close();
  }
}
