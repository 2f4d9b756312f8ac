/**
 * The GPU catalogue. Each expected figure is the vendor's published one (dense, or the
 * "with sparsity" figure halved) as cited in data/gpus.yaml; the test pins the file to them.
 */
import { describe, expect, it } from 'vitest';
import { GpuError, nearestGpuId, resolveGpu, editDistance } from '../../src/serving/index.js';
import { loadGpuCatalogue, parseGpuCatalogue } from '../../src/catalog/gpus.js';

const catalogue = loadGpuCatalogue();

const T = 1e12;

describe('catalogue', () => {
  const gpus = loadGpuCatalogue();

  it('holds the required GPUs, each with a vendor source URL', () => {
    expect(gpus.map((g) => g.id)).toEqual([
      'A100-40GB',
      'A100-80GB',
      'H100-SXM-80GB',
      'H100-PCIe-80GB',
      'H200',
      'B200',
      'L40S',
      'RTX-4090',
      'MI300X',
      'MI325X',
      'H800',
      'H20',
      'GB200',
      'B300',
      'MI355X',
    ]);
    for (const g of gpus) {
      expect(g.source, g.id).toMatch(/^https:\/\/(www\.|images\.)?(nvidia|amd)\.com\//);
      expect(g.interconnect, g.id).toBeTruthy();
    }
  });

  it.each([
    // id, memory GB, bandwidth TB/s, dense BF16 TFLOPS, dense FP8 TFLOPS
    ['A100-40GB', 40, 1.555, 312, null], // A100 datasheet: BF16 312 (624 sparse); no FP8
    ['A100-80GB', 80, 2.039, 312, null],
    ['H100-SXM-80GB', 80, 3.35, 1979 / 2, 3958 / 2], // H100 datasheet prints sparse figures
    ['H100-PCIe-80GB', 80, 2.0, 1513 / 2, 3026 / 2],
    ['H200', 141, 4.8, 1979 / 2, 3958 / 2],
    ['B200', 180, 7.7, 4500 / 2, 9000 / 2], // HGX B200 per-GPU table, sparse figures
    ['L40S', 48, 0.864, 362.05, 733], // L40S datasheet prints dense | sparse
    ['RTX-4090', 24, 1.008, 165.2, 330.3], // Ada whitepaper, FP32 accumulate
    ['MI300X', 192, 5.3, 1307.4, 2614.9], // AMD lists dense figures
    ['MI325X', 256, 6.0, 1307.4, 2614.9],
    ['H800', 80, 3.35, 1979 / 2, 3958 / 2], // H100 SXM compute, NVLink cut to 400 GB/s
    ['H20', 96, 4.0, 148, 296], // dense figures
    ['GB200', 186, 576 / 72, 360000 / 72 / 2, 720000 / 72 / 2], // NVL72 rack table / 72 GPUs (13.4 TB / 72 = 186.1 GB, rounded down), sparse
    ['B300', 288, 8.0, 36000 / 8 / 2, 72000 / 8 / 2], // HGX B300 table / 8 GPUs, sparse
    ['MI355X', 288, 8.0, 2516.6, 5033.2], // AMD lists dense figures
  ] as const)('%s: %s GB, %s TB/s, dense BF16 %s / FP8 %s TFLOPS', (id, gb, tbs, bf16, fp8) => {
    const g = resolveGpu(id, catalogue);
    expect(g.memory_bytes).toBeCloseTo(gb * 1e9, -3);
    expect(g.bandwidth_bytes_per_s).toBeCloseTo(tbs * T, -3);
    expect(g.bf16_flops_per_s).toBeCloseTo(bf16 * T, -3);
    if (fp8 === null) expect(g.fp8_flops_per_s).toBeNull();
    else expect(g.fp8_flops_per_s).toBeCloseTo(fp8 * T, -3);
  });

  it('dense figures are not the sparsity figures (Hopper FP8 dense = 1,979 TFLOPS, not 3,958)', () => {
    expect(resolveGpu('H100-SXM-80GB', catalogue).fp8_flops_per_s).toBeLessThan(2000 * T);
    expect(resolveGpu('H200', catalogue).bf16_flops_per_s).toBeLessThan(1000 * T);
  });
});

describe('resolveGpu', () => {
  it('finds ids ignoring case, spaces and punctuation', () => {
    expect(resolveGpu('h100 sxm 80gb', catalogue).id).toBe('H100-SXM-80GB');
    expect(resolveGpu('mi300x', catalogue).id).toBe('MI300X');
    expect(resolveGpu('RTX4090', catalogue).id).toBe('RTX-4090');
  });

  it('unknown id: lists every id and suggests the nearest', () => {
    const err = (() => {
      try {
        resolveGpu('H100 SXM', catalogue);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a throw');
    })();
    expect(err).toBeInstanceOf(GpuError);
    expect(err.message).toContain('unknown GPU "H100 SXM"; did you mean "H100-SXM-80GB"?');
    for (const g of loadGpuCatalogue()) expect(err.message).toContain(g.id);
    expect(() => resolveGpu('MI300', catalogue)).toThrow('did you mean "MI300X"?');
    expect(() => resolveGpu('A10', catalogue)).toThrow(/did you mean "A100-40GB"\?/); // contained in both A100s: first wins
  });

  it('custom GPUs inline', () => {
    const g = resolveGpu({ memory_bytes: 96e9, bandwidth_bytes_per_s: 4e12, bf16_flops_per_s: 500e12 }, catalogue);
    expect(g).toEqual({
      id: 'custom',
      name: 'custom',
      memory_bytes: 96e9,
      bandwidth_bytes_per_s: 4e12,
      bf16_flops_per_s: 500e12,
      fp8_flops_per_s: null,
    });
    expect(
      resolveGpu(
        {
          id: 'X',
          name: 'Mine',
          memory_bytes: 1,
          bandwidth_bytes_per_s: 1,
          bf16_flops_per_s: 1,
          fp8_flops_per_s: 2,
        },
        catalogue,
      ).name,
    ).toBe('Mine');
    expect(() => resolveGpu({ memory_bytes: -1, bandwidth_bytes_per_s: 1, bf16_flops_per_s: 1 }, catalogue)).toThrow(
      /memory_bytes must be > 0/,
    );
    expect(() => resolveGpu({ memory_bytes: 1, bf16_flops_per_s: 1 }, catalogue)).toThrow(/bandwidth_bytes_per_s/);
    expect(() =>
      resolveGpu({ memory_bytes: 1, bandwidth_bytes_per_s: 1, bf16_flops_per_s: 1, vram: 3 } as never, catalogue),
    ).toThrow(/invalid custom GPU/);
  });
});

describe('parseGpuCatalogue', () => {
  const entry = (id: string, extra = '') => `
  - id: ${id}
    name: n
    memory_bytes: 1.0e9
    bandwidth_bytes_per_s: 1.0e12
    bf16_flops_per_s: 1.0e12
    fp8_flops_per_s: null
    source: https://example.com/${extra}`;

  it('accepts a valid file', () => {
    expect(parseGpuCatalogue(`gpus:${entry('A')}${entry('B')}`).map((g) => g.id)).toEqual(['A', 'B']);
  });

  it('rejects duplicates, missing sources, non-URLs and bad YAML', () => {
    expect(() => parseGpuCatalogue(`gpus:${entry('A')}${entry('a')}`)).toThrow(/duplicate GPU id "a"/);
    expect(() => parseGpuCatalogue(`gpus:${entry('A').replace(/\n\s+source:.*/, '')}`)).toThrow(/source/);
    expect(() => parseGpuCatalogue(`gpus:${entry('A').replace('https://example.com/', 'datasheet')}`)).toThrow(
      /source must be a URL/,
    );
    expect(() => parseGpuCatalogue('gpus: [')).toThrow(/invalid YAML/);
    expect(() => parseGpuCatalogue('gpus: []')).toThrow(GpuError);
  });
});

describe('nearest id', () => {
  it('edit distance by hand', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3); // k→s, e→i, +g
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('h200', 'h100')).toBe(1);
  });

  it('prefers containment, then distance', () => {
    const cat = parseGpuCatalogue(
      'gpus:\n' +
        ['H100-SXM-80GB', 'H200', 'B200']
          .map(
            (id) =>
              `  - {id: ${id}, name: n, memory_bytes: 1, bandwidth_bytes_per_s: 1, bf16_flops_per_s: 1, fp8_flops_per_s: null, source: "https://example.com"}`,
          )
          .join('\n'),
    );
    // "h100" is contained in "h100sxm80gb" although "h200" is closer by edit distance (1 vs 7)
    expect(nearestGpuId('H100', cat)).toBe('H100-SXM-80GB');
    expect(nearestGpuId('B300', cat)).toBe('B200');
  });
});
