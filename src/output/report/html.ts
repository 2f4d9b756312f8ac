// report.html: one self-contained file (inline SVG charts, inline CSS and script, no network),
// rendered from templates/report.hbs. It renders the sweep's result and the ReportData computed
// for it beforehand (report/data.ts): nothing here evaluates a design or reads the catalogue.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { DTYPE_BYTES } from '../../formats/dtypes.js';
import { METRICS, metricsInto } from '../../metrics/design.js';
import { hasGrid } from '../../sweep/plan.js';
import type { ServingValues, SweepResult } from '../../sweep/types.js';
import { calibrationRows, memorySpec, throughputSpec, topKSpec } from './serving.js';
import { MAX_GPUS, SERVING_METRICS } from '../../metrics/serving.js';
import { TRAINING_COST_METRICS } from '../../metrics/training.js';
import { formatBytes, formatCount, formatPercent, formatRatio } from '../../formats/units.js';
import { TOOL_VERSION } from '../../catalog/version.js';
import { frontSpec, heatmapSpec, overviewSpec, renderSvg } from './charts.js';
import { qualityNotes, qualitySpec, qualityTable } from './quality.js';
import { trainingSpec, trainingTable } from './training.js';
import type { ReportData } from './data.js';
import { frontTable } from './table.js';
import { ARCH_FIELD_NAMES, ARCH_FIELDS } from '../../spec/schema.js';
import { parallelSpec } from './parallel.js';
import { InputError } from '../../findings/errors.js';
import { scriptJson } from './json.js';

/** The front table in the report stops here; results.csv (--csv pareto) has every row. */
export const REPORT_FRONT_ROWS = 500;

const templateFile = () => new URL('../../../templates/report.hbs', import.meta.url);
/** vega, vega-interpreter and src/browser/report.ts in one script, built by `npm run build`. */
const bundleFile = () => new URL('../../../dist/browser/report.bundle.js', import.meta.url);
let bundle: string | undefined;

function liveScript(): string {
  if (bundle === undefined) {
    try {
      bundle = readFileSync(bundleFile(), 'utf8');
    } catch {
      throw new InputError(
        "the report's browser script dist/browser/report.bundle.js is missing: run `npm run build` in the package",
      );
    }
    // Inline, the text must not end its own element.
    if (/<\/script/i.test(bundle)) throw new Error('dist/browser/report.bundle.js contains "</script"');
  }
  return bundle;
}

let template: Promise<(context: object) => string> | undefined;

/** The template compiled to JavaScript by `npm run build` (scripts/precompile-template.mjs). */
const precompiledFile = () => new URL('./report-template.js', import.meta.url);
/** The options of both compilations: the precompiled template and the one compiled at run time. */
export const TEMPLATE_OPTIONS = { strict: false } as const;

/**
 * The report's template, loaded once. handlebars is imported here, not at the top, so only a run
 * that draws a report pays for it; a run starts this early (preloadTemplate) so it overlaps the
 * evaluation. A built package has the template precompiled and needs only handlebars' runtime:
 * compiling it took longer than drawing the rest of a small sweep's report.
 */
export function preloadTemplate(): Promise<(context: object) => string> {
  template ??= existsSync(precompiledFile())
    ? Promise.all([
        import(precompiledFile().href) as Promise<{ default: Parameters<typeof import('handlebars').template>[0] }>,
        import('handlebars/runtime.js') as Promise<{ default: typeof import('handlebars') }>,
      ]).then(([{ default: spec }, { default: Handlebars }]) => Handlebars.template(spec))
    : import('handlebars').then(({ default: Handlebars }) =>
        Handlebars.compile(readFileSync(templateFile(), 'utf8'), TEMPLATE_OPTIONS),
      );
  return template;
}

/**
 * The spec's architecture for the calculator: the base as counted, and the fields a user may edit
 * there (the numeric fields the base sets; num_layers only when no list fixes the layer count).
 */
