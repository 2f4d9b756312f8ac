// Semantic checks and unit resolution, after the shape check: ranges that make sense, bounds with
// min ≤ max, presets that exist, a grid that is not absurdly large.
import { SLOT } from '../metrics/registry.js';
import type { Document, LineCounter } from 'yaml';
import type { Constraint } from '../metrics/constraints.js';
import { AXES, gridSize, type AxisName, type GridAxes } from '../grid/axes.js';
import { expandAxis } from './axis.js';
import { isMetricId, type MetricId } from '../metrics/design.js';
import { isQualityMetric, type Training } from '../metrics/quality.js';
import { QUALITATIVE_FACTOR } from '../quality/domain.js';
import type { Catalog } from '../catalog/index.js';
import { findPreset, presetSuggestion } from '../catalog/presets.js';
import { qualityPlan } from '../metrics/quality-plan.js';
import { isServingMetric, SERVING_METRICS, type ServingMetricId } from '../metrics/serving.js';
import { isTrainingCostMetric, TRAINING_COST_METRICS } from '../metrics/training.js';
import { normalizeTrainingCost } from './training.js';
import {
  normalizeArchitecture,
  normalizeFormats,
  normalizeHardware,
  normalizeServing,
  resolveArchitecture,
} from './model.js';
import { countParameters } from '../arch/count.js';
import { ARCH_FIELD_NAMES } from './schema.js';
import { parseBytes, parseCount } from '../formats/units.js';
import { describeValue, type PathSegment } from '../findings/errors.js';
import type { Locator } from './locator.js';
import type { RawSpec } from './schema.js';
import type { ComparePreset, NamedDesign, Objective, SweepSpec } from './types.js';

interface Context {
  file: string;
  catalog: Catalog;
  env?: Record<string, string | undefined>;
  training?: Training;
  hasServing?: boolean;
  hasHardware?: boolean;
  hasTrainingCost?: boolean;
  /** training: gives price_per_gpu_hour (train_cost is empty without it) */
  hasTrainingPrice?: boolean;
  at: Locator;
  defaultName: string;
  sha256: string;
  maxPoints: number;
  doc: Document;
  lines: LineCounter;
}

type Kind = 'experts' | 'top_k' | 'expert_params' | 'shared_params';

// Upper bounds far past any real model keep every metric finite: 1e6 experts × 1e15 parameters
// × 4 bytes is still an ordinary double, where 1e308 would overflow to Infinity.
const MAX_EXPERTS = 1e6;
const MAX_PARAMS = 1e15;
// An axis's values are held in memory (and copied to every worker); the grid itself never is.
const MAX_AXIS_VALUES = 10_000_000;

const AXIS_RULES: Record<Kind, { min: number; max: number; what: string; parse: (v: unknown) => number | undefined }> =
  {
    experts: {
      min: 1,
      max: MAX_EXPERTS,
      what: 'a whole number of experts from 1 to 1,000,000',
      parse: (v) => (typeof v === 'number' ? v : undefined),
    },
    top_k: {
      min: 1,
      max: MAX_EXPERTS,
      what: 'a whole number of experts per token from 1 to 1,000,000',
      parse: (v) => (typeof v === 'number' ? v : undefined),
    },
    expert_params: {
      min: 1,
      max: MAX_PARAMS,
      what: 'a whole number of parameters from 1 to 1000T (such as 0.5B)',
      parse: parseCount,
    },
    shared_params: {
      min: 0,
      max: MAX_PARAMS,
      what: 'a whole number of parameters from 0 to 1000T (such as 4B)',
      parse: parseCount,
    },
  };

function axisValue(kind: Kind, raw: unknown, path: PathSegment[], ctx: Context): number {
  const rule = AXIS_RULES[kind];
  const v = rule.parse(raw);
  if (v === undefined || !Number.isFinite(v) || !Number.isInteger(v) || v < rule.min || v > rule.max) {
    throw ctx.at.expected(path, `expected ${rule.what}`, raw);
  }
  return v;
}

function axisOf(kind: Kind, raw: unknown, ctx: Context): { values: number[]; text: string } {
  return expandAxis(raw, ['grid', kind], ctx.at, {
    value: (v, path) => axisValue(kind, v, path, ctx),
    step: AXIS_RULES[kind].parse,
    countLimit: ctx.maxPoints,
    tooMany: (n) =>
      n > ctx.maxPoints
        ? `has ${n.toLocaleString('en-US')} values, more than --max-points (${ctx.maxPoints.toLocaleString('en-US')}); use a coarser step`
        : n > MAX_AXIS_VALUES
          ? `has ${n.toLocaleString('en-US')} values, more than one axis holds (${MAX_AXIS_VALUES.toLocaleString('en-US')}); use a coarser step`
          : undefined,
  });
}

