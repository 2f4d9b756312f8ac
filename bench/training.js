// node bench/training.js (after npm run build): the cost of the training-cost columns per design on
// this machine: one point with the parallel layout given and one with it searched (DeepSeek-V3 on
// 2,048 H800), and sweeps/train-budget.yaml evaluated in the calling thread. Medians of several runs.
import { fileURLToPath } from 'node:url';
import { loadSpec, runSweepSync } from '../dist/index.js';
import { loadCatalog } from '../dist/catalog/index.js';
import { findPreset } from '../dist/catalog/presets.js';
import { countParameters } from '../dist/arch/count.js';
import { trainingFactsOf } from '../dist/training/facts.js';
import { TrainingCostEvaluator, trainingCostPlan } from '../dist/metrics/training.js';
import { SLOT, SLOT_COUNT } from '../dist/metrics/registry.js';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const catalog = loadCatalog();
const arch = catalog.presetArchitecture(findPreset(catalog.presets, 'deepseek-v3'));
const counted = countParameters(arch);
const facts = trainingFactsOf(arch, counted, 4096);
const gpu = catalog.gpus.find((g) => g.id === 'H800');
const point = {
  experts: arch.num_experts,
  top_k: arch.num_experts_per_tok,
  expert_params: counted.expert_params,
  shared_params: counted.shared_params,
  trainingFacts: facts,
};

function perPoint(parallel) {
  const plan = trainingCostPlan({ tokens: 15e12, count: 2048, mfu: 0.4, parallel }, gpu, catalog.trainingMfu.defaults);
  const evaluator = new TrainingCostEvaluator(plan);
  const m = new Float64Array(SLOT_COUNT);
  m[SLOT.active_params] = counted.active;
  const n = parallel.tp === undefined ? 200 : 200_000;
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) evaluator.into(m, point);
    times.push((performance.now() - t) / n);
  }
  return median(times);
}

const rows = [];
const fixed = perPoint({ tp: 1, pp: 16, ep: 64, etp: 1, zero: 1, recompute: 'selective' });
rows.push(['training columns, layout given (DeepSeek-V3, 2,048 H800)', `${(fixed * 1000).toFixed(2)} µs per point`]);
const searched = perPoint({});
rows.push(['training columns, layout searched (same)', `${searched.toFixed(3)} ms per point`]);
{
  const spec = loadSpec(here('../sweeps/train-budget.yaml'));
  const times = [];
  let points = 0;
  for (let r = 0; r < Math.min(RUNS, 5); r++) {
    const t = performance.now();
    points = runSweepSync(spec).counts.points;
    times.push(performance.now() - t);
  }
  rows.push([`sweeps/train-budget.yaml evaluated, 1 thread (${points} points)`, `${median(times).toFixed(0)} ms`]);
}
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`moe-sweep training bench · Node ${process.version} · median of ${RUNS} runs\n`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
