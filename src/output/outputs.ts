// Writes results.csv, summary.json and report.html into a fresh temporary folder beside the target
// and moves them in only when all three are complete: a failed or interrupted run leaves the previous
// report as it was, never a half-written one.
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CsvMode } from '../csv/columns.js';
import type { EvaluatorPool } from '../pool/pool.js';
import { renderReport } from './report/html.js';
import { reportData } from './report/data.js';
import { loadCatalog, type Catalog } from '../catalog/index.js';
import { writeShardFiles, type ShardId } from './shard.js';
import { InputError } from '../findings/errors.js';
import type { SweepResult } from '../sweep/types.js';
import { chooseCsvMode, writeResultsCsv } from './csv-file.js';
import { junitXml } from './junit.js';
import { buildSummary, exitCodeOf, type Summary } from './summary.js';

export interface WriteOptions {
  outDir: string;
  csvMode?: CsvMode;
  pool?: EvaluatorPool;
  workers: number;
  signal?: AbortSignal;
  onCsvProgress?: (done: number, total: number) => void;
  /** Extra timings to record (the caller's own, e.g. spec parsing). */
  timings?: Record<string, number>;
  /** Also write junit.xml (`--reporter junit`). */
  junit?: boolean;
  /** A shard run: write shard.json and feasible.bin for `merge`, and no report. */
  shard?: { id: ShardId; specText: string };
  /** Presets and scaling laws the report shows (default: the package's own). */
  catalog?: Catalog;
  /** false: no report.html (`--no-report`), only results.csv and summary.json. */
  report?: boolean;
}

export interface WrittenOutputs {
  outDir: string;
  files: { csv: string; summary: string; report?: string; junit?: string };
  summary: Summary;
  exitCode: 0 | 1;
  csvNote?: string;
}

/** Refuses an --out that is an existing file before any work starts. */
export function checkOutDir(outDir: string): void {
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new InputError(`${outDir}: exists and is not a folder; --out must name a folder`);
  }
}

/** Up to this many CSV rows the report is drawn during the CSV pass. */
const CONCURRENT_REPORT_ROWS = 2_000_000;

function csvRows(result: SweepResult, mode: CsvMode): number {
  return (
    result.designs.length +
    (mode === 'all' ? result.counts.evaluated : mode === 'feasible' ? result.counts.feasible : result.counts.front)
  );
}

async function timed<T>(work: () => Promise<T>, done: (ms: number) => void): Promise<T> {
  const t = performance.now();
  const value = await work();
  done(performance.now() - t);
  return value;
}

export async function writeOutputs(result: SweepResult, options: WriteOptions): Promise<WrittenOutputs> {
  const outDir = resolve(options.outDir);
  checkOutDir(outDir);
  mkdirSync(dirname(outDir), { recursive: true });
  const tmp = join(dirname(outDir), `.${basename(outDir)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  try {
    const exitCode = exitCodeOf(result);
    const { mode, note } = chooseCsvMode(result, options.csvMode);
    // The report is drawn on this thread while the workers format the CSV, unless the CSV is large:
    // drawing beside a 10^8-point CSV pass raised peak memory past 500 MB.
    const t0 = performance.now();
    const drawsReport = !options.shard && options.report !== false;
    const beside = drawsReport && csvRows(result, mode) <= CONCURRENT_REPORT_ROWS;
    let reportMs = 0;
    const draw = () =>
      timed(
        async () => {
          const data = reportData(result, options.catalog ?? loadCatalog());
          return renderReport({ result, data, exitCode, csvFile: 'results.csv', csvNote: note });
        },
        (ms) => (reportMs = ms),
      );
    const drawing = beside ? draw() : undefined;
    drawing?.catch(() => undefined); // awaited below; a CSV failure must not leave it unhandled
    const rows = await writeResultsCsv(result, join(tmp, 'results.csv'), mode, {
      pool: options.pool,
      workers: options.workers,
      signal: options.signal,
      onProgress: options.onCsvProgress,
    });
    const csvMs = performance.now() - t0;
    const html = drawsReport ? await (drawing ?? draw()) : '';
    const names = ['results.csv', 'summary.json'];
    if (options.shard) names.push(...writeShardFiles(result, options.shard.specText, options.shard.id, tmp));
    else if (drawsReport) {
      writeFileSync(join(tmp, 'report.html'), html);
      names.push('report.html');
    }
    const summaryStart = performance.now();
    const summary = buildSummary(result, {
      csv: { file: 'results.csv', mode, rows, ...(note ? { note } : {}) },
      exit_code: exitCode,
      // By phase, in order; the report is drawn while the workers format the CSV (`beside`), so then
      // csv_ms and report_ms overlap. summary_ms is building summary.json, which holds it: it stops
      // when the object is built, before the file is written.
      timings: {
        ...options.timings,
        ...result.timings,
        csv_ms: Math.round(csvMs),
        report_ms: Math.round(reportMs),
        report_beside_csv: beside,
      },
    });
    summary.timings.summary_ms = Math.round(performance.now() - summaryStart);
    writeFileSync(join(tmp, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    if (options.junit) {
      writeFileSync(
        join(tmp, 'junit.xml'),
        junitXml(result, (performance.now() - t0 + result.timings.evaluate_ms) / 1000),
      );
      names.push('junit.xml');
    }
    swapIn(tmp, outDir, names);
    return {
      outDir,
      files: {
        csv: join(outDir, 'results.csv'),
        summary: join(outDir, 'summary.json'),
        ...(drawsReport ? { report: join(outDir, 'report.html') } : {}),
        ...(options.junit ? { junit: join(outDir, 'junit.xml') } : {}),
      },
      summary,
      exitCode,
      csvNote: note,
    };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Moves the finished files over the old ones, one atomic rename each. Other files in the folder are
 * left alone: --out may name a folder the user keeps other things in.
 */
function swapIn(tmp: string, outDir: string, names: readonly string[]): void {
  mkdirSync(outDir, { recursive: true });
  for (const name of names) renameSync(join(tmp, name), join(outDir, name));
  rmSync(tmp, { recursive: true, force: true });
}
