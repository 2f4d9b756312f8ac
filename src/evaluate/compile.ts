// Fitting the compiled counts (compiled.ts) of a plan: every output a point needs (expert_params,
// shared_params and every numeric serving fact) as an exact polynomial over the swept fields, per
// structural case, from evaluations of the module-by-module functions themselves.
//
// Parameter counts are sums of products of fields (per-layer terms times layer counts), so within a
// structural case each output is a polynomial of low degree in each field. Nothing here knows the
// formulas: the degree in each field is found by probing (divided differences along the field), the
// coefficients by interpolating on a tensor of nodes with exact rationals, and each case is then
// checked bit for bit at sample points and for exactness in floating point (see compiled.ts). A case
// that fails any of this is not compiled: its points are counted module by module, and the notes
// say so. A new fact added to ServingFacts is picked up with no code here.
import { mulberry32 } from '../math/random.js';
import { basisWidth, type CompiledCounts, type CompiledDim, evaluateCompiled } from './compiled.js';
import { TRAINING_FACT, countAt } from './general.js';
import type { GeneralPlan } from './plan.js';

/** Highest degree probed in any one field; a field of higher degree makes its case fall back. */
const MAX_DEGREE = 4;
/** Random points each case is checked at, besides its corners. */
const SAMPLES = 24;
/** Cases probed for degrees (the largest ones). */
const PROBED_CASES = 4;
/** More structural cases than this: nothing is compiled. */
const MAX_CASES = 4096;
/** Coefficients kept at most (all outputs): past this, nothing is compiled. */
const MAX_COEFFICIENTS = 1 << 20;
/** Module-by-module evaluations the whole fit may spend before the remaining cases fall back. */
const MAX_EVALUATIONS = 50_000;

// --- exact rationals ------------------------------------------------------------------------------

interface Q {
  n: bigint;
  d: bigint;
}
const ZERO: Q = { n: 0n, d: 1n };
const abs = (x: bigint) => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
function q(n: bigint, d = 1n): Q {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}
const add = (a: Q, b: Q) => q(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Q, b: Q) => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const divInt = (a: Q, k: bigint) => q(a.n, a.d * k);

/** A double as an exact rational (every finite double is a dyadic one). */
function exact(x: number): Q {
  if (!Number.isFinite(x)) throw new RangeError('not finite');
  let d = 1n;
  while (!Number.isInteger(x)) {
    x *= 2;
    d *= 2n;
  }
  return q(BigInt(x), d);
}

/** Monomial coefficients of the polynomial through (t_i, y_i): Newton's divided differences, expanded. */
function interpolate(t: bigint[], y: Q[]): Q[] {
  const m = t.length;
  const c = y.slice();
  for (let j = 1; j < m; j++) {
    for (let i = m - 1; i >= j; i--) c[i] = divInt(sub(c[i]!, c[i - 1]!), t[i]! - t[i - j]!);
  }
  let p: Q[] = [c[m - 1]!];
  for (let j = m - 2; j >= 0; j--) {
    const next: Q[] = new Array<Q>(p.length + 1).fill(ZERO);
    // p·(u − t_j) + c_j
    for (let i = 0; i < p.length; i++) {
      next[i + 1] = add(next[i + 1]!, p[i]!);
      next[i] = sub(next[i]!, mul(p[i]!, q(t[j]!)));
    }
    next[0] = add(next[0]!, c[j]!);
    p = next;
  }
  return p;
}

/** Degree of the values y over the nodes t: the highest order whose divided difference is not zero. */
function degreeOf(t: bigint[], y: Q[]): number {
  const c = y.slice();
  let degree = c.some((v) => v.n !== 0n) ? 0 : -1;
  for (let j = 1; j < t.length; j++) {
    for (let i = t.length - 1; i >= j; i--) c[i] = divInt(sub(c[i]!, c[i - 1]!), t[i]! - t[i - j]!);
    if (c.slice(j).some((v) => v.n !== 0n)) degree = j;
  }
  return degree;
}

// --- structural cases -----------------------------------------------------------------------------

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}

/**
 * Each value of a field as [class key, u]: values of one class share the structure of the count,
 * which within the class is a polynomial in the whole number u.
 */
