// The command line: a thin shell that parses arguments, calls the library and maps outcomes to exit
// codes: 0 pass, 1 a design or the grid fails its constraints, 2 bad input or usage, 3 internal error.
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CSV_MODES } from '../csv/modes.js';
import { DTYPES, KV_DTYPES } from '../formats/dtypes.js';
import { InputError, SpecError } from '../findings/errors.js';
import { DEFAULT_MAX_POINTS } from '../spec/limits.js';
import { processIo, type Io } from './io.js';
import type { RunOptions } from './commands/run.js';
import { TOOL_VERSION } from '../catalog/version.js';
import type { Catalog } from '../catalog/index.js';

// Each command's module is imported when the command runs, not here: `calc` and `presets` must not
// pay for loading the sweep, the spec validator and the report stack (see docs/performance.md).

function positiveInt(flag: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`expected a whole number of at least 1 for ${flag}`);
    return n;
  };
}

const RUN_EXAMPLES = `
Examples:
  $ moe-sweep sweeps/target-30b-active.yaml            writes reports/target-30b-active/
  $ moe-sweep sweeps/mla-one-h200-node.yaml            architecture fields swept, served on 8 × H200
  $ moe-sweep spec.yaml --out /tmp/r --workers 2       choose the folder and the worker count
  $ moe-sweep spec.yaml --csv pareto --quiet           only the front in results.csv; errors only
  $ moe-sweep spec.yaml --json | jq .verdict           summary.json on stdout
  $ moe-sweep spec.yaml --reporter junit               also junit.xml, for CI test views

Under GitHub Actions (GITHUB_ACTIONS=true) failures are also printed as ::error annotations on the
spec's lines.

Exit codes: 0 every named design passes and the grid has a feasible design; 1 a named design fails a
constraint or no grid design is feasible; 2 bad input or usage; 3 internal error.`;

