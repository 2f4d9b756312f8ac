// The full DeepSeek-V3 checkpoint layout as a folder of sparse safetensors files: 91 thousand tensors
// named and shaped as modeling_deepseek_v3.py and the config say, 689 GB of data that are holes. Its
// dtype totals must be the ones the Hub publishes for deepseek-ai/DeepSeek-V3, and every module must
// reconcile with the count of the same config.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FULL_DEEPSEEK_V3, deepseekV3Tensors } from '../checkpoint/models.js';
import { writeSafetensors } from '../checkpoint/write.js';
import { cliWith, presetConfig, useTempDir } from '../helpers.js';

describe('inspect FOLDER: the full DeepSeek-V3 layout', () => {
  it("reproduces the Hub's own dtype totals and reconciles module by module with its config.json", async () => {
    const dir = useTempDir('moe-sweep-dsv3-');
    writeFileSync(join(dir, 'config.json'), JSON.stringify(presetConfig('deepseek-v3.json')));
    const all = deepseekV3Tensors(FULL_DEEPSEEK_V3);
    const n = 8;
    const size = Math.ceil(all.length / n);
    const weightMap: Record<string, string> = {};
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < n; i++) {
      const file = `model-0000${i + 1}-of-0000${n}.safetensors`;
      const shard = all.slice(i * size, (i + 1) * size);
      writeSafetensors(join(dir, file), shard);
      for (const t of shard) weightMap[t.name] = file;
    }
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const out = await cliWith({}, 'inspect', dir, '--json');
    expect(out.stderr).toBe('');
    const r = JSON.parse(out.stdout);
    // Hugging Face safetensors metadata of deepseek-ai/DeepSeek-V3 (cited in presets/deepseek-v3.yaml):
    // BF16 3,918,786,560 + F8_E4M3 680,571,043,840 + F32 41,555,600 = 684,531,386,000
    expect(r.checkpoint.dtypes).toEqual({ F8_E4M3: 680_571_043_840, BF16: 3_918_786_560, F32: 41_555_600 });
    expect(r.checkpoint.elements).toBe(684_531_386_000);
    expect(r.checkpoint.bytes).toBe(680_571_043_840 + 2 * 3_918_786_560 + 4 * 41_555_600);
    expect(r.checkpoint).toMatchObject({ files: 8, unexplained: [], missing: [], reconciled: true });
    // the MTP module of docs/inspect.md's DeepSeek-V3 example, reported apart
    expect(r.checkpoint.modules.mtp).toMatchObject({ config: 11_610_068_224, checkpoint: 11_610_068_224 });
    expect(r.checkpoint.modules.mtp_stored_copies).toMatchObject({ checkpoint: 1_853_358_080, tensors: 2 });
  });
});
