// What each command loads, checked on the modules a real process resolves (a loader hook records
// them): `calc`, `presets` and `inspect` never load the report stack or the spec validator, and a
// small grid never starts the worker pool. Then the small-grid path itself: a grid evaluated on the
// calling thread writes byte for byte what the pool writes.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { metricsInto } from '../src/metrics/design.js';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../src/spec/load.js';
import { runSweep } from '../src/sweep/run.js';
import { writeOutputs } from '../src/output/outputs.js';
import { EvaluatorPool } from '../src/pool/pool.js';
import { IN_THREAD_ABSTRACT_POINTS, IN_THREAD_GENERAL_POINTS, runsInThread } from '../src/pool/in-thread.js';
import { gridPoints } from '../src/sweep/plan.js';
import { cliWith, useTempDir } from './helpers.js';

const tmp = useTempDir('moe-sweep-startup-');

/** The packages and src/ files a CLI process resolved, from the loader hook's trace. */
function loaded(name: string, argv: string[]): { packages: Set<string>; files: Set<string>; status: number | null } {
  const trace = join(tmp, `${name}.trace`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/fixtures/module-trace.mjs', 'src/cli/bin.ts', ...argv],
    { cwd: process.cwd(), encoding: 'utf8', env: { ...process.env, MODULE_TRACE: trace } },
  );
  const urls = readFileSync(trace, 'utf8').trim().split('\n');
  const packages = new Set(urls.flatMap((u) => u.match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ?? []));
  const files = new Set(urls.flatMap((u) => u.match(/\/src\/(.+\.ts)$/)?.[1] ?? []));
  return { packages, files, status: r.status };
}

const REPORT_STACK = ['vega', 'vega-lite', 'handlebars'];

describe('start-up: what each command loads', () => {
  it('calc, presets and inspect load neither the report stack nor the spec validator', () => {
    for (const [name, argv] of [
      ['calc', ['calc', '--preset', 'deepseek-v3']],
      ['calc-serving', ['calc', '--preset', 'deepseek-v3', '--context', '128K', '--gpu', 'H200', '--count', '8']],
      ['presets', ['presets']],
      ['inspect', ['inspect', 'presets/configs/deepseek-v3.json', '--context', '128K']],
    ] as const) {
      const { packages, files, status } = loaded(name, [...argv]);
      expect(status, name).toBe(0);
      expect(files.has('cli/program.ts'), name).toBe(true); // the trace saw the CLI
      for (const p of REPORT_STACK) expect(packages.has(p), `${name} loads ${p}`).toBe(false);
      expect(files.has('spec/schema.ts'), `${name} loads the spec schema`).toBe(false);
      expect(packages.has('piscina'), `${name} loads piscina`).toBe(false);
      // calc shares inspect's --context and --batch parsers, not its checkpoint and Hub readers
      if (name.startsWith('calc')) expect(files.has('cli/commands/inspect.ts'), `${name} loads inspect`).toBe(false);
    }
  });

  it('a 4-point sweep draws its report (so loads the report stack) but never starts the pool', () => {
    const { packages, files, status } = loaded('p4', [
      'test/fixtures/specs/four-points.yaml',
      '--out',
      join(tmp, 'p4'),
    ]);
    expect(status).toBe(0);
    for (const p of REPORT_STACK) expect(packages.has(p), p).toBe(true);
    expect(files.has('spec/schema.ts')).toBe(true);
    expect(packages.has('piscina')).toBe(false);
    expect(files.has('pool/pool.ts')).toBe(false);
  });

  it('a 4-point sweep with --no-report loads none of the report stack', () => {
    const { packages, status } = loaded('p4-no-report', [
      'test/fixtures/specs/four-points.yaml',
      '--out',
      join(tmp, 'p4-no-report'),
      '--no-report',
    ]);
    expect(status).toBe(0);
    for (const p of REPORT_STACK) expect(packages.has(p), p).toBe(false);
    expect(packages.has('zod')).toBe(true); // the control: the spec was read
  });
});

