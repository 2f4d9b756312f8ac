/**
 * `moe-sweep inspect`'s memory section: weights as stored, the KV cache, --context/--batch/--kv-dtype
 * and their errors. The figures are worked out in memory.test.ts and
 * test/serving/kv-cache-2026.test.ts; here they are checked as the command prints them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectConfig } from '../../src/arch/inspect.js';
import { parseContext } from '../../src/cli/commands/shape-options.js';
import { cli } from '../helpers.js';

const cfg = (name: string) => `presets/configs/${name}`;

describe('inspect: the memory section', () => {
  it('DeepSeek-V4-Pro, text: weights by format after the parameter table, then the compressed KV cache', async () => {
    const r = await cli('inspect', cfg('deepseek-v4-pro.json'), '--context', '128K');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(text.indexOf('Weights as the checkpoint stores them')).toBeGreaterThan(text.indexOf('shared_params'));
    expect(text).toMatch(
      /^ {2}routed experts +822,054,223,872 +822\.05 GB +fp4_e2m1 773\.70 GB \+ ue8m0 scales 48\.36 GB$/m,
    );
    expect(text).toMatch(
      /^weights as stored +864,704,792,696 +864\.70 GB +fp4_e2m1 786\.38 GB, ue8m0 49\.15 GB, fp8_e4m3 23\.17 GB/m,
    );
    expect(text).toMatch(/^bf16-equivalent +3,197,674,695,484 +3\.198 TB/m);
    expect(text).toContain('KV cache (bf16 values; main-model layers: 30 csa, 31 hca, window 128)');
    expect(text).toMatch(/^ {2}per token +9,848 +9\.85 KB/m);
    expect(text).toMatch(
      /^ {2}fixed per sequence +26,705,920 +26\.71 MB +windows 8\.00 MB \+ compressor states 18\.71 MB/m,
    );
    expect(text).toMatch(/^ {2}131,072 tokens x 1 sequence +1,317,502,976 +1\.32 GB/m);
    expect(text).toContain(
      'kv: 30 csa layers: one compressed entry of 512 values per 4 tokens plus an indexer key of 128 values',
    );
  });

  it('Qwen3.5: the linear layers are said to hold a fixed state', async () => {
    const r = await cli(
      'inspect',
      cfg('qwen3.5-397b-a17b.json'),
      '--context',
      '128K',
      '--batch',
      '4',
      '--kv-dtype',
      'fp8',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('KV cache (fp8 values; main-model layers: 15 full, 45 linear)');
    // fp8: 15 × 2 × 2 × 256 = 15,360 per token; states are not in the KV dtype: 45 × 4,268,032
    expect(r.stdout).toMatch(/^ {2}per token +15,360 /m);
    expect(r.stdout).toMatch(
      /^ {2}fixed per sequence +192,061,440 +192\.06 MB +linear-attention states: does not grow with context$/m,
    );
    // 4 × (15,360 × 131,072 + 192,061,440) = 4 × 2,205,327,360
    expect(r.stdout).toMatch(/^ {2}131,072 tokens x 4 sequences +8,821,309,440 /m);
    expect(r.stdout).toMatch(/^ {2}per sequence +2,205,327,360 /m);
    expect(r.stdout).toContain(
      '45 linear-attention layers hold a fixed state per sequence that does not grow with context',
    );
  });

  it('--json gains a memory object of integers', async () => {
    const r = await cli('inspect', cfg('glm-5.json'), '--json', '--context', '1M', '--batch', '2');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.memory.weights).toMatchObject({
      total_bytes: 1_507_728_316_928,
      bf16_equivalent_bytes: 1_507_728_278_016,
      stored_elements: 753_864_139_008,
    });
    expect(j.memory.kv).toMatchObject({
      kv_dtype: 'bf16',
      layers: { full: 78, dsa_indexer: 78, linear: 0, csa: 0, hca: 0, sliding: 0 },
      bytes_per_token: 100_152,
      fixed_bytes_per_sequence: 0,
      context: 1_048_576,
      batch: 2,
    });
    // 100,152 × 1,048,576 = 104,857,600,000 + 159,383,552 = 105,016,983,552 per sequence, × 2
    expect(j.memory.kv.at_context).toMatchObject({ total_bytes: 210_033_967_104, per_sequence_bytes: 105_016_983_552 });
    const ints = (o: unknown): void => {
      if (typeof o === 'number') expect(Number.isSafeInteger(o)).toBe(true);
      else if (o && typeof o === 'object') for (const v of Object.values(o)) ints(v);
    };
    ints(j.memory);
  });

  it('without --context: per token and fixed figures only; inspectConfig defaults to bf16', () => {
    const config = JSON.parse(readFileSync(cfg('kimi-k2.6.json'), 'utf8'));
    const r = inspectConfig(config);
    expect(r.memory.kv).toMatchObject({
      kv_dtype: 'bf16',
      context: null,
      batch: 1,
      at_context: null,
      bytes_per_token: 70_272,
    });
    expect(r.memory.weights.total_bytes).toBe(595_148_192_736);
    expect(JSON.parse(JSON.stringify(r.memory))).toEqual(r.memory);
  });

  it('context suffixes: K = 1,024 and M = 1,048,576 tokens', () => {
    expect(parseContext('4096')).toBe(4096);
    expect(parseContext('128K')).toBe(131_072);
    expect(parseContext('128k')).toBe(131_072);
    expect(parseContext('1M')).toBe(1_048_576);
    expect(parseContext('1.5K')).toBe(1536);
  });

  it.each([
    [
      ['--context', 'lots'],
      /^--context: expected a whole number of tokens of at least 1, such as 4096, 128K or 1M .*got "lots"$/,
    ],
    [['--context', '0'], /^--context: expected .*got "0"$/],
    [['--context', '1.3K'], /^--context: expected .*got "1\.3K"$/],
    [['--context', '8G'], /^--context: expected .*got "8G"$/],
    [['--context', '5000M'], /^--context: at most 4,294,967,296 tokens/],
    [['--context', '4K', '--batch', '0'], /^--batch: expected a whole number of sequences of at least 1, got "0"$/],
    [['--context', '4K', '--batch', '2.5'], /^--batch: expected .*got "2\.5"$/],
    [['--batch', '8'], /^--batch needs --context/],
    [
      ['--kv-dtype', 'int3'],
      /^--kv-dtype: expected one of fp32, bf16, fp16, fp8, int8, int4, mxfp4, nvfp4, got "int3"$/,
    ],
  ])('exit 2 for %j, one line on stderr', async (args, message) => {
    const r = await cli('inspect', cfg('mixtral-8x7b-v0.1.json'), ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('help lists the options', async () => {
    const r = await cli('help', 'inspect');
    expect(r.stdout).toContain('--context <tokens>');
    expect(r.stdout).toContain('--batch <sequences>');
    expect(r.stdout).toContain('--kv-dtype <dtype>');
  });
});
