/**
 * Routing costs under expert parallelism: all-to-all traffic, load imbalance and the capacity
 * factor that keeps token dropping under a target.
 *
 * All-to-all bytes per token per MoE layer. Each token's hidden state (hidden × bytes) is sent
 * to each of its k experts (dispatch) and each expert's output of the same size comes back
 * (combine). Under EP the experts are spread evenly over EP ranks, so with a uniform router a
 * given expert sits on the token's own rank with probability 1/EP and a fraction (EP − 1)/EP of
 * the k copies cross the network:
 *
 *     bytes = k × hidden × (dispatch bytes + combine bytes) × (EP − 1)/EP
 *           = 2 × k × hidden × activation bytes × (EP − 1)/EP   when both are the same
 *
 * Upper-bound style: no de-duplication of copies bound for the same remote rank (DeepSeek-V3
 * sends one copy per node, arXiv:2412.19437 §3.2.2) and no shared-expert traffic (shared experts
 * are local). DeepSeek-V3 dispatches in FP8 and combines in BF16 (same report, §3.3), hence the
 * separate sizes.
 *
 * Load: with uniform routing each expert's load over B tokens is Binomial(B, k/E) (a token picks
 * a given expert with probability k/E, independently across tokens); mean load m = B·k/E.
 */
import { moeLayerIndices } from '../arch/count.js';
import type { Architecture } from '../arch/types.js';
import { UniformRouter, checkTrials, estimate, mulberry32, type Estimate } from './random.js';

function checkEk(E: number, k: number): void {
  if (!Number.isInteger(E) || E < 1) throw new RangeError(`experts must be an integer >= 1, got ${E}`);
  if (!Number.isInteger(k) || k < 1 || k > E) throw new RangeError(`top_k must be an integer in 1..${E}, got ${k}`);
}

function checkTokens(B: number): void {
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`tokens must be an integer >= 1, got ${B}`);
}

export interface AllToAllInput {
  top_k: number;
  hidden_size: number;
  /** expert-parallel degree (ranks the experts are spread over) */
  ep: number;
  /** bytes per activation value sent to the experts (dispatch); e.g. 2 for bf16, 1 for fp8 */
  dispatch_bytes: number;
  /** bytes per activation value sent back (combine); default = dispatch_bytes */
  combine_bytes?: number;
}

/** All-to-all bytes one token causes in one MoE layer: k·hidden·(dispatch + combine)·(EP − 1)/EP. */
export function allToAllBytesPerToken(x: AllToAllInput): number {
  if (!Number.isInteger(x.ep) || x.ep < 1) throw new RangeError(`ep must be an integer >= 1, got ${x.ep}`);
  const combine = x.combine_bytes ?? x.dispatch_bytes;
  return x.top_k * x.hidden_size * (x.dispatch_bytes + combine) * ((x.ep - 1) / x.ep);
}

/** MoE layers of an architecture (the `moe_layers` of allToAllBytesPerStep). */
export function moeLayerCount(arch: Architecture): number {
  return moeLayerIndices(arch).length;
}

/** All-to-all bytes of one forward step: per-token bytes × tokens × MoE layers (summed over ranks). */
export function allToAllBytesPerStep(x: AllToAllInput & { tokens: number; moe_layers: number }): number {
  return allToAllBytesPerToken(x) * x.tokens * x.moe_layers;
}

// --- load imbalance -----------------------------------------------------------------------------

/** Seeded simulation of one MoE layer's expert loads; `visit` sees each trial's loads. */
function simulateLoads(
  E: number,
  k: number,
  B: number,
  trials: number,
  seed: number,
  visit: (loads: Int32Array, trial: number) => void,
): void {
  checkEk(E, k);
  checkTokens(B);
  checkTrials(trials);
  const router = new UniformRouter(E, k, mulberry32(seed));
  const loads = new Int32Array(E);
  for (let t = 0; t < trials; t++) {
    loads.fill(0);
    for (let b = 0; b < B; b++) for (const e of router.route()) loads[e]!++;
    visit(loads, t);
  }
}

/**
 * Load imbalance by seeded simulation: the expected maximum expert load over the mean load
 * (B·k/E) for B tokens routed uniformly to k of E experts. Deterministic for a seed.
 */
export function simulateLoadImbalance(E: number, k: number, B: number, trials = 200, seed = 1): Estimate {
  const mean = (B * k) / E;
  const ratios = new Float64Array(trials);
  simulateLoads(E, k, B, trials, seed, (loads, t) => {
    let max = 0;
    for (let e = 0; e < E; e++) if (loads[e]! > max) max = loads[e]!;
    ratios[t] = max / mean;
  });
  return estimate(ratios);
}