// The built package reads its catalogue from the JSON document the build wrote (src/catalog/built.ts),
// so these commands never load the YAML parser nor zod; from src/ they read the YAML files. The built
// CLI is one esbuild bundle split into chunks (scripts/bundle-cli.mjs): what a command loaded is read
// from the chunks the process resolved, through the list of what each chunk holds that the build
// writes beside them, plus any file outside the bundle. Needs `npm run build` (run before `npm test`).
describe.skipIf(!existsSync('dist/catalog/catalogue.json'))('start-up of the built CLI', () => {
  const chunkInputs = (): Record<string, string[]> => JSON.parse(readFileSync('dist/cli/bundle-inputs.json', 'utf8'));

  function builtLoads(name: string, argv: string[]) {
    const trace = join(tmp, `${name}.dist.trace`);
    const r = spawnSync(
      process.execPath,
      ['--import', './test/fixtures/module-trace.mjs', 'dist/cli/bin.js', ...argv],
      {
        cwd: process.cwd(),
        encoding: 'utf8',
        env: { ...process.env, MODULE_TRACE: trace },
      },
    );
    const urls = [...new Set(readFileSync(trace, 'utf8').trim().split('\n'))];
    const inputs = chunkInputs();
    const chunks = urls.flatMap((u) => u.match(/\/dist\/cli\/(bin\.js|bundle-[^/]+\.js)$/)?.[1] ?? []);
    const held = chunks.flatMap((c) => inputs[c] ?? []);
    const packages = new Set([
      ...urls.flatMap((u) => u.match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ?? []),
      ...held.filter((i) => !i.startsWith('src/')),
    ]);
    const files = new Set(held.filter((i) => i.startsWith('src/')).map((i) => i.slice('src/'.length)));
    // the files outside the bundle: the tsc output it imports, and what it finds by URL
    const outside = urls
      .flatMap((u) => u.match(/\/(dist\/.+\.js)$/)?.[1] ?? [])
      .filter((f) => !f.startsWith('dist/cli/'));
    return { packages, files, chunks, outside, status: r.status, stdout: r.stdout };
  }

  it('the bundle is what the bin runs, and every chunk it names is listed with what it holds', () => {
    const inputs = chunkInputs();
    expect(inputs['bin.js']).toContain('src/cli/bin.ts');
    expect(inputs['bin.js']).toContain('commander');
    const onDisk = readdirSync('dist/cli').filter((f) => /^bundle-.+\.js$/.test(f));
    expect(onDisk.sort()).toEqual(
      Object.keys(inputs)
        .filter((f) => f.startsWith('bundle-'))
        .sort(),
    );
    // the pool's worker, bundled on its own beside them
    expect(inputs['worker.js']).toContain('src/pool/worker.ts');
    expect(inputs['worker.js']).not.toContain('commander');
    // the lazily imported commands stay out of the entry
    for (const f of ['cli/commands/calc.ts', 'cli/commands/run.ts', 'spec/schema.ts', 'catalog/gpus.ts'])
      expect(inputs['bin.js'], f).not.toContain(`src/${f}`);
  });

  it('calc, presets and inspect load neither yaml, zod nor the CSV writer: only commander', () => {
    for (const [name, argv] of [
      ['calc', ['calc', '--preset', 'deepseek-v3']],
      ['calc-serving', ['calc', '--preset', 'deepseek-v3', '--context', '128K', '--gpu', 'H200', '--count', '8']],
      [
        'calc-training',
        ['calc', '--preset', 'deepseek-v3', '--train-tokens', '14.8T', '--gpu', 'H800', '--count', '2048'],
      ],
      ['presets', ['presets']],
      ['inspect', ['inspect', 'presets/configs/deepseek-v3.json', '--context', '128K']],
    ] as const) {
      const { packages, files, chunks, outside, status } = builtLoads(name, [...argv]);
      expect(status, name).toBe(0);
      expect(chunks[0], name).toBe('bin.js'); // the trace saw the bundle
      // inspect reads a config.json only, not the catalogue
      expect(name === 'inspect' || files.has('catalog/built.ts'), `${name} reads the built catalogue`).toBe(true);
      expect([...packages], name).toEqual(['commander']);
      for (const f of ['spec/schema.ts', 'catalog/gpus.ts', 'output/report/html.ts', 'pool/pool.ts'])
        expect(files.has(f), `${name} loads ${f}`).toBe(false);
      if (name.startsWith('calc')) expect(files.has('cli/commands/inspect.ts'), `${name} loads inspect`).toBe(false);
      // the tsc output the bundle imports (metricsInto's source must be tsc's: the report inlines it)
      expect(
        outside.filter((f) => !f.startsWith('dist/metrics/')),
        name,
      ).toEqual([]);
    }
  });

  // The built CLI reads the catalogue's JSON document and the precompiled template; from src/ the
  // YAML files and the template compiled at run time: the same three files, byte for byte.
  for (const spec of ['test/fixtures/specs/four-points.yaml', 'sweeps/mla-one-h200-node.yaml']) {
    it(`${spec}: the built CLI writes what the CLI from src/ writes`, async () => {
      const name = spec.replace(/\W+/g, '-');
      const fromDist = join(tmp, `${name}-dist`);
      const fromSrc = join(tmp, `${name}-src`);
      const d = spawnSync(process.execPath, ['dist/cli/bin.js', spec, '--out', fromDist, '--quiet'], {
        encoding: 'utf8',
      });
      const r = await cliWith({}, spec, '--out', fromSrc, '--quiet');
      expect(d.status).toBe(r.code);
      // The one difference that is not ours: the report inlines metricsInto's source as compiled, and
      // tsc and tsx print it differently (so the inline script's CSP hash differs too).
      const distSource = (await import(pathToFileURL(resolve('dist/metrics/design.js')).href)).metricsInto.toString();
      const normal = (html: string) =>
        html
          .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
          .replace(distSource, metricsInto.toString());
      const distHtml = readFileSync(join(fromDist, 'report.html'), 'utf8');
      expect(distHtml).toContain(distSource);
      expect(normal(distHtml)).toBe(normal(readFileSync(join(fromSrc, 'report.html'), 'utf8')));
      expect(readFileSync(join(fromDist, 'results.csv'), 'utf8')).toBe(
        readFileSync(join(fromSrc, 'results.csv'), 'utf8'),
      );
      const untimed = (dir: string) => ({ ...JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')), timings: 0 });
      expect(untimed(fromDist)).toStrictEqual(untimed(fromSrc));
    });
  }

  // A grid past the in-thread threshold: the bundle's pool must find its own worker (dist/cli/worker.js,
  // named by URL from pool.ts, bundled beside the CLI) and write what the CLI from src/ writes.
  it('a grid evaluated by the pool: the built CLI finds its worker and writes what the CLI from src/ writes', async () => {
    // 64 × 16 × 50 × 5 = 256,000 points, past IN_THREAD_ABSTRACT_POINTS (200,000)
    const spec = join(tmp, 'pooled.yaml');
    writeFileSync(
      spec,
      [
        'name: pooled',
        'grid:',
        '  experts: {from: 8, to: 512, step: 8}',
        '  top_k: {from: 1, to: 16}',
        '  expert_params: {from: 0.2B, to: 10B, step: 0.2B}',
        '  shared_params: {from: 1B, to: 5B, step: 1B}',
        'dtype: bf16',
        'constraints:',
        '  active_params: {min: 28B, max: 32B}',
        '',
      ].join('\n'),
    );
    expect(runsInThread(256_000, false)).toBe(false);
    const fromDist = join(tmp, 'pooled-dist');
    const fromSrc = join(tmp, 'pooled-src');
    const args = ['--workers', '2', '--no-report', '--quiet'];
    const d = spawnSync(process.execPath, ['dist/cli/bin.js', spec, '--out', fromDist, ...args], { encoding: 'utf8' });
    const r = await cliWith({}, spec, '--out', fromSrc, ...args);
    expect(d.stderr).toBe('');
    expect(d.status).toBe(r.code);
    const summary = JSON.parse(readFileSync(join(fromDist, 'summary.json'), 'utf8'));
    expect(summary.timings.in_thread).not.toBe(true);
    expect(readFileSync(join(fromDist, 'results.csv'), 'utf8')).toBe(
      readFileSync(join(fromSrc, 'results.csv'), 'utf8'),
    );
  });

  it('a 4-point sweep still loads the spec validator (zod) and the YAML parser: the control', () => {
    const { packages, files, outside, status } = builtLoads('p4', [
      'test/fixtures/specs/four-points.yaml',
      '--out',
      join(tmp, 'p4-dist'),
    ]);
    expect(status).toBe(0);
    expect(packages.has('zod')).toBe(true);
    expect(packages.has('yaml')).toBe(true);
    expect(files.has('spec/schema.ts')).toBe(true);
    expect(packages.has('piscina')).toBe(false);
    // vega and vega-lite as their own bundle, and the precompiled template, found from the bundle
    expect(outside).toContain('dist/output/report/chart-modules.js');
    expect(outside).toContain('dist/output/report/report-template.js');
  });
});

describe.skipIf(!existsSync('dist/output/report/chart-modules.cache'))("the built report's vega", () => {
  it('compiles from the code cache the build wrote, which V8 accepts, and draws the same SVG', () => {
    // the loader keeps its vm.Script on a global for scripts/cache-charts.mjs: here it tells whether
    // V8 took the cache (cachedDataRejected false) or compiled from source
    const probe = `
      const { vegaLite, vega } = await import('./dist/output/report/chart-modules.js');
      const script = globalThis[Symbol.for('moe-sweep.chart-script')];
      const spec = vegaLite.compile({ data: { values: [{ x: 1, y: 2 }, { x: 3, y: 1 }] }, mark: 'point',
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } }).spec;
      const svg = await new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
      console.log(JSON.stringify({ rejected: script.cachedDataRejected, svg }));`;
    const run = (cwd: string) =>
      JSON.parse(
        spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd, encoding: 'utf8' }).stdout,
      ) as { rejected: boolean; svg: string };
    const cached = run(process.cwd());
    expect(cached.rejected).toBe(false);
    // the same bundle without its cache (compiled from source) draws the same chart
    const bare = mkdtempSync(join(tmp, 'no-cache-'));
    mkdirSync(join(bare, 'dist/output/report'), { recursive: true });
    for (const f of ['chart-modules.js', 'chart-modules.cjs'])
      copyFileSync(join('dist/output/report', f), join(bare, 'dist/output/report', f));
    const fresh = run(bare);
    expect(fresh.rejected).toBeUndefined();
    expect(fresh.svg).toBe(cached.svg);
    expect(cached.svg).toContain('<svg');
  });
});

