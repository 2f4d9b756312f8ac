// `inspect FOLDER`: checkpoint folders written by the test (real safetensors headers, the data a
// sparse hole), read through the CLI, their tensors reconciled with the config count.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWith, useTempDir } from '../helpers.js';
import {
  DEEPSEEK_V3_CONFIG,
  NEMOTRON_H_CONFIG,
  QWEN3_MOE_CONFIG,
  deepseekV3Tensors,
  nemotronHTensors,
  qwen3MoeGguf,
  qwen3MoeTensors,
} from './models.js';
import { type TensorSpec, writeGguf, writeSafetensors } from './write.js';

const root = useTempDir('moe-sweep-ckpt-');

function folder(name: string, config: object, shards: TensorSpec[][], index = shards.length > 1): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const weightMap: Record<string, string> = {};
  shards.forEach((tensors, i) => {
    const file = index ? `model-0000${i + 1}-of-0000${shards.length}.safetensors` : 'model.safetensors';
    writeSafetensors(join(dir, file), tensors);
    for (const t of tensors) weightMap[t.name] = file;
  });
  if (index)
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  return dir;
}

const json = async (dir: string) => {
  const r = await cliWith({}, 'inspect', dir, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('inspect FOLDER: qwen3_moe in one model.safetensors, with a stray tensor', () => {
  const stray = { name: 'model.layers.0.self_attn.rotary_emb.inv_freq', dtype: 'F32', shape: [2] };
  const dir = folder('qwen3', QWEN3_MOE_CONFIG, [[...qwen3MoeTensors(), stray]]);

  it('reads only the header: the data region is a hole of the right size', () => {
    // 1814 elements: 1812 BF16 (2 bytes) + 2 F32 (4 bytes) = 3632 data bytes after the header
    expect(statSync(join(dir, 'model.safetensors')).size).toBeGreaterThan(3632);
  });

  it('counts every tensor and reconciles each module with the hand-worked config count', async () => {
    const r = await json(dir);
    // 3 top-level + 2 layers × (2 norms + 6 attention + router + 4 experts × 3) = 3 + 2 × 21 = 45, + the stray
    expect(r.checkpoint).toMatchObject({ format: 'safetensors', files: 1, tensors: 46 });
    // test/arch/tiny-families.test.ts: total_main 1812 = 128 + 128 + 300 + 40 + 64 + 1152; + 2 stray elements
    expect(r.checkpoint.elements).toBe(1814);
    expect(r.checkpoint.bytes).toBe(1812 * 2 + 2 * 4);
    expect(r.checkpoint.dtypes).toEqual({ BF16: 1812, F32: 2 });
    expect(r.checkpoint.modules).toEqual({
      embedding: { config: 128, checkpoint: 128, tensors: 1 },
      lm_head: { config: 128, checkpoint: 128, tensors: 1 },
      // per layer q 48 + k 24 + v 24 + o 48 + q_norm 3 + k_norm 3 = 150
      attention: { config: 300, checkpoint: 300, tensors: 12 },
      norms: { config: 40, checkpoint: 40, tensors: 5 },
      router: { config: 64, checkpoint: 64, tensors: 2 },
      routed_experts: { config: 1152, checkpoint: 1152, tensors: 24 },
    });
    // a RoPE buffer is no parameter: the count does not explain it, and the report says so
    expect(r.checkpoint.unexplained).toEqual([stray.name]);
    expect(r.checkpoint.missing).toEqual([]);
    expect(r.checkpoint.reconciled).toBe(false);
    // the existing keys are all still there, unchanged
    expect(r.total_main).toBe(1812);
    expect(r.breakdown.attention).toBe(300);
  });

  it('prints the reconciliation table and names the stray tensor', async () => {
    const r = await cliWith({}, 'inspect', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Reconciliation: tensor elements in the files against the config count');
    expect(r.stdout).toMatch(/\n {2}routed experts +1,152 +1,152 +ok +24\n/);
    expect(r.stdout).toMatch(/\n {2}total +1,812 +1,814 +\+2 +46\n/);
    expect(r.stdout).toContain(`unexplained tensors (1): ${stray.name}`);
    expect(r.stdout).toContain('NOT reconciled');
    expect(r.stdout).not.toContain('is a directory');
  });

  it('model.safetensors is the model: a consolidated copy beside it is not counted twice', async () => {
    const d = folder('qwen3-consolidated', QWEN3_MOE_CONFIG, [qwen3MoeTensors()]);
    writeSafetensors(join(d, 'consolidated.safetensors'), qwen3MoeTensors());
    const r = await json(d);
    expect(r.checkpoint).toMatchObject({ files: 1, tensors: 45, elements: 1812, reconciled: true });
  });

  it('a module the config counts but no tensor holds is missing', async () => {
    const d = folder('qwen3-nohead', QWEN3_MOE_CONFIG, [qwen3MoeTensors().filter((t) => t.name !== 'lm_head.weight')]);
    const r = await json(d);
    expect(r.checkpoint.missing).toEqual(['lm_head']);
    expect(r.checkpoint.modules.lm_head).toEqual({ config: 128, checkpoint: 0, tensors: 0 });
    expect(r.checkpoint.unexplained).toEqual([]);
  });
});

describe('inspect FOLDER: block-FP8 deepseek_v3 in two indexed shards, with its MTP layer', () => {
  const all = deepseekV3Tensors();
  const half = Math.floor(all.length / 2);
  const dir = folder('dsv3', DEEPSEEK_V3_CONFIG, [all.slice(0, half), all.slice(half)]);

  it('explains every tensor: MTP and its embedding/head copies apart, the FP8 scales in their own row', async () => {
    const r = await json(dir);
    expect(r.checkpoint.files).toBe(2);
    expect(r.checkpoint.unexplained).toEqual([]);
    expect(r.checkpoint.missing).toEqual([]);
    expect(r.checkpoint.reconciled).toBe(true);
    // by hand (test/arch/tiny-families.test.ts): total_checkpoint 4274 = main 2664 + MTP 1108 + copies 256 + scales 246
    expect(r.checkpoint.elements).toBe(4274);
    const row = (config: number, tensors: number) => ({ config, checkpoint: config, tensors });
    expect(r.checkpoint.modules).toEqual({
      embedding: row(128, 1),
      lm_head: row(128, 1),
      // 3 layers × (q_a, q_a_layernorm, q_b, kv_a, kv_a_layernorm, kv_b, o) = 21 tensors, 3 × 184 elements
      attention: row(552, 21),
      // 3 layers × 2 + the final norm
      norms: row(56, 7),
      // 2 MoE layers × (gate 32 + e_score_correction_bias 4)
      router: row(72, 4),
      routed_experts: row(1152, 24),
      shared_experts: row(288, 6),
      dense_ffn: row(288, 3),
      // layer 3: enorm, hnorm, eh_proj, shared_head.norm + the decoder layer's 2 norms, 7 attention
      // tensors, router 2, 5 FFNs × 3 = 4 + 2 + 7 + 2 + 15 = 30 tensors
      mtp: row(1108, 30),
      mtp_stored_copies: row(256, 2),
      // one weight_scale_inv per FP8 linear: 4 layers × 5 attention + 3 dense + 3 MoE layers × 15 = 68
      quantization_scales: row(246, 68),
    });
    // F32: scales 246 + 3 correction biases × 4 = 258 elements; FP8 linears: attention 4 × 176, dense 288,
    // experts and shared 3 × 5 × 144 = 2160 → 3152; BF16 the rest: 4274 − 258 − 3152 = 864
    expect(r.checkpoint.dtypes).toEqual({ F8_E4M3: 3152, BF16: 864, F32: 258 });
    expect(r.checkpoint.bytes).toBe(3152 * 1 + 864 * 2 + 258 * 4);
    // the config's storage model gives the same bytes: FP8 linears, F32 scales and correction biases, BF16 the rest
    expect(r.checkpoint.config_bytes).toBe(r.checkpoint.bytes);
  });

  it('says so in the text', async () => {
    const r = await cliWith({}, 'inspect', dir);
    expect(r.stdout).toMatch(/\n {2}MTP modules +1,108 +1,108 +ok +30\n/);
    expect(r.stdout).toMatch(/\n {2}quantisation scales +246 +246 +ok +68\n/);
    expect(r.stdout).toContain('reconciled: every tensor is explained and every module matches the config count');
  });
});

describe('inspect FOLDER: nemotron_h, a Mamba-2 hybrid whose every block names its module `mixer`', () => {
  const dir = folder('nemotron-h', NEMOTRON_H_CONFIG, [nemotronHTensors()]);

  it("puts each block's mixer where its kind is counted, with nothing unexplained and nothing missing", async () => {
    const r = await json(dir);
    // 3 top-level + 4 block norms + Mamba 8 + attention 4 + MoE (router 2, experts 2 × 2, shared 2) 8 + MLP 2 = 29
    expect(r.checkpoint).toMatchObject({ files: 1, tensors: 29, unexplained: [], missing: [], reconciled: true });
    const row = (config: number, tensors: number) => ({ config, checkpoint: config, tensors });
    expect(r.checkpoint.modules).toEqual({
      // V 16 × d 8
      embedding: row(128, 1),
      lm_head: row(128, 1),
      // q 8·8 + k 4·8 + v 4·8 + o 8·8 = 64 + 32 + 32 + 64
      attention: row(192, 4),
      // in_proj 22·8 = 176, conv1d 12·4 = 48 + bias 12, dt_bias + A_log + D 3·2 = 6, gated norm 8,
      // out_proj 8·8 = 64: 176 + 48 + 12 + 6 + 8 + 64 = 314
      mamba: row(314, 8),
      // one norm per block 4 × 8 + norm_f 8
      norms: row(40, 5),
      // gate 2·8 + e_score_correction_bias 2
      router: row(18, 2),
      // 2 experts × (up 4·8 + down 8·4) = 2 × 64
      routed_experts: row(128, 4),
      // up 6·8 + down 8·6
      shared_experts: row(96, 2),
      // up 12·8 + down 8·12
      dense_ffn: row(192, 2),
    });
    // 128 + 128 + 192 + 314 + 40 + 18 + 128 + 96 + 192 = 1236 = total_main, all of it stored
    expect(r.checkpoint.elements).toBe(1236);
    expect(r.total_main).toBe(1236);
    expect(r.checkpoint.dtypes).toEqual({ BF16: 1234, F32: 2 });
    expect(r.checkpoint.bytes).toBe(1234 * 2 + 2 * 4);
    expect(r.checkpoint.config_bytes).toBe(r.checkpoint.bytes);
  });

  it('prints the Mamba row in the text table', async () => {
    const r = await cliWith({}, 'inspect', dir);
    expect(r.stdout).toMatch(/\n {2}Mamba mixers +314 +314 +ok +8\n/);
    expect(r.stdout).toContain('reconciled: every tensor is explained and every module matches the config count');
  });

  it('the same tensors under a pattern that swaps the Mamba and attention blocks do not reconcile', async () => {
    // "*ME-": block 0 is attention, so its mixer tensors (314 elements) count as attention and block
    // 1's (192) as Mamba, the reverse of what the config counts there
    const d = folder('nemotron-h-swapped', { ...NEMOTRON_H_CONFIG, hybrid_override_pattern: '*ME-' }, [
      nemotronHTensors(),
    ]);
    const r = await json(d);
    expect(r.checkpoint.modules.attention).toEqual({ config: 192, checkpoint: 314, tensors: 8 });
    expect(r.checkpoint.modules.mamba).toEqual({ config: 314, checkpoint: 192, tensors: 4 });
    expect(r.checkpoint.reconciled).toBe(false);
  });
});

describe('inspect FOLDER: a GGUF model beside its config.json', () => {
  const dir = folder('gguf', QWEN3_MOE_CONFIG, []);
  writeGguf(join(dir, 'qwen3-moe-tiny-Q4_0.gguf'), qwen3MoeGguf());

  it('reads the header and tensor infos (past a 100-string array) and reconciles with the logical count', async () => {
    const r = await json(dir);
    // 3 + 2 layers × 12 = 27 tensors; GGUF shapes are logical, so the elements are total_main 1812
    expect(r.checkpoint).toMatchObject({ format: 'gguf', files: 1, tensors: 27, elements: 1812, reconciled: true });
    expect(r.checkpoint.modules.routed_experts).toEqual({ config: 1152, checkpoint: 1152, tensors: 6 });
    expect(r.checkpoint.modules.norms).toEqual({ config: 40, checkpoint: 40, tensors: 5 });
    // Q8_0 embedding and head 2 × 128/32·34 = 272; F32 output_norm 32; per layer F32 norms 2·32 + QK norms
    // 2·12 + router 128 = 216, F16 attention (48 + 24 + 24 + 48)·2 = 288, Q4_0 experts 3 × 192/32·18 = 324
    // → 828; total 272 + 32 + 2 × 828 = 1960
    expect(r.checkpoint.bytes).toBe(1960);
    expect(r.checkpoint.dtypes).toEqual({ Q4_0: 1152, F16: 288, Q8_0: 256, F32: 116 });
  });

  it('refuses a folder with the GGUF files of several models', async () => {
    const d = folder('gguf-two', QWEN3_MOE_CONFIG, []);
    writeGguf(join(d, 'm-Q4_0.gguf'), qwen3MoeGguf());
    writeGguf(join(d, 'm-Q8_0.gguf'), qwen3MoeGguf());
    const r = await cliWith({}, 'inspect', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${d}: holds the GGUF files of 2 models (m-Q4_0, m-Q8_0); inspect reads one: keep one beside config.json\n`,
    );
  });
});

describe('inspect FOLDER: what is not a checkpoint', () => {
  it('a folder without config.json is one line, exit 2', async () => {
    const d = join(root, 'empty');
    mkdirSync(d);
    const r = await cliWith({}, 'inspect', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${d}: no config.json in this folder (inspect counts a model from its config.json and reconciles the weights against it)\n`,
    );
  });

  it('a folder with config.json and no weights reports the config counts and says so', async () => {
    const d = folder('config-only', QWEN3_MOE_CONFIG, []);
    const r = await cliWith({}, 'inspect', d);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`no safetensors or GGUF weights in ${d}: counts from config.json only`);
    const j = await json(d);
    expect(j.checkpoint).toBeUndefined();
  });

  it('a corrupt header names the shard', async () => {
    const d = folder('corrupt', QWEN3_MOE_CONFIG, []);
    const f = join(d, 'model.safetensors');
    const buf = Buffer.alloc(16);
    buf.writeBigUInt64LE(8n, 0);
    buf.write('{"a":1} ', 8);
    writeFileSync(f, buf);
    const r = await cliWith({}, 'inspect', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${d}/model.safetensors: tensor "a": expected {dtype, shape, data_offsets}\n`);
  });

  it('a header longer than the file is refused, not read past the end', async () => {
    const d = folder('short', QWEN3_MOE_CONFIG, []);
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64LE(4096n, 0);
    writeFileSync(join(d, 'model.safetensors'), buf);
    const r = await cliWith({}, 'inspect', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${d}/model.safetensors: its header claims 4096 bytes but the file has 8\n`);
  });
});
