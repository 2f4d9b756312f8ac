import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeResultsCsv } from '../src/output/csv-file.js';
import { renderReport } from '../src/output/report/html.js';
import { reportData } from '../src/output/report/data.js';
import { loadCatalog } from '../src/catalog/index.js';
import { loadSpec, parseSpec } from '../src/spec/load.js';
import { runSweepSync } from '../src/sweep/run.js';
import { parseCsv, useTempDir } from './helpers.js';

const tmp = useTempDir('moe-sweep-quality-');

describe('a sweep with training:', () => {
  const spec = loadSpec('sweeps/quality-small-moe.yaml');
  const result = runSweepSync(spec);

  it('adds loss_delta_vs_dense, dense_equivalent_params and quality_domain to the CSV', async () => {
    const file = join(tmp, 'q.csv');
    await writeResultsCsv(result, file, 'all', { workers: 1 });
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(rows[0]!.slice(-3)).toEqual(['loss_delta_vs_dense', 'dense_equivalent_params', 'quality_domain']);
    // A dense design is its own reference: no difference, and its dense equivalent is itself.
    const dense = rows.find((r) => r[0] === 'dense-800m')!;
    expect(Number(dense[16])).toBeCloseTo(0, 12);
    expect(Number(dense[17]) / 800e6).toBeCloseTo(1, 9);
    expect(dense[18]).toBe('in range');
    expect(new Set(rows.slice(1).map((r) => r[18]!.replace(/x[\d.]+/, 'xK')))).toEqual(
      new Set(['in range', 'extrapolated xK']),
    );
  });

  it('ranks the front by the quality objective', () => {
    const best = (a: number) =>
      Math.max(
        ...result.front.filter((f) => f.metrics.active_params === a).map((f) => f.quality!.dense_equivalent_params!),
      );
    // Along the front, more active parameters buy a larger dense equivalent.
    const actives = [...new Set(result.front.map((f) => f.metrics.active_params))].sort((a, b) => a - b);
    expect(actives.length).toBeGreaterThan(2);
    actives.slice(1).forEach((a, i) => expect(best(a)).toBeGreaterThan(best(actives[i]!)));
  });

  it('a quality bound fails designs far outside the fitted range as quality_domain instead of judging them', () => {
    const s = parseSpec(
      'training: {tokens: 15T}\nconstraints: {loss_delta_vs_dense: {max: 0}}\ndesigns:\n  - {name: big, experts: 64, top_k: 8, expert_params: 3.5B, shared_params: 8B}\n  - {name: small, experts: 8, top_k: 1, expert_params: 100M, shared_params: 300M}\n',
      'q.yaml',
    );
    const r = runSweepSync(s);
    expect(r.designs[0]!.violations).toEqual(['quality_domain']);
    expect(r.designs[0]!.quality!.quality_domain).toBe('qualitative');
    expect(r.designs[1]!.quality!.quality_domain).toBe('qualitative'); // 15T tokens on 400M active: D/N far outside
  });

  it('the report shows the quality-vs-cost view with domain badges and what loss is not', async () => {
    const html = await renderReport({
      result,
      data: reportData(result, loadCatalog()),
      exitCode: 0,
      csvFile: 'results.csv',
    });
    expect(html).toContain('id="quality-chart"');
    expect(html).toMatch(/<div class="panel chart" id="quality-chart"><svg/);
    expect(html).toContain('<span class="badge ok">in range</span>');
    expect(html).toContain('It is not a measure of downstream capability');
    expect(html).toContain('indistinguishable on predicted quality');
  });
});
