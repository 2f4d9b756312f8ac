// Training FLOPs in PaLM's model-FLOPs convention, and DeepSeek-V3's published GPU-hours.
import { describe, expect, it } from 'vitest';
import { countParameters } from '../../src/arch/count.js';
import { loadCatalog } from '../../src/catalog/index.js';
import { findPreset } from '../../src/catalog/presets.js';
import { attentionFlopsPerToken, gpuHours, impliedMfu, trainingDays, trainingFlops } from '../../src/training/flops.js';
import { trainingFactsOf } from '../../src/training/facts.js';
import { cli } from '../helpers.js';

describe('attention FLOPs per token', () => {
  it('counts 6·H·T·(d_qk + d_v) per softmax layer and 18·H·d_k·d_v per linear-attention layer', () => {
    // softmax: 6 × 4 heads × 8 keys × (2 + 2) = 768; linear: 18 × 2 heads × 3 × 4 = 432
    expect(
      attentionFlopsPerToken([
        { kind: 'softmax', heads: 4, dQk: 2, dV: 2, keys: 8 },
        { kind: 'linear', heads: 2, dQk: 3, dV: 4, keys: 0 },
      ]),
    ).toBe(1200);
  });

  it('caps a sliding-window layer at its window', () => {
    const catalog = loadCatalog();
    const arch = catalog.presetArchitecture(findPreset(catalog.presets, 'gpt-oss-120b')!);
    // gpt-oss-120b (config.json): 36 layers alternating sliding (window 128) and full attention,
    // 64 query heads of 64. At T = 4096: 18 × 6 × 64 × (128 + 4096) × (64 + 64) = 3,737,124,864
    expect(trainingFactsOf(arch, countParameters(arch), 4096).attentionFlopsPerToken).toBe(3_737_124_864);
  });
});

describe("DeepSeek-V3's pretraining (arXiv:2412.19437, Table 1: 2,664K H800 GPU-hours for 14.8T tokens)", () => {
  const catalog = loadCatalog();
  const arch = catalog.presetArchitecture(findPreset(catalog.presets, 'deepseek-v3')!);
  const b = countParameters(arch);

  it('gives the model FLOPs of the run', () => {
    // MLA at T = 4096: 61 layers × 6 × 128 heads × 4096 × (128 + 64 + 128) = 61,404,610,560 per token
    const f = trainingFactsOf(arch, b, 4096);
    expect(f.attentionFlopsPerToken).toBe(61_404_610_560);
    // active 37,552,297,472 (the 37B of the model card; test/presets.test.ts) − embedding 129,280 × 7,168
    // = 926,679,040 → N = 36,625,618,432; per token 6N + attention = 219,753,710,592 + 61,404,610,560
    // = 281,158,321,152; × 14.8e12 tokens = 4.161143153e24
    expect(b.active - b.modules.embedding).toBe(36_625_618_432);
    expect(trainingFlops(14.8e12, 36_625_618_432, f.attentionFlopsPerToken)).toBeCloseTo(4.1611431530496e24, -12);
  });

  it('implies an MFU of 43.8% of the H800 dense BF16 peak', () => {
    // 4.1611431530496e24 / (2.664e6 h × 3600 s × 989.5e12 FLOP/s = 9.48970e24) = 0.43849
    const mfu = impliedMfu(4.1611431530496e24, 2.664e6, 989.5e12);
    expect(mfu).toBeCloseTo(0.43849, 5);
    // and back: at that MFU the run takes the published hours, 2,664,000 / 2,048 / 24 = 54.2 days
    expect(gpuHours(4.1611431530496e24, 989.5e12, mfu)).toBeCloseTo(2.664e6, 3);
    expect(trainingDays(2.664e6, 2048)).toBeCloseTo(54.19921875, 10);
  });

  it('is what `calc --gpu-hours` prints', async () => {
    const r = await cli(
      'calc',
      '--preset',
      'deepseek-v3',
      '--train-tokens',
      '14.8T',
      '--seq-len',
      '4096',
      '--gpu',
      'H800',
      '--count',
      '2048',
      '--gpu-hours',
      '2.664M',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, number>;
    expect(j.train_flops).toBeCloseTo(4.1611431530496e24, -12);
    expect(j.train_mfu).toBeCloseTo(0.43849, 5);
    expect(j.train_gpu_hours).toBe(2.664e6);
    const table = await cli(
      'calc',
      '--preset',
      'deepseek-v3',
      '--train-tokens',
      '14.8T',
      '--gpu',
      'H800',
      '--count',
      '2048',
      '--gpu-hours',
      '2.664M',
    );
    expect(table.stdout).toMatch(/train_mfu\s+43\.8%\s+implied by 2\.66M GPU-hours/);
  });
});

describe('calc with a given layout', () => {
  it('says why the layout is illegal, with its numbers', async () => {
    const r = await cli(
      'calc',
      '--preset',
      'deepseek-v3',
      '--train-tokens',
      '1T',
      '--gpu',
      'H800',
      '--count',
      '2048',
      ...['--train-tp', '1', '--train-pp', '16', '--train-ep', '48', '--train-etp', '1'],
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('illegal layout: routed experts not divisible by EP (256 experts, EP 48)');
  });

  it('rejects a training flag without --train-tokens on one line', async () => {
    const r = await cli('calc', '--preset', 'deepseek-v3', '--mfu', '0.4');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('calc: --mfu needs --train-tokens (e.g. --train-tokens 15T --gpu H800 --count 2048)');
  });
});