function normalizeGrid(raw: NonNullable<RawSpec['grid']>, ctx: Context) {
  const archKey = Object.keys(raw).find(
    (k) => (ARCH_FIELD_NAMES as string[]).includes(k) && (raw as Record<string, unknown>)[k] !== undefined,
  );
  if (archKey) {
    throw ctx.at.error(
      ['grid', archKey],
      `is an architecture field: a grid sweeps either the four abstract numbers (experts, top_k, expert_params, shared_params) or architecture fields, which need architecture: {from: PRESET} or {config: PATH}`,
      { atKey: true },
    );
  }
  const missing = AXES.filter((a) => raw[a] === undefined);
  if (missing.length > 0) {
    throw ctx.at.error(
      ['grid'],
      `expected ${missing.join(', ')}: a grid of abstract designs needs experts, top_k, expert_params and shared_params (or sweep architecture fields with architecture:)`,
      { atKey: true },
    );
  }
  const axes = {} as GridAxes;
  const text = {} as Record<AxisName, string>;
  for (const a of AXES) {
    const { values, text: t } = axisOf(a, raw[a], ctx);
    axes[a] = values;
    text[a] = t;
  }
  const size = gridSize(axes);
  if (size > ctx.maxPoints) {
    const sizes = AXES.map((a) => ({ a, n: axes[a].length })).sort((x, y) => y.n - x.n);
    throw ctx.at.error(
      ['grid'],
      `has ${size.toLocaleString('en-US')} points, more than --max-points (${ctx.maxPoints.toLocaleString('en-US')}); the largest axes are ${sizes
        .slice(0, 2)
        .map(({ a, n }) => `${a} (${n.toLocaleString('en-US')} values)`)
        .join(' and ')}`,
    );
  }
  return { axes, text };
}

const RATIO_METRICS = new Set<MetricId>(['active_ratio', 'expert_sparsity', 'compute_saving']);
const BYTE_METRICS = new Set<MetricId>(['weight_bytes', 'vram_bytes']);

function boundValue(metric: MetricId, raw: unknown, path: PathSegment[], ctx: Context): number {
  if (RATIO_METRICS.has(metric)) {
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw > 1)
      throw ctx.at.expected(path, 'expected a fraction from 0 to 1', raw);
    return raw;
  }
  const v = BYTE_METRICS.has(metric) ? parseBytes(raw) : parseCount(raw);
  if (v === undefined || !Number.isFinite(v) || v < 0) {
    throw ctx.at.expected(
      path,
      BYTE_METRICS.has(metric)
        ? 'expected a memory size of 0 or more, such as 640GB'
        : 'expected a count of 0 or more, such as 30B',
      raw,
    );
  }
  return v;
}

function servingMetric(id: ServingMetricId) {
  return SERVING_METRICS.find((m) => m.id === id)!;
}

function servingNeeds(id: ServingMetricId): 'serving' | 'hardware' {
  return servingMetric(id).needs;
}

/** A {min, max} bound with at least one side, each side read by `value`, min not above max. */
function bounds(
  b: { min?: unknown; max?: unknown },
  path: PathSegment[],
  ctx: Context,
  value: (raw: unknown, path: PathSegment[]) => number,
): { min: number; max: number } {
  if (b.min === undefined && b.max === undefined) throw ctx.at.error(path, 'expected min, max or both');
  const min = b.min === undefined ? -Infinity : value(b.min, [...path, 'min']);
  const max = b.max === undefined ? Infinity : value(b.max, [...path, 'max']);
  if (min > max) throw ctx.at.expected([...path, 'max'], `expected max not below min (${describeValue(b.min)})`, b.max);
  return { min, max };
}