function classifier(gp: GeneralPlan, key: string): (v: number) => [string, number] {
  const base = gp.base;
  if (gp.mode === 'abstract' || !base) return (v) => ['', v];
  if (key === 'num_layers' || key === 'first_k_dense_replace') {
    if (base.moe_layers != null) return (v) => ['', v];
    const periods = gp.dims.find((d) => d.key === 'moe_layer_period')?.values ?? [base.moe_layer_period];
    // which layers are MoE repeats with the period: a residue class of the layer count is linear in u
    const period = periods.reduce(lcm, 1);
    const hash = base.num_hash_layers ?? 0;
    const dsa = key === 'num_layers' && base.attention_type === 'mla' ? base.dsa_indexer?.layers : null;
    return (v) => {
      const r = v % period;
      let k = `${r}`;
      if (hash > 0) k += v < hash ? ',below hash layers' : ',past hash layers';
      if (dsa) k += `,${dsa.filter((l) => l < v).length} indexer layers`;
      return [k, (v - r) / period];
    };
  }
  if (key === 'moe_layer_period') return (v) => [`${v}`, v];
  if (key === 'num_experts' || key === 'num_shared_experts') return (v) => [v > 0 ? 'some' : 'none', v];
  if (key === 'sliding_window') {
    const context = gp.serving?.context ?? Infinity;
    return (v) => [v < context ? 'below context' : 'not below context', v];
  }
  return (v) => ['', v];
}

// --- the fit --------------------------------------------------------------------------------------

interface Layout {
  classKeys: string[][];
  /** Per dim, per class: value indices. */
  members: number[][][];
  u: number[][];
}

/** Evenly spread picks of `count` items from `list`, first and last included. */
function spread<T>(list: T[], count: number): T[] {
  if (count >= list.length) return list.slice();
  if (count === 1) return [list[list.length - 1]!];
  return Array.from({ length: count }, (_, j) => list[Math.round((j * (list.length - 1)) / (count - 1))]!);
}

/**
 * The nodes of a dimension in a case: spread over its values, but the largest layer counts and the
 * smallest dense prefixes, so that no node has first_k_dense_replace >= num_layers (no MoE layer,
 * where the counts leave the polynomial of the case) when the grid has other points.
 */
function nodesOfDim(key: string, members: number[], count: number): number[] {
  if (count >= members.length) return members.slice();
  if (key === 'num_layers') return members.slice(members.length - count);
  if (key === 'first_k_dense_replace') return members.slice(0, count);
  return spread(members, count);
}

/** The numeric outputs of one point, module by module (top_k capped at experts, which changes no count). */
function reference(gp: GeneralPlan, keys: string[], idx: number[]): number[] | null {
  const values = idx.map((i, d) => gp.dims[d]!.values[i]!);
  const [eDim, kDim] = gp.cellDims;
  if (gp.mode === 'architecture' && kDim >= 0) {
    const e = eDim >= 0 ? values[eDim]! : gp.base!.num_experts;
    if (values[kDim]! > e) values[kDim] = e;
  }
  try {
    const c = countAt(gp, values);
    const facts = c.facts as unknown as Record<string, number>;
    const training = c.trainingFacts as unknown as Record<string, number>;
    return [
      c.expert_params,
      c.shared_params,
      ...keys.map((k) => (k.startsWith(TRAINING_FACT) ? training[k.slice(TRAINING_FACT.length)]! : facts[k]!)),
    ];
  } catch {
    return null;
  }
}

