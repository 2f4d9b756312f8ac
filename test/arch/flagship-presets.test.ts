/**
 * The presets of the 2026 flagships (presets/*.yaml) hold counts derived by hand; the counts read
 * from the official config.json files must agree with them to the last parameter: the abstract
 * split, every extra component and the storage adjustment that turns the preset's logical
 * checkpoint total into the Hub's count.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectConfig, type InspectBreakdown } from '../../src/arch/inspect.js';
import { presetQuantity } from '../../src/catalog/presets.js';
import { getPreset } from '../../src/catalog/preset-files.js';

/** The preset files' names for the extra components, and the breakdown field each one is. */
const EXTRA: Record<string, keyof InspectBreakdown> = {
  mtp: 'mtp',
  vision: 'vision',
  hash_routing_tables: 'routing_tables',
  fp8_block_scales: 'fp8_scales',
  fp4_expert_scales: 'quant_scales',
  int4_group_scales: 'quant_scales',
  int4_weight_shape_tensors: 'quant_shape_elements',
};

const CASES: [preset: string, fixture: string][] = [
  ['deepseek-v4-pro', 'deepseek-v4-pro.json'],
  ['kimi-k2.6', 'kimi-k2.6.json'],
  ['qwen3.5-397b-a17b', 'qwen3.5-397b-a17b.json'],
  ['glm-5', 'glm-5.json'],
  ['minimax-m2.5', 'minimax-m2.5.json'],
];

describe.each(CASES)('preset %s agrees with its config', (id, file) => {
  const p = getPreset(id);
  const r = inspectConfig(
    JSON.parse(readFileSync(new URL(`../../presets/configs/${file}`, import.meta.url), 'utf8')),
    file,
  );

  it('the abstract split and the embedding matrices', () => {
    expect(p).toBeDefined();
    if (!p) return;
    expect(r.experts.num_experts).toBe(p.experts);
    expect(r.experts.num_experts_per_tok).toBe(p.top_k);
    expect(r.expert_params).toBe(p.expert_params);
    expect(r.shared_params).toBe(p.shared_params);
    expect(r.breakdown.embedding).toBe(p.input_embedding_params);
    expect(r.breakdown.lm_head).toBe(p.head_params);
    expect(r.total_main).toBe(presetQuantity(p, 'total_main'));
    expect(r.active).toBe(presetQuantity(p, 'active'));
  });

  it('every extra component, and no component the preset lacks', () => {
    if (!p) return;
    for (const [key, value] of Object.entries(p.extra_params)) {
      const field = EXTRA[key];
      expect(field, `unknown preset extra ${key}`).toBeDefined();
      expect(r.breakdown[field as keyof InspectBreakdown], key).toBe(value);
    }
    const named = new Set(Object.keys(p.extra_params).map((k) => EXTRA[k]));
    for (const field of [
      'mtp',
      'mtp_stored_copies',
      'vision',
      'fp8_scales',
      'routing_tables',
      'quant_scales',
      'quant_shape_elements',
    ] as const) {
      if (!named.has(field)) expect(r.breakdown[field], field).toBe(0);
    }
  });

  it("the preset's logical checkpoint total + its storage adjustment = total_checkpoint = the exact public count", () => {
    if (!p) return;
    const adjustment = p.exact?.storage_adjustment ?? 0;
    expect(r.breakdown.storage_adjustment).toBe(adjustment);
    expect(r.total_checkpoint).toBe(presetQuantity(p, 'total_checkpoint') + adjustment);
    expect(r.total_checkpoint).toBe(p.exact?.total);
  });
});
