/**
 * Presentation functions: what the joint law says about one MoE design, next to a dense model
 * with the same active parameters and tokens, with its fitted domain and an interval.
 */
import { type DomainPoint, type QualityDomain, qualityDomain } from './domain.js';
import { granularityFactor } from './granularity.js';
import { jointLoss } from './joint.js';
import type { ScalingLaws } from './laws.js';
import { type LossInterval, type UncertaintyOptions, lossInterval } from './uncertainty.js';

export interface QualityDesign {
  /** Active parameters per token, embeddings and head included. */
  activeParams: number;
  totalParams: number;
  /** All routed-expert parameters (0 for dense). */
  routedTotalParams: number;
  /** Routed-expert parameters used per token (0 for dense). */
  routedActiveParams: number;
  /** Training tokens; give this or `flops`. */
  tokens?: number;
  /** Training FLOPs; D = F/(6·N_act). */
  flops?: number;
  /** Experts per layer and experts per token, only to word caveats. */
  experts?: number;
  topK?: number;
  /** Expert granularity (dense FFN size / expert size), only used with `applyGranularity`. */
  granularity?: number;
}

export interface QualityOptions extends UncertaintyOptions {
  /** Apply the (unverified, off by default) granularity modifier of Krajewski et al. 2024. */
  applyGranularity?: boolean;
}

/** The design reduced to what the joint law takes. */
export interface NormalizedDesign {
  activeParams: number;
  totalParams: number;
  tokens: number;
  /** E_eff = routed total / routed active (1 for dense). */
  experts: number;
  /** Multiplier on the N_act term (1 unless the granularity modifier is applied). */
  nTermFactor: number;
  caveats: string[];
}

function positive(name: string, x: number | undefined): number {
  if (x === undefined || !Number.isFinite(x) || x <= 0)
    throw new RangeError(`${name} must be a finite number > 0, got ${x}`);
  return x;
}

