// npm run bench: measures the compiled CLI on this machine and prints a table; writes bench/results.json.
// Machines are shared and noisy, so each figure is the median of several runs, the worker comparison
// interleaves 1-worker and N-worker runs in the same process, and moe-sweep and the DuckDB baseline
// (bench/duckdb.js) run interleaved, one whole process each.
//
// Environment: BENCH_RUNS (default 5) runs per figure; BENCH_SKIP_M100=1 leaves out the 10^8-point rows;
// BENCH_SKIP_ARCH=1 leaves out the architecture sweep; BENCH_ARCH_RUNS (default 3) its runs per figure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadSpec, runSweep } from '../dist/index.js';
import { EvaluatorPool } from '../dist/pool/pool.js';
import { writeResultsCsv } from '../dist/output/csv-file.js';
import { renderReport } from '../dist/output/report/html.js';
import { reportData } from '../dist/output/report/data.js';
import { loadCatalog } from '../dist/catalog/index.js';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** A run's phases from summary.json's timings, in the order the CLI runs them. */
const phases = (t) =>
  `load ${t.load_ms} · parse ${t.parse_ms} · plan ${t.plan_ms} · evaluate ${t.evaluate_ms} · merge ${t.merge_ms} · csv ${t.csv_ms} · report ${t.report_ms}${t.report_beside_csv ? ' (beside the csv)' : ''} · summary ${t.summary_ms} ms`;
const N = availableParallelism();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const tmp = mkdtempSync(join(tmpdir(), 'moe-sweep-bench-'));
const rows = [];
const results = { machine: { cores: N, node: process.version }, runs: RUNS };

/** A whole process: wall time from spawn to exit, and its stderr's last line (measure.js, duckdb.js) parsed. */
function proc(script, args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  const processMs = performance.now() - t;
  const m = { ...JSON.parse(r.stderr.trim().split('\n').pop()), processMs };
  if (m.code > 1) throw new Error(`${script} ${args.join(' ')} exited ${m.code}: ${r.stderr}`);
  return m;
}

