/**
 * `inspect --kv-dtype` and `calc --kv-dtype` take the same formats, from the one table in
 * src/formats/dtypes.ts. Before, inspect took only bf16, fp16, fp8 and fp32 while calc took
 * every named format; inspect now takes int8, int4, mxfp4 and nvfp4 as well.
 */
import { describe, expect, it } from 'vitest';
import { KV_DTYPES } from '../../src/formats/dtypes.js';
import { cli } from '../helpers.js';

const MIXTRAL = 'presets/configs/mixtral-8x7b-v0.1.json';

async function inspectJson(...args: string[]) {
  const r = await cli('inspect', MIXTRAL, '--json', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as {
    memory: { kv: { kv_dtype: string; bytes_per_token: number; at_context: { total_bytes: number } | null } };
  };
}

describe('--kv-dtype', () => {
  it('inspect --kv-dtype int4: Mixtral-8x7B by hand', async () => {
    // Mixtral-8x7B: 32 layers of GQA with 8 KV heads of 128, no sliding window:
    // K and V = 2 × 8 × 128 = 2,048 values per token per layer.
    // int4 with one 16-bit scale per 128 values: 4 + 16/128 = 4.125 bits = 0.515625 bytes a value,
    // so 2,048 × 0.515625 = 1,056 bytes per layer and 32 × 1,056 = 33,792 bytes per token.
    // 4K context, 2 sequences: 33,792 × 4,096 × 2 = 276,824,064 bytes.
    const kv = (await inspectJson('--context', '4K', '--batch', '2', '--kv-dtype', 'int4')).memory.kv;
    expect(kv.kv_dtype).toBe('int4');
    expect(kv.bytes_per_token).toBe(33_792);
    expect(kv.at_context?.total_bytes).toBe(276_824_064);
  });

  it('inspect --kv-dtype mxfp4: 4 + 8/32 = 4.25 bits, 2,048 × 0.53125 × 32 = 34,816 bytes per token', async () => {
    expect((await inspectJson('--kv-dtype', 'mxfp4')).memory.kv.bytes_per_token).toBe(34_816);
  });

  it('both commands accept every KV format and agree on the cache', async () => {
    expect(KV_DTYPES).toEqual(['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4', 'mxfp4', 'nvfp4']);
    for (const dtype of KV_DTYPES) {
      const kv = (await inspectJson('--context', '4K', '--batch', '2', '--kv-dtype', dtype)).memory.kv;
      const c = await cli(
        'calc',
        '--config',
        MIXTRAL,
        '--context',
        '4K',
        '--batch',
        '2',
        '--kv-dtype',
        dtype,
        '--json',
      );
      expect(c.code, `calc --kv-dtype ${dtype}: ${c.stderr}`).toBe(0);
      expect(kv.at_context?.total_bytes, dtype).toBe(
        (JSON.parse(c.stdout) as { kv_cache_bytes: number }).kv_cache_bytes,
      );
    }
  });
});
