// The estimate's spec fields and calc flags: what they change, and the one-line errors for bad input.
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/load.js';
import { evaluateNamed } from '../../src/sweep/design.js';
import { cli } from '../helpers.js';

const SPEC = `name: est
architecture:
  from: qwen3-30b-a3b
grid:
  experts: [128]
  top_k: [8]
  expert_params: 1e9
  shared_params: 2e9
serving: {context: 4K, batch: 64}
hardware: {gpu: H200, count: 2}
compare: [qwen3-30b-a3b]
`;

const err = (text: string) => {
  try {
    parseSpec(text, 'spec.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
};

const served = (text: string) => evaluateNamed(parseSpec(text, 'spec.yaml')).compare[0]!.serving!;

describe('spec fields of the estimate', () => {
  it('mtp: one draft at 0.8 raises tokens per step to 1.8; TPOT falls and TTFT is untouched', () => {
    const base = served(SPEC);
    const mtp = served(SPEC.replace('batch: 64}', 'batch: 64, mtp: {tokens: 1, acceptance: 0.8}}'));
    expect(mtp.tpot_ms!).toBeLessThan(base.tpot_ms!);
    expect(mtp.ttft_ms).toBe(base.ttft_ms);
    expect(mtp.decode_bound_tokens_per_s).toBe(base.decode_bound_tokens_per_s);
  });

  it('input: a longer prompt takes longer to first token', () => {
    const short = served(SPEC.replace('batch: 64}', 'batch: 64, input: 1K}'));
    const long = served(SPEC.replace('batch: 64}', 'batch: 64, input: 32K}'));
    expect(long.ttft_ms!).toBeGreaterThan(short.ttft_ms!);
  });

  it('engine: vLLM at 0.9 holds fewer sequences than no engine (its 10% and 2 GB are not for KV)', () => {
    const none = served(SPEC);
    const vllm = served(SPEC.replace('batch: 64}', 'batch: 64, engine: vllm}'));
    expect(vllm.max_batch!).toBeLessThan(none.max_batch!);
    expect(vllm.per_gpu_bytes!).toBeGreaterThan(none.per_gpu_bytes!);
  });

  it('experts_on_cpu: all moves the experts off the GPUs and the CPU binds decode', () => {
    const cpu = served(
      SPEC.replace('count: 2}', 'count: 2, cpu: {memory: 512GB, bandwidth: 300GB/s}, experts_on_cpu: all}'),
    );
    expect(cpu.decode_bound).toBe('cpu');
    expect(cpu.per_gpu_bytes!).toBeLessThan(served(SPEC).per_gpu_bytes!);
  });
});

describe('spec errors of the estimate', () => {
  it('names the field, its place and what was expected', () => {
    expect(err(SPEC.replace('batch: 64}', 'batch: 64, memory_fraction: 0.9}'))).toMatch(
      /^spec\.yaml:9:\d+ serving\.memory_fraction: needs engine: vllm, sglang or trtllm/,
    );
    expect(err(SPEC.replace('batch: 64}', 'batch: 64, engine: vllm, memory_fraction: 1.5}'))).toMatch(
      /^spec\.yaml:9:\d+ serving\.memory_fraction: expected a fraction above 0 and at most 1, such as 0\.9, got 1\.5$/,
    );
    expect(err(SPEC.replace('batch: 64}', 'batch: 64, mtp: {tokens: 2, acceptance: [0.8]}}'))).toMatch(
      /^spec\.yaml:9:\d+ serving\.mtp\.acceptance: expected one acceptance per draft token \(2\), or one number for all/,
    );
    expect(err(SPEC.replace('batch: 64}', 'batch: 64, mtp: {tokens: 5, acceptance: 0.8}}'))).toMatch(
      /^spec\.yaml:9:\d+ serving\.mtp\.tokens: expected a whole number of draft tokens from 1 to 4, got 5$/,
    );
    expect(err(SPEC.replace('count: 2}', 'count: 2, experts_on_cpu: all}'))).toMatch(
      /^spec\.yaml:10:\d+ hardware\.experts_on_cpu: needs cpu: \{memory, bandwidth\}/,
    );
    expect(err(SPEC.replace('count: 2}', 'count: 2, cpu: {memory: 512GB, bandwidth: fast}}'))).toMatch(
      /^spec\.yaml:10:\d+ hardware\.cpu\.bandwidth: expected a bandwidth such as 300GB\/s, got "fast"$/,
    );
  });
});

describe('calc flags of the estimate', () => {
  it('prints the estimate, what binds it and the bound', async () => {
    const r = await cli(
      'calc',
      '--preset',
      'deepseek-v3',
      '--dtype',
      'fp8',
      '--context',
      '2K',
      '--batch',
      '32',
      '--gpu',
      'H200',
      '--count',
      '8',
      '--engine',
      'sglang',
      '--dp-attention',
      '--mtp',
      '1',
      '--acceptance',
      '0.8',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /decode_tokens_per_s .* estimate at batch 32 with 1 draft token\(s\); \w+ binds \(engine sglang\)/,
    );
    expect(r.stdout).toMatch(/decode_bound_tokens_per_s .* upper bound/);
    expect(r.stdout).toMatch(/ttft_ms .* ms/);
  });

  it('rejects bad values in one line with exit code 2', async () => {
    const base = ['calc', '--preset', 'deepseek-v3', '--context', '2K', '--gpu', 'H200', '--count', '8'];
    const bad = async (...extra: string[]) => {
      const r = await cli(...base, ...extra);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      return r.stderr.trim();
    };
    expect(await bad('--mtp', '1')).toMatch(/--mtp needs --acceptance/);
    expect(await bad('--mtp', '1', '--acceptance', '1.2')).toMatch(/--acceptance: expected probabilities from 0 to 1/);
    expect(await bad('--memory-fraction', '0.9')).toMatch(/--memory-fraction needs --engine/);
    expect(await bad('--experts-on-cpu', 'all')).toMatch(/--experts-on-cpu needs --cpu-bandwidth/);
    expect(await bad('--cpu-bandwidth', 'fast')).toMatch(/--cpu-bandwidth: expected a bandwidth such as 300GB\/s/);
  });
});
