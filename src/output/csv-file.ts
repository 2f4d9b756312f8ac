// Streams results.csv: header, named designs, then the grid in grid order, formatted by the workers
// in slices and written in order with backpressure, so memory does not grow with the grid.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { CSV_COLUMNS, CSV_HEADER, SPREADSHEET_ROW_LIMIT, stringifyRow, type CsvMode } from '../csv/columns.js';
import {
  DESIGN_COLUMNS,
  HARDWARE_COLUMNS,
  QUALITY_COLUMNS,
  SERVING_COLUMNS,
  TRAINING_COST_COLUMNS,
} from '../metrics/registry.js';
import type { EvaluatorPool } from '../pool/pool.js';
import { formatIndicesBytes, formatSliceBytes } from '../csv/rows.js';
import { chunkRanges, inOrder } from '../pool/scheduler.js';
import type { DesignResult, SweepResult } from '../sweep/types.js';

export interface CsvChoice {
  mode: CsvMode;
  /** Why the mode differs from what was asked, for the terminal. */
  note?: string;
}

/** `all` unless that would not open in a spreadsheet; then `feasible`, and the terminal says so. */
export function chooseCsvMode(result: SweepResult, requested?: CsvMode): CsvChoice {
  if (requested) return { mode: requested };
  const rows = result.designs.length + result.counts.evaluated;
  if (rows + 1 <= SPREADSHEET_ROW_LIMIT) return { mode: 'all' };
  return {
    mode: 'feasible',
    note: `results.csv holds the feasible designs only: all ${rows.toLocaleString('en-US')} rows would pass a spreadsheet's ${SPREADSHEET_ROW_LIMIT.toLocaleString('en-US')}-row limit (--csv all writes them anyway)`,
  };
}

/** A named design's row. It is not a grid point, so the swept architecture fields' cells are empty. */
export function designRow(d: DesignResult, spec: SweepResult['spec']): string {
  const quality = d.quality
    ? [d.quality.loss_delta_vs_dense, d.quality.dense_equivalent_params ?? '', d.quality.quality_domain]
    : [];
  const fields = archColumns(spec).map(() => '');
  const s = d.serving;
  const serving = s ? SERVING_COLUMNS.map((c) => s[c]!) : [];
  const hardware =
    s && spec.hardware
      ? HARDWARE_COLUMNS.map((c) => {
          const v = (s as Record<string, number | string | undefined>)[c as string]!;
          // unbounded counts print empty, as in the grid's rows
          return typeof v === 'number' && !Number.isFinite(v) ? '' : v;
        })
      : [];
  const t = d.training;
  const training = t
    ? [
        t.train_flops,
        t.train_mfu,
        t.train_gpu_hours,
        t.train_days,
        Number.isNaN(t.train_cost) ? '' : t.train_cost,
        t.train_layout,
        Number.isFinite(t.train_memory_per_gpu) ? t.train_memory_per_gpu : '',
        t.train_fits,
      ]
    : [];
  return stringifyRow([
    d.name,
    d.experts,
    d.top_k,
    d.expert_params,
    d.shared_params,
    ...DESIGN_COLUMNS.map((m) => d.metrics[m]),
    d.feasible,
    d.pareto,
    d.violations.join(';'),
    ...quality,
    ...fields,
    ...serving,
    ...hardware,
    ...training,
  ]);
}

/** The architecture fields an architecture grid sweeps, beside experts and top_k (which have their own columns). */
export function archColumns(spec: SweepResult['spec']): string[] {
  return (spec.architecture?.axes ?? [])
    .map((a) => a.field)
    .filter((f) => f !== 'num_experts' && f !== 'num_experts_per_tok');
}

/** The header: the design columns, then those of training:, the swept architecture fields, serving: and hardware:. */
export function csvHeader(result: SweepResult): string {
  const spec = result.spec;
  const extra = [
    ...(spec.training ? QUALITY_COLUMNS : []),
    ...archColumns(spec),
    ...(spec.serving ? SERVING_COLUMNS : []),
    ...(spec.hardware ? HARDWARE_COLUMNS : []),
    ...(spec.trainingCost ? TRAINING_COST_COLUMNS : []),
  ];
  return extra.length ? `${[...CSV_COLUMNS, ...extra].join(',')}\n` : CSV_HEADER;
}

