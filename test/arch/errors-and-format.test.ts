import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  InvalidFieldError,
  MissingFieldError,
  SUPPORTED_MODEL_TYPES,
  UnsupportedModelError,
  architectureFromHfConfig,
} from '../../src/arch/hf-config/index.js';
import { formatInspect, inspectConfig, withThousands, withUnit } from '../../src/arch/inspect.js';

const mixtral = {
  model_type: 'mixtral',
  hidden_size: 8,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  vocab_size: 16,
  intermediate_size: 6,
  num_local_experts: 4,
  num_experts_per_tok: 2,
};

describe('errors', () => {
  it('an unsupported model_type lists the supported ones', () => {
    let err: unknown;
    try {
      architectureFromHfConfig({ ...mixtral, model_type: 'llama' }, 'some/config.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedModelError);
    const msg = (err as Error).message;
    expect(msg).toContain('"llama"');
    expect(msg).toContain('some/config.json');
    for (const t of SUPPORTED_MODEL_TYPES) expect(msg).toContain(t);
    expect((err as UnsupportedModelError).modelType).toBe('llama');
  });

  it('a missing required field is named', () => {
    const { num_local_experts: _, ...cfg } = mixtral;
    expect(() => architectureFromHfConfig(cfg)).toThrow(MissingFieldError);
    expect(() => architectureFromHfConfig(cfg, 'x.json')).toThrow(
      /x\.json: missing required field "num_local_experts"/,
    );
  });

  it('a missing nested field is named with its path', () => {
    try {
      architectureFromHfConfig({ model_type: 'llama4', text_config: { num_hidden_layers: 2 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MissingFieldError);
      expect((e as MissingFieldError).field).toBe('text_config.hidden_size');
    }
    expect(() => architectureFromHfConfig({ model_type: 'llama4' })).toThrow(/"text_config"/);
    expect(() =>
      architectureFromHfConfig({
        model_type: 'dbrx',
        d_model: 8,
        n_heads: 2,
        n_layers: 2,
        vocab_size: 16,
        attn_config: {},
        ffn_config: {},
      }),
    ).toThrow(/"attn_config\.kv_n_heads"/);
  });

  it('a config without model_type (and not Grok-1) names model_type', () => {
    const { model_type: _, ...cfg } = mixtral;
    expect(() => architectureFromHfConfig(cfg)).toThrow(/missing required field "model_type"/);
  });

  it('a field of the wrong type is named', () => {
    expect(() => architectureFromHfConfig({ ...mixtral, hidden_size: '8' })).toThrow(InvalidFieldError);
    expect(() => architectureFromHfConfig({ ...mixtral, hidden_size: 0 })).toThrow(/"hidden_size"/);
    expect(() => architectureFromHfConfig([])).toThrow(InvalidFieldError);
  });

  it('DeepSeek q_lora_rank must be present, but may be null', () => {
    const ds = {
      model_type: 'deepseek_v2',
      hidden_size: 8,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      vocab_size: 16,
      kv_lora_rank: 4,
      qk_nope_head_dim: 2,
      qk_rope_head_dim: 2,
      v_head_dim: 2,
      n_routed_experts: 4,
      num_experts_per_tok: 2,
      moe_intermediate_size: 6,
    };
    expect(() => architectureFromHfConfig(ds)).toThrow(/"q_lora_rank"/);
    expect(architectureFromHfConfig({ ...ds, q_lora_rank: null })).toMatchObject({ q_lora_rank: null });
  });
});

describe('formatting', () => {
  it('thousands separators and units', () => {
    expect(withThousands(671026419200)).toBe('671,026,419,200');
    expect(withThousands(999)).toBe('999');
    expect(withThousands(-1234)).toBe('-1,234');
    expect(withUnit(671026419200)).toBe('671.03 B');
    expect(withUnit(1026470727640)).toBe('1.026 T');
    expect(withUnit(41540496)).toBe('41.54 M');
    expect(withUnit(1896)).toBe('1.90 K');
    expect(withUnit(0)).toBe('0');
  });

  it('the table shows every quantity and says what each convention includes', () => {
    const cfg = JSON.parse(readFileSync(new URL('../../presets/configs/deepseek-v3.json', import.meta.url), 'utf8'));
    const text = formatInspect(inspectConfig(cfg));
    expect(text).toContain('model_type: deepseek_v3');
    for (const label of [
      'total_main',
      'total_checkpoint',
      'active',
      'active_excl_input_embedding',
      'active_non_embedding',
      'expert_params',
      'shared_params',
    ]) {
      expect(text).toMatch(new RegExp(`^${label} `, 'm'));
    }
    expect(text).toContain('671,026,419,200');
    expect(text).toContain('671.03 B');
    expect(text).toContain('684,531,386,000');
    expect(text).toContain('no MTP, no vision');
    expect(text).toContain('minus the input embedding');
    expect(text).toContain('top-8 of 256 routed experts');
    expect(text).toContain('block-FP8');
  });

  it('inspectConfig output is JSON-ready with integer counts', () => {
    const r = inspectConfig(mixtral);
    const round = JSON.parse(JSON.stringify(r));
    expect(round).toEqual(r);
    for (const v of [
      r.total_main,
      r.total_checkpoint,
      r.active,
      r.expert_params,
      r.shared_params,
      ...Object.values(r.breakdown),
    ]) {
      expect(Number.isSafeInteger(v)).toBe(true);
    }
  });
});

describe('errors in the 2026 families', () => {
  const fixture = (name: string) =>
    JSON.parse(readFileSync(new URL(`../../presets/configs/${name}`, import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;

  it('deepseek_v4: one compress ratio per layer and MTP layer, one K=V head, known expert dtype', () => {
    const v4 = fixture('deepseek-v4-pro.json');
    const short = { ...v4, compress_ratios: (v4['compress_ratios'] as number[]).slice(0, 61) };
    expect(() => architectureFromHfConfig(short)).toThrow(InvalidFieldError);
    expect(() => architectureFromHfConfig(short)).toThrow(/"compress_ratios".*at least .* 62 ratios/);
    expect(() => architectureFromHfConfig({ ...v4, num_key_value_heads: 2 })).toThrow(/"num_key_value_heads"/);
    expect(() => architectureFromHfConfig({ ...v4, expert_dtype: 'int4' })).toThrow(/"expert_dtype"/);
    const { hc_mult: _, ...noHc } = v4;
    expect(() => architectureFromHfConfig(noHc)).toThrow(/missing required field "hc_mult"/);
  });

  it('qwen3_5_moe: text_config required, layer types checked', () => {
    expect(() => architectureFromHfConfig({ model_type: 'qwen3_5_moe' })).toThrow(
      /missing required field "text_config"/,
    );
    const q = fixture('qwen3.5-397b-a17b.json');
    const text = q['text_config'] as Record<string, unknown>;
    const types = [...(text['layer_types'] as string[])];
    types[0] = 'mamba';
    expect(() => architectureFromHfConfig({ ...q, text_config: { ...text, layer_types: types } })).toThrow(
      /"text_config\.layer_types"/,
    );
    const { linear_num_value_heads: _, ...noHeads } = text;
    expect(() => architectureFromHfConfig({ ...q, text_config: noHeads })).toThrow(
      /missing required field "text_config\.linear_num_value_heads"/,
    );
  });

  it('kimi_k25: the vision projector kind is named when unknown', () => {
    const k = fixture('kimi-k2.6.json');
    const vision = { ...(k['vision_config'] as Record<string, unknown>), mm_projector_type: 'resampler' };
    expect(() => architectureFromHfConfig({ ...k, vision_config: vision })).toThrow(
      /"vision_config\.mm_projector_type"/,
    );
  });

  it('minimax_m2: only full-attention layers', () => {
    const m = fixture('minimax-m2.5.json');
    const types = new Array(62).fill(1);
    types[3] = 0;
    expect(() => architectureFromHfConfig({ ...m, attn_type_list: types })).toThrow(/"attn_type_list"/);
  });
});

describe('formatting the 2026 families', () => {
  it('the DeepSeek-V4-Pro table shows the new modules and says which number is parameters and which storage', () => {
    const cfg = JSON.parse(
      readFileSync(new URL('../../presets/configs/deepseek-v4-pro.json', import.meta.url), 'utf8'),
    );
    const text = formatInspect(inspectConfig(cfg));
    for (const label of [
      'KV compressors',
      'indexers',
      'hyper-connections',
      'hash-routing tables',
      'FP4/INT4 group scales',
      'storage adjustment',
    ]) {
      expect(text).toContain(`  ${label} `);
    }
    expect(text).toMatch(/^total_logical +1,598,837,347,742 +1\.599 T +every parameter in the checkpoint/m);
    expect(text).toMatch(/^total_checkpoint +861,608,274,846 +861\.61 B +what the checkpoint stores/m);
    expect(text).toContain('token mixers: 31 hca, 30 csa (window 128); hyper-connections x4');
    expect(text).toContain('not parameters; total_logical is the parameter count');
  });

  it('the Kimi K2.6 table shows stored_elements apart from the Hub count', () => {
    const cfg = JSON.parse(readFileSync(new URL('../../presets/configs/kimi-k2.6.json', import.meta.url), 'utf8'));
    const text = formatInspect(inspectConfig(cfg));
    expect(text).toMatch(/^stored_elements +170,738,182,128 /m);
    expect(text).toMatch(/^total_checkpoint +1,058,589,420,528 /m);
    expect(text).toContain('  vision tower ');
  });
});
