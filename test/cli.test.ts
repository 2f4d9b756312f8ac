import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, specFixture as spec, useTempDir } from './helpers.js';

const tmp = useTempDir('moe-sweep-cli-');

describe('moe-sweep SPEC', () => {
  it('exit 0: writes results.csv, summary.json and report.html and prints a summary', async () => {
    const out = join(tmp, 'pass');
    const r = await cli(spec('exit0-all-pass'), '--out', out, '--workers', '2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'results.csv', 'summary.json']);
    expect(r.stdout).toContain('fixture-pass: 144 grid points · 120 evaluated · 24 skipped (top_k > experts)');
    expect(r.stdout).toContain('exit 0');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({
      verdict: 'pass',
      exit_code: 0,
      counts: { points: 144, skipped: 24, evaluated: 120 },
      csv: { mode: 'all', rows: 121 },
    });
    expect(summary.spec.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.tool.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exit 1 when a named design fails, naming it and the constraint', async () => {
    const r = await cli(spec('exit1-named-design-over-vram'), '--out', join(tmp, 'fail'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/too-big\s+FAIL.*vram 310 GB > budget 80 GB/);
    expect(r.stdout).toContain('exit 1: named design too-big fails a constraint');
  });

  it('exit 1 when no grid design is feasible', async () => {
    const r = await cli(spec('exit1-no-feasible-design'), '--out', join(tmp, 'none'), '--quiet');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(tmp, 'none', 'summary.json'), 'utf8')).counts.feasible).toBe(0);
  });

  it('--json prints summary.json to stdout', async () => {
    const r = await cli(spec('exit0-all-pass'), '--out', join(tmp, 'json'), '--json');
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(tmp, 'json', 'summary.json'), 'utf8')));
  });

  it('--csv pareto keeps only the front', async () => {
    const r = await cli(spec('exit0-all-pass'), '--out', join(tmp, 'pareto'), '--csv', 'pareto', '--json');
    const summary = JSON.parse(r.stdout);
    const lines = readFileSync(join(tmp, 'pareto', 'results.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(summary.front_total).toBeGreaterThan(1);
    expect(lines.length - 1).toBe(summary.front_total);
    expect(lines.slice(1).every((l) => l.split(',')[14] === 'true')).toBe(true);
  });

  it('exit 2 on bad input: one line naming file, line and column; nothing written', async () => {
    const out = join(tmp, 'bad');
    const r = await cli(spec('exit2-bad-unit'), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'test/fixtures/specs/exit2-bad-unit.yaml:5:23 grid.expert_params[1]: expected a parameter count such as 30B, 0.5B, 800M or 3e10, got "2Q"\n',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('bad input leaves an existing report untouched', async () => {
    const out = join(tmp, 'keep');
    await cli(spec('exit0-all-pass'), '--out', out, '--quiet');
    const before = readdirSync(out).map((f) => [f, statSync(join(out, f)).mtimeMs, readFileSync(join(out, f), 'utf8')]);
    const r = await cli(spec('exit2-bad-unit'), '--out', out);
    expect(r.code).toBe(2);
    expect(
      readdirSync(out).map((f) => [f, statSync(join(out, f)).mtimeMs, readFileSync(join(out, f), 'utf8')]),
    ).toEqual(before);
  });

  it('exit 2 for a missing file, a directory, a non-UTF-8 file, an --out that is a file', async () => {
    expect(await cli('nope.yaml')).toMatchObject({ code: 2, stderr: 'nope.yaml: no such file\n' });
    expect(await cli('test')).toMatchObject({ code: 2, stderr: 'test: is a directory, expected a YAML spec file\n' });
    const latin1 = join(tmp, 'latin1.yaml');
    writeFileSync(latin1, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    expect((await cli(latin1)).stderr).toBe(`${latin1}: is not UTF-8 text, expected a YAML spec file\n`);
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    expect(await cli(spec('exit0-all-pass'), '--out', file)).toMatchObject({
      code: 2,
      stderr: `${file}: exists and is not a folder; --out must name a folder\n`,
    });
  });

  it('exit 2 for usage errors', async () => {
    expect((await cli(spec('exit0-all-pass'), '--workers', '0')).code).toBe(2);
    expect((await cli(spec('exit0-all-pass'), '--csv', 'some')).code).toBe(2);
    expect((await cli(spec('exit0-all-pass'), '--frobnicate')).code).toBe(2);
    expect((await cli()).code).toBe(2);
  });

  it('keeps other files in the --out folder', async () => {
    const out = join(tmp, 'shared-folder');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await cli(spec('exit0-all-pass'), '--out', out, '--quiet');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('moe-sweep calc', () => {
  it('hand-worked design: 8 × 5.6B experts, top-2, 1.6B shared', async () => {
    const r = await cli(
      'calc',
      '--experts',
      '8',
      '--top-k',
      '2',
      '--expert-params',
      '5.6B',
      '--shared',
      '1.6B',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      total_params: 46.4e9,
      active_params: 12.8e9,
      expert_sparsity: 0.75,
      flops_per_token: 25.6e9,
      weight_bytes: 92.8e9,
    });
  });

  it('a preset', async () => {
    const r = await cli('calc', '--preset', 'mixtral-8x7b', '--json');
    // Mixtral 8x7B: 46,702,792,704 parameters (mistralai/Mixtral-8x7B-v0.1 safetensors metadata).
    expect(JSON.parse(r.stdout).total_params).toBe(46_702_792_704);
  });

  it('explains what is wrong', async () => {
    expect(
      await cli('calc', '--experts', '8', '--top-k', '9', '--expert-params', '1B', '--shared', '1B'),
    ).toMatchObject({ code: 2, stderr: 'calc: --top-k: expected at most --experts (8), got 9\n' });
    expect(
      await cli('calc', '--experts', '8', '--top-k', '2', '--expert-params', 'lots', '--shared', '1B'),
    ).toMatchObject({
      code: 2,
      stderr: 'calc: --expert-params: expected a parameter count such as 5.6B, got "lots"\n',
    });
    expect((await cli('calc', '--preset', 'mixtral-8x8b')).stderr).toContain('did you mean "mixtral-8x7b"');
  });
});

describe('moe-sweep presets', () => {
  it('--json: id, name, total_params, active_params, source', async () => {
    const r = await cli('presets', '--json');
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list.length).toBeGreaterThanOrEqual(10);
    for (const p of list) expect(Object.keys(p)).toEqual(['id', 'name', 'total_params', 'active_params', 'source']);
    expect(list.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        'mixtral-8x7b',
        'mixtral-8x22b',
        'deepseek-v3',
        'qwen3-235b-a22b',
        'qwen3-30b-a3b',
        'grok-1',
        'llama-4-maverick',
        'kimi-k2',
        'gpt-oss-120b',
        'deepseek-v4-pro',
      ]),
    );
  });
});

describe('moe-sweep inspect', () => {
  it("--json on DeepSeek-V3's config.json: the exact checkpoint count and each active convention", async () => {
    const r = await cli('inspect', 'presets/configs/deepseek-v3.json', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // deepseek-ai/DeepSeek-V3 on the hub: 684,531,386,000 stored parameters (safetensors metadata);
    // README: "671B of the Main Model weights and 14B of the MTP Module weights", "37B activated".
    expect(j).toMatchObject({
      model_type: 'deepseek_v3',
      total_main: 671_026_419_200,
      total_checkpoint: 684_531_386_000,
    });
    expect(Object.keys(j)).toEqual(
      expect.arrayContaining(['active', 'active_excl_input_embedding', 'active_non_embedding', 'breakdown']),
    );
  });

  it('exit 2 for an unsupported model_type, listing the supported ones', async () => {
    const file = join(tmp, 'llama.json');
    writeFileSync(file, JSON.stringify({ model_type: 'llama', hidden_size: 4096 }));
    const r = await cli('inspect', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /unsupported model_type "llama"; supported model types: mixtral, qwen2_moe, .*deepseek_v3/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exit 2 for a file that is not JSON', async () => {
    const r = await cli('inspect', spec('exit0-all-pass'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^test\/fixtures\/specs\/exit0-all-pass\.yaml: is not valid JSON/);
  });
});
