// The calculator's architecture mode: the spec's base architecture with its fields editable, counted
// in the page by the same module-by-module code as the sweep (src/arch/count.ts, bundled here). A
// count gives the four numbers (experts, top-k, one expert's and the shared parameters), which go
// into the calculator's inputs, so every figure it shows follows from them as in the CSV.
// With the spec's `training:`, the same count also gives the design's training facts, and the sweep's
// own training-cost evaluator (src/metrics/training.ts over src/training/) fills the training rows.
import { countParameters } from '../arch/count.js';
import type { Architecture, Breakdown } from '../arch/types.js';
import { metricsInto } from '../metrics/design.js';
import { SLOT, SLOT_COUNT } from '../metrics/registry.js';
import { TrainingCostEvaluator, trainLayoutText, type TrainingCostPlan } from '../metrics/training.js';
import { trainingFactsOf } from '../training/facts.js';

interface ArchCalc {
  source: string;
  base: Architecture;
  fields: { field: string; meaning: string }[];
}

/** The spec's training-cost plan as JSON wrote it (a missing price is null there, NaN in the plan). */
type TrainingJson = Omit<TrainingCostPlan, 'price'> & { price: number | null };

let training: TrainingCostEvaluator | undefined;

const $ = (id: string) => document.getElementById(id) as HTMLInputElement | null;

/** True while the count writes the four numbers, so their input events are not a user's edit. */
let counting = false;

function setInput(id: string, value: string): void {
  const input = $(id);
  if (!input) return;
  input.value = value;
  counting = true;
  try {
    input.dispatchEvent(new Event('input', { bubbles: true }));
  } finally {
    counting = false;
  }
}

function recount(calc: ArchCalc): void {
  const arch: Record<string, unknown> = { ...calc.base };
  const problems: string[] = [];
  for (const { field } of calc.fields) {
    const input = $(`calc-arch-${field}`)!;
    const v = Number(input.value);
    const ok = input.value.trim() !== '' && Number.isSafeInteger(v) && v >= 0;
    input.classList.toggle('invalid', !ok);
    if (ok) arch[field] = v;
    else problems.push(`${field} must be a whole number of 0 or more`);
  }
  const error = $('calc-arch-error');
  if (!problems.length) {
    try {
      const b = countParameters(arch as unknown as Architecture);
      setInput('calc-experts', String(arch.num_experts));
      setInput('calc-top-k', String(arch.num_experts_per_tok));
      setInput('calc-expert-params', String(b.expert_params));
      setInput('calc-shared', String(b.shared_params));
      showTraining(arch as unknown as Architecture, b);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (error) error.textContent = problems.join('; ');
  if (problems.length) showTraining(undefined, undefined);
}

const out = (id: string, text: string) => {
  const cell = document.getElementById(`out-${id}`);
  if (cell) cell.textContent = text;
};

/** The training rows of the counted design (blank when the architecture does not count). */
function showTraining(arch: Architecture | undefined, b: Breakdown | undefined): void {
  if (!training) return;
  const ids = [
    'train_flops',
    'train_gpu_hours',
    'train_days',
    'train_cost',
    'train_memory_per_gpu',
    'train_fits',
    'train_layout',
  ];
  if (!arch || !b) {
    for (const id of ids) out(id, '');
    return;
  }
  const plan = training.plan;
  const m = new Float64Array(SLOT_COUNT);
  // only active_params is read by the training columns; the weight bytes do not matter here
  metricsInto(m, 0, arch.num_experts, arch.num_experts_per_tok, b.expert_params, b.shared_params, 1, 0);
  training.into(m, {
    experts: arch.num_experts,
    top_k: arch.num_experts_per_tok,
    expert_params: b.expert_params,
    shared_params: b.shared_params,
    trainingFacts: trainingFactsOf(arch, b, plan.seqLen),
  });
  const cost = m[SLOT.train_cost]!;
  out('train_flops', m[SLOT.train_flops]!.toExponential(3));
  out('train_gpu_hours', `${(m[SLOT.train_gpu_hours]! / 1e6).toFixed(3)}M`);
  out('train_days', m[SLOT.train_days]!.toFixed(2));
  out('train_cost', Number.isNaN(cost) ? '(no price in the spec)' : `$${(cost / 1e6).toFixed(3)}M`);
  const bytes = m[SLOT.train_memory_per_gpu]!;
  out('train_memory_per_gpu', Number.isFinite(bytes) ? `${(bytes / 1e9).toFixed(1)} GB` : '');
  out('train_fits', m[SLOT.train_fits] === 1 ? 'yes' : 'no');
  out('train_layout', trainLayoutText(m));
}

/** Builds the architecture inputs; returns a function that loads a design's fields into them. */
export function wireArchitectureCalculator(): ((fields: Record<string, string>) => void) | undefined {
  const box = document.getElementById('calc-arch-fields');
  const data = JSON.parse(document.getElementById('calc-data')?.textContent ?? '{}') as {
    architecture?: ArchCalc;
    training?: TrainingJson;
  };
  const calc = data.architecture;
  if (!box || !calc) return undefined;
  if (data.training) {
    training = new TrainingCostEvaluator({ ...data.training, price: data.training.price ?? Number.NaN });
    // the four numbers typed by hand or from a preset no longer describe the counted architecture
    for (const id of ['calc-experts', 'calc-top-k', 'calc-expert-params', 'calc-shared', 'calc-preset'])
      $(id)?.addEventListener(
        id === 'calc-preset' ? 'change' : 'input',
        () => counting || showTraining(undefined, undefined),
      );
  }
  const base = calc.base as unknown as Record<string, number>;
  for (const { field, meaning } of calc.fields) {
    const label = document.createElement('label');
    label.title = meaning;
    label.textContent = field;
    const input = document.createElement('input');
    input.id = `calc-arch-${field}`;
    input.inputMode = 'numeric';
    input.value = String(base[field]);
    input.addEventListener('input', () => recount(calc));
    label.appendChild(input);
    box.appendChild(label);
  }
  return (fields) => {
    for (const { field } of calc.fields) {
      const v = fields[field];
      if (v !== undefined) $(`calc-arch-${field}`)!.value = v;
    }
    recount(calc);
  };
}