/** A whole process of the CLI with its stdout and stderr dropped: wall time from spawn to exit. */
function bare(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [here('../dist/cli/bin.js'), ...args], { stdio: 'ignore' });
  if (r.status > 1) throw new Error(`moe-sweep ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;

function cli(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [here('./measure.js'), ...args], { encoding: 'utf8' });
  const processMs = performance.now() - t;
  const last = r.stderr.trim().split('\n').pop();
  const m = { ...JSON.parse(last), processMs };
  if (m.code > 1) throw new Error(`moe-sweep ${args.join(' ')} exited ${m.code}: ${r.stderr}`);
  return m;
}

// 0. Start-up: whole processes, interleaved; then what each dependency costs to load, each in a fresh
// process (vega and vega-lite as the report loads them: the bundle npm run build writes).
{
  const cases = {
    'node -e 0 (Node alone)': () => {
      const t = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      return performance.now() - t;
    },
    '4-point spec (bench/four-points.yaml), report included': () =>
      bare([here('./four-points.yaml'), '--out', join(tmp, 'four-points'), '--quiet']),
    'calc --preset deepseek-v3': () => bare(['calc', '--preset', 'deepseek-v3']),
    presets: () => bare(['presets']),
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < Math.max(5, RUNS * 2); i++) for (const [k, run] of Object.entries(cases)) times[k].push(run());
  results.startup_ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  for (const [k, v] of Object.entries(results.startup_ms)) rows.push([`start-up: ${k}`, s(v)]);

  const modules = {
    commander: 'commander',
    yaml: 'yaml',
    zod: 'zod',
    'csv-stringify': 'csv-stringify/sync',
    piscina: 'piscina',
    handlebars: 'handlebars',
    'vega + vega-lite (bundle)': here('../dist/output/report/chart-modules.js'),
    'vega + vega-lite (packages)': ['vega-lite', 'vega'],
  };
  results.module_load_ms = {};
  for (const [name, specifiers] of Object.entries(modules)) {
    const list = [specifiers].flat().map((m) => (m.startsWith('/') ? pathToFileURL(m).href : m));
    const code = `const t = performance.now(); await Promise.all(${JSON.stringify(list)}.map((m) => import(m))); process.stdout.write(String(performance.now() - t));`;
    const ms = [];
    for (let i = 0; i < Math.max(5, RUNS); i++) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: here('..') });
      ms.push(Number(r.stdout));
    }
    results.module_load_ms[name] = median(ms);
    rows.push([`module load: ${name}`, `${median(ms).toFixed(0)} ms`]);
  }
}

// 1. Evaluation throughput on m10, pools warmed up first.
{
  const spec = loadSpec(here('./m10.yaml'));
  const pools = { 1: new EvaluatorPool(1), [N]: new EvaluatorPool(N) };
  const times = { 1: [], [N]: [] };
  for (const w of [1, N]) await runSweep(spec, { workers: w, pool: pools[w] });
  let points = 0;
  for (let i = 0; i < RUNS; i++) {
    for (const w of [1, N]) {
      const t = performance.now();
      const r = await runSweep(spec, { workers: w, pool: pools[w] });
      times[w].push(performance.now() - t);
      points = r.counts.points;
    }
  }
  for (const p of Object.values(pools)) await p.close();
  const rate = (w) => points / (median(times[w]) / 1000);
  results.evaluation = {
    grid_points: points,
    points_per_s_1: rate(1),
    [`points_per_s_${N}`]: rate(N),
    speedup: rate(N) / rate(1),
  };
  rows.push(['evaluation, 1 worker (m10)', `${(rate(1) / 1e6).toFixed(1)} M points/s`]);
  rows.push([`evaluation, ${N} workers (m10)`, `${(rate(N) / 1e6).toFixed(1)} M points/s`]);
  rows.push([`speed-up ${N} vs 1 workers`, `${(rate(N) / rate(1)).toFixed(2)}x`]);
}

// 1b. The same from a fresh pool, as a CLI run meets it: the workers have started, but none has run
// any evaluation yet, so the first slices run before V8 has optimised the kernel.
{
  const spec = loadSpec(here('./m10.yaml'));
  const times = [];
  let points = 0;
  for (let i = 0; i < RUNS; i++) {
    const pool = new EvaluatorPool(N);
    await new Promise((done) => setTimeout(done, 1000));
    const t = performance.now();
    points = (await runSweep(spec, { workers: N, pool })).counts.points;
    times.push(performance.now() - t);
    await pool.close();
  }
  const rate = points / (median(times) / 1000);
  results.evaluation[`points_per_s_${N}_fresh_pool`] = rate;
  rows.push([`evaluation, ${N} workers, fresh pool (m10)`, `${(rate / 1e6).toFixed(1)} M points/s`]);
}

// 2. m10 end to end through the CLI (spec → evaluation → CSV of feasible rows → summary → report), each
// run interleaved with the same sweep as one DuckDB statement (bench/duckdb.js), whole processes. And
// like for like: moe-sweep --no-report writes what DuckDB writes (the feasible CSV; plus summary.json).
function versusDuckdb(name, runs) {
  const ours = [];
  const bareRuns = [];
  const duck = [];
  const out = join(tmp, name);
  const outBare = join(tmp, `${name}-no-report`);
  const duckCsv = join(tmp, `${name}-duckdb.csv`);
  for (let i = 0; i < runs; i++) {
    ours.push(cli([here(`./${name}.yaml`), '--out', out, '--quiet']));
    bareRuns.push(cli([here(`./${name}.yaml`), '--out', outBare, '--quiet', '--no-report']));
    duck.push(proc(here('./duckdb.js'), [name, duckCsv]));
  }
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  const identical = readFileSync(join(out, 'results.csv')).equals(readFileSync(duckCsv));
  const r = {
    grid_points: summary.counts.points,
    end_to_end_ms: median(ours.map((r) => r.ms)),
    process_ms: median(ours.map((r) => r.processMs)),
    peak_rss_bytes: Math.max(...ours.map((r) => r.maxRssBytes)),
    csv_rows: summary.csv.rows,
    phases_ms: summary.timings,
    no_report: {
      process_ms: median(bareRuns.map((r) => r.processMs)),
      peak_rss_bytes: Math.max(...bareRuns.map((r) => r.maxRssBytes)),
      csv_identical: readFileSync(join(outBare, 'results.csv')).equals(readFileSync(duckCsv)),
    },
    duckdb: {
      process_ms: median(duck.map((r) => r.processMs)),
      statement_ms: median(duck.map((r) => r.ms)),
      peak_rss_bytes: Math.max(...duck.map((r) => r.maxRssBytes)),
      csv_rows: duck[0].rows,
      csv_identical: identical,
    },
  };
  r.duckdb_over_ours = r.duckdb.process_ms / r.process_ms;
  r.duckdb_over_no_report = r.duckdb.process_ms / r.no_report.process_ms;
  const label = `${name} (${(r.grid_points / 1e6).toFixed(2)}M points)`;
  rows.push([`${label} whole process (node start to exit)`, s(r.process_ms)]);
  rows.push([`${name} end to end in main() (modules loaded lazily inside)`, s(r.end_to_end_ms)]);
  rows.push([`${name} peak RSS`, mb(r.peak_rss_bytes)]);
  rows.push([`${name} phases (last run)`, phases(summary.timings)]);
  rows.push([`${name} as one DuckDB statement, whole process`, s(r.duckdb.process_ms)]);
  rows.push([`${name} DuckDB peak RSS`, mb(r.duckdb.peak_rss_bytes)]);
  rows.push([
    `${name} DuckDB time / moe-sweep time`,
    `${r.duckdb_over_ours.toFixed(2)}x (CSV rows ${r.csv_rows.toLocaleString('en-US')} vs ${r.duckdb.csv_rows.toLocaleString('en-US')}, ${identical ? 'byte-identical' : 'DIFFERENT bytes'})`,
  ]);
  rows.push([
    `${name} like for like: moe-sweep --no-report (CSV + summary.json), whole process`,
    s(r.no_report.process_ms),
  ]);
  rows.push([`${name} --no-report peak RSS`, mb(r.no_report.peak_rss_bytes)]);
  rows.push([
    `${name} DuckDB time / moe-sweep --no-report time`,
    `${r.duckdb_over_no_report.toFixed(2)}x (${r.no_report.csv_identical ? 'byte-identical' : 'DIFFERENT bytes'} CSV)`,
  ]);
  return r;
}
results.m10 = versusDuckdb('m10', Math.max(3, RUNS));

// 3. CSV throughput and report build at ~10^6 points, every row written, each timed on its own (the
// CLI draws the report during the CSV pass, so its own timings overlap).
{
  const spec = loadSpec(here('./m1.yaml'));
  const pool = new EvaluatorPool(N);
  const result = await runSweep(spec, { workers: N, pool });
  const csvTimes = [];
  const reportTimes = [];
  let csvRows = 0;
  let html = '';
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    csvRows = await writeResultsCsv(result, join(tmp, 'm1.csv'), 'all', { pool, workers: N });
    csvTimes.push(performance.now() - t);
    t = performance.now();
    html = await renderReport({ result, data: reportData(result, loadCatalog()), exitCode: 0, csvFile: 'results.csv' });
    reportTimes.push(performance.now() - t);
  }
  await pool.close();
  const csvMs = median(csvTimes);
  const reportMs = median(reportTimes);
  const reportBytes = Buffer.byteLength(html);
  results.m1 = {
    csv_rows: csvRows,
    csv_rows_per_s: csvRows / (csvMs / 1000),
    report_ms: reportMs,
    report_bytes: reportBytes,
  };
  rows.push([
    `CSV rows/s (m1, ${csvRows.toLocaleString('en-US')} rows)`,
    `${Math.round(csvRows / (csvMs / 1000)).toLocaleString('en-US')}`,
  ]);
  rows.push([
    'report build (m1, 1.02M points)',
    `${(reportMs / 1000).toFixed(2)} s, ${(reportBytes / 1e6).toFixed(2)} MB`,
  ]);
}

// 4. Pareto fronts of 10^6 random points (seeded), two and three objectives.
{
  const { paretoFront } = await import('../dist/evaluate/pareto.js');
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 1_000_000;
  for (const dims of [2, 3]) {
    // Points on a noisy simplex, so the front is large (the hard case), not a handful.
    const cols = Array.from({ length: dims }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      let sum = 0;
      const v = Array.from({ length: dims }, () => {
        const x = random();
        sum += x;
        return x;
      });
      for (let d = 0; d < dims; d++) cols[d][i] = v[d] / sum + random() * 0.01;
    }
    const times = [];
    let size = 0;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      size = paretoFront(cols, n).length;
      times.push(performance.now() - t);
    }
    results[`pareto_${dims}d`] = { points: n, front: size, ms: median(times) };
    rows.push([
      `Pareto front, 10^6 points, ${dims} objectives`,
      `${(median(times) / 1000).toFixed(2)} s (front ${size.toLocaleString('en-US')})`,
    ]);
  }
}

// 5. ~10^8 points, feasible rows streamed: memory must stay bounded. Against DuckDB as for m10.
if (process.env.BENCH_SKIP_M100 !== '1') results.m100 = versusDuckdb('m100', Number(process.env.BENCH_M100_RUNS ?? 3));

// 6. The architecture sweep (bench/arch.yaml: DeepSeek-V3 with six fields swept, served on 8 × H200):
// evaluation with 1 and N workers on warm pools (one run each first, not counted, so V8 has compiled
// the kernel), then end to end through the CLI: as the spec asks (feasible CSV and report), and with
// the front alone and no report, where the evaluation is most of the time.
if (process.env.BENCH_SKIP_ARCH !== '1') {
  const archRuns = Number(process.env.BENCH_ARCH_RUNS ?? 3);
  const spec = loadSpec(here('./arch.yaml'));
  const pools = { 1: new EvaluatorPool(1), [N]: new EvaluatorPool(N) };
  const times = { 1: [], [N]: [] };
  let points = 0;
  for (const w of [1, N]) await runSweep(spec, { workers: w, pool: pools[w] });
  for (let i = 0; i < archRuns; i++) {
    for (const w of [1, N]) {
      const t = performance.now();
      points = (await runSweep(spec, { workers: w, pool: pools[w] })).counts.points;
      times[w].push(performance.now() - t);
    }
  }
  for (const p of Object.values(pools)) await p.close();
  const rate = (w) => points / (median(times[w]) / 1000);
  const runs = [];
  const frontRuns = [];
  for (let i = 0; i < archRuns; i++) {
    runs.push(cli([here('./arch.yaml'), '--out', join(tmp, 'arch'), '--quiet']));
    frontRuns.push(
      cli([here('./arch.yaml'), '--out', join(tmp, 'arch-front'), '--quiet', '--csv', 'pareto', '--no-report']),
    );
  }
  const summary = JSON.parse(readFileSync(join(tmp, 'arch', 'summary.json'), 'utf8'));
  results.arch = {
    grid_points: points,
    points_per_s_1: rate(1),
    [`points_per_s_${N}`]: rate(N),
    process_ms: median(runs.map((r) => r.processMs)),
    peak_rss_bytes: Math.max(...runs.map((r) => r.maxRssBytes)),
    csv_rows: summary.csv.rows,
    phases_ms: summary.timings,
    front_only: {
      process_ms: median(frontRuns.map((r) => r.processMs)),
      peak_rss_bytes: Math.max(...frontRuns.map((r) => r.maxRssBytes)),
    },
  };
  rows.push([
    `architecture sweep, evaluation, 1 worker (${(points / 1e6).toFixed(2)}M points)`,
    `${(rate(1) / 1e6).toFixed(2)} M points/s`,
  ]);
  rows.push([`architecture sweep, evaluation, ${N} workers`, `${(rate(N) / 1e6).toFixed(2)} M points/s`]);
  rows.push([
    `architecture sweep whole process (${summary.csv.rows.toLocaleString('en-US')} feasible rows)`,
    s(results.arch.process_ms),
  ]);
  rows.push(['architecture sweep phases (last run)', phases(summary.timings)]);
  rows.push(['architecture sweep peak RSS', mb(results.arch.peak_rss_bytes)]);
  rows.push([
    'architecture sweep whole process, --csv pareto --no-report',
    `${s(results.arch.front_only.process_ms)}, ${mb(results.arch.front_only.peak_rss_bytes)}`,
  ]);
}

rmSync(tmp, { recursive: true, force: true });
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`moe-sweep bench · ${N} cores · Node ${process.version} · median of ${RUNS} runs\n`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwrote bench/results.json');
