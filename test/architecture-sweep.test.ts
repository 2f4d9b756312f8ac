/**
 * Sweeps over architecture fields with serving and hardware columns, end to end: spec errors,
 * point counts against countParameters, CSV parsed back, 1 vs 2 workers, shards, and `calc`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countParameters } from '../src/arch/count.js';
import { EvaluatorPool } from '../src/pool/pool.js';
import { writeResultsCsv } from '../src/output/csv-file.js';
import { presetArchitecture } from '../src/catalog/presets.js';
import { getPreset } from '../src/catalog/preset-files.js';
import { parseSpec } from '../src/spec/load.js';
import { renderReport } from '../src/output/report/html.js';
import { reportData } from '../src/output/report/data.js';
import { loadCatalog } from '../src/catalog/index.js';
import { gridPoints } from '../src/sweep/plan.js';
import { runSweep, runSweepSync } from '../src/sweep/run.js';
import { cli, parseCsvRecords, useTempDir } from './helpers.js';

const tmp = useTempDir('moe-sweep-arch-');

const SPEC = `name: arch
architecture:
  from: qwen3-30b-a3b
grid:
  experts: [64, 128]
  top_k: [4, 8]
  moe_intermediate_size: {from: 512, to: 1024, step: 256}
  num_layers: [24, 48]
serving: {context: 32K, batch: 16, kv_dtype: fp8}
hardware: {gpu: H100-SXM-80GB, count: 2}
constraints:
  active_params: {max: 5B}
compare: [qwen3-30b-a3b]
`;

describe('architecture grids', () => {
  const spec = parseSpec(SPEC, 'arch.yaml');

  it('sweeps the named fields, experts outermost, with the base architecture from the preset config', () => {
    expect(spec.grid).toBeUndefined();
    expect(spec.architecture?.axes?.map((a) => a.field)).toEqual([
      'num_experts',
      'num_experts_per_tok',
      'num_layers',
      'moe_intermediate_size',
    ]);
    expect(gridPoints(spec)).toBe(2 * 2 * 2 * 3);
    expect(spec.serving).toEqual({ context: 32 * 1024, batch: 16, kvDtype: 'fp8', kvBytesPerValue: 1 });
    expect(spec.constraints.map((c) => c.name)).toEqual(['active_params', 'gpu_memory']);
  });

  it('every point is counted module by module: expert and shared params equal countParameters of the changed config', () => {
    const r = runSweepSync(spec);
    const base = presetArchitecture(getPreset('qwen3-30b-a3b')!);
    const front = r.front.filter((f) => f.design === '');
    expect(front.length).toBeGreaterThan(0);
    for (const f of front) {
      const b = countParameters({ ...base, num_experts: f.experts, num_experts_per_tok: f.top_k, ...f.fields });
      expect(f.expert_params).toBe(b.expert_params);
      expect(f.shared_params).toBe(b.shared_params);
      expect(f.metrics.total_params).toBe(b.total_main);
    }
  });

  it('the KV cache of a point follows its layer count: Qwen3 GQA 4 KV heads × 128 × 2 (K, V) × 1 byte per layer per token', () => {
    const r = runSweepSync(spec);
    expect(r.front.length).toBeGreaterThan(0);
    for (const f of r.front) {
      const layers = f.fields?.num_layers ?? 48;
      expect(f.serving?.kv_cache_bytes).toBe(16 * 32768 * layers * 4 * 128 * 2 * 1);
    }
  });

  it('CSV: architecture fields and serving columns after the design columns, parsed back equal to summary values; 1 and 2 workers byte-identical', async () => {
    const files: Buffer[] = [];
    for (const workers of [1, 2]) {
      const result = await runSweep(spec, { workers });
      const pool = new EvaluatorPool(workers);
      const file = join(tmp, `arch-${workers}.csv`);
      try {
        await writeResultsCsv(result, file, 'all', { pool, workers });
      } finally {
        await pool.close();
      }
      files.push(readFileSync(file));
    }
    expect(files[0]!.equals(files[1]!)).toBe(true);
    const rows = parseCsvRecords(files[0]!);
    expect(Object.keys(rows[0]!).slice(16)).toEqual([
      'num_layers',
      'moe_intermediate_size',
      'kv_cache_bytes',
      'saturation_batch',
      'load_imbalance',
      'capacity_factor',
      'gpu_layout',
      'per_gpu_bytes',
      'gpus_needed',
      'decode_bound_tokens_per_s',
      'all_to_all_bytes_per_token_layer',
      'decode_tokens_per_s',
      'decode_bound',
      'tpot_ms',
      'ttft_ms',
      'prefill_tokens_per_s',
      'max_batch',
      'max_context',
    ]);
    expect(rows).toHaveLength(24);
    const r = runSweepSync(spec);
    const onFront = rows.filter((row) => row.pareto === 'true');
    expect(onFront).toHaveLength(r.front.length);
    for (const [row, f] of onFront.map(
      (row, i) =>
        [
          row,
          r.front
            .slice()
            .sort(
              (a, b) =>
                a.experts - b.experts ||
                a.top_k - b.top_k ||
                a.fields!.num_layers! - b.fields!.num_layers! ||
                a.expert_params - b.expert_params,
            )[i]!,
        ] as const,
    )) {
      expect(Number(row.total_params)).toBe(f.metrics.total_params);
      expect(Number(row.per_gpu_bytes)).toBe(f.serving?.per_gpu_bytes);
      expect(Number(row.decode_tokens_per_s)).toBe(f.serving?.decode_tokens_per_s);
      expect(Number(row.decode_bound_tokens_per_s)).toBe(f.serving?.decode_bound_tokens_per_s);
      expect(Number(row.tpot_ms)).toBe(f.serving?.tpot_ms);
      expect(row.decode_bound).toBe(f.serving?.decode_bound);
      expect(row.gpu_layout).toBe(f.serving?.gpu_layout);
    }
  });

  it('the report adds the memory, throughput-vs-batch and top-k views and the serving table', async () => {
    const result = runSweepSync(spec);
    const html = await renderReport({
      result,
      data: reportData(result, loadCatalog()),
      exitCode: 0,
      csvFile: 'results.csv',
    });
    for (const id of ['memory-chart', 'throughput-chart', 'topk-chart', 'serving'])
      expect(html).toContain(`id="${id}"`);
    expect(html).toContain('Serving: 16 × 32,768 tokens, KV cache in fp8 on 2 × H100-SXM-80GB');
    expect(html).toMatch(/<td>Qwen3-30B-A3B<\/td><td>61\.1 GB<\/td><td>25\.8 GB<\/td>/);
    // the spec table shows the GPU bound as memory, not as a count: H100 SXM 80 GB
    expect(html).toMatch(/gpu_memory<\/td><td[^>]*>≤ 80 GB</);
  });

  it('compared presets are served with their own architecture', () => {
    const [qwen] = runSweepSync(spec).compare;
    // the preset has 48 layers: 16 × 32,768 × 48 × 4 × 128 × 2 × 1 byte
    expect(qwen?.serving?.kv_cache_bytes).toBe(16 * 32768 * 48 * 1024);
  });
});

describe('spec errors for architecture, serving and hardware', () => {
  const err = (text: string) => {
    try {
      parseSpec(text, 'spec.yaml');
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('no error');
  };

  it('names the field and what was expected', () => {
    expect(err(SPEC.replace('from: qwen3-30b-a3b', 'from: qwen9'))).toBe(
      'spec.yaml:3:9 architecture.from: expected a preset id (see `moe-sweep presets`), got "qwen9"',
    );
    expect(err(SPEC.replace('  num_layers: [24, 48]', '  kv_lora_rank: [256, 512]'))).toBe(
      'spec.yaml:8:3 grid.kv_lora_rank: kv_lora_rank (MLA KV compression rank (cached per token)) is not a field of this GQA architecture',
    );
    expect(err(SPEC.replace('  num_layers: [24, 48]', '  num_attention_heads: [32, 0]'))).toMatch(
      /^spec\.yaml:8:29 grid\.num_attention_heads\[1\]: num_attention_heads 0: .*num_attention_heads/,
    );
    expect(err(SPEC.replace('architecture:\n  from: qwen3-30b-a3b\n', ''))).toMatch(
      /^spec\.yaml:\d+:\d+ grid\.num_experts|grid\.moe_intermediate_size|grid\.num_layers: is an architecture field/,
    );
    expect(
      err(
        SPEC.replace('  context: 32K', '  context: lots').replace(
          'serving: {context: 32K, batch: 16, kv_dtype: fp8}',
          'serving: {context: lots, batch: 16}',
        ),
      ),
    ).toMatch(/^spec\.yaml:9:\d+ serving\.context: expected a whole number of tokens/);
    expect(err(SPEC.replace('gpu: H100-SXM-80GB', 'gpu: H100-SXM'))).toMatch(
      /^spec\.yaml:10:\d+ hardware\.gpu: unknown GPU "H100-SXM"; did you mean "H100-SXM-80GB"\?/,
    );
    expect(err(SPEC.replace('count: 2}', 'count: 2, tp: 3}'))).toMatch(
      /^spec\.yaml:10:\d+ hardware\.tp: expected a whole number that divides count \(2\), got 3$/,
    );
    expect(err(SPEC.replace('serving: {context: 32K, batch: 16, kv_dtype: fp8}\n', ''))).toMatch(
      /^spec\.yaml:9:1 hardware: needs serving:/,
    );
  });

  it('a GPU not in the catalogue is given inline; FP8 compute needs FP8 tensor cores', () => {
    const inline = parseSpec(
      SPEC.replace(
        'gpu: H100-SXM-80GB',
        'gpu: {memory_bytes: 96GB, bandwidth_bytes_per_s: 4e12, bf16_flops_per_s: 500e12}',
      ),
      'spec.yaml',
    );
    expect(inline.hardware).toMatchObject({
      gpu: 'custom',
      memory_bytes: 96e9,
      bandwidth_bytes_per_s: 4e12,
      flops_per_s: 500e12,
      tp: null,
    });
    expect(err(SPEC.replace('gpu: H100-SXM-80GB', 'gpu: A100-80GB, compute: fp8'))).toMatch(
      /^spec\.yaml:10:\d+ hardware\.compute: expected bf16: A100-80GB has no FP8 tensor cores$/,
    );
  });

  it('serving needs an architecture; serving metrics need serving:', () => {
    const abstract = 'grid: {experts: 8, top_k: 2, expert_params: 1B, shared_params: 1B}\n';
    expect(err(`${abstract}serving: {context: 4096}\n`)).toMatch(
      /^spec\.yaml:2:1 serving: needs an architecture for the KV cache/,
    );
    expect(err(`${abstract}constraints: {kv_cache_bytes: {max: 1GB}}\n`)).toMatch(
      /^spec\.yaml:2:\d+ constraints\.kv_cache_bytes: needs serving:/,
    );
    expect(err(`${abstract}objectives: [max decode_tokens_per_s]\n`)).toMatch(
      /objectives\[0\]: expected a metric the spec computes: decode_tokens_per_s needs hardware: and serving:/,
    );
  });

  it('an architecture axis takes at most 10,000 values; a window needs sliding-window layers', () => {
    expect(err('architecture: {from: deepseek-v3}\ngrid: {num_layers: {from: 1, to: 1000000000}}\n')).toBe(
      'spec.yaml:2:20 grid.num_layers: has more than 10,000 values, the most an architecture field takes (each is counted while the spec is read); use a coarser step',
    );
    expect(err('architecture: {from: qwen3-30b-a3b}\ngrid: {sliding_window: [4096]}\n')).toBe(
      'spec.yaml:2:8 grid.sliding_window: sliding_window has nothing to apply to: this architecture has no sliding-window layers',
    );
  });

  it('num_layers cannot change when the config lists layers one by one', () => {
    expect(err('architecture: {from: gpt-oss-120b}\ngrid: {num_layers: [24, 36]}\n')).toBe(
      'spec.yaml:2:8 grid.num_layers: num_layers cannot change: the base config lists layer_attention layer by layer',
    );
  });
});

describe('abstract grids with serving', () => {
  it('use the base architecture for the KV cache and split formats for the weights', () => {
    const spec = parseSpec(
      'architecture: {from: gpt-oss-120b}\ngrid: {experts: 128, top_k: 4, expert_params: 0.9B, shared_params: 2B}\ndtype: {experts: mxfp4, rest: bf16}\nserving: {context: 8K, batch: 1}\n',
      'x.yaml',
    );
    const [f] = runSweepSync(spec).front;
    // 128 × 0.9B × 4.25 / 8 + 2B × 2 bytes
    expect(f?.metrics.weight_bytes).toBeCloseTo(128 * 0.9e9 * 0.53125 + 2e9 * 2, 0);
    // gpt-oss: 36 layers alternating sliding (window 128) and full, 8 KV heads × 64 × 2 × 2 bytes = 2,048 B per layer
    // per token
    expect(f?.serving?.kv_cache_bytes).toBe(18 * 8192 * 2048 + 18 * 128 * 2048);
  });
});

describe('moe-sweep calc with serving flags', () => {
  it('DeepSeek-V3 at 128K × 8 on 8 × H100: MLA caches 61 × (512 + 64) values per token', async () => {
    const r = await cli(
      'calc',
      '--preset',
      'deepseek-v3',
      '--context',
      '128K',
      '--batch',
      '8',
      '--gpu',
      'H100-SXM-80GB',
      '--count',
      '8',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // DeepSeek-V2 (arXiv:2405.04434) Table 1: (d_c + d_h^R)·l elements per token = 576 × 61; bf16 2 bytes
    expect(j.kv_cache_bytes).toBe(576 * 61 * 2 * 131072 * 8);
    expect(j.fits_per_gpu).toBe(false); // 1.34 TB of bf16 weights cannot fit 640 GB
    expect(j.gpu_layout).toMatch(/^EP\d+xTP\d+$/);
    expect(j.gpus_needed).toBeGreaterThan(8);
  });

  it('refuses serving flags without an architecture or a context, in one line', async () => {
    expect(
      await cli('calc', '--experts', '8', '--top-k', '2', '--expert-params', '1B', '--shared', '1B', '--context', '4K'),
    ).toMatchObject({
      code: 2,
      stderr: 'calc: --context needs an architecture for the KV cache: --preset ID or --config PATH/config.json\n',
    });
    expect(await cli('calc', '--preset', 'mixtral-8x7b', '--gpu', 'H100-SXM-80GB')).toMatchObject({
      code: 2,
      stderr:
        'calc: --gpu needs --context: the KV cache and decode depend on the context length (e.g. --context 128K)\n',
    });
    expect((await cli('calc', '--preset', 'mixtral-8x7b', '--context', '4K', '--gpu', 'H100')).stderr).toMatch(
      /^calc: --gpu: unknown GPU "H100"; did you mean/,
    );
  });

  it('reads a config.json with --config', async () => {
    const r = await cli('calc', '--config', 'presets/configs/mixtral-8x7b-v0.1.json', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ experts: 8, top_k: 2, total_params: 46_702_792_704 });
    expect(await cli('calc', '--config', 'presets/configs/mixtral-8x7b-v0.1.json', '--experts', '16')).toMatchObject({
      code: 2,
      stderr: 'calc: --config gives the whole design; drop --experts\n',
    });
  });
});

describe('named designs given by their architecture', () => {
  const NAMED = `designs:
  - name: wider-v3
    architecture: {from: deepseek-v3, moe_intermediate_size: 2560}
  - preset: mixtral-8x7b
serving: {context: 32K, batch: 8}
hardware: {gpu: H200, count: 8}
`;

  it('are counted from the changed config: DeepSeek-V3 experts of 2560 are 58 MoE layers × 3 × 7168 × 2560', () => {
    const spec = parseSpec(NAMED, 'n.yaml');
    const [wide] = spec.designs;
    expect(wide).toMatchObject({ name: 'wider-v3', experts: 256, top_k: 8, expert_params: 58 * 3 * 7168 * 2560 });
    // only the routed experts changed: shared params are DeepSeek-V3's own (the shared expert keeps its 2048 width)
    expect(wide?.shared_params).toBe(getPreset('deepseek-v3')!.shared_params);
  });

  it('fail on a GPU that overflows, and the terminal says which GPU and layout', async () => {
    const file = join(tmp, 'named.yaml');
    writeFileSync(file, NAMED);
    const r = await cli(file, '--out', join(tmp, 'named'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/wider-v3\s+FAIL.*fullest GPU \d+ GB > 141 GB on 8 × H200 \(EP\d+xTP\d+\)/);
    expect(r.stdout).toMatch(/mixtral-8x7b\s+pass/);
  });

  it('an architecture design needs from: or config:, and says so at its line', () => {
    expect(() => parseSpec('designs:\n  - name: x\n    architecture: {num_layers: 4}\n', 's.yaml')).toThrow(
      /^s\.yaml:3:19 designs\[0\]\.architecture: expected exactly one of from: PRESET/,
    );
  });
});

describe('shards of an architecture sweep', () => {
  it('merge into the CSV a single run writes', async () => {
    const file = join(tmp, 'arch.yaml');
    writeFileSync(file, SPEC);
    expect((await cli(file, '--out', join(tmp, 'single'), '--quiet')).code).toBe(0);
    for (const i of [0, 1, 2])
      expect((await cli(file, '--shard', `${i}/3`, '--out', join(tmp, `s${i}`), '--quiet')).code).toBe(0);
    expect(
      (await cli('merge', join(tmp, 's0'), join(tmp, 's1'), join(tmp, 's2'), '--out', join(tmp, 'merged'), '--quiet'))
        .code,
    ).toBe(0);
    expect(
      readFileSync(join(tmp, 'merged', 'results.csv')).equals(readFileSync(join(tmp, 'single', 'results.csv'))),
    ).toBe(true);
  });
});
