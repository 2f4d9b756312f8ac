/**
 * The new families go through the same reader as every other: a spec's architecture: {config: …}
 * and `calc --config` count Snowflake Arctic (its dense residual MLP included) exactly as
 * `inspect` does (figures hand-worked in new-families.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/load.js';
import { cli, useTempDir } from '../helpers.js';

const tmp = useTempDir('moe-sweep-families-');

/** Snowflake/snowflake-arctic-instruct config.json fields. */
const ARCTIC = {
  model_type: 'arctic',
  hidden_size: 7168,
  intermediate_size: 4864,
  num_attention_heads: 56,
  num_key_value_heads: 8,
  num_hidden_layers: 35,
  num_local_experts: 128,
  num_experts_per_tok: 2,
  moe_layer_frequency: 1,
  parallel_attn_mlp_res: true,
  vocab_size: 32000,
  tie_word_embeddings: false,
};

describe('a new family in specs and calc', () => {
  it('architecture: {config: arctic.json} in a named design', () => {
    writeFileSync(join(tmp, 'arctic.json'), JSON.stringify(ARCTIC));
    const spec = parseSpec(
      'designs:\n  - name: arctic\n    architecture: {config: arctic.json}\n',
      join(tmp, 'spec.yaml'),
    );
    // 35 layers × 3·7168·4864 per expert; the residual MLP is an always-active shared expert
    expect(spec.designs[0]).toMatchObject({ name: 'arctic', experts: 128, top_k: 2, expert_params: 3_660_840_960 });
    // total 478,584,608,768 = 128 × 3,660,840,960 + shared 9,996,965,888
    expect(spec.designs[0]?.shared_params).toBe(9_996_965_888);
  });

  it('calc --config arctic.json', async () => {
    writeFileSync(join(tmp, 'arctic.json'), JSON.stringify(ARCTIC));
    const r = await cli('calc', '--config', join(tmp, 'arctic.json'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ experts: 128, top_k: 2, total_params: 478_584_608_768 });
  });

  it('an unsupported model_type in a spec names the registry', () => {
    writeFileSync(join(tmp, 'odd.json'), JSON.stringify({ ...ARCTIC, model_type: 'not_a_moe' }));
    expect(() =>
      parseSpec('designs:\n  - name: odd\n    architecture: {config: odd.json}\n', join(tmp, 'spec2.yaml')),
    ).toThrow(/unsupported model_type "not_a_moe"; supported model types: mixtral, .*arctic/);
  });
});
