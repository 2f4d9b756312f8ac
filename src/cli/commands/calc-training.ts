// calc's training-cost flags: --train-tokens with --gpu and --count, and the layout, MFU, price and
// precision options, turned into the plan the sweep's training columns use, and their table rows.
import type { Catalog } from '../../catalog/index.js';
import { InputError } from '../../findings/errors.js';
import { formatBytes, formatCount, formatPercent, parseCount } from '../../formats/units.js';
import {
  trainingCostPlan,
  trainingShapeOf,
  type TrainingCostPlan,
  type TrainingCostValues,
} from '../../metrics/training.js';
import { countParameters } from '../../arch/count.js';
import type { Architecture } from '../../arch/types.js';
import type { Design } from '../../metrics/design.js';
import { trainingFactsOf } from '../../training/facts.js';
import { describeProblem, layoutProblem } from '../../training/layout.js';
import { GpuError, gpuById } from '../../serving/gpu-id.js';

export interface CalcTrainingOptions {
  trainTokens?: string;
  seqLen?: string;
  gpu?: string;
  count?: string;
  mfu?: string;
  gpuHours?: string;
  price?: string;
  trainCompute?: 'bf16' | 'fp8';
  trainTp?: string;
  trainPp?: string;
  trainEp?: string;
  trainEtp?: string;
  trainCp?: string;
  zero?: string;
  recompute?: 'none' | 'selective' | 'full';
  microBatch?: string;
  globalBatch?: string;
  layoutSearch?: 'throughput' | 'memory';
  trainMtp?: boolean;
}

const FLAG_OF: Record<string, string> = {
  tokens: '--train-tokens',
  seq_len: '--seq-len',
  'hardware.count': '--count',
  'hardware.compute': '--train-compute',
  mfu: '--mfu',
  gpu_hours: '--gpu-hours',
  price_per_gpu_hour: '--price',
  'parallel.tp': '--train-tp',
  'parallel.pp': '--train-pp',
  'parallel.ep': '--train-ep',
  'parallel.etp': '--train-etp',
  'parallel.cp': '--train-cp',
  'parallel.zero': '--zero',
  'parallel.micro_batch': '--micro-batch',
  'parallel.global_batch': '--global-batch',
};

/** The flags that mean nothing without --train-tokens. */
const TRAINING_ONLY: (keyof CalcTrainingOptions)[] = [
  'seqLen',
  'mfu',
  'gpuHours',
  'price',
  'trainCompute',
  'trainTp',
  'trainPp',
  'trainEp',
  'trainEtp',
  'trainCp',
  'zero',
  'recompute',
  'microBatch',
  'globalBatch',
  'layoutSearch',
  'trainMtp',
];

const kebab = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function number(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = parseCount(v);
  if (n === undefined || !Number.isFinite(n)) throw new InputError(`calc: ${flag}: expected a number, got "${v}"`);
  return n;
}

