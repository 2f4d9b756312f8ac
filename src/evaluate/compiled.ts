// Compiled counts: a point's parameter counts and serving facts as polynomials over the swept
// fields, fitted at plan time (compile.ts) and evaluated here from typed arrays, with no object,
// Map or countParameters call per point.
//
// The representation is one coefficient tensor per output over a basis per grid dimension. A
// dimension's values fall into classes (the structural cases: a residue of the MoE layer period,
// shared experts present or not, a sliding window below or above the context, ...); within a class
// the basis is the powers u^0..u^D of a whole number u, an affine image of the value. A value's
// basis row is zero outside its class's block, so one tensor holds the polynomial of every case
// and the contraction below picks a point's case by itself.
//
// Exactness: compile.ts keeps a case only when every coefficient is a dyadic rational (k/2^j) and
// the sum of the absolute values of all terms, times the largest denominator, stays below 2^53.
// Every partial sum of the contraction is then a whole multiple of that denominator below 2^53,
// so every floating-point operation is exact, whatever its order, and the value equals the
// module-by-module count bit for bit (which compile.ts also checks at sample points).

/** Plain data (it crosses to the workers with the plan). */
export interface CompiledCounts {
  /** What each output is: expert_params, shared_params, then the numeric serving facts by key. */
  outputs: string[];
  /** Per dimension, outermost first: values in the grid, the class of each value and its u. */
  dims: CompiledDim[];
  /**
   * Coefficients, row-major over the dimensions' basis widths (outermost first) with the outputs
   * innermost: entry [b_0, …, b_{n-1}, o].
   */
  coef: Float64Array;
  /** Per class tuple (row-major over the dimensions' class counts): 1 when that case compiled. */
  caseOk: Uint8Array;
  /**
   * Points whose first_k_dense_replace is not below num_layers have no MoE layer (a case no
   * polynomial of the others covers): positions of the two fields in `dims` (-1 when fixed) and
   * their fixed values. Null when no grid point can be such.
   */
  allDense: { layersDim: number; denseDim: number; layers: number; dense: number } | null;
  /** What was compiled and what falls back, for --debug. */
  notes: string[];
}

export interface CompiledDim {
  size: number;
  /** Polynomial degree within every class (the basis width of a class is degree + 1). */
  degree: number;
  classes: number;
  /** Class of each value index. */
  classOf: Int32Array;
  /** Powers u^0..u^degree of each value index, row-major. */
  powers: Float64Array;
  /** Raw values (for the all-dense check). */
  values: Float64Array;
}

/** Basis width of a dimension: its classes times (degree + 1). */
export function basisWidth(d: CompiledDim): number {
  return d.classes * (d.degree + 1);
}

/**
 * Walks grid points in index order, keeping one partial contraction per dimension so that moving
 * to the next point redoes only the dimensions that changed (mostly the innermost one).
 */
export class CompiledWalker {
  /** Value index of each dimension at the current point. */
  readonly idx: Int32Array;
  private readonly target: Int32Array;
  private ready = false;
  /** The outputs at the current point (when `ok`). */
  readonly out: Float64Array;
  private readonly n: number;
  /** levels[j]: the coefficients contracted over dimensions 0..j-1. levels[n] is `out`. */
  private readonly levels: Float64Array[];
  /** Size of the remaining tensor below dimension j: Π_{d>j} width_d · nOut. */
  private readonly below: Int32Array;
  private readonly sizes: Int32Array;
  private readonly degree: Int32Array;
  private readonly classOf: Int32Array[];
  private readonly powers: Float64Array[];
  private readonly caseStride: Int32Array;
  private readonly caseAt: Int32Array;
  private readonly caseOk: Uint8Array;
  private readonly layersDim: number;
  private readonly denseDim: number;
  private readonly layersFixed: number;
  private readonly denseFixed: number;
  private readonly layersValues: Float64Array;
  private readonly denseValues: Float64Array;
  private readonly checkDense: boolean;

