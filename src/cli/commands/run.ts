// `moe-sweep SPEC`: load, evaluate, write the outputs, print a summary, return the exit code.
import { dirname, relative, resolve } from 'node:path';
import { prefetchSpecConfigs } from '../../catalog/config-file.js';
import type { CsvMode } from '../../csv/columns.js';
import type { EvaluatorPool } from '../../pool/pool.js';
import { defaultWorkers } from '../../pool/workers.js';
import { runsInThread } from '../../pool/in-thread.js';
import { failureAnnotations } from '../../output/annotations.js';
import { preloadCharts } from '../../output/report/charts.js';
import { preloadTemplate } from '../../output/report/html.js';
import { checkOutDir, writeOutputs } from '../../output/outputs.js';
import { mergeShards, parseShard, shardRange, type ShardId } from '../../output/shard.js';
import { InputError, oneLine } from '../../findings/errors.js';
import { parseSpec, readSpecText } from '../../spec/load.js';
import type { SweepSpec } from '../../spec/types.js';
import type { Catalog } from '../../catalog/index.js';
import { archColumns } from '../../output/csv-file.js';
import { gridPoints, hasGrid } from '../../sweep/plan.js';
import { designReasons } from '../../sweep/findings.js';
import { isGeneral } from '../../sweep/design.js';
import { runSweep } from '../../sweep/run.js';
import type { SweepResult } from '../../sweep/types.js';
import { formatBytes, formatCount, formatPercent } from '../../formats/units.js';
import { table, type Io } from '../io.js';
import { Progress } from '../progress.js';

export interface RunOptions {
  out?: string;
  workers?: number;
  csv?: CsvMode;
  json?: boolean;
  quiet?: boolean;
  maxPoints?: number;
  reporter?: 'junit';
  /** "I/N": evaluate shard I of N only. */
  shard?: string;
  /** false with --no-report: write results.csv and summary.json, no report.html. */
  report?: boolean;
  signal?: AbortSignal;
}

const TERMINAL_FRONT_ROWS = 8;