/** Compiles the counts of an architecture (or abstract-with-serving) plan. */
export function compileCounts(gp: GeneralPlan): CompiledCounts | undefined {
  const n = gp.dims.length;
  if (n === 0) return undefined;
  const base = countAt(
    gp,
    gp.dims.map((d) => d.values[0]!),
  );
  const numeric = (o: object) => Object.keys(o).filter((k) => typeof (o as Record<string, unknown>)[k] === 'number');
  // the serving facts, then (with training:) the training facts, every numeric field by name
  const keys = [
    ...numeric(base.facts),
    ...(gp.training ? numeric(base.trainingFacts).map((k) => `${TRAINING_FACT}${k}`) : []),
  ];
  const outputs = ['expert_params', 'shared_params', ...keys];
  const nOut = outputs.length;
  const notes: string[] = [];

  const layout: Layout = { classKeys: [], members: [], u: [] };
  for (const dim of gp.dims) {
    const classify = classifier(gp, dim.key);
    const keysOf: string[] = [];
    const members: number[][] = [];
    const u: number[] = [];
    dim.values.forEach((v, i) => {
      const [k, x] = classify(v);
      let c = keysOf.indexOf(k);
      if (c < 0) {
        c = keysOf.push(k) - 1;
        members.push([]);
      }
      members[c]!.push(i);
      u.push(x);
    });
    layout.classKeys.push(keysOf);
    layout.members.push(members);
    layout.u.push(u);
  }
  const classCounts = layout.members.map((m) => m.length);
  const caseCount = classCounts.reduce((a, b) => a * b, 1);
  if (caseCount > MAX_CASES) {
    notes.push(
      `compiled counts: ${caseCount} structural cases, more than ${MAX_CASES}: every point counted module by module`,
    );
    return fallbackAll(gp, outputs, notes);
  }
  const cases: number[][] = [];
  for (let c = 0; c < caseCount; c++) {
    const tuple: number[] = [];
    let rest = c;
    for (let d = n - 1; d >= 0; d--) {
      tuple[d] = rest % classCounts[d]!;
      rest = Math.floor(rest / classCounts[d]!);
    }
    cases.push(tuple);
  }
  let evaluations = 0;
  const at = (idx: number[]) => {
    evaluations++;
    return reference(gp, keys, idx);
  };
  const membersOf = (tuple: number[], d: number) => layout.members[d]![tuple[d]!]!;
  const caseSize = (tuple: number[]) => tuple.reduce((s, _, d) => s * membersOf(tuple, d).length, 1);

  // degrees: probed along every field in the largest cases, from two starting points each
  const degree = new Array<number>(n).fill(0);
  const failed = new Set<number>();
  const probed = cases
    .map((t, c) => [c, caseSize(t)] as const)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, PROBED_CASES);
  for (const [c] of probed) {
    const tuple = cases[c]!;
    // first_k_dense_replace at its smallest, so that the layer count stays above it (see nodesOf)
    const dense = gp.dims.findIndex((d) => d.key === 'first_k_dense_replace');
    const starts = [
      tuple.map((_, d) => (d === dense ? membersOf(tuple, d)[0]! : membersOf(tuple, d).at(-1)!)),
      tuple.map((_, d) => {
        const m = membersOf(tuple, d);
        return d === dense ? m[0]! : m[m.length >> 1]!;
      }),
    ];
    for (const startIdx of starts) {
      for (let d = 0; d < n && !failed.has(c); d++) {
        const m = membersOf(tuple, d);
        if (m.length < 2) continue;
        const picks = spread(m, Math.min(m.length, MAX_DEGREE + 2));
        const ys = picks.map((i) => at(startIdx.map((s, e) => (e === d ? i : s))));
        if (ys.some((y) => y === null)) {
          failed.add(c);
          break;
        }
        const t = picks.map((i) => BigInt(layout.u[d]![i]!));
        for (let o = 0; o < nOut; o++) {
          const deg = degreeOf(
            t,
            ys.map((y) => exact(y![o]!)),
          );
          if (deg > MAX_DEGREE) failed.add(c);
          else degree[d] = Math.max(degree[d]!, Math.min(deg, m.length - 1));
        }
      }
    }
  }

  const dims: CompiledDim[] = gp.dims.map((dim, d) => {
    const w = degree[d]! + 1;
    const powers = new Float64Array(dim.values.length * w);
    const classOf = new Int32Array(dim.values.length);
    layout.members[d]!.forEach((m, c) => m.forEach((i) => (classOf[i] = c)));
    dim.values.forEach((_, i) => {
      const u = layout.u[d]![i]!;
      let p = 1;
      for (let a = 0; a < w; a++, p *= u) powers[i * w + a] = p;
    });
    return {
      size: dim.values.length,
      degree: degree[d]!,
      classes: classCounts[d]!,
      classOf,
      powers,
      values: Float64Array.from(dim.values),
    };
  });
  const widths = dims.map(basisWidth);
  const coefSize = widths.reduce((a, b) => a * b, nOut);
  if (coefSize > MAX_COEFFICIENTS) {
    notes.push(
      `compiled counts: ${coefSize} coefficients, more than ${MAX_COEFFICIENTS}: every point counted module by module`,
    );
    return fallbackAll(gp, outputs, notes);
  }
  const coef = new Float64Array(coefSize);
  const caseOk = new Uint8Array(caseCount);
  const strides = new Array<number>(n);
  let s = nOut;
  for (let d = n - 1; d >= 0; d--) {
    strides[d] = s;
    s *= widths[d]!;
  }

  for (let c = 0; c < caseCount; c++) {
    const tuple = cases[c]!;
    const why = failed.has(c)
      ? 'a field of degree above the probed maximum, or a point that cannot be counted'
      : evaluations > MAX_EVALUATIONS
        ? 'the fitting budget is spent'
        : fitCase(tuple);
    if (why === undefined) caseOk[c] = 1;
    else notes.push(`compiled counts: case ${caseName(tuple)} counted module by module (${why})`);
  }

  const allDense = allDenseCheck(gp);
  const compiled: CompiledCounts = { outputs, dims, coef, caseOk, allDense, notes };
  // the check, after every case is in the tensor: each case's points at its corners and at random
  const random = mulberry32(0x5eed);
  for (let c = 0; c < caseCount; c++) {
    if (!caseOk[c]) continue;
    const tuple = cases[c]!;
    const points: number[][] = [
      tuple.map((_, d) => membersOf(tuple, d)[0]!),
      tuple.map((_, d) => membersOf(tuple, d).at(-1)!),
    ];
    for (let i = 0; i < SAMPLES; i++) {
      points.push(
        tuple.map((_, d) => {
          const m = membersOf(tuple, d);
          return m[Math.floor(random() * m.length)]!;
        }),
      );
    }
    const why = checkCase(compiled, tuple, points);
    if (why) {
      caseOk[c] = 0;
      notes.push(`compiled counts: case ${caseName(tuple)} counted module by module (${why})`);
    }
  }
  const ok = caseOk.reduce((a, b) => a + b, 0);
  notes.unshift(
    `compiled counts: ${outputs.length} outputs (${outputs.join(', ')}) over ${n} fields of degrees ${degree.join(', ')}; ${ok} of ${caseCount} structural cases compiled, ${evaluations} module-by-module evaluations`,
  );
  if (allDense) notes.push('compiled counts: points with first_k_dense_replace >= num_layers counted module by module');
  return compiled;

  function nodesOf(d: number, members: number[], count: number): number[] {
    return nodesOfDim(gp.dims[d]!.key, members, count);
  }

  function caseName(tuple: number[]): string {
    const parts = tuple.flatMap((c, d) => {
      const k = layout.classKeys[d]![c]!;
      return k === '' ? [] : [`${gp.dims[d]!.key} ${k}`];
    });
    return parts.length ? parts.join('; ') : '(single)';
  }

  /** Interpolates one case on its node tensor into `coef`; the reason when it cannot. */
  function fitCase(tuple: number[]): string | undefined {
    const nodes = tuple.map((_, d) => nodesOf(d, membersOf(tuple, d), degree[d]! + 1));
    const shape = nodes.map((x) => x.length);
    const total = shape.reduce((a, b) => a * b, 1);
    const ys: Q[] = new Array<Q>(total * nOut);
    const idx = new Array<number>(n);
    for (let p = 0; p < total; p++) {
      let rest = p;
      for (let d = n - 1; d >= 0; d--) {
        idx[d] = nodes[d]![rest % shape[d]!]!;
        rest = Math.floor(rest / shape[d]!);
      }
      const y = at(idx);
      if (!y) return 'a node cannot be counted';
      for (let o = 0; o < nOut; o++) ys[p * nOut + o] = exact(y[o]!);
    }
    // one dimension at a time, values along it become monomial coefficients
    let stride = nOut;
    for (let d = n - 1; d >= 0; d--) {
      const m = shape[d]!;
      const t = nodes[d]!.map((i) => BigInt(layout.u[d]![i]!));
      const block = stride * m;
      for (let b0 = 0; b0 < ys.length; b0 += block) {
        for (let r = 0; r < stride; r++) {
          const fiber = Array.from({ length: m }, (_, j) => ys[b0 + j * stride + r]!);
          const c = interpolate(t, fiber);
          for (let j = 0; j < m; j++) ys[b0 + j * stride + r] = c[j]!;
        }
      }
      stride = block;
    }
    // into the tensor, checking that the floating-point evaluation is exact (see compiled.ts)
    const bound = new Array<number>(nOut).fill(0);
    const denominator = new Array<number>(nOut).fill(1);
    const maxU = tuple.map((_, d) => Math.max(...membersOf(tuple, d).map((i) => Math.abs(layout.u[d]![i]!))));
    for (let p = 0; p < total; p++) {
      let rest = p;
      let pos = 0;
      let size = 1;
      for (let d = n - 1; d >= 0; d--) {
        const a = rest % shape[d]!;
        rest = Math.floor(rest / shape[d]!);
        pos += (tuple[d]! * (degree[d]! + 1) + a) * strides[d]!;
        size *= maxU[d]! ** a;
      }
      for (let o = 0; o < nOut; o++) {
        const c = ys[p * nOut + o]!;
        if (c.n === 0n) continue;
        if ((c.d & (c.d - 1n)) !== 0n) return `${outputs[o]}: a coefficient is not a dyadic rational`;
        if (abs(c.n) >= 2n ** 53n) return `${outputs[o]}: a coefficient is too large`;
        const value = Number(c.n) / Number(c.d);
        coef[pos + o] = value;
        bound[o]! += Math.abs(value) * size;
        denominator[o] = Math.max(denominator[o]!, Number(c.d));
      }
    }
    for (let o = 0; o < nOut; o++) {
      // a factor of two of margin for the rounding of the bound itself
      if (2 * bound[o]! * denominator[o]! >= 2 ** 53) return `${outputs[o]}: terms too large for exact arithmetic`;
    }
    return undefined;
  }

  /** Compares the compiled outputs with the module-by-module ones at `points` of a case. */
  function checkCase(cc: CompiledCounts, _tuple: number[], points: number[][]): string | undefined {
    for (const idx of points) {
      if (!designPoint(gp, cc, idx)) continue;
      const y = at(idx);
      if (!y) return 'a sample point cannot be counted';
      const got = evaluateCompiled(cc, idx);
      for (let o = 0; o < nOut; o++) {
        if (!Object.is(got[o], y[o])) return `${outputs[o]} differs at a sample point`;
      }
    }
    return undefined;
  }
}

