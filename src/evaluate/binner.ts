// The plot's 2-D histogram of evaluated and feasible points, counted while a slice is evaluated.
import type { GridAxes } from '../grid/axes.js';
import type { PlotBins } from './plan.js';

/** An empty bin table, so a loop reads the same type whether or not the plan asks for bins. */
export const NO_TABLE = new Int32Array(0);

/**
 * 2-D histogram over log10(total) × log10(active). Two log10 per point would cost more than the rest
 * of the evaluation, so bin numbers are tabulated: the total's bin depends on (experts, expert, shared)
 * only, the active's on (top_k, expert, shared) only, and each table is reused across the other axis
 * and across slices. Whole tables are built only when the slice is big enough to pay for them;
 * otherwise a block gets entries for its own points. The active table holds its bin times nx, so a
 * point's bin is a sum.
 */
export class Binner {
  readonly counts: Float64Array;
  readonly half: number;
  total: Int32Array = NO_TABLE;
  active: Int32Array = NO_TABLE;
  private readonly tables: BinTables | undefined;

  constructor(
    private readonly b: PlotBins,
    private readonly axes: GridAxes,
    sliceLength: number,
  ) {
    this.half = b.nx * b.ny;
    this.counts = new Float64Array(2 * this.half);
    if (axes.expert_params.length * axes.shared_params.length * 4 <= sliceLength) this.tables = binTables(b, axes);
  }

  /**
   * Readies `total` and `active` for a block's `count` points from (ix, is) on; returns the first one's position in
   * them.
   */
  prepare(ie: number, ik: number, ix: number, is: number, count: number): number {
    const { b, axes, tables } = this;
    const e = axes.experts[ie]!;
    const k = axes.top_k[ik]!;
    if (tables) {
      this.total = tables.get(tables.total, e, b.x0, b.x1, b.nx, 1);
      this.active = tables.get(tables.active, k, b.y0, b.y1, b.ny, b.nx);
      return ix * axes.shared_params.length + is;
    }
    if (this.total.length < count) {
      this.total = new Int32Array(count);
      this.active = new Int32Array(count);
    }
    fillBins(this.total, axes, e, b.x0, b.x1, b.nx, 1, ix, is, count);
    fillBins(this.active, axes, k, b.y0, b.y1, b.ny, b.nx, ix, is, count);
    return 0;
  }
}

/** Whole bin tables of one plan, by experts (total) and top_k (active) value, kept from slice to slice. */
class BinTables {
  readonly total = new Map<number, Int32Array>();
  readonly active = new Map<number, Int32Array>();

  constructor(
    readonly key: string,
    private readonly axes: GridAxes,
  ) {}

  get(
    tables: Map<number, Int32Array>,
    multiplier: number,
    lo: number,
    hi: number,
    n: number,
    scale: number,
  ): Int32Array {
    let table = tables.get(multiplier);
    if (table) return table;
    const whole = this.axes.expert_params.length * this.axes.shared_params.length;
    // A bound on memory (grids with many experts values would otherwise keep a table for each); slices
    // run in grid order, so the tables dropped are mostly ones no later slice needs.
    if ((tables.size + 1) * whole > BIN_TABLE_ENTRIES) tables.clear();
    tables.set(
      multiplier,
      (table = fillBins(new Int32Array(whole), this.axes, multiplier, lo, hi, n, scale, 0, 0, whole)),
    );
    return table;
  }
}

/** Per kind of table; 8 MB each. */
const BIN_TABLE_ENTRIES = 1 << 21;
let lastBinTables: BinTables | undefined;

function binTables(b: PlotBins, axes: GridAxes): BinTables {
  const key = `${b.nx} ${b.ny} ${b.x0} ${b.x1} ${b.y0} ${b.y1}|${axes.expert_params.join()}|${axes.shared_params.join()}`;
  if (lastBinTables?.key !== key) lastBinTables = new BinTables(key, axes);
  return lastBinTables;
}

/** Bin numbers (times `scale`) of log10(shared + multiplier × expert) for `count` points from (ix, is) on. */
function fillBins(
  out: Int32Array,
  axes: GridAxes,
  multiplier: number,
  lo: number,
  hi: number,
  n: number,
  scale: number,
  ix: number,
  is: number,
  count: number,
): Int32Array {
  const X = axes.expert_params;
  const S = axes.shared_params;
  for (let t = 0; t < count; t++) {
    out[t] = binOf(Math.log10(S[is]! + multiplier * X[ix]!), lo, hi, n) * scale;
    if (++is === S.length) {
      is = 0;
      ix++;
    }
  }
  return out;
}

export function binOf(v: number, lo: number, hi: number, n: number): number {
  if (hi <= lo) return 0;
  const b = Math.floor(((v - lo) / (hi - lo)) * n);
  return b < 0 ? 0 : b >= n ? n - 1 : b;
}