/** The training plan of calc's flags; undefined without --train-tokens. */
export function calcTraining(
  o: CalcTrainingOptions,
  hasArchitecture: boolean,
  catalog: Catalog,
): TrainingCostPlan | undefined {
  if (o.trainTokens === undefined) {
    const stray = TRAINING_ONLY.find((k) => o[k] !== undefined);
    if (stray)
      throw new InputError(
        `calc: ${kebab(stray)} needs --train-tokens (e.g. --train-tokens 15T --gpu H800 --count 2048)`,
      );
    return undefined;
  }
  if (!hasArchitecture)
    throw new InputError(
      'calc: --train-tokens needs an architecture for attention FLOPs and activations: --preset ID or --config PATH/config.json',
    );
  if (o.gpu === undefined) throw new InputError('calc: --train-tokens needs --gpu (e.g. --gpu H800 --count 2048)');
  const n = (flag: string, v: string | undefined) => number(flag, v);
  try {
    const gpu = gpuById(o.gpu, catalog.gpus);
    const parallel = {
      ...(o.trainTp !== undefined ? { tp: n('--train-tp', o.trainTp)! } : {}),
      ...(o.trainPp !== undefined ? { pp: n('--train-pp', o.trainPp)! } : {}),
      ...(o.trainEp !== undefined ? { ep: n('--train-ep', o.trainEp)! } : {}),
      ...(o.trainEtp !== undefined ? { etp: n('--train-etp', o.trainEtp)! } : {}),
      ...(o.trainCp !== undefined ? { cp: n('--train-cp', o.trainCp)! } : {}),
      ...(o.zero !== undefined ? { zero: Number(o.zero) } : {}),
      ...(o.recompute !== undefined ? { recompute: o.recompute } : {}),
      ...(o.microBatch !== undefined ? { micro_batch: n('--micro-batch', o.microBatch)! } : {}),
      ...(o.globalBatch !== undefined ? { global_batch: n('--global-batch', o.globalBatch)! } : {}),
    };
    return trainingCostPlan(
      {
        tokens: n('--train-tokens', o.trainTokens)!,
        ...(o.seqLen !== undefined ? { seqLen: n('--seq-len', o.seqLen)! } : {}),
        count: o.count === undefined ? 1 : n('--count', o.count)!,
        ...(o.trainCompute !== undefined ? { compute: o.trainCompute } : {}),
        ...(o.mfu !== undefined ? { mfu: n('--mfu', o.mfu)! } : {}),
        ...(o.gpuHours !== undefined ? { gpuHours: n('--gpu-hours', o.gpuHours)! } : {}),
        ...(o.price !== undefined ? { price: n('--price', o.price)! } : {}),
        parallel,
        ...(o.layoutSearch !== undefined ? { search: o.layoutSearch } : {}),
        ...(o.trainMtp ? { mtp: true } : {}),
      },
      gpu,
      catalog.trainingMfu.defaults,
    );
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof GpuError) throw new InputError(`calc: --gpu: ${e.message}`);
    if (e instanceof RangeError) {
      const [field, ...rest] = e.message.split(': ');
      throw new InputError(`calc: ${FLAG_OF[field!] ?? field}: ${rest.join(': ')}`);
    }
    throw e;
  }
}

/** Why a fully given layout is illegal for the design, with its numbers; undefined when it is legal or searched. */
export function layoutDetail(plan: TrainingCostPlan, arch: Architecture, design: Design): string | undefined {
  const l = plan.layout;
  if (l.tp < 0 || l.pp < 0 || l.ep < 0 || l.etp < 0) return undefined;
  const facts = trainingFactsOf(arch, countParameters(arch), plan.seqLen);
  const shape = trainingShapeOf(facts, design);
  const layout = { ...l, zero: Math.max(l.zero, 0), recompute: Math.max(l.recompute, 0) };
  const code = layoutProblem(shape, facts, layout, plan.count, plan.seqLen, plan.globalBatch);
  return code === 0 ? undefined : describeProblem(code, shape, facts, layout, plan.count);
}

/** The training rows of calc's table; `illegal` explains a given layout that is not legal. */
export function trainingRows(
  t: TrainingCostValues,
  plan: TrainingCostPlan,
  illegal?: string,
): [string, string, string][] {
  const days = t.train_days;
  return [
    [
      'train_flops',
      t.train_flops.toExponential(3),
      `${formatCount(plan.tokens)} tokens × (6 × N + attention at ${plan.seqLen} tokens)`,
    ],
    [
      'train_mfu',
      formatPercent(t.train_mfu),
      plan.gpuHours > 0 ? `implied by ${formatCount(plan.gpuHours)} GPU-hours` : 'model FLOPs utilisation',
    ],
    [
      'train_gpu_hours',
      formatCount(t.train_gpu_hours),
      `on ${plan.gpu} at ${plan.peakFlopsPerS.toExponential(4)} FLOP/s dense peak`,
    ],
    ['train_days', days.toFixed(1), `on ${plan.count} × ${plan.gpu}`],
    [
      'train_cost',
      Number.isNaN(t.train_cost) ? '' : formatCount(t.train_cost),
      Number.isNaN(t.train_cost) ? 'give --price' : `at ${plan.price} per GPU-hour`,
    ],
    [
      'train_memory_per_gpu',
      Number.isFinite(t.train_memory_per_gpu) ? formatBytes(t.train_memory_per_gpu) : '',
      illegal
        ? `illegal layout: ${illegal}`
        : `${t.train_layout}: ${t.train_fits ? 'fits' : `does NOT fit ${formatBytes(plan.gpuMemory)}`}`,
    ],
  ];
}