function normalizeConstraints(
  raw: RawSpec['constraints'],
  ctx: Context,
): { constraints: Constraint[]; overhead: number } {
  const constraints: Constraint[] = [];
  let overhead = 0;
  let quality = false;
  if (!raw) return { constraints, overhead };
  for (const [name, bound] of Object.entries(raw)) {
    if (bound === undefined) continue;
    const path: PathSegment[] = ['constraints', name];
    if (name === 'vram') {
      const b = bound as { budget: unknown; overhead?: unknown };
      const budget = parseBytes(b.budget);
      if (budget === undefined || !Number.isFinite(budget) || budget <= 0)
        throw ctx.at.expected([...path, 'budget'], 'expected a memory size above 0, such as 640GB', b.budget);
      if (b.overhead !== undefined) {
        if (typeof b.overhead !== 'number' || !Number.isFinite(b.overhead) || b.overhead < 0 || b.overhead > 100) {
          throw ctx.at.expected([...path, 'overhead'], 'expected a fraction from 0 to 100, such as 0.15', b.overhead);
        }
        overhead = b.overhead;
      }
      constraints.push({ name: 'vram', metric: SLOT.vram_bytes, min: -Infinity, max: budget });
      continue;
    }
    const b = bound as { min?: unknown; max?: unknown };
    if (isQualityMetric(name)) {
      if (!ctx.training)
        throw ctx.at.error(
          path,
          'needs training: {tokens: …} or {flops: …}: quality columns come from a scaling law of loss against tokens',
          { atKey: true },
        );
      const { min, max } = bounds(b, path, ctx, (raw, p) => {
        const v = name === 'dense_equivalent_params' ? parseCount(raw) : typeof raw === 'number' ? raw : undefined;
        if (v === undefined || !Number.isFinite(v))
          throw ctx.at.expected(
            p,
            name === 'dense_equivalent_params' ? 'expected a count such as 30B' : 'expected a number (nats/token)',
            raw,
          );
        return v;
      });
      constraints.push({ name, metric: SLOT[name], min, max });
      quality = true;
      continue;
    }
    if (isServingMetric(name)) {
      const needs = servingNeeds(name);
      if (!(needs === 'serving' ? ctx.hasServing : ctx.hasHardware)) {
        throw ctx.at.error(
          path,
          needs === 'serving' ? 'needs serving: {context, batch}' : 'needs hardware: {gpu, count} (and serving:)',
          { atKey: true },
        );
      }
      const { kind } = servingMetric(name);
      const { min, max } = bounds(b, path, ctx, (x, p) => {
        const v =
          kind === 'bytes' ? parseBytes(x) : kind === 'count' ? parseCount(x) : typeof x === 'number' ? x : undefined;
        if (v === undefined || !Number.isFinite(v) || v < 0)
          throw ctx.at.expected(
            p,
            kind === 'bytes' ? 'expected a memory size such as 80GB' : 'expected a number of 0 or more',
            x,
          );
        return v;
      });
      constraints.push({ name, metric: SLOT[name], min, max });
      continue;
    }
    if (isTrainingCostMetric(name)) {
      if (!ctx.hasTrainingCost)
        throw ctx.at.error(path, 'needs training: {tokens, hardware: {gpu, count}}: it is a training-cost column', {
          atKey: true,
        });
      if (name === 'train_cost' && !ctx.hasTrainingPrice)
        throw ctx.at.error(path, 'needs training.price_per_gpu_hour: without a price there is no cost', {
          atKey: true,
        });
      const { kind } = TRAINING_COST_METRICS.find((m) => m.id === name)!;
      const { min, max } = bounds(b, path, ctx, (x, p) => {
        const v = kind === 'bytes' ? parseBytes(x) : kind === 'ratio' || typeof x === 'number' ? x : parseCount(x);
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
          throw ctx.at.expected(
            p,
            kind === 'bytes' ? 'expected a memory size such as 80GB' : 'expected a number of 0 or more',
            x,
          );
        return v;
      });
      constraints.push({ name, metric: SLOT[name], min, max });
      continue;
    }
    if (!isMetricId(name)) continue; // the schema admits only metric names here
    const { min, max } = bounds(b, path, ctx, (x, p) => boundValue(name, x, p, ctx));
    constraints.push({ name, metric: SLOT[name], min, max });
  }
  // A scaling law says nothing reliable far outside the range it was fitted on, so a quality bound
  // cannot pass or fail such a design on its number: it fails as quality_domain, which says why.
  if (quality)
    constraints.push({
      name: 'quality_domain',
      metric: SLOT.quality_domain_factor,
      min: -Infinity,
      max: QUALITATIVE_FACTOR,
    });
  return { constraints, overhead };
}