function calculatorArchitecture(spec: SweepResult['spec']) {
  const arch = spec.architecture;
  if (!arch) return undefined;
  const base = arch.base as unknown as Record<string, unknown>;
  const perLayer = ['layer_attention', 'moe_layers', 'compress_ratios'].some((k) => Array.isArray(base[k]));
  const fields = ARCH_FIELD_NAMES.filter((f) => typeof base[f] === 'number' && !(f === 'num_layers' && perLayer)).map(
    (f) => ({ field: f, meaning: ARCH_FIELDS[f] }),
  );
  return { source: arch.source, base: arch.base, fields };
}

/** The training run the calculator's training rows assume, in words. */
function calculatorTraining(t: NonNullable<SweepResult['spec']['trainingCost']>) {
  const searched = Object.values(t.layout).some((v) => v < 0);
  const run = t.tokens > 0 ? `${t.tokens.toExponential(3)} tokens` : `${t.flops.toExponential(3)} FLOPs`;
  const rate = t.gpuHours > 0 ? `${t.gpuHours.toLocaleString('en-US')} GPU-hours` : `MFU ${t.mfu}`;
  const price = Number.isNaN(t.price) ? 'no price' : `$${t.price} per GPU-hour`;
  return {
    run: `${run} of ${t.seqLen.toLocaleString('en-US')}-token sequences on ${t.count.toLocaleString('en-US')} × ${t.gpu} (dense peak ${(t.peakFlopsPerS / 1e12).toFixed(0)} TFLOP/s), ${rate}, ${price}`,
    layout: searched
      ? 'the layout is searched for this design as in the sweep (the fields training.parallel leaves open)'
      : 'the layout is the one training.parallel fixes',
  };
}

const CSP_PLACEHOLDER = '__CONTENT_SECURITY_POLICY__';

/**
 * The page's Content-Security-Policy: nothing from anywhere (default-src 'none'), and each inline
 * script and style element allowed by the SHA-256 of its exact text, so neither script-src nor
 * style-src needs 'unsafe-inline' and no script can be added to the page by its data.
 */
