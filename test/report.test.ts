import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReport, scriptJson } from '../src/output/report/html.js';
import { reportData } from '../src/output/report/data.js';
import { loadCatalog } from '../src/catalog/index.js';
import { loadSpec, parseSpec } from '../src/spec/load.js';
import { jsonSchema } from '../src/spec/schema.js';
import { runSweepSync } from '../src/sweep/run.js';
import { specFixture } from './helpers.js';

describe('report.html', () => {
  it('holds the charts as inline SVG, the front table, the counts and the calculator, and loads nothing', async () => {
    const result = runSweepSync(loadSpec(specFixture('exit0-all-pass')));
    const html = await renderReport({
      result,
      data: reportData(result, loadCatalog()),
      exitCode: 0,
      csvFile: 'results.csv',
    });
    const charts = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(charts.length).toBe(4);
    expect(charts[0]).toContain('total parameters, billions (memory)');
    expect(charts[1]).toContain('The Pareto front in its objectives');
    expect(charts[2]).toContain('routed experts');
    expect(charts[3]).toContain('Swept fields and metrics of the feasible designs');
    const frontRows = html.match(/<table id="front"[^>]*>[\s\S]*?<\/table>/)![0].match(/<tr[ >]/g)!.length - 1;
    expect(frontRows).toBe(result.front.length);
    expect(html).toContain('<div class="n" id="count-skipped">24</div>');
    expect(html).toContain('id="calc-experts"');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('bins the cloud for large grids but still draws the front exactly', async () => {
    const spec = parseSpec(
      'grid: {experts: {from: 8, to: 64, step: 8}, top_k: {from: 1, to: 8}, expert_params: {from: 0.1B, to: 4B, step: 0.1B}, shared_params: [2B, 4B]}\nconstraints: {active_params: {min: 5B, max: 20B}}\n',
      'big.yaml',
    );
    const result = runSweepSync(spec);
    expect(result.plot?.mode).toBe('bins');
    const html = await renderReport({
      result,
      data: reportData(result, loadCatalog()),
      exitCode: 0,
      csvFile: 'results.csv',
    });
    expect(html).toContain('the cloud is binned');
    // 0.55 MB of it is the inlined vega runtime.
    expect(html.length).toBeLessThan(2_500_000);
  });

  it('escapes spec strings in the page and keeps embedded JSON inside its script element', async () => {
    const result = runSweepSync(
      parseSpec(
        'name: x\ndescription: "<script>alert(1)</script>"\ndesigns: [{name: "<img src=x onerror=alert(1)>", experts: 8, top_k: 2, expert_params: 1B, shared_params: 1B}]\n',
        'x.yaml',
      ),
    );
    const html = await renderReport({
      result,
      data: reportData(result, loadCatalog()),
      exitCode: 0,
      csvFile: 'results.csv',
    });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(scriptJson({ s: '</script><!--' })).toBe('{"s":"\\u003c/script\\u003e\\u003c!--"}');
  });
});

describe('JSON Schema', () => {
  it('the committed schema/sweep-spec.schema.json is up to date (npm run schema regenerates it)', () => {
    expect(JSON.parse(readFileSync('schema/sweep-spec.schema.json', 'utf8'))).toEqual(jsonSchema());
  });

  it('every example sweep names the schema for editors', () => {
    expect(readFileSync('sweeps/target-30b-active.yaml', 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/schema\/sweep-spec\.schema\.json/,
    );
  });
});
