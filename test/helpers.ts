// Builders shared by the tests: temporary folders, fixture paths, the CLI run in-process with captured
// output or spawned from source, CSV parsing and the preset configs.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { loadServingModel } from '../src/catalog/serving-model.js';
import { estimatePlan, hardwarePlan, type GpuSpec, type HardwarePlan } from '../src/metrics/serving.js';

/** A fresh folder in the OS temp folder, removed after the test file (or describe block) that made it. */
export function useTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The path, relative to the repository, of test/fixtures/specs/NAME.yaml. */
export const specFixture = (name: string) => `test/fixtures/specs/${name}.yaml`;

export interface IoOptions {
  /** Default false: no progress bar. */
  isTTY?: boolean;
  /** Default the process's working directory. */
  cwd?: string;
  /** Default none, so the runner's own GITHUB_ACTIONS does not leak into the output. */
  env?: Record<string, string | undefined>;
}

/** An Io whose stdout and stderr collect into the returned object's strings. */
export function captureIo(options: IoOptions = {}): { io: Io; stdout: string; stderr: string } {
  const captured = { stdout: '', stderr: '' } as { io: Io; stdout: string; stderr: string };
  captured.io = {
    stdout: (t) => void (captured.stdout += t),
    stderr: (t) => void (captured.stderr += t),
    isTTY: options.isTTY ?? false,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
  };
  return captured;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI run in this process with captured output. (The CLI is imported on the first call, so the unit
 * tests that use only the other helpers do not load it.)
 */
export async function cliWith(options: IoOptions & { signal?: AbortSignal }, ...argv: string[]): Promise<CliResult> {
  const { main } = await import('../src/cli/program.js');
  const c = captureIo(options);
  const code = await main(argv, c.io, options.signal);
  return { code, stdout: c.stdout, stderr: c.stderr };
}

/** The CLI run in this process with captured output, no terminal and no environment. */
export const cli = (...argv: string[]): Promise<CliResult> => cliWith({}, ...argv);

/** The executable from source (src/cli/bin.ts under tsx) in a child process. */
export function spawnBin(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; timeout?: number } = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...argv], {
    cwd: process.cwd(),
    encoding: 'utf8',
    env: options.env ?? process.env,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout, killSignal: 'SIGKILL' as const }),
  });
}

/** CSV text (or bytes) as rows of cells, the header row first. */
export const parseCsv = (csv: string | Buffer): string[][] => parse(csv) as string[][];

/** CSV text (or bytes) as one record per data row, keyed by the header row. */
export const parseCsvRecords = (csv: string | Buffer): Record<string, string>[] =>
  parse(csv, { columns: true }) as Record<string, string>[];

/** presets/configs/NAME (a Hugging Face config.json), parsed. */
export function presetConfig(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../presets/configs/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

/**
 * A tiny DeepSeek-V3-shaped MLA config whose counts can be worked by hand: d 8, 2 layers (the first
 * dense), V 16, H 2, r_q 4, r_kv 4, nope = rope = v = 2, 4 routed experts of width 4 (top-2), 1 shared,
 * dense width 8. `overrides` change the family, the depth or add fields (a DSA indexer, say).
 */
export function tinyMlaConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model_type: 'deepseek_v3',
    hidden_size: 8,
    num_hidden_layers: 2,
    vocab_size: 16,
    num_attention_heads: 2,
    q_lora_rank: 4,
    kv_lora_rank: 4,
    qk_nope_head_dim: 2,
    qk_rope_head_dim: 2,
    v_head_dim: 2,
    n_routed_experts: 4,
    num_experts_per_tok: 2,
    moe_intermediate_size: 4,
    n_shared_experts: 1,
    first_k_dense_replace: 1,
    intermediate_size: 8,
    ...overrides,
  };
}

/**
 * hardwarePlan with the package's serving constants, no engine and the GPU's own link figures
 * (450 GB/s, 10 µs when it names none: the catalogue's NVLink 4 entries).
 */
export function hw(
  gpu: GpuSpec,
  count: number,
  options: Omit<Parameters<typeof hardwarePlan>[2], 'link' | 'estimate'>,
): HardwarePlan {
  return hardwarePlan(gpu, count, {
    ...options,
    link: { link_bytes_per_s: gpu.link_bytes_per_s ?? 450e9, link_latency_s: gpu.link_latency_s ?? 10e-6 },
    estimate: estimatePlan(loadServingModel(), { gpus: count, overhead: 0, speculative: false }),
  });
}

/** The estimate's plan with no engine and the package's constants, for hand-built hardware plans. */
export const NO_ENGINE = (): HardwarePlan['estimate'] =>
  estimatePlan(loadServingModel(), { gpus: 1, overhead: 0, speculative: false });

/** Serving facts the bound and memory columns do not read: one layer, no attention cost. */
export const ESTIMATE_FACTS = {
  layers: 1,
  moeLayers: 1,
  attentionParams: 0,
  attnFlopsFull: 0,
  attnFlopsWindowed: 0,
  attnWindow: 0,
  attnFlopsFixed: 0,
  kvLongBytesPerToken: 0,
  kvFixedBytes: 0,
  attentionHeads: 0,
  gqaKvHeads: 0,
  expertWidth: 0,
  denseWidth: 0,
  sharedWidth: 0,
};