export function withCsp(html: string): string {
  const hashes = (re: RegExp) =>
    [...new Set([...html.matchAll(re)].map((m) => createHash('sha256').update(m[1]!, 'utf8').digest('base64')))]
      .map((h) => `'sha256-${h}'`)
      .join(' ');
  const csp = [
    "default-src 'none'",
    `script-src ${hashes(/<script>([\s\S]*?)<\/script>/g)}`,
    `style-src ${hashes(/<style>([\s\S]*?)<\/style>/g)}`,
    'img-src data:',
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return html.replace(CSP_PLACEHOLDER, csp);
}

export { scriptJson } from './json.js';

function boundText(kind: string, min: number, max: number): string {
  const f = (x: number) => (kind === 'ratio' ? formatRatio(x) : kind === 'bytes' ? formatBytes(x) : formatCount(x));
  if (Number.isFinite(min) && Number.isFinite(max)) return `${f(min)} … ${f(max)}`;
  if (Number.isFinite(min)) return `≥ ${f(min)}`;
  return `≤ ${f(max)}`;
}

function servingRow(name: string, d: { serving?: ServingValues; metrics: SweepResult['front'][number]['metrics'] }) {
  const s = d.serving ?? {};
  const gpus = s.gpus_needed;
  return {
    name,
    weights: formatBytes(d.metrics.weight_bytes),
    kv: formatBytes(s.kv_cache_bytes ?? 0),
    layout: s.gpu_layout ?? '',
    perGpu: s.per_gpu_bytes !== undefined ? formatBytes(s.per_gpu_bytes) : '',
    gpus: gpus === undefined ? '' : Number.isFinite(gpus) ? String(gpus) : `> ${MAX_GPUS}`,
    tokens:
      s.decode_tokens_per_s !== undefined
        ? `${formatCount(s.decode_tokens_per_s)} (${s.decode_bound}); bound ${formatCount(s.decode_bound_tokens_per_s!)}`
        : '',
    saturation: s.saturation_batch ?? '',
    a2a: s.all_to_all_bytes_per_token_layer !== undefined ? formatBytes(s.all_to_all_bytes_per_token_layer) : '',
    imbalance: s.load_imbalance !== undefined ? formatRatio(s.load_imbalance) : '',
  };
}

function row(d: {
  experts: number;
  top_k: number;
  expert_params: number;
  shared_params: number;
  metrics: SweepResult['front'][number]['metrics'];
}) {
  return {
    experts: d.experts,
    top_k: d.top_k,
    expert_params: formatCount(d.expert_params),
    shared_params: formatCount(d.shared_params),
    total: formatCount(d.metrics.total_params),
    active: formatCount(d.metrics.active_params),
    ratio: formatPercent(d.metrics.active_ratio),
    sparsity: formatPercent(d.metrics.expert_sparsity),
    flops: formatCount(d.metrics.flops_per_token),
    weights: formatBytes(d.metrics.weight_bytes),
    vram: formatBytes(d.metrics.vram_bytes),
  };
}

export interface ReportInput {
  result: SweepResult;
  /** From reportData(result, catalog). */
  data: ReportData;
  exitCode: number;
  csvFile: string;
  csvNote?: string;
  generated?: string;
}

export async function renderReport({ result, data, exitCode, csvFile, csvNote }: ReportInput): Promise<string> {
  const { spec, counts } = result;
  const heat = heatmapSpec(result);
  const zoom = frontSpec(result);
  const quality = data.quality;
  const qSpec = qualitySpec(quality);
  const [mem, tput, topk] = [
    memorySpec(result, data.serving),
    throughputSpec(result, data.serving),
    topKSpec(result, data.serving),
  ];
  const pSpec = parallelSpec(data.parallel);
  const [paretoSvg, frontSvg, heatmapSvg, qualitySvg, memorySvg, throughputSvg, topkSvg, parallelSvg] =
    await Promise.all([
      renderSvg(overviewSpec(result), 'overview'),
      zoom ? renderSvg(zoom, 'front') : '',
      heat ? renderSvg(heat, 'heatmap') : '',
      qSpec ? renderSvg(qSpec, 'quality') : '',
      mem ? renderSvg(mem, 'memory') : '',
      tput ? renderSvg(tput, 'throughput') : '',
      topk ? renderSvg(topk, 'topk') : '',
      pSpec ? renderSvg(pSpec, 'parallel') : '',
    ]);
  // gpu_memory bounds per_gpu_bytes by the GPU's memory
  const metricKind: Record<string, string> = {
    ...Object.fromEntries([...METRICS, ...SERVING_METRICS, ...TRAINING_COST_METRICS].map((m) => [m.id, m.kind])),
    gpu_memory: 'bytes',
    train_gpu_memory: 'bytes',
  };
  const trainSpec = data.training ? trainingSpec(result, data.training) : undefined;
  const trainingSvg = trainSpec ? await renderSvg(trainSpec, 'training') : '';
  const render = await preloadTemplate();
  const html = render({
    title: spec.name,
    description: spec.description,
    version: TOOL_VERSION,
    sha256: spec.sha256,
    file: spec.file,
    pass: exitCode === 0,
    verdict: exitCode === 0 ? 'PASS' : 'FAIL',
    counts: {
      points: counts.points.toLocaleString('en-US'),
      evaluated: counts.evaluated.toLocaleString('en-US'),
      skipped: counts.skipped.toLocaleString('en-US'),
      feasible: counts.feasible.toLocaleString('en-US'),
      feasibleShare: counts.evaluated ? formatPercent(counts.feasible / counts.evaluated) : '–',
      front: counts.front.toLocaleString('en-US'),
    },
    hasGrid: hasGrid(spec),
    axes: spec.grid
      ? (['experts', 'top_k', 'expert_params', 'shared_params'] as const).map((a) => ({
          name: a,
          text: spec.gridText?.[a] ?? '',
          values: spec.grid![a].length,
        }))
      : (spec.architecture?.axes ?? []).map((a) => ({ name: a.field, text: a.text, values: a.values.length })),
    architecture: spec.architecture?.source,
    dtype: spec.dtype,
    bytesPerWeight: spec.bytesPerWeight,
    splitFormats: spec.formats.experts !== spec.formats.rest,
    objectives: spec.objectives.map((o) => `${o.sense} ${o.metric}`).join(', '),
    constraints: spec.constraints.map((c) => ({
      name: c.name,
      bound:
        c.name === 'vram'
          ? `${spec.serving ? '(weights + KV cache)' : 'weights'} × ${formatRatio(1 + spec.overhead)} ≤ ${formatBytes(c.max)}`
          : `${boundText(metricKind[c.name] ?? 'count', c.min, c.max)}`,
      violated: (result.violationCounts[c.name] ?? 0).toLocaleString('en-US'),
    })),
    designs: result.designs.map((d) => ({
      name: d.name,
      preset: d.preset,
      ...row(d),
      feasible: d.feasible,
      pareto: d.pareto,
      reasons: d.violations.join(', '),
    })),
    compare: result.compare.map((p) => ({
      name: p.name,
      id: p.id,
      ...row(p),
      feasible: p.feasible,
      reasons: p.violations.join(', '),
    })),
    front: frontTable(result, REPORT_FRONT_ROWS),
    frontTruncated: result.front.length > REPORT_FRONT_ROWS ? result.front.length.toLocaleString('en-US') : '',
    frontShown: REPORT_FRONT_ROWS,
    paretoSvg,
    frontSvg,
    qualitySvg,
    quality: quality.length
      ? {
          rows: qualityTable(quality),
          ...qualityNotes(data.qualityLaw),
          training: spec.training?.tokens
            ? `${formatCount(spec.training.tokens)} tokens`
            : `${formatCount(spec.training?.flops ?? 0)} FLOPs (tokens = FLOPs / (6 × active))`,
        }
      : undefined,
    heatmapSvg,
    parallelSvg,
    training:
      data.training && spec.trainingCost
        ? {
            svg: trainingSvg,
            rows: trainingTable(data.training),
            run: `${spec.trainingCost.count} × ${spec.trainingCost.gpu}, ${spec.trainingCost.seqLen.toLocaleString('en-US')}-token sequences`,
          }
        : undefined,
    serving: spec.serving
      ? {
          memorySvg,
          throughputSvg,
          topkSvg,
          workload: `${spec.serving.batch} × ${spec.serving.context.toLocaleString('en-US')} tokens, KV cache in ${spec.serving.kvDtype}`,
          hardware: spec.hardware
            ? `${spec.hardware.count} × ${spec.hardware.gpu} (${formatBytes(spec.hardware.memory_bytes)} each)`
            : '',
          rows: [
            ...result.front.slice(0, REPORT_FRONT_ROWS).map((f, i) => servingRow(f.design || `front #${i + 1}`, f)),
            ...result.compare.map((p) => servingRow(p.name, p)),
          ],
          calibration: calibrationRows(data.serving),
        }
      : undefined,
    binned: result.plot?.mode === 'bins',
    csvFile,
    csvNote,
    metrics: [
      ...METRICS,
      ...(spec.serving ? SERVING_METRICS.filter((m) => m.needs === 'serving' || spec.hardware) : []),
    ],
    calculatorData: scriptJson({
      presets: data.presets,
      dtypes: DTYPE_BYTES,
      defaultDtype: Object.hasOwn(DTYPE_BYTES, spec.dtype) ? spec.dtype : 'bf16',
      architecture: calculatorArchitecture(spec),
      // the plan's plain numbers: the page runs the sweep's training-cost evaluator on them
      ...(spec.trainingCost && spec.architecture ? { training: spec.trainingCost } : {}),
    }),
    // The calculator runs the library's own metric function, so the page and the CSV cannot disagree.
    metricsSource: metricsInto.toString().replace(/<\//g, '<\\/'),
    liveScript: liveScript(),
    archCalc: spec.architecture ? { source: spec.architecture.source } : undefined,
    calcTraining: spec.trainingCost && spec.architecture ? calculatorTraining(spec.trainingCost) : undefined,
  });
  return withCsp(html);
}
