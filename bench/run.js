// npm run bench: measures the compiled CLI on this machine and prints a table; writes bench/results.json.
// Machines are shared and noisy, so each figure is the median of several runs and the worker
// comparison interleaves 1-worker and N-worker runs in the same process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec, runSweep } from '../dist/index.js';
import { EvaluatorPool } from '../dist/pool/pool.js';
import { writeResultsCsv } from '../dist/output/csv-file.js';
import { renderReport } from '../dist/output/report/html.js';
import { reportData } from '../dist/output/report/data.js';
import { loadCatalog } from '../dist/catalog/index.js';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const N = availableParallelism();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const tmp = mkdtempSync(join(tmpdir(), 'moe-sweep-bench-'));
const rows = [];
const results = { machine: { cores: N, node: process.version }, runs: RUNS };

function cli(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [here('./measure.js'), ...args], { encoding: 'utf8' });
  const processMs = performance.now() - t;
  const last = r.stderr.trim().split('\n').pop();
  const m = { ...JSON.parse(last), processMs };
  if (m.code > 1) throw new Error(`moe-sweep ${args.join(' ')} exited ${m.code}: ${r.stderr}`);
  return m;
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

// 2. m10 end to end through the CLI (spec → evaluation → CSV of feasible rows → summary → report).
{
  const runs = Array.from({ length: Math.max(3, RUNS) }, () =>
    cli([here('./m10.yaml'), '--out', join(tmp, 'm10'), '--quiet']),
  );
  const ms = median(runs.map((r) => r.ms));
  const processMs = median(runs.map((r) => r.processMs));
  const rss = Math.max(...runs.map((r) => r.maxRssBytes));
  results.m10 = { end_to_end_ms: ms, process_ms: processMs, peak_rss_bytes: rss };
  rows.push(['m10 end to end (10.24M points)', `${(ms / 1000).toFixed(2)} s`]);
  rows.push(['m10 whole process (node start to exit)', `${(processMs / 1000).toFixed(2)} s`]);
  rows.push(['m10 peak RSS', `${(rss / 1e6).toFixed(0)} MB`]);
}

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

// 5. ~10^8 points, feasible rows streamed: memory must stay bounded.
if (process.env.BENCH_SKIP_M100 !== '1') {
  const r = cli([here('./m100.yaml'), '--out', join(tmp, 'm100'), '--quiet']);
  const s = JSON.parse(readFileSync(join(tmp, 'm100', 'summary.json'), 'utf8'));
  results.m100 = { grid_points: s.counts.points, end_to_end_ms: r.ms, peak_rss_bytes: r.maxRssBytes };
  rows.push([`m100 end to end (${(s.counts.points / 1e6).toFixed(1)}M points)`, `${(r.ms / 1000).toFixed(2)} s`]);
  rows.push(['m100 peak RSS', `${(r.maxRssBytes / 1e6).toFixed(0)} MB`]);
}

rmSync(tmp, { recursive: true, force: true });
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`moe-sweep bench · ${N} cores · Node ${process.version} · median of ${RUNS} runs\n`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nwrote bench/results.json');