export function buildProgram(io: Io, setExit: (code: number) => void, signal?: AbortSignal): Command {
  // Nothing is read or loaded here: the catalogue's code is imported by the command that runs, and
  // each part of it is read when that command first uses it.
  const catalog = async (): Promise<Catalog> => (await import('../catalog/index.js')).loadCatalog();
  const program = new Command('moe-sweep')
    .description(
      'Explore Mixture-of-Experts designs: total vs active parameters, memory, KV cache, GPUs and decode bounds, constraints and Pareto fronts.',
    )
    .version(TOOL_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ moe-sweep sweeps/target-30b-active.yaml              run a sweep (same as: moe-sweep run …)
  $ moe-sweep calc --experts 8 --top-k 2 --expert-params 5.6B --shared 1.6B
  $ moe-sweep calc --preset deepseek-v3 --json
  $ moe-sweep calc --preset deepseek-v3 --context 128K --batch 8 --gpu H100-SXM-80GB --count 8
  $ moe-sweep presets
  $ moe-sweep inspect path/to/config.json
  $ moe-sweep big.yaml --shard 0/4 --out s0  (…1/4, 2/4, 3/4)  then  moe-sweep merge s0 s1 s2 s3

Run \`moe-sweep help <command>\` for a command's options.`,
    );

  program
    .command('run', { isDefault: true })
    .description('evaluate a sweep spec and write results.csv, summary.json and report.html')
    .argument('<spec>', 'the YAML sweep spec')
    .option('-o, --out <dir>', 'output folder (default: reports/<spec name>/)')
    .option('-w, --workers <n>', 'worker threads (default: the available cores)', positiveInt('--workers'))
    .addOption(
      new Option('--csv <mode>', 'rows in results.csv (default: all, or feasible past 1,048,576 rows)').choices(
        CSV_MODES as string[],
      ),
    )
    .option('--json', 'print summary.json to stdout instead of the summary')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--no-report', 'write results.csv and summary.json only, no report.html (skips drawing the charts)')
    .option('--shard <i/n>', 'evaluate only shard I of N (0-based) and write a shard result for `moe-sweep merge`')
    .addOption(
      new Option('--reporter <name>', 'also write junit.xml into the output folder, for CI test views').choices([
        'junit',
      ]),
    )
    .option(
      '--max-points <n>',
      `refuse grids with more points (default ${DEFAULT_MAX_POINTS.toExponential(0)})`,
      (v) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 1) throw new InvalidArgumentError('expected a number of at least 1');
        return n;
      },
    )
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (spec: string, o: RunOptions) => {
      const { runCommand } = await import('./commands/run.js');
      setExit(await runCommand(spec, { ...o, signal }, io, await catalog()));
    });

  program
    .command('merge')
    .description('combine the shard results of one spec into exactly what a single run writes')
    .argument('<shard-dirs...>', 'the --out folders of `moe-sweep SPEC --shard I/N`, one per shard')
    .option('-o, --out <dir>', 'output folder (default: reports/<spec name>/)')
    .option('-w, --workers <n>', 'worker threads for writing the CSV', positiveInt('--workers'))
    .addOption(new Option('--csv <mode>', 'rows in results.csv').choices(CSV_MODES as string[]))
    .option('--json', 'print summary.json to stdout instead of the summary')
    .option('-q, --quiet', 'print nothing but errors')
    .addOption(new Option('--reporter <name>', 'also write junit.xml').choices(['junit']))
    .addHelpText(
      'after',
      `
Examples:
  $ moe-sweep big.yaml --shard 0/2 --out shards/0 && moe-sweep big.yaml --shard 1/2 --out shards/1
  $ moe-sweep merge shards/0 shards/1 --out reports/big

The shards must come from the same spec (checked by its SHA-256) and form a complete set.`,
    )
    .action(async (dirs: string[], o: RunOptions) => {
      const { mergeCommand } = await import('./commands/run.js');
      setExit(await mergeCommand(dirs, { ...o, signal }, io, await catalog()));
    });

  program
    .command('calc')
    .description('the metrics of one design, a preset or a config.json; with --context and --gpu, its serving figures')
    .option('--experts <n>', 'routed experts per MoE layer')
    .option('--top-k <n>', 'experts each token is routed to')
    .option('--expert-params <count>', 'parameters of one routed expert over all MoE layers (e.g. 5.6B)')
    .option('--shared <count>', 'parameters every token uses (e.g. 1.6B)')
    .addOption(new Option('--dtype <dtype>', 'bytes per weight').choices(DTYPES).default('bf16'))
    .option('--overhead <fraction>', 'memory overhead on top of the weights for vram_bytes', '0')
    .option('--preset <id>', 'a published model instead of the four numbers (see `moe-sweep presets`)')
    .option(
      '--config <path>',
      'a Hugging Face config.json, a checkpoint folder or a Hub id ORG/NAME[@REVISION] instead of the four numbers',
    )
    .addOption(
      new Option(
        '--expert-dtype <dtype>',
        'bytes per routed-expert weight, when they differ from --dtype (gpt-oss: mxfp4)',
      ).choices(DTYPES),
    )
    .option(
      '--context <tokens>',
      'serve sequences of this many tokens: 4096, 128K, 1M (K = 1,024); needs --preset or --config',
    )
    .option('--batch <sequences>', 'concurrent sequences (default 1)')
    .addOption(new Option('--kv-dtype <dtype>', 'format of the KV cache (default bf16)').choices(KV_DTYPES))
    .option('--gpu <id>', 'serve (with --context) or train (with --train-tokens) on this GPU, e.g. H100-SXM-80GB')
    .option('--count <n>', 'GPUs serving one replica, or training (default 1)')
    .option(
      '--tp <n>',
      'tensor-parallel degree inside each expert-parallel group (default: the layout whose fullest GPU needs least)',
    )
    .option('--input <tokens>', 'prompt tokens for ttft_ms and prefill_tokens_per_s (default: --context)')
    .option('--mtp <n>', 'draft tokens per decode step (multi-token prediction, speculative decoding), 1 to 4')
    .option(
      '--acceptance <p,...>',
      'chance each draft token is accepted: one number or one per draft token (with --mtp)',
    )
    .addOption(
      new Option('--engine <name>', 'serving engine whose memory rules and prefill chunk apply (default none)').choices(
        ['none', 'vllm', 'sglang', 'trtllm'],
      ),
    )
    .option('--memory-fraction <f>', "the engine's memory setting (gpu_memory_utilization, mem_fraction_static, …)")
    .option('--dp-attention', 'attention data-parallel over every GPU (SGLang --enable-dp-attention, TensorRT-LLM DEP)')
    .option('--cpu-memory <bytes>', 'host memory for experts in CPU memory, e.g. 512GB')
    .option('--cpu-bandwidth <bytes/s>', 'host memory bandwidth, e.g. 300GB/s')
    .option(
      '--experts-on-cpu <all|n>',
      'experts of all or the first N MoE layers in CPU memory (llama.cpp --n-cpu-moe)',
    )
    .option(
      '--train-tokens <count>',
      'training cost of a run on this many tokens (e.g. 14.8T); needs --gpu and --preset or --config',
    )
    .option('--seq-len <tokens>', 'training sequence length (default 4096)')
    .option('--mfu <fraction>', 'model FLOPs utilisation of the training run (default: data/training-mfu.yaml)')
    .option('--gpu-hours <count>', 'GPU-hours the run took instead of --mfu: prints the implied MFU (e.g. 2.664M)')
    .option('--price <number>', 'price of one training GPU-hour (currency-free)')
    .addOption(
      new Option('--train-compute <format>', 'whose dense peak the MFU is of (default bf16)').choices(['bf16', 'fp8']),
    )
    .option('--train-tp <n>', 'training tensor parallel (default: searched)')
    .option('--train-pp <n>', 'training pipeline stages (default: searched)')
    .option('--train-ep <n>', 'training expert parallel (default: searched)')
    .option('--train-etp <n>', 'training expert tensor parallel (default: searched)')
    .option('--train-cp <n>', 'training context parallel (default 1)')
    .addOption(new Option('--zero <stage>', 'ZeRO stage (default: searched over 1-3)').choices(['0', '1', '2', '3']))
    .addOption(
      new Option('--recompute <kind>', 'activation recomputation (default: searched)').choices([
        'none',
        'selective',
        'full',
      ]),
    )
    .option('--micro-batch <n>', 'sequences per micro-batch (default 1)')
    .option('--global-batch <n>', 'sequences per optimizer step (default: not checked)')
    .addOption(
      new Option(
        '--layout-search <goal>',
        'for open layout fields: most throughput that fits, or least memory',
      ).choices(['throughput', 'memory']),
    )
    .option('--train-mtp', "count the multi-token-prediction modules' FLOPs in train_flops (off by default)")
    .option('--json', 'print one JSON object keyed by the CSV metric columns')
    .addHelpText(
      'after',
      `
Examples:
  $ moe-sweep calc --experts 8 --top-k 2 --expert-params 5.6B --shared 1.6B
  $ moe-sweep calc --preset deepseek-v3 --dtype fp8 --json
  $ moe-sweep calc --preset deepseek-v3 --context 128K --batch 8 --gpu H100-SXM-80GB --count 8
  $ moe-sweep calc --preset gpt-oss-120b --expert-dtype mxfp4 --context 32K --gpu H100-SXM-80GB
  $ moe-sweep calc --config path/to/config.json --context 8K --batch 64 --kv-dtype fp8
  $ moe-sweep calc --preset deepseek-v3 --dtype fp8 --context 2K --batch 32 --gpu H200 --count 8 --engine sglang --mtp 1 --acceptance 0.8
  $ moe-sweep calc --preset deepseek-v3 --train-tokens 14.8T --seq-len 4096 --gpu H800 --count 2048 --gpu-hours 2.664M`,
    )
    .action(async (o) => {
      // a Hub id given to --config is fetched into the cache first; calc itself reads files only
      if (typeof o.config === 'string') {
        const { prefetchConfig } = await import('../catalog/config-file.js');
        await prefetchConfig(o.config, io.cwd, io.env ?? process.env);
      }
      const { calcCommand } = await import('./commands/calc.js');
      setExit(calcCommand(o, io, await catalog()));
    });

  program
    .command('presets')
    .description('list the published models that specs and calc can name')
    .option('--json', 'print an array of {id, name, total_params, active_params, source}')
    .addHelpText(
      'after',
      `
Examples:
  $ moe-sweep presets
  $ moe-sweep presets --json`,
    )
    .action(async (o) => {
      const { presetsCommand } = await import('./commands/presets.js');
      setExit(presetsCommand(o, io, await catalog()));
    });

  program
    .command('inspect')
    .description(
      'exact parameter counts of a Hugging Face config.json, module by module, under each vendor convention; then weight bytes as stored and the KV cache; for a checkpoint folder or a Hub id, its tensors reconciled with the count',
    )
    .argument(
      '<model>',
      'a config.json, a checkpoint folder (config.json + safetensors or GGUF), or a Hub id ORG/NAME[@REVISION]; an existing path wins',
    )
    .option('--json', 'print one JSON object (total_main, total_checkpoint, active, …, breakdown, memory)')
    .option('--context <tokens>', 'KV cache for this many tokens per sequence: 4096, 128K, 1M (K = 1,024 tokens)')
    .option('--batch <sequences>', 'sequences for the --context KV cache (default 1)')
    .option('--kv-dtype <dtype>', `dtype of the cached values: ${KV_DTYPES.join(', ')} (default bf16)`)
    .addHelpText(
      'after',
      `
Examples:
  $ moe-sweep inspect path/to/Mixtral-8x7B/config.json
  $ moe-sweep inspect path/to/Mixtral-8x7B                 the folder: also its safetensors headers, reconciled
  $ moe-sweep inspect deepseek-ai/DeepSeek-V3              from the Hub (HF_TOKEN for gated repos; cached)
  $ moe-sweep inspect config.json --json | jq .active_excl_input_embedding
  $ moe-sweep inspect config.json --context 128K --batch 8 --kv-dtype fp8
  $ moe-sweep inspect config.json --json | jq .memory.weights.total_bytes

After the parameter counts comes the memory: the weights by part in the formats the checkpoint
stores them (block-FP8 with its scales, FP4 or INT4 routed experts with their group scales, bf16
elsewhere, from the config's quantization fields) beside the bf16-equivalent, and the KV cache:
bytes per token of context, the fixed bytes per sequence (sliding windows, linear-attention
states, compressor states) and, with --context, the cache of --batch sequences.

A folder or a Hub id adds the checkpoint itself: every tensor of its safetensors (or GGUF) headers,
never the weights, put in a module by its name and reconciled with the count row by row, with the
tensors no module explains and the modules no tensor holds. An existing path wins over a Hub id.
From the Hub: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN for gated or private repos,
HTTP Range requests for the headers, a cache under $HF_HOME/moe-sweep that makes a second call
offline.`,
    )
    .action(async (config: string, o: { json?: boolean; context?: string; batch?: string; kvDtype?: string }) => {
      const { inspectCommand } = await import('./commands/inspect.js');
      setExit(await inspectCommand(config, o, io, resolve(io.cwd, config)));
    });

  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], io: Io = processIo(), signal?: AbortSignal): Promise<number> {
  let code = 0;
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const program = buildProgram(io, (c) => (code = c), signal);
  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version exit 0; every other commander error is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (signal?.aborted) return 130;
    if (err instanceof InputError) {
      io.stderr(`${err.message}\n`);
      if (io.env?.GITHUB_ACTIONS === 'true' && err instanceof SpecError && err.line > 0)
        io.stdout((await import('../output/annotations.js')).annotation(err.file, err.line, err.message, err.col));
      if (debug) io.stderr(`${err.stack}\n`);
      return 2;
    }
    const e = err as Error;
    io.stderr(`moe-sweep: internal error: ${e?.message ?? String(err)} (rerun with --debug for details)\n`);
    if (debug) io.stderr(`${e?.stack}\n`);
    return 3;
  }
}