function terminalSummary(
  result: SweepResult,
  outDir: string,
  io: Io,
  rows: number,
  exitCode: number,
  note?: string,
  report = true,
): string {
  const { spec, counts } = result;
  const lines: string[] = [];
  const n = (x: number) => x.toLocaleString('en-US');
  if (hasGrid(spec)) {
    lines.push(
      `${spec.name}: ${n(counts.points)} grid points · ${n(counts.evaluated)} evaluated · ${n(counts.skipped)} skipped (top_k > experts) · ${n(counts.feasible)} feasible · ${n(counts.front)} on the Pareto front`,
    );
  } else lines.push(`${spec.name}: ${n(result.designs.length)} named designs · ${n(counts.front)} on the Pareto front`);
  if (result.designs.length > 0) {
    lines.push('', 'named designs');
    lines.push(
      table(
        ['design', 'verdict', 'total', 'active', 'ratio', 'vram', 'fails'],
        result.designs.map((d, i) => [
          oneLine(d.name),
          d.feasible ? 'pass' : 'FAIL',
          formatCount(d.metrics.total_params),
          formatCount(d.metrics.active_params),
          formatPercent(d.metrics.active_ratio),
          formatBytes(d.metrics.vram_bytes),
          designReasons(result.spec, d, i),
        ]),
        2,
      ),
    );
  }
  if (result.front.length > 0) {
    const objectives = spec.objectives.map((o) => `${o.sense} ${o.metric}`).join(', ');
    const shown = result.front.slice(0, TERMINAL_FRONT_ROWS);
    lines.push(
      '',
      `Pareto front (${objectives})${result.front.length > shown.length ? `, first ${shown.length} of ${n(result.front.length)}` : ''}`,
    );
    const quality = spec.training !== undefined;
    const fields = archColumns(spec);
    const hardware = spec.hardware !== undefined;
    lines.push(
      table(
        [
          'design',
          'experts',
          'top_k',
          ...fields,
          'expert',
          'shared',
          'total',
          'active',
          'ratio',
          'vram',
          ...(quality ? ['Δloss vs dense', 'dense equiv.', 'domain'] : []),
          ...(hardware ? ['fullest GPU', 'tokens/s ≤'] : []),
          ...(spec.trainingCost ? ['train days', 'train cost', 'train GPU'] : []),
        ],
        shown.map((f) => [
          f.design ? oneLine(f.design) : '(grid)',
          String(f.experts),
          String(f.top_k),
          ...fields.map((c) => (f.fields?.[c] === undefined ? '' : String(f.fields[c]))),
          formatCount(f.expert_params),
          formatCount(f.shared_params),
          formatCount(f.metrics.total_params),
          formatCount(f.metrics.active_params),
          formatPercent(f.metrics.active_ratio),
          formatBytes(f.metrics.vram_bytes),
          ...(f.quality
            ? [
                f.quality.loss_delta_vs_dense.toFixed(4),
                f.quality.dense_equivalent_params === null ? '–' : formatCount(f.quality.dense_equivalent_params),
                f.quality.quality_domain,
              ]
            : []),
          ...(hardware && f.serving
            ? [formatBytes(f.serving.per_gpu_bytes!), formatCount(f.serving.decode_tokens_per_s!)]
            : []),
          ...(f.training
            ? [
                f.training.train_days.toFixed(1),
                Number.isNaN(f.training.train_cost) ? '' : formatCount(f.training.train_cost),
                Number.isFinite(f.training.train_memory_per_gpu) ? formatBytes(f.training.train_memory_per_gpu) : '–',
              ]
            : []),
        ]),
      ),
    );
  }
  const where = relative(io.cwd, outDir) || '.';
  lines.push(
    '',
    `wrote ${where}/results.csv (${n(rows)} rows), ${where}/summary.json${report ? `, ${where}/report.html` : ''}`,
  );
  if (note) lines.push(`note: ${note}`);
  const failed = result.designs.filter((d) => !d.feasible).map((d) => d.name);
  const why: string[] = [];
  if (failed.length)
    why.push(
      `named design${failed.length > 1 ? 's' : ''} ${failed.join(', ')} fail${failed.length > 1 ? '' : 's'} a constraint`,
    );
  if (hasGrid(spec) && counts.feasible === 0) why.push('no grid design is feasible');
  lines.push(
    exitCode === 0
      ? 'exit 0: every named design passes and the grid has feasible designs'
      : `exit 1: ${why.join('; ')}`,
  );
  return `${lines.join('\n')}\n`;
}

export function defaultOutDir(spec: SweepSpec, cwd: string): string {
  return resolve(cwd, 'reports', spec.name);
}

export async function runCommand(specFile: string, options: RunOptions, io: Io, catalog: Catalog): Promise<number> {
  const t0 = performance.now();
  const loadMs = t0;
  const path = resolve(io.cwd, specFile);
  const specText = readSpecText(path, specFile);
  const env = io.env ?? process.env;
  await prefetchSpecConfigs(specText, dirname(path), env);
  const spec = parseSpec(specText, specFile, { maxPoints: options.maxPoints, catalog, env });
  const shard = options.shard ? parseShard(options.shard) : undefined;
  if (shard && !hasGrid(spec)) throw new InputError(`${specFile}: --shard splits the grid, and this spec has none`);
  const outDir = options.out
    ? resolve(io.cwd, options.out)
    : shard
      ? resolve(io.cwd, 'reports', `${spec.name}.shard-${shard.index}-of-${shard.count}`)
      : defaultOutDir(spec, io.cwd);
  checkOutDir(outDir);
  const parseMs = performance.now() - t0;
  const workers = options.workers ?? defaultWorkers();
  const range = shard ? shardRange(gridPoints(spec), shard) : undefined;
  const points = range ? range[1] - range[0] : gridPoints(spec);
  const pool = hasGrid(spec) && !runsInThread(points, isGeneral(spec)) ? await startPool(workers) : undefined;
  if (!shard && options.report !== false) preloadReport(catalog);
  try {
    const evalProgress = new Progress(io, 'evaluating', io.isTTY && !options.quiet && !options.json);
    const result = await runSweep(spec, {
      workers,
      pool,
      range,
      signal: options.signal,
      onProgress: (d, t, f) => evalProgress.update(d, t, f),
      // the plot bins and points are the report's alone (a shard's go to merge, which draws it)
      plot: shard !== undefined || options.report !== false,
    });
    evalProgress.done();
    return await finish(
      result,
      { ...options, shardWrite: shard ? { id: shard, specText } : undefined },
      outDir,
      pool,
      workers,
      io,
      // load_ms: from the process's start to this command's (Node's start-up and module loading),
      // which means something when the CLI is its own process.
      { load_ms: Math.round(loadMs), parse_ms: Math.round(parseMs) },
      catalog,
    );
  } finally {
    await pool?.close();
  }
}