describe('small grids on the calling thread', () => {
  it('the thresholds split abstract and general grids where the pool starts', () => {
    expect(runsInThread(IN_THREAD_ABSTRACT_POINTS, false)).toBe(true);
    expect(runsInThread(IN_THREAD_ABSTRACT_POINTS + 1, false)).toBe(false);
    expect(runsInThread(IN_THREAD_GENERAL_POINTS, true)).toBe(true);
    expect(runsInThread(IN_THREAD_GENERAL_POINTS + 1, true)).toBe(false);
  });

  // An abstract grid with the CSV of every row, and an architecture grid served on GPUs.
  for (const file of ['test/fixtures/specs/four-points.yaml', 'sweeps/mla-one-h200-node.yaml']) {
    it(`${file}: results.csv, summary.json (timings and worker count aside) and report.html are the same in-thread and from the pool`, async () => {
      const spec = loadSpec(file);
      expect(runsInThread(gridPoints(spec), true)).toBe(true);
      const pool = new EvaluatorPool(2);
      try {
        const out = async (name: string, p?: EvaluatorPool) => {
          const result = await runSweep(spec, { workers: 2, pool: p });
          const w = await writeOutputs(result, { outDir: join(tmp, name), pool: p, workers: 2 });
          const { timings, workers, ...summary } = JSON.parse(readFileSync(w.files.summary, 'utf8'));
          return {
            inThread: timings.in_thread === true,
            workers,
            csv: readFileSync(w.files.csv),
            summary,
            report: readFileSync(w.files.report!, 'utf8'),
          };
        };
        const here = await out(`${spec.name}-thread`);
        const pooled = await out(`${spec.name}-pool`, pool);
        expect(here.inThread).toBe(true);
        expect(pooled.inThread).toBe(false);
        // the threads that evaluated it: none here, though 2 were asked for
        expect([here.workers, pooled.workers]).toEqual([0, 2]);
        expect(here.csv.equals(pooled.csv)).toBe(true);
        expect(here.summary).toEqual(pooled.summary);
        expect(here.report).toBe(pooled.report);
      } finally {
        await pool.close();
      }
    });
  }
});

describe('an interrupt on the small-grid path', () => {
  it('exits 130 and writes nothing when the signal is aborted before the in-thread evaluation', async () => {
    const out = join(tmp, 'interrupted');
    const controller = new AbortController();
    controller.abort();
    const r = await cliWith({ signal: controller.signal }, 'bench/four-points.yaml', '--out', out, '--quiet');
    expect(r.code).toBe(130);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('.interrupted'))).toEqual([]);
  });
});
