// Which EP × TP layouts are valid (src/serving/layout.ts), with the published configurations
// they come from, and what a design with none becomes.
import { describe, expect, it } from 'vitest';
import { LAYOUT_PROBLEMS, explainLayouts, layoutProblem, packProblems, weightBlock } from '../../src/serving/layout.js';
import { cli } from '../helpers.js';

// DeepSeek-V3 config.json: 256 routed experts, 128 attention heads (MLA: no GQA KV heads),
// moe_intermediate_size 2048, intermediate_size 18432 (dense layers), one shared expert of 2048
const dsv3 = {
  experts: 256,
  attentionHeads: 128,
  gqaKvHeads: 0,
  expertWidth: 2048,
  denseWidth: 18432,
  sharedWidth: 2048,
};
// Qwen3-30B-A3B config.json: 128 experts, 32 heads, 4 KV heads, moe_intermediate_size 768, no dense or shared
const qwen = { experts: 128, attentionHeads: 32, gqaKvHeads: 4, expertWidth: 768, denseWidth: 0, sharedWidth: 0 };

describe('layoutProblem', () => {
  it('DeepSeek-V3 in block-FP8 on 8 GPUs: TP 8 splits 2048 into 256 = 2 × 128 and 18432 into 2304 = 18 × 128', () => {
    expect(layoutProblem(dsv3, 1, 8, false, 128, 128)).toBe(0);
    expect(layoutProblem(dsv3, 8, 1, false, 128, 128)).toBe(0);
  });

  it('an expert width of 1536 at TP 8 leaves 192 per rank, not a multiple of 128 (vllm#40955, sglang#23602)', () => {
    expect(layoutProblem({ ...dsv3, expertWidth: 1536 }, 1, 8, false, 128, 128)).toBe(4);
    // TP 4: 384 = 3 × 128, valid; in bf16 (block 1) TP 8 is valid too
    expect(layoutProblem({ ...dsv3, expertWidth: 1536 }, 2, 4, false, 128, 128)).toBe(0);
    expect(layoutProblem({ ...dsv3, expertWidth: 1536 }, 1, 8, false, 1, 1)).toBe(0);
  });

  it('Qwen3-30B-A3B: TP 8 over 4 KV heads replicates each twice (valid); EP 3 does not divide 128 experts', () => {
    expect(layoutProblem(qwen, 1, 8, false, 1, 1)).toBe(0);
    expect(layoutProblem(qwen, 3, 1, false, 1, 1)).toBe(1);
  });

  it('TP must divide the heads unless attention is data-parallel; 12 KV heads at TP 8 neither divide nor are divided', () => {
    const odd = { ...qwen, attentionHeads: 48, gqaKvHeads: 12, expertWidth: 768 };
    expect(layoutProblem(odd, 1, 8, false, 1, 1)).toBe(3);
    expect(layoutProblem(odd, 1, 8, true, 1, 1)).toBe(0);
    expect(layoutProblem({ ...qwen, attentionHeads: 40 }, 1, 16, false, 1, 1)).toBe(2);
  });

  it('block-FP8 weights are 1 byte; other formats carry no TP block', () => {
    expect(weightBlock(1)).toBe(128);
    expect(weightBlock(2)).toBe(1);
    expect(weightBlock(0.53125)).toBe(1);
  });

  it('packs one problem per TP option tried and explains the invalid ones', () => {
    expect(packProblems([1, 0, 4])).toBe(401);
    expect(explainLayouts(401, 8, [1, 2, 4, 8])).toBe(`EP8xTP1: ${LAYOUT_PROBLEMS[1]}; EP2xTP4: ${LAYOUT_PROBLEMS[4]}`);
  });
});

describe('a design with no valid layout', () => {
  it('calc says why instead of a memory figure, and the design does not fit', async () => {
    // Mixtral 8x7B has 8 experts: on 3 GPUs the only layout is EP 3 × TP 1
    const r = await cli(
      'calc',
      '--preset',
      'mixtral-8x7b',
      '--context',
      '4K',
      '--gpu',
      'H100-SXM-80GB',
      '--count',
      '3',
      '--json',
    );
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j.gpu_layout).toBe('none');
    expect(j.per_gpu_bytes).toBeNull();
    expect(j.fits_per_gpu).toBe(false);
    expect(j.decode_bound).toBe('layout');
  });

  it('experts in CPU memory must fit cpu.memory: gpt-oss-120b’s MXFP4 experts (about 61 GB) do not fit 32 GB', async () => {
    const args = [
      'calc',
      '--preset',
      'gpt-oss-120b',
      '--expert-dtype',
      'mxfp4',
      '--context',
      '8K',
      '--gpu',
      'RTX-4090',
    ];
    const cpu = ['--cpu-bandwidth', '89.6GB/s', '--experts-on-cpu', 'all', '--json'];
    const small = JSON.parse((await cli(...args, '--cpu-memory', '32GB', ...cpu)).stdout) as Record<string, unknown>;
    expect(small.gpu_layout).toBe('none');
    expect(small.layout_problems).toBe(5);
    const large = JSON.parse((await cli(...args, '--cpu-memory', '96GB', ...cpu)).stdout) as Record<string, unknown>;
    expect(large.gpu_layout).toBe('EP1xTP1');
    expect(large.decode_bound).toBe('cpu');
  });
});
