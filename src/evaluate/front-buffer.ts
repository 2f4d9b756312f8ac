// A slice's local Pareto front, kept as the feasible points come instead of from all of them at the
// end.
//
// A sweep with hundreds of thousands of feasible points per slice but a front of a few hundred would
// otherwise hold every candidate and sort them all. Here the front so far is an archive: a point
// strictly dominated by an archive point is dropped on arrival, and a point that is not removes the
// archive points it dominates and joins. The result is the front of all the points (a point
// strictly dominated by another feasible point is on no front, and it dominates nothing its
// dominator does not also dominate); duplicates of a front point are never strictly dominated, so
// they all stay, and NaN ranks worst, as in paretoFront; the answer is paretoFront's of the archive. Past ARCHIVE_LIMIT front points the archive
// would cost too much per point: candidates are then only collected, and cut to their front with
// paretoFront whenever they fill a buffer.
import { Growable } from './growable.js';
import { localFront, paretoFront } from './pareto.js';

/** Front points the archive holds before it gives way to collecting. */
const ARCHIVE_LIMIT = 2048;
/** Collected candidates between cuts to their front. */
const CUT_LIMIT = 1 << 16;

export class FrontBuffer {
  private readonly nObj: number;
  /** Archive: grid indices and objectives (row-major), `size` of them. */
  private index = new Float64Array(64);
  private obj: Float64Array;
  /** The same objectives with NaN as Infinity (paretoFront ranks NaN worst), for the comparisons. */
  private cmp: Float64Array;
  private readonly ranked: Float64Array;
  private size = 0;
  /** Collecting mode, once the archive outgrows ARCHIVE_LIMIT. */
  private collected: { index: Growable; objectives: Growable[] } | undefined;

  /** `collectAll`: objectives that may be infinite or NaN (see `add`): collect from the start. */
  constructor(nObj: number, collectAll = false) {
    this.nObj = nObj;
    this.obj = new Float64Array(64 * Math.max(1, nObj));
    this.cmp = new Float64Array(this.obj.length);
    this.ranked = new Float64Array(nObj);
    // with no objective every point is on the front
    if (nObj === 0 || collectAll)
      this.collected = { index: new Growable(), objectives: Array.from({ length: nObj }, () => new Growable()) };
  }

  /** Offers a feasible point with its signed objective values `o` (all to be minimised). */
  add(index: number, o: Float64Array): void {
    if (this.collected) {
      this.collect(index, o);
      return;
    }
    const n = this.nObj;
    const r = this.ranked;
    let finite = true;
    for (let j = 0; j < n; j++) {
      r[j] = Number.isNaN(o[j]!) ? Infinity : o[j]!;
      if (!Number.isFinite(o[j]!)) finite = false;
    }
    if (!finite) {
      // paretoFront's order of infinite values is its own: from here on, collect
      this.startCollecting();
      this.collect(index, o);
      return;
    }
    const cmp = this.cmp;
    let size = this.size;
    for (let q = 0; q < size; q++) {
      if (dominates(cmp, q * n, r, n)) {
        // the archive point that dropped this one likely drops the next: move it first
        if (q > 0) this.swap(0, q);
        return;
      }
    }
    // drop the archive points the newcomer dominates
    let kept = 0;
    for (let q = 0; q < size; q++) {
      if (dominatedAt(cmp, q * n, r, n)) continue;
      if (kept !== q) this.move(q, kept);
      kept++;
    }
    size = kept;
    if (size === this.index.length) this.grow();
    this.index[size] = index;
    for (let j = 0; j < n; j++) {
      this.obj[size * n + j] = o[j]!;
      this.cmp[size * n + j] = r[j]!;
    }
    this.size = size + 1;
    if (this.size > ARCHIVE_LIMIT) this.startCollecting();
  }

  /**
   * The local front: grid indices ascending and their objectives, row-major. localFront of the
   * archive, which holds every point no candidate strictly dominates: the same answer as localFront
   * of every candidate (whose edge cases, such as an infinite objective, it then shares).
   */
  front(): [Float64Array, Float64Array] {
    if (this.collected) return localFront(this.collected.index, this.collected.objectives);
    const n = this.nObj;
    const order = Array.from({ length: this.size }, (_, i) => i).sort((a, b) => this.index[a]! - this.index[b]!);
    const index = new Growable();
    const objectives = Array.from({ length: n }, () => new Growable());
    for (const q of order) {
      index.push(this.index[q]!);
      for (let j = 0; j < n; j++) objectives[j]!.push(this.obj[q * n + j]!);
    }
    return localFront(index, objectives);
  }

  private swap(a: number, b: number): void {
    const n = this.nObj;
    const t = this.index[a]!;
    this.index[a] = this.index[b]!;
    this.index[b] = t;
    for (const v of [this.obj, this.cmp]) {
      for (let j = 0; j < n; j++) {
        const u = v[a * n + j]!;
        v[a * n + j] = v[b * n + j]!;
        v[b * n + j] = u;
      }
    }
  }

  private move(from: number, to: number): void {
    const n = this.nObj;
    this.index[to] = this.index[from]!;
    for (let j = 0; j < n; j++) {
      this.obj[to * n + j] = this.obj[from * n + j]!;
      this.cmp[to * n + j] = this.cmp[from * n + j]!;
    }
  }

  private grow(): void {
    const index = new Float64Array(this.index.length * 2);
    index.set(this.index);
    const obj = new Float64Array(this.obj.length * 2);
    obj.set(this.obj);
    const cmp = new Float64Array(this.cmp.length * 2);
    cmp.set(this.cmp);
    this.index = index;
    this.obj = obj;
    this.cmp = cmp;
  }

  /** From now on candidates are collected: the archive, in index order, is the first of them. */
  private startCollecting(): void {
    const n = this.nObj;
    const order = Array.from({ length: this.size }, (_, i) => i).sort((a, b) => this.index[a]! - this.index[b]!);
    const c = { index: new Growable(), objectives: Array.from({ length: n }, () => new Growable()) };
    for (const q of order) {
      c.index.push(this.index[q]!);
      for (let j = 0; j < n; j++) c.objectives[j]!.push(this.obj[q * n + j]!);
    }
    this.collected = c;
  }

  private collect(index: number, o: Float64Array): void {
    const c = this.collected!;
    c.index.push(index);
    for (let j = 0; j < this.nObj; j++) c.objectives[j]!.push(o[j]!);
    if (c.index.length < CUT_LIMIT || this.nObj === 0) return;
    const count = c.index.length;
    const keep = paretoFront(
      c.objectives.map((g) => g.data.subarray(0, count)),
      count,
    );
    for (let i = 0; i < keep.length; i++) {
      const p = keep[i]!;
      c.index.data[i] = c.index.data[p]!;
      for (const g of c.objectives) g.data[i] = g.data[p]!;
    }
    c.index.length = keep.length;
    for (const g of c.objectives) g.length = keep.length;
  }
}

/** Whether the point at `at` in `a` strictly dominates the point `b` (NaN already ranked as Infinity). */
function dominates(a: Float64Array, at: number, b: Float64Array, n: number): boolean {
  let strictly = false;
  for (let j = 0; j < n; j++) {
    const x = a[at + j]!;
    const y = b[j]!;
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}

/** Whether the point `b` strictly dominates the point at `at` in `a` (NaN already ranked as Infinity). */
function dominatedAt(a: Float64Array, at: number, b: Float64Array, n: number): boolean {
  let strictly = false;
  for (let j = 0; j < n; j++) {
    const x = a[at + j]!;
    const y = b[j]!;
    if (y > x) return false;
    if (y < x) strictly = true;
  }
  return strictly;
}
