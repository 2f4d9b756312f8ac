// The calculator's architecture mode: the spec's base architecture with its fields editable, counted
// in the page by the same module-by-module code as the sweep (src/arch/count.ts, bundled here). A
// count gives the four numbers (experts, top-k, one expert's and the shared parameters), which go
// into the calculator's inputs, so every figure it shows follows from them as in the CSV.
import { countParameters } from '../arch/count.js';
import type { Architecture } from '../arch/types.js';

interface ArchCalc {
  source: string;
  base: Architecture;
  fields: { field: string; meaning: string }[];
}

const $ = (id: string) => document.getElementById(id) as HTMLInputElement | null;

function setInput(id: string, value: string): void {
  const input = $(id);
  if (!input) return;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
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
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (error) error.textContent = problems.join('; ');
}

/** Builds the architecture inputs; returns a function that loads a design's fields into them. */
export function wireArchitectureCalculator(): ((fields: Record<string, string>) => void) | undefined {
  const box = document.getElementById('calc-arch-fields');
  const data = JSON.parse(document.getElementById('calc-data')?.textContent ?? '{}') as { architecture?: ArchCalc };
  const calc = data.architecture;
  if (!box || !calc) return undefined;
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