function keeps(mode: CsvMode, feasible: boolean, pareto: boolean): boolean {
  return mode === 'all' || (mode === 'feasible' ? feasible : pareto);
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Grid indices in [start, end) whose feasibility bit is set, ascending. */
export function feasibleIndices(
  bitmaps: NonNullable<SweepResult['feasibleBits']>,
  start: number,
  end: number,
): Float64Array {
  const out: number[] = [];
  for (const { start: s, end: e, bits } of bitmaps) {
    if (e <= start || s >= end) continue;
    for (let i = Math.max(s, start); i < Math.min(e, end); ) {
      const offset = i - s;
      const byte = bits[offset >> 3]!;
      if (byte === 0 && (offset & 7) === 0) {
        i += 8; // a whole byte of infeasible points
        continue;
      }
      if (byte & (1 << (offset & 7))) out.push(i);
      i++;
    }
  }
  return Float64Array.from(out);
}

/** About how many bytes of CSV one batch of known rows holds (12 bytes a cell, a rough mean). */
const BATCH_BYTES = 2_500_000;

function csvColumns(result: SweepResult): number {
  return csvHeader(result).split(',').length;
}

async function write(stream: WriteStream, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

export interface CsvWriteOptions {
  pool?: EvaluatorPool;
  workers: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Writes the CSV and returns how many data rows it holds. */
export async function writeResultsCsv(
  result: SweepResult,
  file: string,
  mode: CsvMode,
  options: CsvWriteOptions,
): Promise<number> {
  const stream = createWriteStream(file);
  let rows = 0;
  try {
    await write(stream, csvHeader(result));
    for (const d of result.designs) {
      if (!keeps(mode, d.feasible, d.pareto)) continue;
      await write(stream, designRow(d, result.spec));
      rows++;
    }
    const plan = result.plan;
    if (plan && result.range[1] > result.range[0]) {
      const front = result.frontGridIndex;
      const slices = chunkRanges(result.range[1] - result.range[0], options.workers, 1 << 14, 1 << 12, result.range[0]);
      const frontIn = (start: number, end: number) => front.slice(lowerBound(front, start), lowerBound(front, end));
      rows += mode === 'all' ? result.counts.evaluated : mode === 'feasible' ? result.counts.feasible : front.length;
      const progress = (end: number) => options.onProgress?.(end - result.range[0], result.range[1] - result.range[0]);
      const bitmaps = result.feasibleBits;
      if (mode === 'all' || (mode === 'feasible' && !bitmaps)) {
        // Every point of each slice is visited: slices of 16K points.
        const format = ([start, end]: [number, number]) => {
          if (!options.pool) {
            options.signal?.throwIfAborted(); // no pool to cancel the slice: the interrupt is seen here
            return Promise.resolve(formatSliceBytes(plan, start, end, mode, frontIn(start, end)));
          }
          return options.pool.formatCsv(
            { kind: 'csv', plan, start, end, mode, front: frontIn(start, end) },
            options.signal,
          );
        };
        await inOrder(slices, Math.max(2, options.workers * 2), format, async (bytes, [, end]) => {
          if (bytes.length > 0) await write(stream, bytes);
          progress(end);
        });
      } else {
        // The rows are known from the evaluation pass: hand the workers batches of about 16K rows, or
        // fewer when rows are wide (an architecture sweep with hardware has 35 columns), so the
        // formatted batches in flight stay a few MB each.
        const rowLimit = Math.max(1024, Math.min(1 << 14, Math.floor(BATCH_BYTES / (12 * csvColumns(result)))));
        const batches = function* (): Generator<{ indices: Float64Array; end: number }> {
          let batch: Float64Array[] = [];
          let size = 0;
          for (const [start, end] of slices) {
            const indices = mode === 'pareto' ? frontIn(start, end) : feasibleIndices(bitmaps!, start, end);
            if (indices.length > 0) {
              batch.push(indices);
              size += indices.length;
            }
            if (size >= rowLimit || end === result.range[1]) {
              const all = new Float64Array(size);
              let offset = 0;
              for (const part of batch) {
                all.set(part, offset);
                offset += part.length;
              }
              yield { indices: all, end };
              batch = [];
              size = 0;
            }
          }
        };
        const format = ({ indices }: { indices: Float64Array }) => {
          if (indices.length === 0) return Promise.resolve(new Uint8Array(0));
          const mine = frontIn(indices[0]!, indices[indices.length - 1]! + 1);
          if (!options.pool) {
            options.signal?.throwIfAborted();
            return Promise.resolve(formatIndicesBytes(plan, indices, mine));
          }
          return options.pool.formatCsv({ kind: 'csv-indices', plan, indices, front: mine }, options.signal);
        };
        await inOrder(batches(), Math.max(2, options.workers * 2), format, async (bytes, { end }) => {
          if (bytes.length > 0) await write(stream, bytes);
          progress(end);
        });
      }
    }
  } finally {
    stream.end();
    await once(stream, 'close');
  }
  return rows;
}
