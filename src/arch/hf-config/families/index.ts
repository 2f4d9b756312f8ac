/**
 * The registry of supported model_type values. A family reads a config (through `Fields`) into an
 * `Architecture`; adding one is a new file in this folder and one line here. The order of the
 * keys is the order the unsupported-model error lists them in.
 */
import type { Architecture } from '../../types.js';
import type { Fields } from '../fields.js';
import { arctic } from './arctic.js';
import { bailingMoe, bailingMoeV2 } from './bailing-moe.js';
import { dbrx } from './dbrx.js';
import { dots1 } from './dots1.js';
import { ernie45Moe } from './ernie4-5-moe.js';
import { deepseek } from './deepseek.js';
import { deepseekMoe } from './deepseek-moe.js';
import { deepseekV32 } from './deepseek-v32.js';
import { deepseekV4 } from './deepseek-v4.js';
import { flexOlmo } from './flex-olmo.js';
import { gemma4 } from './gemma4.js';
import { glm4Moe } from './glm4-moe.js';
import { glm4MoeLite } from './glm4-moe-lite.js';
import { glm4vMoe } from './glm4v-moe.js';
import { glmMoeDsa } from './glm-moe-dsa.js';
import { gptOss } from './gpt-oss.js';
import { granitemoe, granitemoeshared } from './granitemoe.js';
import { granitemoehybrid } from './granitemoehybrid.js';
import { grok1 } from './grok-1.js';
import { hunyuanV1Moe } from './hunyuan-v1-moe.js';
import { jamba } from './jamba.js';
import { jetmoe } from './jetmoe.js';
import { kimiK25 } from './kimi-k25.js';
import { kimiLinear } from './kimi-linear.js';
import { lfm2Moe } from './lfm2-moe.js';
import { llama4 } from './llama4.js';
import { longcatFlash } from './longcat-flash.js';
import { minimax } from './minimax.js';
import { minimaxM2 } from './minimax-m2.js';
import { minimaxM3Vl } from './minimax-m3-vl.js';
import { mimoV2 } from './mimo-v2.js';
import { mixtral } from './mixtral.js';
import { nemotronH } from './nemotron-h.js';
import { olmoe } from './olmoe.js';
import { phimoe } from './phimoe.js';
import { qwen2Moe } from './qwen2-moe.js';
import { qwen3Moe } from './qwen3-moe.js';
import { qwen35Moe } from './qwen3-5-moe.js';
import { qwen3Next } from './qwen3-next.js';
import { qwen3VlMoe } from './qwen3-vl-moe.js';

/** Reads one family's config; `modelType` is the config's own, for families that serve several. */
export type Family = (f: Fields, modelType: string) => Architecture;

export const FAMILIES = {
  mixtral,
  qwen2_moe: qwen2Moe,
  qwen3_moe: qwen3Moe,
  deepseek_v2: deepseek,
  deepseek_v3: deepseek,
  kimi_k2: deepseek, // Kimi K2 ships DeepseekV3ForCausalLM with its own model_type
  llama4,
  llama4_text: llama4,
  gpt_oss: gptOss,
  olmoe,
  dbrx,
  phimoe,
  glm4_moe: glm4Moe,
  'grok-1': grok1,
  deepseek_v4: deepseekV4,
  kimi_k25: kimiK25,
  qwen3_5_moe: qwen35Moe,
  glm_moe_dsa: glmMoeDsa,
  minimax_m2: minimaxM2,
  deepseek: deepseekMoe,
  qwen3_vl_moe: qwen3VlMoe,
  arctic,
  ernie4_5_moe: ernie45Moe,
  hunyuan_v1_moe: hunyuanV1Moe,
  dots1,
  flex_olmo: flexOlmo,
  granitemoe,
  granitemoeshared,
  deepseek_v32: deepseekV32,
  glm4_moe_lite: glm4MoeLite,
  bailing_moe: bailingMoe,
  bailing_moe_v2: bailingMoeV2,
  jetmoe,
  longcat_flash: longcatFlash,
  glm4v_moe: glm4vMoe,
  jamba,
  granitemoehybrid,
  nemotron_h: nemotronH,
  minimax,
  minimax_text_01: minimax, // the vendor's remote-code config of MiniMax-Text-01
  minimax_m1: minimax, // the vendor's remote-code config of MiniMax-M1
  qwen3_next: qwen3Next,
  kimi_linear: kimiLinear,
  lfm2_moe: lfm2Moe,
  mimo_v2_flash: mimoV2,
  mimo_v2: mimoV2,
  gemma4,
  gemma4_text: gemma4,
  minimax_m3_vl: minimaxM3Vl,
  minimax_m3_vl_text: minimaxM3Vl,
} as const satisfies Record<string, Family>;