/** pmf of Binomial(n, p) for i = 0..n, computed in log space (no under/overflow for large n). */
export function binomialPmf(n: number, p: number): Float64Array {
  const pmf = new Float64Array(n + 1);
  if (p <= 0) {
    pmf[0] = 1;
    return pmf;
  }
  if (p >= 1) {
    pmf[n] = 1;
    return pmf;
  }
  // log pmf(0) = n ln(1 − p); pmf(i + 1)/pmf(i) = (n − i)/(i + 1) · p/(1 − p)
  let log = n * Math.log1p(-p);
  const odds = Math.log(p) - Math.log1p(-p);
  for (let i = 0; i <= n; i++) {
    pmf[i] = Math.exp(log);
    log += Math.log((n - i) / (i + 1)) + odds;
  }
  return pmf;
}

/**
 * A lower bound on the expected max/mean load: the expected maximum of E INDEPENDENT
 * Binomial(B, k/E) loads, over the mean B·k/E.
 *
 * The true loads are negatively associated (a uniform k-subset is a permutation distribution,
 * Joag-Dev & Proschan 1983, Ann. Statist. 11(1) Thm 2.11; sums over disjoint sets of
 * independent NA vectors stay NA; balls-and-bins loads: Dubhashi & Ranjan 1998, Random Struct.
 * Algorithms 13(2)). For NA loads P(all ≤ c) ≤ Π P(L_e ≤ c), so P(max > c) is at least the
 * independent value and E[max] = Σ_c P(max > c) is at least this. The gap shrinks as E grows
 * (the dependence is only through the fixed total).
 */
export function loadImbalanceLowerBound(E: number, k: number, B: number): number {
  checkEk(E, k);
  checkTokens(B);
  const pmf = binomialPmf(B, k / E);
  // tail[c] = P(L > c), summed from the top for accuracy
  let tail = 0;
  const tails = new Float64Array(B + 1);
  for (let c = B; c >= 0; c--) {
    tails[c] = tail;
    tail += pmf[c]!;
  }
  let expectedMax = 0;
  for (let c = 0; c < B; c++) {
    // P(max > c) = 1 − (1 − tail[c])^E for independent loads
    const q = Math.min(1, tails[c]!); // rounding can push a summed tail a hair above 1
    if (q === 0) break;
    expectedMax += q === 1 ? 1 : -Math.expm1(E * Math.log1p(-q));
  }
  return expectedMax / ((B * k) / E);
}

// --- capacity and dropping ----------------------------------------------------------------------

/**
 * Exact expected share of assignments dropped when every expert accepts at most `capacity`
 * tokens: by linearity over experts, E × E[max(0, L − C)] / (B·k) with L ~ Binomial(B, k/E).
 */
export function expectedDropShare(E: number, k: number, B: number, capacity: number): number {
  checkEk(E, k);
  checkTokens(B);
  if (!Number.isInteger(capacity) || capacity < 0)
    throw new RangeError(`capacity must be an integer >= 0, got ${capacity}`);
  const pmf = binomialPmf(B, k / E);
  let over = 0;
  for (let l = capacity + 1; l <= B; l++) over += (l - capacity) * pmf[l]!;
  return (E * over) / (B * k);
}

export interface CapacityResult {
  /** capacity / (B·k/E), so that factor × B·k/E is the whole number of slots `capacity` */
  capacity_factor: number;
  /** slots per expert */
  capacity: number;
  /** share of assignments dropped at that capacity, from the simulation */
  drop_share: number;
  /** the simulated drop share at every capacity 0..max load seen */
  drop_share_by_capacity: number[];
}

/**
 * The smallest capacity factor (expert capacity = factor × B·k/E, in whole slots) whose
 * simulated share of dropped assignments is at most `dropRate`. Deterministic for a seed.
 */
export function capacityFactorForDropRate(
  E: number,
  k: number,
  B: number,
  dropRate = 0.01,
  seed = 1,
  trials = 200,
): CapacityResult {
  if (!(dropRate >= 0 && dropRate < 1)) throw new RangeError(`dropRate must be in [0, 1), got ${dropRate}`);
  // histogram of loads over all (trial, expert) pairs
  let hist = new Float64Array(64);
  let maxLoad = 0;
  simulateLoads(E, k, B, trials, seed, (loads) => {
    for (let e = 0; e < E; e++) {
      const l = loads[e]!;
      if (l >= hist.length) {
        const bigger = new Float64Array(Math.max(l + 1, hist.length * 2));
        bigger.set(hist);
        hist = bigger;
      }
      hist[l]!++;
      if (l > maxLoad) maxLoad = l;
    }
  });
  const assignments = trials * B * k;
  // dropped(C) = Σ_{l > C} (l − C) · hist[l]
  const shares: number[] = [];
  for (let C = 0; C <= maxLoad; C++) {
    let dropped = 0;
    for (let l = C + 1; l <= maxLoad; l++) dropped += (l - C) * hist[l]!;
    shares.push(dropped / assignments);
  }
  const capacity = shares.findIndex((s) => s <= dropRate);
  return {
    capacity_factor: (capacity * E) / (B * k),
    capacity,
    drop_share: shares[capacity]!,
    drop_share_by_capacity: shares,
  };
}