function presetOrError(id: string, path: PathSegment[], ctx: Context) {
  const p = findPreset(ctx.catalog.presets, id);
  if (p) return p;
  return ctx.at.expected(
    path,
    `expected a preset id (see \`moe-sweep presets\`)${presetSuggestion(id, ctx.catalog.presets)}`,
    id,
  );
}

function normalizeDesigns(raw: RawSpec['designs'], ctx: Context): NamedDesign[] {
  const out: NamedDesign[] = [];
  const names = new Set<string>();
  (raw ?? []).forEach((d, i) => {
    const path: PathSegment[] = ['designs', i];
    const line = ctx.at.position(path, false).line;
    let design: NamedDesign;
    if ('architecture' in d) {
      if (d.name.trim() === '') throw ctx.at.expected([...path, 'name'], 'expected a non-empty name', d.name);
      const { arch } = resolveArchitecture(d.architecture, [...path, 'architecture'], ctx);
      if (arch.num_experts_per_tok > arch.num_experts) {
        throw ctx.at.error(
          [...path, 'architecture'],
          `num_experts_per_tok (${arch.num_experts_per_tok}) exceeds num_experts (${arch.num_experts}): a token cannot use more experts than there are`,
        );
      }
      const b = countParameters(arch);
      design = {
        name: d.name,
        architecture: arch,
        experts: arch.num_experts,
        top_k: arch.num_experts_per_tok,
        expert_params: b.expert_params,
        shared_params: b.shared_params,
        line,
      };
    } else if ('preset' in d) {
      const p = presetOrError(d.preset, [...path, 'preset'], ctx);
      if (p instanceof Error) throw p;
      design = {
        name: d.name ?? p.id,
        preset: p.id,
        architecture: ctx.catalog.presetArchitecture(p),
        experts: p.experts,
        top_k: p.top_k,
        expert_params: p.expert_params,
        shared_params: p.shared_params,
        line,
      };
    } else {
      if (d.name.trim() === '') throw ctx.at.expected([...path, 'name'], 'expected a non-empty name', d.name);
      design = {
        name: d.name,
        experts: axisValue('experts', d.experts, [...path, 'experts'], ctx),
        top_k: axisValue('top_k', d.top_k, [...path, 'top_k'], ctx),
        expert_params: axisValue('expert_params', d.expert_params, [...path, 'expert_params'], ctx),
        shared_params: axisValue('shared_params', d.shared_params, [...path, 'shared_params'], ctx),
        line,
      };
      if (design.top_k > design.experts) {
        throw ctx.at.expected(
          [...path, 'top_k'],
          `expected at most experts (${design.experts}): a token cannot use more experts than there are`,
          d.top_k,
        );
      }
    }
    if (names.has(design.name))
      throw ctx.at.expected(
        [...path, 'preset' in d && d.name === undefined ? 'preset' : 'name'],
        'expected a name no other design has',
        design.name,
      );
    names.add(design.name);
    out.push(design);
  });
  return out;
}

function normalizeTraining(raw: RawSpec['training'], ctx: Context): Training | undefined {
  if (raw === undefined) return undefined;
  if ((raw.tokens === undefined) === (raw.flops === undefined))
    throw ctx.at.error(['training'], 'expected exactly one of tokens (such as 15T) or flops (such as 3e24)');
  const key = raw.tokens !== undefined ? 'tokens' : 'flops';
  const v = parseCount(raw[key]);
  if (v === undefined || !Number.isFinite(v) || v <= 0 || v > 1e40)
    throw ctx.at.expected(
      ['training', key],
      `expected a positive count such as ${key === 'tokens' ? '15T' : '3e24'}`,
      raw[key],
    );
  return { [key]: v };
}