/** `moe-sweep merge SHARD_DIR…`: what a single run of the spec would have written. */
export async function mergeCommand(dirs: string[], options: RunOptions, io: Io, catalog: Catalog): Promise<number> {
  const workers = options.workers ?? defaultWorkers();
  const { spec, result } = mergeShards(dirs, workers, io.cwd, catalog);
  const outDir = options.out ? resolve(io.cwd, options.out) : defaultOutDir(spec, io.cwd);
  checkOutDir(outDir);
  const pool = runsInThread(result.range[1] - result.range[0], isGeneral(spec)) ? undefined : await startPool(workers);
  try {
    return await finish(result, options, outDir, pool, workers, io, { parse_ms: 0 }, catalog);
  } finally {
    await pool?.close();
  }
}

/**
 * Starts what drawing the report needs while the workers evaluate: vega and vega-lite, the template,
 * and the presets and scaling laws the report shows (parsed once the evaluation has been handed out).
 * A failure here is left for the report to meet again and report.
 */
function preloadReport(catalog: Catalog): void {
  preloadCharts();
  preloadTemplate().catch(() => undefined);
  setImmediate(() => {
    try {
      void catalog.presets;
      void catalog.laws;
    } catch {
      // read again, and reported, when the report is drawn
    }
  });
}

/** The worker pool, loaded only when a grid is large enough to need it (pool/in-thread.ts). */
async function startPool(workers: number): Promise<EvaluatorPool> {
  const { EvaluatorPool } = await import('../../pool/pool.js');
  return new EvaluatorPool(workers);
}

async function finish(
  result: SweepResult,
  options: RunOptions & { shardWrite?: { id: ShardId; specText: string } },
  outDir: string,
  pool: EvaluatorPool | undefined,
  workers: number,
  io: Io,
  timings: Record<string, number>,
  catalog: Catalog,
): Promise<number> {
  const csvProgress = new Progress(io, 'writing CSV', io.isTTY && !options.quiet && !options.json);
  const written = await writeOutputs(result, {
    outDir,
    csvMode: options.csv,
    pool,
    workers,
    signal: options.signal,
    onCsvProgress: (d, t) => csvProgress.update(d, t),
    timings,
    junit: options.reporter === 'junit',
    shard: options.shardWrite,
    catalog,
    report: options.report,
  });
  csvProgress.done();
  if (options.shardWrite) {
    // A shard has no verdict of its own: the grid's feasibility is known only after the merge.
    const { index, count } = options.shardWrite.id;
    if (options.json) io.stdout(`${JSON.stringify(written.summary, null, 2)}\n`);
    else if (!options.quiet) {
      const c = result.counts;
      const where = relative(io.cwd, written.outDir) || '.';
      io.stdout(
        `${result.spec.name} shard ${index}/${count}: grid indices ${result.range[0].toLocaleString('en-US')}…${(result.range[1] - 1).toLocaleString('en-US')} · ${c.evaluated.toLocaleString('en-US')} evaluated · ${c.feasible.toLocaleString('en-US')} feasible\nwrote ${where}/ (results.csv, summary.json, shard.json, feasible.bin); combine all ${count} with: moe-sweep merge DIR... --out DIR\n`,
      );
    }
    return 0;
  }
  if (options.json) io.stdout(`${JSON.stringify(written.summary, null, 2)}\n`);
  else {
    if (!options.quiet)
      io.stdout(
        terminalSummary(
          result,
          written.outDir,
          io,
          written.summary.csv.rows,
          written.exitCode,
          written.csvNote,
          written.files.report !== undefined,
        ),
      );
    if (io.env?.GITHUB_ACTIONS === 'true') io.stdout(failureAnnotations(result));
  }
  return written.exitCode;
}