function nonNegative(name: string, x: number): number {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${x}`);
  return x;
}

export function normalizeDesign(d: QualityDesign, laws: ScalingLaws, options: QualityOptions = {}): NormalizedDesign {
  const activeParams = positive('activeParams', d.activeParams);
  const totalParams = positive('totalParams', d.totalParams);
  const routedTotal = nonNegative('routedTotalParams', d.routedTotalParams);
  const routedActive = nonNegative('routedActiveParams', d.routedActiveParams);
  if (totalParams < activeParams) throw new RangeError('totalParams must be >= activeParams');
  if (routedActive > routedTotal) throw new RangeError('routedActiveParams must be <= routedTotalParams');
  if (routedActive > activeParams) throw new RangeError('routedActiveParams must be <= activeParams');
  if (routedTotal > totalParams) throw new RangeError('routedTotalParams must be <= totalParams');
  if (routedActive === 0 && routedTotal > 0)
    throw new RangeError('routedActiveParams is 0 but routedTotalParams is not');
  if ((d.tokens === undefined) === (d.flops === undefined)) throw new RangeError('give exactly one of tokens or flops');
  const tokens =
    d.tokens !== undefined ? positive('tokens', d.tokens) : positive('flops', d.flops) / (6 * activeParams);
  const experts = routedActive === 0 ? 1 : routedTotal / routedActive;

  const caveats: string[] = [];
  if (d.topK !== undefined && d.topK > 1) {
    caveats.push(
      `top-${d.topK} routing mapped to E_eff = routed total / routed active = ${round3(experts)}; the law was fitted on top-1 only`,
    );
  }
  if (routedActive > 0 && d.experts !== undefined && d.topK !== undefined && d.experts > 0) {
    const expected = (routedTotal / d.experts) * d.topK;
    if (Math.abs(expected - routedActive) > 1e-6 * routedActive) {
      caveats.push('routed parameters are not top-k × one equal expert; E_eff still uses the parameter ratio');
    }
  }
  let nTermFactor = 1;
  if (d.granularity !== undefined && d.granularity !== 1) {
    if (options.applyGranularity) {
      nTermFactor = granularityFactor(d.granularity, laws);
      caveats.push(
        `granularity ${d.granularity} applied as a relative factor ${round3(nTermFactor)} on the N_act term ` +
          '(Krajewski et al. 2024, fitted at expansion 64 only; coefficients not verified)',
      );
    } else {
      caveats.push(
        `granularity ${d.granularity} ignored: the joint law was fitted on experts the size of the dense FFN`,
      );
    }
  }
  return { activeParams, totalParams, tokens, experts, nTermFactor, caveats };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Joint-law loss of the design. */
export function designLoss(d: QualityDesign, laws: ScalingLaws, options: QualityOptions = {}): number {
  const n = normalizeDesign(d, laws, options);
  return jointLoss(n.activeParams, n.tokens, n.experts, laws, { nTermFactor: n.nTermFactor });
}

/**
 * loss_delta_vs_dense: the design's joint-law loss minus that of a dense model (E = 1) with the
 * same N_act and D. Negative means the MoE is predicted to be better.
 */
export function lossDeltaVsDense(d: QualityDesign, laws: ScalingLaws, options: QualityOptions = {}): number {
  const n = normalizeDesign(d, laws, options);
  const moe = jointLoss(n.activeParams, n.tokens, n.experts, laws, { nTermFactor: n.nTermFactor });
  return moe - jointLoss(n.activeParams, n.tokens, 1, laws);
}

export interface DenseEquivalent {
  /** The dense N (E = 1, same D) with the design's loss; null when no finite dense model reaches it. */
  params: number | null;
  /** params / activeParams. */
  ratioToActive: number | null;
}

/** Upper end of the search for a dense equivalent (10^16 parameters). */
const MAX_DENSE_PARAMS = 1e16;

/**
 * dense_equivalent_params: solves L_joint(N, D, E = 1) = target for N by bisection on ln N.
 * The dense loss falls monotonically in N (µ < 0) towards n·D^ν + c; a target at or below
 * the dense loss at 10^16 parameters has no dense equivalent at this D.
 */
export function denseEquivalentParams(
  d: QualityDesign,
  laws: ScalingLaws,
  options: QualityOptions = {},
): DenseEquivalent {
  const n = normalizeDesign(d, laws, options);
  const target = jointLoss(n.activeParams, n.tokens, n.experts, laws, { nTermFactor: n.nTermFactor });
  const params = solveDenseParams(target, n.tokens, laws);
  return { params, ratioToActive: params === null ? null : params / n.activeParams };
}

/** The dense N (E = 1) whose joint-law loss at `tokens` is `target`; null if none ≤ 10^16. */
export function solveDenseParams(target: number, tokens: number, laws: ScalingLaws): number | null {
  const dense = (lnN: number): number => jointLoss(Math.exp(lnN), tokens, 1, laws);
  let lo = 0; // N = 1
  let hi = Math.log(MAX_DENSE_PARAMS);
  if (dense(hi) > target) return null;
  if (dense(lo) <= target) return 1;
  for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (dense(mid) > target) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

export interface QualityAssessment {
  design: NormalizedDesign;
  loss: number;
  denseLoss: number;
  lossDeltaVsDense: number;
  denseEquivalent: DenseEquivalent;
  domain: QualityDomain;
  interval: LossInterval;
  /** Units and data of `loss`, for labels. */
  units: string;
  caveats: string[];
}

/** Everything at once, sharing one normalisation. */
export function assessDesign(d: QualityDesign, laws: ScalingLaws, options: QualityOptions = {}): QualityAssessment {
  const n = normalizeDesign(d, laws, options);
  const loss = jointLoss(n.activeParams, n.tokens, n.experts, laws, { nTermFactor: n.nTermFactor });
  const denseLoss = jointLoss(n.activeParams, n.tokens, 1, laws);
  const params = solveDenseParams(loss, n.tokens, laws);
  const point: DomainPoint = {
    activeParams: n.activeParams,
    totalParams: n.totalParams,
    tokens: n.tokens,
    experts: n.experts,
  };
  const domain = qualityDomain(point, laws);
  const caveats = [...n.caveats];
  if (domain.status === 'qualitative') {
    caveats.push(
      `${domain.driver} is x${domain.roundedFactor} outside the fitted range: read the loss as a direction only`,
    );
  }
  return {
    design: n,
    loss,
    denseLoss,
    lossDeltaVsDense: loss - denseLoss,
    denseEquivalent: { params, ratioToActive: params === null ? null : params / n.activeParams },
    domain,
    interval: lossInterval(loss, n.activeParams, n.tokens, laws, options),
    units: `${laws.joint_moe.loss.units} (${laws.joint_moe.loss.quantity}, ${laws.joint_moe.loss.dataset}, ${laws.joint_moe.loss.tokenizer} tokenizer)`,
    caveats,
  };
}