function normalizeObjectives(raw: RawSpec['objectives'], ctx: Context): Objective[] {
  if (raw === undefined)
    return [
      { sense: 'min', metric: 'active_params' },
      { sense: 'max', metric: 'total_params' },
    ];
  if (raw.length === 0)
    throw ctx.at.expected(
      ['objectives'],
      'expected at least one objective, such as [min active_params, max total_params]',
      raw,
    );
  const seen = new Set<string>();
  return raw.map((text, i) => {
    const [sense, metric] = text.split(' ') as ['min' | 'max', Objective['metric']];
    if (seen.has(metric)) throw ctx.at.expected(['objectives', i], 'expected each metric at most once', text);
    if (isQualityMetric(metric) && !ctx.training)
      throw ctx.at.expected(
        ['objectives', i],
        'expected a design metric: quality metrics need training: {tokens: …} or {flops: …}',
        text,
      );
    if (isTrainingCostMetric(metric) && !ctx.hasTrainingCost)
      throw ctx.at.expected(
        ['objectives', i],
        `expected a metric the spec computes: ${metric} needs training: {tokens, hardware: {gpu, count}}`,
        text,
      );
    if (metric === 'train_cost' && ctx.hasTrainingCost && !ctx.hasTrainingPrice)
      throw ctx.at.expected(
        ['objectives', i],
        'expected a metric the spec computes: train_cost needs training.price_per_gpu_hour',
        text,
      );
    if (isServingMetric(metric) && !(servingNeeds(metric) === 'serving' ? ctx.hasServing : ctx.hasHardware)) {
      throw ctx.at.expected(
        ['objectives', i],
        `expected a metric the spec computes: ${metric} needs ${servingNeeds(metric) === 'serving' ? 'serving:' : 'hardware: and serving:'}`,
        text,
      );
    }
    seen.add(metric);
    return { sense, metric };
  });
}

export function normalizeSpec(raw: RawSpec, ctx: Context): SweepSpec {
  if (!raw.grid && (!raw.designs || raw.designs.length === 0)) {
    throw ctx.at.error([], 'expected a grid, designs, or both: there is nothing to evaluate');
  }
  ctx.training = normalizeTraining(raw.training, ctx);
  const formats = normalizeFormats(raw.dtype, ctx);
  const architecture = normalizeArchitecture(raw.architecture, raw.grid, ctx);
  const grid = raw.grid && !architecture?.axes ? normalizeGrid(raw.grid, ctx) : undefined;
  const designs = normalizeDesigns(raw.designs, ctx);
  // Designs that carry an architecture (presets, architecture designs) can be served without one for the spec.
  const servable =
    architecture !== undefined ||
    (grid === undefined && designs.length > 0 && designs.every((d) => d.architecture !== undefined));
  const serving = normalizeServing(raw.serving, servable, ctx);
  const hardware = normalizeHardware(raw.hardware, serving, formats, ctx);
  ctx.hasServing = serving !== undefined;
  ctx.hasHardware = hardware !== undefined;
  const trainingCost = normalizeTrainingCost(raw.training, servable, ctx);
  ctx.hasTrainingCost = trainingCost !== undefined;
  ctx.hasTrainingPrice = trainingCost !== undefined && !Number.isNaN(trainingCost.price);
  const { constraints, overhead } = normalizeConstraints(raw.constraints, ctx);
  // A design whose fullest training GPU does not hold its share cannot be trained on these GPUs.
  if (trainingCost)
    constraints.push({
      name: 'train_gpu_memory',
      metric: SLOT.train_memory_per_gpu,
      min: -Infinity,
      max: trainingCost.gpuMemory,
    });
  // A design that does not fit every GPU cannot be served on this hardware, whatever else holds.
  if (hardware)
    constraints.push({ name: 'gpu_memory', metric: SLOT.per_gpu_bytes, min: -Infinity, max: hardware.memory_bytes });
  const compare: ComparePreset[] = (raw.compare ?? []).map((id, i) => {
    const p = presetOrError(id, ['compare', i], ctx);
    if (p instanceof Error) throw p;
    return {
      id: p.id,
      name: p.name,
      architecture: ctx.catalog.presetArchitecture(p),
      experts: p.experts,
      top_k: p.top_k,
      expert_params: p.expert_params,
      shared_params: p.shared_params,
    };
  });
  return {
    file: ctx.file,
    name: raw.name ?? ctx.defaultName,
    description: raw.description ?? '',
    sha256: ctx.sha256,
    grid: grid?.axes,
    gridLine: grid ? ctx.at.position(['grid'], true).line : undefined,
    gridText: grid?.text,
    dtype: formats.text,
    bytesPerWeight: formats.rest,
    formats,
    ...(architecture ? { architecture } : {}),
    ...(serving ? { serving } : {}),
    ...(hardware ? { hardware } : {}),
    overhead,
    constraints,
    objectives: normalizeObjectives(raw.objectives, ctx),
    training: ctx.training,
    ...(ctx.training ? { qualityPlan: qualityPlan(ctx.training, ctx.catalog.laws) } : {}),
    ...(trainingCost ? { trainingCost } : {}),
    designs,
    compare,
  };
}