  constructor(readonly cc: CompiledCounts) {
    const n = cc.dims.length;
    this.n = n;
    this.idx = new Int32Array(n);
    this.target = new Int32Array(n);
    this.sizes = Int32Array.from(cc.dims, (d) => d.size);
    this.degree = Int32Array.from(cc.dims, (d) => d.degree);
    this.classOf = cc.dims.map((d) => d.classOf);
    this.powers = cc.dims.map((d) => d.powers);
    this.below = new Int32Array(n);
    this.levels = [cc.coef];
    let size = cc.coef.length;
    for (let j = 0; j < n; j++) {
      size /= basisWidth(cc.dims[j]!);
      this.below[j] = size;
      this.levels.push(new Float64Array(size));
    }
    this.out = this.levels[n]!;
    this.caseStride = new Int32Array(n);
    let s = 1;
    for (let j = n - 1; j >= 0; j--) {
      this.caseStride[j] = s;
      s *= cc.dims[j]!.classes;
    }
    this.caseAt = new Int32Array(n + 1);
    this.caseOk = cc.caseOk;
    const a = cc.allDense;
    this.checkDense = a !== null;
    this.layersDim = a ? a.layersDim : -1;
    this.denseDim = a ? a.denseDim : -1;
    this.layersFixed = a ? a.layers : 0;
    this.denseFixed = a ? a.dense : 0;
    this.layersValues = this.layersDim >= 0 ? cc.dims[this.layersDim]!.values : new Float64Array(0);
    this.denseValues = this.denseDim >= 0 ? cc.dims[this.denseDim]!.values : new Float64Array(0);
  }

  /** Moves to grid index `index` (any), contracting every dimension. */
  seek(index: number): void {
    this.ready = true;
    this.decode(index);
    this.idx.set(this.target);
    this.from(0);
  }

  /** Moves to grid index `index`, contracting only from the outermost dimension that changes. */
  moveTo(index: number): void {
    if (!this.ready) {
      this.seek(index);
      return;
    }
    this.decode(index);
    let d = 0;
    while (d < this.n && this.idx[d] === this.target[d]) d++;
    if (d === this.n) return;
    this.idx.set(this.target);
    this.from(d);
  }

  private decode(index: number): void {
    let rest = index;
    for (let d = this.n - 1; d >= 0; d--) {
      const size = this.sizes[d]!;
      const q = Math.floor(rest / size);
      this.target[d] = rest - q * size;
      rest = q;
    }
  }

  /** Moves to the next grid index (the caller stops at the grid's end). */
  next(): void {
    let d = this.n - 1;
    while (d > 0 && this.idx[d]! + 1 === this.sizes[d]!) {
      this.idx[d] = 0;
      d--;
    }
    this.idx[d]!++;
    this.from(d);
  }

  /** Whether the current point's case compiled (else the caller counts it module by module). */
  ok(): boolean {
    if (this.caseOk[this.caseAt[this.n]!] === 0) return false;
    if (!this.checkDense) return true;
    const layers = this.layersDim >= 0 ? this.layersValues[this.idx[this.layersDim]!]! : this.layersFixed;
    const dense = this.denseDim >= 0 ? this.denseValues[this.idx[this.denseDim]!]! : this.denseFixed;
    return dense < layers;
  }

  /** Contracts dimensions j..n-1 at the current indices. */
  private from(j: number): void {
    for (let d = j; d < this.n; d++) {
      const i = this.idx[d]!;
      const cls = this.classOf[d]![i]!;
      this.caseAt[d + 1] = this.caseAt[d]! + cls * this.caseStride[d]!;
      contract(this.levels[d]!, this.levels[d + 1]!, this.below[d]!, cls, this.degree[d]!, this.powers[d]!, i);
    }
  }
}

/** dst[r] = Σ_a src[(cls·(D+1) + a)·below + r] · u^a. */
function contract(
  src: Float64Array,
  dst: Float64Array,
  below: number,
  cls: number,
  degree: number,
  powers: Float64Array,
  i: number,
): void {
  const w = degree + 1;
  const base = cls * w * below;
  const p = i * w;
  const p0 = powers[p]!;
  for (let r = 0; r < below; r++) dst[r] = src[base + r]! * p0;
  for (let a = 1; a < w; a++) {
    const pa = powers[p + a]!;
    const off = base + a * below;
    for (let r = 0; r < below; r++) dst[r]! += src[off + r]! * pa;
  }
}

/** The outputs at one point given by its value indices: the walker's arithmetic, for checks. */
export function evaluateCompiled(cc: CompiledCounts, idx: ArrayLike<number>): Float64Array {
  const w = new CompiledWalker(cc);
  const n = cc.dims.length;
  let index = 0;
  for (let d = 0; d < n; d++) index = index * cc.dims[d]!.size + idx[d]!;
  w.seek(index);
  return Float64Array.from(w.out);
}
