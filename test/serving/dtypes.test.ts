/**
 * Storage formats. Expected bits are worked out by hand from each format's definition
 * (see src/formats/dtypes.ts for the sources).
 */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../helpers.js';
import { inspectConfig } from '../../src/arch/inspect.js';
import {
  FormatError,
  bitsPerWeight,
  bytesPerValue,
  formatName,
  parseFormat,
  weightBytes,
} from '../../src/serving/index.js';

describe('bitsPerWeight', () => {
  it('plain formats', () => {
    expect(bitsPerWeight('fp32')).toBe(32);
    expect(bitsPerWeight('bf16')).toBe(16);
    expect(bitsPerWeight('fp16')).toBe(16);
    expect(bitsPerWeight('fp8')).toBe(8);
    expect(bitsPerWeight('int8')).toBe(8);
  });

  it('block-scaled 4-bit formats carry their scales', () => {
    // int4, group 128: 4 + 16/128 = 4 + 0.125 = 4.125
    expect(bitsPerWeight('int4')).toBe(4.125);
    // int4, group 64: 4 + 16/64 = 4.25; group 32: 4 + 16/32 = 4.5
    expect(bitsPerWeight('int4-g64')).toBe(4.25);
    expect(bitsPerWeight({ int4: { group_size: 32 } })).toBe(4.5);
    // OCP MX v1.0 MXFP4: 32 × 4-bit E2M1 + one 8-bit E8M0 scale = 136 bits / 32 = 4.25
    expect(bitsPerWeight('mxfp4')).toBe(4.25);
    // NVFP4: 16 × 4-bit E2M1 + one 8-bit E4M3 scale = 72 bits / 16 = 4.5
    expect(bitsPerWeight('nvfp4')).toBe(4.5);
  });

  it('{ bits: N } and bytes per value', () => {
    expect(bitsPerWeight({ bits: 6 })).toBe(6);
    expect(bytesPerValue({ bits: 6 })).toBe(0.75); // 6 / 8
    expect(bytesPerValue('fp8')).toBe(1);
    expect(bytesPerValue('mxfp4')).toBe(0.53125); // 4.25 / 8
  });
});

describe('parseFormat', () => {
  it('normalises text and objects', () => {
    expect(parseFormat(' BF16 ')).toEqual({ kind: 'bf16' });
    expect(parseFormat('int4')).toEqual({ kind: 'int4', group_size: 128 });
    expect(parseFormat('INT4_G64')).toEqual({ kind: 'int4', group_size: 64 });
    expect(parseFormat({ bits: 3.5 })).toEqual({ kind: 'bits', bits: 3.5 });
    expect(parseFormat({ kind: 'nvfp4' })).toEqual({ kind: 'nvfp4' });
    expect(parseFormat({ kind: 'int4' })).toEqual({ kind: 'int4', group_size: 128 });
    expect(formatName('int4')).toBe('int4-g128');
    expect(formatName({ bits: 6 })).toBe('6 bits');
  });

  it('errors list the valid names', () => {
    const bad = () => parseFormat('fp4');
    expect(bad).toThrow(FormatError);
    expect(bad).toThrow(/unknown format "fp4"/);
    for (const name of ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4', 'mxfp4', 'nvfp4', 'int4-g<group>']) {
      expect(bad).toThrow(name);
    }
    expect(() => parseFormat({ bits: 0 })).toThrow(/bits must be a positive finite number/);
    expect(() => parseFormat('int4-g0')).toThrow(/group size must be a positive integer/);
    expect(() => parseFormat({ int4: { group_size: 1.5 } })).toThrow(/group size/);
    expect(() => parseFormat({ bytes: 2 })).toThrow(/unrecognised format object/);
    expect(() => parseFormat(16)).toThrow(/must be a string or an object/);
    expect(() => parseFormat({ kind: 'fp64' })).toThrow(/unknown format kind "fp64"/);
  });
});

describe('weightBytes', () => {
  it('mixed formats: hand-sized toy', () => {
    // 1,000 expert params in int4-g128 (4.125 bits) = 4,125 bits = 515.625 bytes;
    // 100 other params in bf16 = 200 bytes
    const w = weightBytes({ expert_params_total: 1000, other_params: 100 }, { experts: 'int4', rest: 'bf16' });
    expect(w).toEqual({ experts: 515.625, rest: 200, total: 715.625 });
  });

  it('gpt-oss-120b: mxfp4 experts + bf16 rest ≈ the published 60.8 GiB checkpoint', () => {
    const r = inspectConfig(presetConfig('gpt-oss-120b.json'));
    // one expert per layer: gate_up 2880×5760 + bias 5760, down 2880×2880 + bias 2880
    //   = 3 × 2880² + 8,640 = 24,883,200 + 8,640 = 24,891,840; × 128 experts × 36 layers
    //   = 24,891,840 × 4,608 = 114,701,598,720
    expect(r.breakdown.routed_experts).toBe(114_701_598_720);
    const other = r.total_main - r.breakdown.routed_experts;
    expect(other).toBe(2_127_557_952);
    const w = weightBytes(
      { expert_params_total: r.breakdown.routed_experts, other_params: other },
      { experts: 'mxfp4', rest: 'bf16' },
    );
    // experts: 114,701,598,720 × 4.25 / 8 = 14,337,699,840 × 4.25 = 60,935,224,320
    // rest:    2,127,557,952 × 2 = 4,255,115,904;  total 65,190,340,224 bytes = 60.71 GiB
    expect(w.experts).toBe(60_935_224_320);
    expect(w.rest).toBe(4_255_115_904);
    expect(w.total).toBe(65_190_340_224);
    // gpt-oss model card (arXiv:2508.10925, Table 1): checkpoint size 60.8 GiB. The checkpoint
    // keeps expert biases in bf16, so it is slightly larger than this estimate (−0.14%).
    const gib = w.total / 2 ** 30;
    expect(Math.abs(gib / 60.8 - 1)).toBeLessThan(0.005);
    // the same model all in bf16 would not fit one 80 GB GPU: (114.7 + 2.1)B × 2 = 233.7 GB
    const bf16 = weightBytes(
      { expert_params_total: r.breakdown.routed_experts, other_params: other },
      { experts: 'bf16', rest: 'bf16' },
    );
    expect(bf16.total).toBe(2 * r.total_main);
  });

  it('rejects negative or non-finite counts', () => {
    expect(() => weightBytes({ expert_params_total: -1, other_params: 0 }, { experts: 'bf16', rest: 'bf16' })).toThrow(
      /expert_params_total/,
    );
    expect(() => weightBytes({ expert_params_total: 1, other_params: NaN }, { experts: 'bf16', rest: 'bf16' })).toThrow(
      /other_params/,
    );
  });
});