/** Whether a point is evaluated through the compiled counts: top_k within experts, not all dense. */
function designPoint(gp: GeneralPlan, cc: CompiledCounts, idx: number[]): boolean {
  const value = (d: number) => gp.dims[d]!.values[idx[d]!]!;
  const [eDim, kDim] = gp.cellDims;
  if (gp.mode === 'abstract') {
    if (value(1) > value(0)) return false;
  } else {
    const e = eDim >= 0 ? value(eDim) : gp.base!.num_experts;
    const k = kDim >= 0 ? value(kDim) : gp.base!.num_experts_per_tok;
    if (k > e) return false;
  }
  const a = cc.allDense;
  if (!a) return true;
  const layers = a.layersDim >= 0 ? value(a.layersDim) : a.layers;
  const dense = a.denseDim >= 0 ? value(a.denseDim) : a.dense;
  return dense < layers;
}

/**
 * The all-dense check, when some point of the grid may have first_k_dense_replace >= num_layers
 * (no MoE layer: a case of its own across two fields).
 */
function allDenseCheck(gp: GeneralPlan): CompiledCounts['allDense'] {
  const base = gp.base;
  if (gp.mode === 'abstract' || !base || base.moe_layers != null) return null;
  const layersDim = gp.dims.findIndex((d) => d.key === 'num_layers');
  const denseDim = gp.dims.findIndex((d) => d.key === 'first_k_dense_replace');
  if (layersDim < 0 && denseDim < 0) return null;
  const layers = layersDim >= 0 ? gp.dims[layersDim]!.values : [base.num_layers];
  const dense = denseDim >= 0 ? gp.dims[denseDim]!.values : [base.first_k_dense_replace];
  if (Math.max(...dense) < Math.min(...layers)) return null;
  return { layersDim, denseDim, layers: base.num_layers, dense: base.first_k_dense_replace };
}

/** No case compiled: every point falls back. */
function fallbackAll(gp: GeneralPlan, outputs: string[], notes: string[]): CompiledCounts {
  const dims: CompiledDim[] = gp.dims.map((dim) => {
    return {
      size: dim.values.length,
      degree: 0,
      classes: 1,
      classOf: new Int32Array(dim.values.length),
      powers: new Float64Array(dim.values.length).fill(1),
      values: Float64Array.from(dim.values),
    };
  });
  return {
    outputs,
    dims,
    coef: new Float64Array(outputs.length),
    caseOk: new Uint8Array(1),
    allDense: null,
    notes,
  };
}
